import { Alert, Button } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';

export function DivisionImport() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await api<{ imported: number }>('/api/admin/divisions/import', { csv: await file.text() });
      setResult(res.imported);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorBox error={error} />
      {result !== null && <Alert type="success" showIcon title={t('admin.imported', { n: result })} style={{ marginBottom: 16 }} />}
      <label htmlFor="division-csv" style={{ display: 'block', marginBottom: 8 }}>{t('admin.importCsv')}</label>
      <input id="division-csv" type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => onFile(e.target.files?.[0])} />
      {busy && <Button loading type="text">{t('common.loading')}</Button>}
    </>
  );
}
