/**
 * ASMT-3 audit sampling for supervisors and auditors: draw a seeded sample, record a finding per
 * item, and read per-doctor statistics whose flags point at doctors worth sampling.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Table } from 'antd';
import { useRef, useState, type RefObject } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CATEGORIES, type CategoryCode } from '../../../src/domain/disability';
import { FINDINGS, FLAG_RULE, FOLLOW_UPS } from '../../../src/domain/sampling';
import { api } from '../api';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { ExportButton } from '../components/ExportButton';
import { formatDate, formatDateTime, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { StatusTag, todayInChina } from './admin/AssessmentFields';
import { STATE as CERTIFICATE_STATE } from './PersonPage';
import { DateField } from '../components/DateField';

type Period = { from: string; to: string };
type DoctorRow = {
  doctorId: string; name: string; institutions: string[]; count: number; notQualified: number; levels: Record<string, number[]>;
  disagreementRate: number; severeShare: number | null; peerDisagreementRate: number | null; peerSevereShare: number | null; flags: ('disagreement' | 'severe')[];
};
type Item = Record<string, any> & { seq: number; version: number };

const h2 = { margin: 0, fontSize: 18 };
const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const startOfYear = () => `${todayInChina().slice(0, 4)}-01-01`;

/** The doctors with assessments in a period, in the caller's jurisdiction (also what the draw form offers). */
const useDoctorStats = (p: Period, countyCode?: string) =>
  useQuery({
    queryKey: ['doctor-statistics', p.from, p.to, countyCode ?? ''],
    queryFn: () => api<{ doctors: DoctorRow[] }>(`/api/doctor-statistics?from=${p.from}&to=${p.to}${countyCode ? `&countyCode=${countyCode}` : ''}`),
    enabled: Boolean(p.from && p.to && p.from <= p.to),
  });

/** A doctor with their institution(s) on a second line, to keep the tables narrow. */
function DoctorCell({ name, institutions }: { name: string; institutions: string[] }) {
  return <>{name}{institutions.length > 0 && <div className="muted">{institutions.join('、')}</div>}</>;
}

function useLabels() {
  const { t, pick, lang } = useI18n();
  const level = (l: number) => (lang === 'zh' ? `${['一', '二', '三', '四'][l - 1]}级` : `level ${l}`);
  return {
    finding: (f: string | null) => (f ? t(`sampling.finding.${f}` as MessageKey) : t('sampling.notReviewed')),
    followUp: (f: string | null) => (f ? t(`sampling.followUp.${f}` as MessageKey) : '—'),
    disabilities: (list: { category: number; level: number }[]) =>
      list.length ? list.map((d) => `${pick(CATEGORIES[d.category as CategoryCode])} ${level(d.level)}`).join(lang === 'zh' ? '、' : ', ') : '—',
    /** 听力残疾：一级 5、三级 1 — only the levels that occur */
    distribution: (levels: Record<string, number[]>) =>
      Object.entries(levels).map(([c, counts]) => `${pick(CATEGORIES[Number(c) as CategoryCode])}：${counts.map((n, i) => (n ? `${level(i + 1)} ${n}` : '')).filter(Boolean).join(lang === 'zh' ? '、' : ', ')}`),
  };
}

export function SamplingPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const selected = params.get('sample');
  const [drawForm] = Form.useForm();
  const drawHeading = useRef<HTMLHeadingElement>(null);
  const open = (id: string) => setParams({ sample: id });
  // a flagged doctor in the statistics can be sampled straight away: the draw form is filled in and focused
  const sampleDoctor = (doctorId: string, period: Period) => {
    drawForm.setFieldsValue({ kind: 'assessment', doctorId, ...period });
    drawHeading.current?.focus();
  };
  return (
    <>
      <h1 className="page-title">{t('sampling.title')}</h1>
      <p className="muted">{t('sampling.intro')}</p>
      <DrawCard form={drawForm} heading={drawHeading} onDrawn={open} />
      <SampleList selected={selected} onOpen={open} />
      {selected && <SampleDetail id={selected} />}
      <DoctorStatistics onSample={sampleDoctor} />
    </>
  );
}

