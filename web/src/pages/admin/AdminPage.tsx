/** Administration: users and roles, assessment institutions and doctors (ASMT-1), the working-day calendar, the division import. */
import { Tabs } from 'antd';
import { useI18n } from '../../i18n';
import { CalendarAdmin } from './CalendarAdmin';
import { DivisionImport } from './DivisionImport';
import { DoctorsAdmin } from './DoctorsAdmin';
import { InstitutionsAdmin } from './InstitutionsAdmin';
import { UsersAdmin } from './UsersAdmin';

export function AdminPage() {
  const { t } = useI18n();
  return (
    <>
      <h1 className="page-title">{t('admin.title')}</h1>
      <Tabs items={[
        { key: 'users', label: t('admin.users'), children: <UsersAdmin /> },
        { key: 'institutions', label: t('admin.institutions'), children: <InstitutionsAdmin /> },
        { key: 'doctors', label: t('admin.doctors'), children: <DoctorsAdmin /> },
        { key: 'calendar', label: t('admin.calendar'), children: <CalendarAdmin /> },
        { key: 'divisions', label: t('admin.divisions'), children: <DivisionImport /> },
      ]} />
    </>
  );
}
