/**
 * CARD-1: the county's old-card register. A card handed in outside a case is logged here; cards are
 * listed as held, due for destruction (kept more than a year) or destroyed; a person confirms the
 * destruction of the due cards they tick, and the numbered record prints for the file.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Modal, Spin, Table, Tabs } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api';
import { ExportButton } from '../components/ExportButton';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, formatDateTime, useI18n } from '../i18n';
import { STATE } from './PersonPage';

type Status = 'held' | 'due' | 'destroyed';
type OldCard = {
  certificateId: string; numberMasked: string; cardNo: number; certificateState: keyof typeof STATE; holderNameMasked: string;
  collectedOn: string; collectedBy: string; dueFrom: string; status: Status; case: { id: string; caseNo: string } | null; note: string;
  destruction: { id: string; recordNo: string; confirmedAt: string } | null;
};
type DestructionRecord = {
  id: string; recordNo: string; county: { code: string; name: string }; confirmedBy: string; confirmedAt: string; cardCount: number; note: string; cards: OldCard[];
};
const STATUSES: Status[] = ['held', 'due', 'destroyed'];

/** The masked number, with which card it is when the certificate was reissued. */
function useCardNumber() {
  const { t } = useI18n();
  return (c: OldCard) => (c.cardNo > 1 ? `${c.numberMasked}（${t('oldCards.cardN', { n: c.cardNo })}）` : c.numberMasked);
}

export function OldCardsPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Status>('held');
  return (
    <>
      <h1 className="page-title">{t('oldCards.title')}</h1>
      <p className="muted">{t('oldCards.intro')}</p>
      <LogCard />
      <Card title={<h2 className="card-title">{t('oldCards.register')}</h2>}>
        <Tabs activeKey={tab} onChange={(k) => setTab(k as Status)} items={STATUSES.map((s) => ({ key: s, label: t(`oldCards.tab.${s}`), children: <Register status={s} /> }))} />
      </Card>
    </>
  );
}