function DrawCard({ form, heading, onDrawn }: { form: ReturnType<typeof Form.useForm>[0]; heading: RefObject<HTMLHeadingElement | null>; onDrawn: (id: string) => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const from = Form.useWatch('from', form) ?? '';
  const to = Form.useWatch('to', form) ?? '';
  const how = Form.useWatch('how', form) ?? 'size';
  const counties = useQuery({ queryKey: ['org-units', 'federation'], queryFn: () => api<any[]>('/api/org-units?kind=federation') });
  const institutions = useQuery({ queryKey: ['org-units', 'institution'], queryFn: () => api<any[]>('/api/org-units?kind=institution') });
  const doctors = useDoctorStats({ from, to });
  const help = (field: string | string[]) => {
    const text = fieldError(error, field, pick);
    return text ? { validateStatus: 'error' as const, help: text } : {};
  };
  const submit = async (v: any) => {
    setError(null);
    setBusy(true);
    try {
      const body = {
        kind: v.kind, from: v.from, to: v.to, countyCode: v.countyCode, institutionId: v.institutionId, doctorId: v.doctorId,
        [v.how]: v.amount, seed: v.seed?.trim() || undefined,
      };
      const sample = await api('/api/samples', { body });
      message.success(t('sampling.drawn', { no: sample.sampleNo, n: sample.items.length, population: sample.population }));
      await qc.invalidateQueries({ queryKey: ['samples'] });
      onDrawn(sample.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<h2 style={h2} ref={heading} tabIndex={-1}>{t('sampling.draw')}</h2>} style={{ marginBottom: 16 }}>
      <ErrorBox error={error} />
      <Form form={form} name="draw" layout="vertical" onFinish={submit} initialValues={{ kind: 'assessment', from: startOfYear(), to: todayInChina(), how: 'size', amount: 20 }}>
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('sampling.kind')}</legend>
          <Form.Item name="kind">
            <Radio.Group options={[{ value: 'assessment', label: t('sampling.kind.assessment') }, { value: 'certificate', label: t('sampling.kind.certificate') }]} />
          </Form.Item>
        </fieldset>
        <div className="grid2">
          <Form.Item name="from" label={t('sampling.from')} extra={t('sampling.periodHelp')} rules={[{ required: true, message: t('sampling.from') }]} {...help('from')}><DateField /></Form.Item>
          <Form.Item name="to" label={t('sampling.to')} rules={[{ required: true, message: t('sampling.to') }]} {...help('to')}><DateField /></Form.Item>
          <Form.Item name="countyCode" label={t('sampling.county')} {...help('countyCode')}>
            <Select allowClear loading={counties.isLoading} options={(counties.data ?? []).filter((o) => o.divisionCode.length === 6).map((o) => ({ value: o.divisionCode, label: o.name }))} />
          </Form.Item>
          <Form.Item name="institutionId" label={t('sampling.institution')}>
            <Select allowClear loading={institutions.isLoading} options={(institutions.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
          <Form.Item name="doctorId" label={t('sampling.doctor')} extra={t('sampling.doctorHelp')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={doctors.isLoading}
              options={(doctors.data?.doctors ?? []).map((d) => ({ value: d.doctorId, label: `${d.name}（${d.institutions.join('、')}）` }))} />
          </Form.Item>
        </div>
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('sampling.how')}</legend>
          <Form.Item name="how">
            <Radio.Group options={[{ value: 'size', label: t('sampling.bySize') }, { value: 'percent', label: t('sampling.byPercent') }]} />
          </Form.Item>
        </fieldset>
        <div className="grid2">
          <Form.Item name="amount" label={how === 'size' ? t('sampling.size') : t('sampling.percent')} rules={[{ required: true, message: how === 'size' ? t('sampling.size') : t('sampling.percent') }]} {...help(['size', 'percent'])}>
            <InputNumber min={1} max={how === 'size' ? 10000 : 100} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="seed" label={t('sampling.seed')} extra={t('sampling.seedHelp')} {...help('seed')}><Input maxLength={64} autoComplete="off" /></Form.Item>
        </div>
        <Button type="primary" htmlType="submit" loading={busy}>{t('sampling.submit')}</Button>
      </Form>
    </Card>
  );
}

function SampleList({ selected, onOpen }: { selected: string | null; onOpen: (id: string) => void }) {
  const { t, lang } = useI18n();
  const list = useQuery({ queryKey: ['samples'], queryFn: () => api<{ items: any[] }>('/api/samples') });
  return (
    <Card title={<h2 style={h2}>{t('sampling.list')}</h2>} style={{ marginBottom: 16 }}>
      <ErrorBox error={list.error} />
      <Table rowKey="id" size="small" loading={list.isLoading} dataSource={list.data?.items ?? []} caption={t('sampling.listCaption')} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('sampling.none') }} pagination={{ pageSize: 10, hideOnSinglePage: true }}
        rowClassName={(s) => (s.id === selected ? 'ant-table-row-selected' : '')}
        columns={[
          { title: t('sampling.no'), dataIndex: 'sampleNo', render: (no: string, s: any) => <Button type="link" style={{ padding: 0 }} aria-label={t('sampling.openSample', { no })} aria-current={s.id === selected ? 'true' : undefined} onClick={() => onOpen(s.id)}>{no}</Button> },
          { title: t('sampling.kind'), dataIndex: 'kind', render: (k: string) => t(`sampling.kind.${k}` as MessageKey) },
          { title: t('sampling.scope'), dataIndex: 'scope' },
          { title: t('sampling.period'), render: (_: unknown, s: any) => `${formatDate(s.criteria.from, lang)} – ${formatDate(s.criteria.to, lang)}` },
          { title: t('sampling.drawnOf'), render: (_: unknown, s: any) => `${s.items} / ${s.population}` },
          { title: t('sampling.reviewed'), render: (_: unknown, s: any) => `${s.reviewed} / ${s.items}` },
          { title: t('sampling.drawnBy'), dataIndex: 'drawnBy' },
          { title: t('sampling.drawnAt'), dataIndex: 'drawnAt', render: (d: string) => formatDateTime(d, lang) },
        ]} />
    </Card>
  );
}

function SampleDetail({ id }: { id: string }) {
  const { t, pick, lang } = useI18n();
  const labels = useLabels();
  const sample = useQuery({ queryKey: ['samples', id], queryFn: () => api(`/api/samples/${id}`) });
  const [editing, setEditing] = useState<number | null>(null);
  if (sample.error) return <ErrorBox error={sample.error} />;
  const s = sample.data;
  if (!s) return null;
  const c = s.criteria;
  const assessment = s.kind === 'assessment';
  const item = s.items.find((i: Item) => i.seq === editing);
  return (
    <Card title={<h2 style={h2}>{t('sampling.sample', { no: s.sampleNo })}</h2>} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }} items={[
        { label: t('sampling.kind'), children: t(`sampling.kind.${s.kind}` as MessageKey) },
        { label: t('sampling.scope'), children: s.scope },
        { label: t('sampling.period'), children: `${formatDate(c.from, lang)} – ${formatDate(c.to, lang)}` },
        { label: t('sampling.amount'), children: c.size !== undefined ? `${c.size}` : `${c.percent}%` },
        { label: t('sampling.drawnOf'), children: `${s.items.length} / ${s.population}` },
        { label: t('sampling.seedValue'), children: <code>{c.seed}</code> },
        { label: t('sampling.drawnBy'), children: `${s.drawnBy}，${formatDateTime(s.drawnAt, lang)}` },
      ]} />
      <Table<Item> rowKey="seq" size="small" dataSource={s.items} caption={t('sampling.itemsCaption', { no: s.sampleNo })} scroll={{ x: 'max-content' }} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('sampling.seq'), dataIndex: 'seq' },
          { title: t('worklist.caseNo'), render: (_, i) => (i.caseId ? <Link to={`/cases/${i.caseId}`}>{i.caseNo}</Link> : '—') },
          { title: t('sampling.person'), render: (_, i) => `${i.person.nameMasked} ${i.person.idNumberMasked}` },
          { title: t('sampling.doctorCol'), render: (_, i) => <DoctorCell name={i.doctor ?? '—'} institutions={i.institution ? [i.institution] : []} /> },
          { title: t('sampling.levels'), render: (_, i) => (assessment && !i.qualified ? t('sampling.notQualified') : labels.disabilities(i.disabilities)) },
          ...(assessment
            ? [
                { title: t('sampling.assessedOn'), render: (_: unknown, i: Item) => formatDate(i.assessedOn, lang) },
                { title: t('sampling.check'), render: (_: unknown, i: Item) => (i.departs ? <StatusTag tone="warn">{t('sampling.departs')}</StatusTag> : t('sampling.agrees')) },
              ]
            : [
                { title: t('sampling.certificateNo'), render: (_: unknown, i: Item) => i.certificate.numberMasked },
                { title: t('sampling.issuedOn'), render: (_: unknown, i: Item) => formatDate(i.issuedOn, lang) },
                { title: t('sampling.state'), render: (_: unknown, i: Item) => pick(CERTIFICATE_STATE[i.certificate.state as keyof typeof CERTIFICATE_STATE]) },
              ]),
          { title: t('sampling.finding'), render: (_, i) => labels.finding(i.finding) },
          { title: t('sampling.followUp'), render: (_, i) => labels.followUp(i.followUp) },
          { title: t('admin.actions'), render: (_, i) => <Button size="small" aria-label={t('sampling.recordItem', { seq: i.seq })} onClick={() => setEditing(i.seq)}>{t('sampling.record')}</Button> },
        ]} />
      {item && <FindingDialog sampleId={id} item={item} onClose={() => setEditing(null)} />}
    </Card>
  );
}

