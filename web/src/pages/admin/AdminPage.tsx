/** Administration: users and roles, the working-day calendar, the division import. */
import { Tabs } from 'antd';
import { useI18n } from '../../i18n';
import { CalendarAdmin } from './CalendarAdmin';
import { DivisionImport } from './DivisionImport';
import { UsersAdmin } from './UsersAdmin';

export function AdminPage() {
  const { t } = useI18n();
  return (
    <>
      <h1 className="page-title">{t('admin.title')}</h1>
      <Tabs items={[
        { key: 'users', label: t('admin.users'), children: <UsersAdmin /> },
        { key: 'calendar', label: t('admin.calendar'), children: <CalendarAdmin /> },
        { key: 'divisions', label: t('admin.divisions'), children: <DivisionImport /> },
      ]} />
    </>
  );
}
