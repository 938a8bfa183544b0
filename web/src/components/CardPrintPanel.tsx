/**
 * DOC-1 on the staff case page: the card's print preview, a print batch for this case, its PDF and
 * the confirmation that takes the case's print action. Shown when the workflow offers `print` on the
 * case (or, for a reprint, once the card was printed) — decided from the case's own actions, never
 * from the matter's name. Batches of many cases are made through the same API.
 */
import { Alert, App, Button, Card, Input, Space } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { ErrorBox } from './ErrorBox';
import { useI18n } from '../i18n';

export function CardPrintPanel({ caseData: c, onDone }: { caseData: any; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [batch, setBatch] = useState<{ id: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const canPrint = c.availableActions?.some((a: any) => a.code === 'print');
  const printed = Boolean(c.data?.printed) && !c.closedAt;
  if (!canPrint && !printed) return null;
  const create = async (reprintReason?: string) => {
    setError(null);
    try {
      setBatch(await api('/api/card-batches', { body: { items: [{ caseId: c.id, ...(reprintReason ? { reprintReason } : {}) }] } }));
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async () => {
    setError(null);
    try {
      const r = await api(`/api/card-batches/${batch!.id}/confirm`, { body: {} });
      message.success(t('cards.confirmed', { n: r.printed }));
      setBatch(null);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card style={{ marginTop: 16 }} className="no-print" title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('cards.title')}</h2>}>
      <p>{t('cards.intro')}</p>
      <ErrorBox error={error} />
      <Space wrap>
        <a href={`/api/cases/${c.id}/card-preview.pdf`} target="_blank" rel="noreferrer">{t('cards.preview')}</a>
        {canPrint && !batch && <Button onClick={() => create()}>{t('cards.createBatch')}</Button>}
        {batch && <a href={`/api/card-batches/${batch.id}/cards.pdf`} target="_blank" rel="noreferrer">{t('cards.batchPdf')}</a>}
        {batch && <Button type="primary" onClick={confirm}>{t('cards.confirm')}</Button>}
      </Space>
      {printed && !canPrint && !batch && (
        <Alert type="info" style={{ marginTop: 12 }} title={t('cards.reprintTitle')} description={
          <Space wrap>
            <label>{t('cards.reprintReason')}　<Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} style={{ width: 280 }} /></label>
            <Button disabled={reason.trim().length < 2} onClick={() => create(reason.trim())}>{t('cards.reprintCreate')}</Button>
          </Space>
        } />
      )}
    </Card>
  );
}
