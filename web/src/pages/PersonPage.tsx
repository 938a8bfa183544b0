/** One person, one file: certificates with their state history, all cases, and the logged full view (SEC-1). */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, Modal, Spin, Table } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { CANCEL_REASON_LABELS, CERTIFICATE_STATES, type CancelReason, type CertificateState } from '../../../src/domain/certificates';
import type { Bilingual } from '../../../src/domain/errors';
import { api } from '../api';
import { asLabel } from '../components/ApplicationParts';
import { disabilitiesText } from '../components/disabilityText';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, formatDateTime, useI18n } from '../i18n';
import { zh as CATALOGUE_KEYS, type MessageKey } from '../i18n/zh';
import { ArchiveCard } from './ArchiveCard';
import { ReapplyOverrideCard } from './ReapplyOverrideCard';

/** Certificate states in the words the domain uses (CARD-2), as labels on their own. */
export const STATE = Object.fromEntries(Object.entries(CERTIFICATE_STATES).map(([k, v]) => [k, { zh: v.zh, en: asLabel(v.en) }])) as Record<CertificateState, Bilingual>;

export function PersonPage() {
  const { id } = useParams();
  const { t, pick, lang } = useI18n();
  const person = useQuery({ queryKey: ['person', id], queryFn: () => api(`/api/persons/${id}`) });
  const [asking, setAsking] = useState(false);
  const [full, setFull] = useState<any>(null);
  const [error, setError] = useState<unknown>(null);
  if (person.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (person.error) return <ErrorBox error={person.error} />;
  const p = person.data;
  const byId = new Map<string, any>(p.certificates.map((c: any) => [c.id, c]));
  const caseNo = new Map<string, string>(p.cases.map((c: any) => [c.id, c.caseNo]));
  const cardName = (c: any) => `${c.numberMasked}（${t('person.cardN', { n: c.cardNo })}）`;
  // a state change says why: a catalogue reason, a cancellation reason, or the matter that issued the card
  const reasonText = (r: string | null) =>
    !r ? '—' : `reason.${r}` in CATALOGUE_KEYS ? t(`reason.${r}` as MessageKey) : r in CANCEL_REASON_LABELS ? asLabel(pick(CANCEL_REASON_LABELS[r as CancelReason])) : r;
  const reveal = async (v: { purpose: string }) => {
    try {
      setFull(await api(`/api/persons/${id}/reveal`, { body: v }));
      setAsking(false);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1 className="page-title">{t('person.title')}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} items={[
          { label: t('case.name'), children: full?.name ?? p.nameMasked },
          { label: t('case.idNumber'), children: full?.idNumber ?? p.idNumberMasked },
          { label: t('case.birthYear'), children: full?.birthDate ?? p.birthYear },
          { label: t('case.hukou'), children: p.hukouName },
          { label: t('case.residence'), children: p.residenceName },
          ...(full ? [{ label: t('apply.phone'), children: full.phone }, { label: t('apply.address'), children: full.address ?? '—' }] : []),
        ]} />
        {!full && <Button onClick={() => setAsking(true)}>{t('person.show')}</Button>}
      </Card>
      <Modal open={asking} title={t('person.show')} onCancel={() => setAsking(false)} footer={null} destroyOnHidden>
        <ErrorBox error={error} />
        <Form layout="vertical" onFinish={reveal}>
          <Form.Item name="purpose" label={t('person.purpose')} rules={[{ required: true, min: 2, message: t('person.purpose') }]}><Input /></Form.Item>
          <Button type="primary" htmlType="submit">{t('person.show')}</Button>
        </Form>
      </Modal>
      <ReapplyOverrideCard personId={p.id} current={p.reapplyOverride} />
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('person.certificates')}</h2>} style={{ marginBottom: 16 }}>
        {p.certificates.map((c: any) => {
          const successor = c.replacedBy ? byId.get(c.replacedBy) : null;
          return (
            <section key={c.id} id={`cert-${c.id}`} aria-labelledby={`cert-${c.id}-title`} style={{ marginBottom: 24 }}>
              <h3 id={`cert-${c.id}-title`} style={{ fontSize: 16, margin: '0 0 8px' }}>{cardName(c)}</h3>
              <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
                { label: t('person.state'), children: pick(STATE[c.state as keyof typeof STATE]) },
                { label: t('case.validity'), children: `${formatDate(c.validFrom, lang)} – ${formatDate(c.validUntil, lang)}` },
                { label: t('person.disabilities'), children: disabilitiesText(c.disabilities, lang) },
                // CHANGE-1, REISSUE-1: the old number leads to the card that replaced it
                ...(successor ? [{ label: t('person.replacedBy'), children: <a href={`#cert-${successor.id}`}>{cardName(successor)}</a> }] : []),
              ]} />
              <Table size="small" pagination={false} rowKey={(r: any) => r.at + r.to} dataSource={c.history} caption={t('person.history')}
                columns={[
                  { title: lang === 'zh' ? '时间' : 'When', dataIndex: 'at', render: (v: string) => formatDateTime(v, lang) },
                  { title: t('person.state'), dataIndex: 'to', render: (s: string) => pick(STATE[s as keyof typeof STATE]) },
                  { title: t('case.reason'), dataIndex: 'reason', render: reasonText },
                  { title: t('person.case'), dataIndex: 'caseId', render: (id: string | null) => (id && caseNo.has(id) ? <Link to={`/cases/${id}`}>{caseNo.get(id)}</Link> : '—') },
                ]} />
            </section>
          );
        })}
      </Card>
      <ArchiveCard personId={p.id} />
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('person.cases')}</h2>}>
        <ul>{p.cases.map((c: any) => <li key={c.id}><Link to={`/cases/${c.id}`}>{c.caseNo}</Link>（{formatDate(c.createdAt, lang)}）</li>)}</ul>
      </Card>
    </>
  );
}
