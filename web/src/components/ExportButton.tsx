/**
 * "导出 Excel": downloads what a list or report shows as .xlsx (issue 11 item 6). A plain link, so the
 * browser saves the file under the name the server gives; the session cookie goes with it.
 */
import { Button } from 'antd';
import { useI18n } from '../i18n';

export function ExportButton({ href, disabled }: { href: string; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <Button href={disabled ? undefined : href} download disabled={disabled}>
      {t('export.xlsx')}
    </Button>
  );
}