/** The finding form of one item. It always sends the version it shows; after a 409 the item is reloaded, so a second try sends the new one. */
function FindingDialog({ sampleId, item, onClose }: { sampleId: string; item: Item; onClose: () => void }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (v: { finding: string; followUp: string; note?: string }) => {
    setError(null);
    setBusy(true);
    try {
      await api(`/api/samples/${sampleId}/items/${item.seq}`, { method: 'PUT', body: { ...v, note: v.note ?? '', version: item.version } });
      message.success(t('sampling.saved'));
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: ['samples'] });
    }
  };
  return (
    <Modal open title={t('sampling.recordTitle', { seq: item.seq, caseNo: item.caseNo ?? item.certificate?.numberMasked ?? '' })} onCancel={onClose} footer={null} destroyOnHidden>
      <ErrorBox error={error} />
      {item.finding && <p>{t('sampling.current', { finding: labels.finding(item.finding), who: item.recordedBy ?? '', when: formatDateTime(item.recordedAt, lang) })}</p>}
      <Form name="finding" layout="vertical" onFinish={save} initialValues={{ finding: item.finding ?? undefined, followUp: item.followUp ?? 'none', note: item.note }}>
        <Form.Item name="finding" label={t('sampling.finding')} rules={[{ required: true, message: t('sampling.finding') }]}>
          <Select options={FINDINGS.map((f) => ({ value: f, label: labels.finding(f) }))} />
        </Form.Item>
        <Form.Item name="followUp" label={t('sampling.followUp')}>
          <Select options={FOLLOW_UPS.map((f) => ({ value: f, label: labels.followUp(f) }))} />
        </Form.Item>
        <Alert type="info" showIcon title={t('sampling.followUpHelp')} style={{ marginBottom: 16 }} />
        <Form.Item name="note" label={t('sampling.note')} extra={t('sampling.noteHelp')}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>{t('common.save')}</Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

function DoctorStatistics({ onSample }: { onSample: (doctorId: string, period: Period) => void }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const [period, setPeriod] = useState<Period>({ from: startOfYear(), to: todayInChina() });
  const [shown, setShown] = useState<Period>(period);
  const stats = useDoctorStats(shown);
  return (
    <Card title={<h2 style={h2}>{t('sampling.stats')}</h2>}>
      <p>{t('sampling.statsIntro', { min: FLAG_RULE.minAssessments, margin: FLAG_RULE.margin * 100 })}</p>
      <Form layout="inline" onFinish={() => setShown(period)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('sampling.from')} htmlFor="stats-from"><DateField id="stats-from" value={period.from} onChange={(v) => setPeriod({ ...period, from: v })} /></Form.Item>
        <Form.Item label={t('sampling.to')} htmlFor="stats-to"><DateField id="stats-to" value={period.to} onChange={(v) => setPeriod({ ...period, to: v })} /></Form.Item>
        <Button htmlType="submit">{t('sampling.statsShow')}</Button>
        <ExportButton href={`/api/doctor-statistics.xlsx?from=${shown.from}&to=${shown.to}`} />
      </Form>
      <ErrorBox error={stats.error} />
      <Table<DoctorRow> rowKey="doctorId" size="small" loading={stats.isLoading} dataSource={stats.data?.doctors ?? []} scroll={{ x: 'max-content' }}
        caption={t('sampling.statsCaption', { from: formatDate(shown.from, lang), to: formatDate(shown.to, lang) })} locale={{ emptyText: t('sampling.noDoctors') }} pagination={false}
        columns={[
          { title: t('sampling.doctorCol'), render: (_, d) => <DoctorCell name={d.name} institutions={d.institutions} /> },
          { title: t('sampling.flag'), render: (_, d) => (d.flags.length ? <Space wrap>{d.flags.map((f) => <StatusTag key={f} tone="bad">{t(`sampling.flag.${f}`)}</StatusTag>)}</Space> : t('sampling.noFlag')) },
          { title: t('sampling.count'), dataIndex: 'count' },
          { title: t('sampling.notQualified'), dataIndex: 'notQualified' },
          { title: t('sampling.distribution'), render: (_, d) => labels.distribution(d.levels).map((line) => <div key={line}>{line}</div>) },
          { title: t('sampling.disagreement'), render: (_, d) => <>{percent(d.disagreementRate)} <span className="muted">（{t('sampling.peers', { rate: percent(d.peerDisagreementRate) })}）</span></> },
          { title: t('sampling.severe'), render: (_, d) => <>{percent(d.severeShare)} <span className="muted">（{t('sampling.peers', { rate: percent(d.peerSevereShare) })}）</span></> },
          { title: t('admin.actions'), render: (_, d) => <Button size="small" aria-label={t('sampling.sampleDoctorLabel', { name: d.name })} onClick={() => onSample(d.doctorId, shown)}>{t('sampling.sampleDoctor')}</Button> },
        ]} />
    </Card>
  );
}