/** A card handed in at the desk without a case, e.g. by the family after the holder died. */
function LogCard() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [logged, setLogged] = useState<OldCard | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { certificateNumber: string; cardNo?: number | null; note?: string }) => {
    setBusy(true);
    setError(null);
    setLogged(null);
    try {
      const card = await api<OldCard>('/api/old-cards', { body: { certificateNumber: v.certificateNumber, cardNo: v.cardNo ?? undefined, note: v.note || undefined } });
      setLogged(card);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['old-cards'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<h2 className="card-title">{t('oldCards.logTitle')}</h2>} style={{ marginBottom: 16 }}>
      <p className="muted">{t('oldCards.logHelp')}</p>
      <ErrorBox error={error} />
      {logged && <Alert type="success" showIcon role="status" title={t('oldCards.logged', { no: logged.numberMasked, name: logged.holderNameMasked, date: formatDate(logged.dueFrom, lang) })} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <div className="grid2">
          <Form.Item name="certificateNumber" label={t('oldCards.number')} rules={[{ required: true, whitespace: true, message: t('oldCards.numberRequired') }]}>
            <Input autoComplete="off" maxLength={40} />
          </Form.Item>
          <Form.Item name="cardNo" label={t('oldCards.cardNo')}>
            <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="note" label={t('oldCards.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('oldCards.log')}</Button>
      </Form>
    </Card>
  );
}

/** One tab of the register; on "due" the cards can be ticked and their destruction confirmed. */
function Register({ status }: { status: Status }) {
  const { t, lang, pick } = useI18n();
  const list = useQuery({ queryKey: ['old-cards', status], queryFn: () => api<{ items: OldCard[]; truncated: boolean }>(`/api/old-cards?status=${status}`) });
  const [selected, setSelected] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const items = list.data?.items ?? [];
  const chosen = items.filter((c) => selected.includes(c.certificateId));
  const due = status === 'due';
  const allChosen = items.length > 0 && chosen.length === items.length;
  const number = useCardNumber();

  return (
    <>
      <ErrorBox error={list.error} />
      <div style={{ marginBottom: 12 }}><ExportButton href={`/api/old-cards.xlsx?status=${status}`} /></div>
      {list.data?.truncated && <Alert type="info" showIcon title={t('oldCards.truncated')} style={{ marginBottom: 16 }} />}
      <Table<OldCard>
        rowKey="certificateId"
        size="small"
        pagination={false}
        loading={list.isLoading}
        scroll={{ x: true }}
        caption={t(`oldCards.caption.${status}`)}
        locale={{ emptyText: t(`oldCards.empty.${status}`) }}
        dataSource={items}
        columns={[
          ...(due
            ? [{
                key: 'pick', width: 60,
                title: <Checkbox aria-label={t('oldCards.selectAll')} checked={allChosen} indeterminate={chosen.length > 0 && !allChosen} onChange={(e) => setSelected(e.target.checked ? items.map((c) => c.certificateId) : [])} />,
                render: (_: unknown, c: OldCard) => (
                  <Checkbox aria-label={t('oldCards.selectCard', { no: number(c) })} checked={selected.includes(c.certificateId)} onChange={(e) => setSelected(e.target.checked ? [...selected, c.certificateId] : selected.filter((x) => x !== c.certificateId))} />
                ),
              }]
            : []),
          { title: t('oldCards.col.number'), key: 'number', render: (_, c) => number(c) },
          { title: t('oldCards.col.holder'), dataIndex: 'holderNameMasked' },
          { title: t('oldCards.col.state'), key: 'state', render: (_, c) => pick(STATE[c.certificateState]) },
          { title: t('oldCards.col.collectedOn'), key: 'collectedOn', render: (_, c) => formatDate(c.collectedOn, lang) },
          status === 'destroyed'
            ? { title: t('oldCards.col.record'), key: 'record', render: (_, c) => <Link to={`/old-cards/destructions/${c.destruction!.id}`} aria-label={t('oldCards.openRecord', { no: c.destruction!.recordNo })}>{c.destruction!.recordNo}</Link> }
            : { title: t('oldCards.col.dueFrom'), key: 'dueFrom', render: (_, c) => formatDate(c.dueFrom, lang) },
          { title: t('oldCards.col.case'), key: 'case', render: (_, c) => (c.case ? <Link to={`/cases/${c.case.id}`}>{c.case.caseNo}</Link> : t('oldCards.noCase')) },
          { title: t('oldCards.col.collectedBy'), dataIndex: 'collectedBy' },
          { title: t('oldCards.col.note'), dataIndex: 'note' },
        ]}
      />
      {due && (
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          <Button type="primary" danger disabled={!chosen.length} onClick={() => setConfirming(true)}>{t('oldCards.destroy', { n: chosen.length })}</Button>
        </p>
      )}
      {confirming && <ConfirmDestruction cards={chosen} onClose={() => setConfirming(false)} />}
    </>
  );
}

/** The confirmation dialog: the cards named once more, an optional note, and the person's confirmation. */
function ConfirmDestruction({ cards, onClose }: { cards: OldCard[]; onClose: () => void }) {
  const { t } = useI18n();
  const number = useCardNumber();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const record = await api<DestructionRecord>('/api/card-destructions', { body: { certificateIds: cards.map((c) => c.certificateId), note } });
      await qc.invalidateQueries({ queryKey: ['old-cards'] });
      navigate(`/old-cards/destructions/${record.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('oldCards.confirmTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>{t('oldCards.cancel')}</Button>,
        <Button key="ok" type="primary" danger loading={busy} onClick={confirm}>{t('oldCards.confirm')}</Button>,
      ]}
    >
      <ErrorBox error={error} />
      <p>{t('oldCards.confirmText', { n: cards.length })}</p>
      <ul>{cards.map((c) => <li key={c.certificateId}>{number(c)} {c.holderNameMasked}</li>)}</ul>
      <label htmlFor="destruction-note">{t('oldCards.confirmNote')}</label>
      <Input.TextArea id="destruction-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
    </Modal>
  );
}

/** The numbered destruction record as it is printed for the file, with lines to sign. */
export function DestructionRecordPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const number = useCardNumber();
  const record = useQuery({ queryKey: ['card-destruction', id], queryFn: () => api<DestructionRecord>(`/api/card-destructions/${id}`) });
  if (record.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (record.error) return <ErrorBox error={record.error} />;
  const r = record.data!;
  return (
    <div className="print-sheet">
      <p className="no-print"><Link to="/old-cards">{t('oldCards.back')}</Link> <Button onClick={() => window.print()}>{t('oldCards.print')}</Button></p>
      <h1 className="page-title">{t('oldCards.recordTitle')}</h1>
      <Descriptions column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }} items={[
        { label: t('oldCards.recordNo'), children: r.recordNo },
        { label: t('oldCards.county'), children: r.county.name },
        { label: t('oldCards.confirmedBy'), children: r.confirmedBy },
        { label: t('oldCards.confirmedAt'), children: formatDateTime(r.confirmedAt, lang) },
        { label: t('oldCards.count'), children: t('oldCards.countN', { n: r.cardCount }) },
        ...(r.note ? [{ label: t('oldCards.recordNote'), children: r.note }] : []),
      ]} />
      <table className="print-table">
        <caption>{t('oldCards.cardsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th><th scope="col">{t('oldCards.col.number')}</th><th scope="col">{t('oldCards.col.holder')}</th>
            <th scope="col">{t('oldCards.col.collectedOn')}</th><th scope="col">{t('oldCards.col.case')}</th><th scope="col">{t('oldCards.col.collectedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {r.cards.map((c, i) => (
            <tr key={c.certificateId}>
              <td>{i + 1}</td><td>{number(c)}</td><td>{c.holderNameMasked}</td>
              <td>{formatDate(c.collectedOn, lang)}</td><td>{c.case?.caseNo ?? t('oldCards.noCase')}</td><td>{c.collectedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="grid2" style={{ marginTop: 32 }}>
        {(['oldCards.signConfirmer', 'oldCards.signWitness', 'oldCards.signDate'] as const).map((k) => (
          <p key={k}>{t(k)}{lang === 'zh' ? '：' : ': '}<span aria-hidden="true">________________</span></p>
        ))}
      </div>
    </div>
  );
}
