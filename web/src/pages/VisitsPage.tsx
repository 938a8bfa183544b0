/**
 * HOME-3: home-assessment visit batches. The county desk sees the accepted requests waiting for a
 * visit, plans a dated batch per township with a doctor per category and adds requests to it; the
 * doctor and the township follow their batches; the visit list prints with addresses and phones.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Grid, Input, Radio, Select, Spin, Table } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CATEGORIES, type CategoryCode } from '../../../src/domain/disability';
import { api } from '../api';
import { DateField } from '../components/DateField';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';
import { hasRole, useMe } from '../session';

type Batch = {
  id: string; batchNo: string; township: { code: string; name: string }; visitOn: string; mode: 'home' | 'centralized'; place: string;
  institution: { id: string; name: string }; version: number; counts: Record<string, number>;
  doctors: { category: number; id: string; name: string }[];
};
const LIST = { listStyle: 'none', padding: 0, margin: 0 } as const;
const ENTRY = { borderTop: '1px solid #d9d9d9', padding: '12px 0', overflowWrap: 'anywhere' } as const;

/** A batch assesses single categories; 多重 (multiple) is a conclusion, not a doctor's speciality. */
const SINGLE_CATEGORIES: CategoryCode[] = [1, 2, 3, 4, 5, 6];
type Candidate = { caseId: string; caseNo: string; nameMasked: string; categories: number[]; village: { name: string }; townshipCode: string; institutionId: string };

function useCategoryNames() {
  const { pick } = useI18n();
  return (codes: number[]) => codes.map((c) => pick(CATEGORIES[c as CategoryCode])).join('、');
}

function BatchSummary({ b }: { b: Batch }) {
  const { t, lang } = useI18n();
  return <>{t('visits.summary', { date: formatDate(b.visitOn, lang), township: b.township.name, mode: t(`visits.mode.${b.mode}`) + (b.place ? `（${b.place}）` : ''), institution: b.institution.name })}</>;
}

export function VisitsPage() {
  const { t } = useI18n();
  const me = useMe();
  const desk = hasRole(me.data, 'clerk', 'reviewer');
  const qc = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const names = useCategoryNames();
  // a phone lists candidates and batches one per entry, instead of squeezing table columns to a character
  const narrow = !Grid.useBreakpoint().md;
  const batches = useQuery({ queryKey: ['visit-batches'], queryFn: () => api<{ items: Batch[] }>('/api/visit-batches') });
  const candidates = useQuery({ queryKey: ['visit-candidates'], queryFn: () => api<{ items: Candidate[] }>('/api/visit-batches/candidates'), enabled: desk });
  const chosen = (candidates.data?.items ?? []).filter((c) => selected.includes(c.caseId));
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['visit-batches'] }), qc.invalidateQueries({ queryKey: ['visit-candidates'] })]);

  const addTo = async (b: Batch) => {
    setError(null);
    try {
      await api(`/api/visit-batches/${b.id}/cases`, { body: { caseIds: selected, expectedVersion: b.version } });
      setNotice(`${b.batchNo}: ${t('visits.count', { n: selected.length })}`);
      setSelected([]);
      await refresh();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <h1 className="page-title">{t('visits.title')}</h1>
      <ErrorBox error={error} />
      {notice && <Alert type="success" showIcon role="status" title={notice} style={{ marginBottom: 16 }} />}
      {desk && (
        <Card title={<h2 className="card-title">{t('visits.candidates')}</h2>} style={{ marginBottom: 16 }}>
          {narrow ? (
            candidates.isLoading ? <Spin aria-label={t('common.loading')} /> : (candidates.data?.items ?? []).length === 0 ? <p>{t('visits.noCandidates')}</p> : (
              <ul style={LIST}>
                {(candidates.data?.items ?? []).map((c) => (
                  <li key={c.caseId} style={ENTRY}>
                    <Checkbox aria-label={t('visits.selectCase', { no: c.caseNo })} checked={selected.includes(c.caseId)} onChange={(e) => setSelected(e.target.checked ? [...selected, c.caseId] : selected.filter((x) => x !== c.caseId))}>{c.nameMasked}</Checkbox>
                    <div>{c.village.name} · {names(c.categories)}</div>
                    <Link to={`/cases/${c.caseId}`}>{c.caseNo}</Link>
                  </li>
                ))}
              </ul>
            )
          ) : (
          <Table<Candidate>
            rowKey="caseId"
            size="small"
            pagination={false}
            loading={candidates.isLoading}
            locale={{ emptyText: t('visits.noCandidates') }}
            dataSource={candidates.data?.items ?? []}
            columns={[
              {
                title: t('visits.addTo'), key: 'pick', width: 90,
                render: (_, c) => <Checkbox aria-label={t('visits.selectCase', { no: c.caseNo })} checked={selected.includes(c.caseId)} onChange={(e) => setSelected(e.target.checked ? [...selected, c.caseId] : selected.filter((x) => x !== c.caseId))} />,
              },
              { title: t('visits.case'), dataIndex: 'caseNo', render: (no, c) => <Link to={`/cases/${c.caseId}`}>{no}</Link> },
              { title: t('visits.person'), dataIndex: 'nameMasked' },
              { title: t('visits.village'), render: (_, c) => c.village.name },
              { title: t('visits.categories'), render: (_, c) => names(c.categories) },
            ]}
          />
          )}
        </Card>
      )}
      {desk && <NewBatch chosen={chosen} onCreated={async (b) => { setNotice(t('visits.created', { no: b.batchNo })); if (selected.length) await addTo(b); else await refresh(); }} />}
      <Card title={<h2 className="card-title">{t('visits.batches')}</h2>}>
        {batches.isLoading ? <Spin aria-label={t('common.loading')} /> : narrow ? (
          (batches.data?.items ?? []).length === 0 ? <p>{t('visits.noBatches')}</p> : (
            <ul style={LIST}>
              {(batches.data?.items ?? []).map((b) => (
                <li key={b.id} style={ENTRY}>
                  <h3 style={{ fontSize: 17, margin: '0 0 4px' }}><Link to={`/visits/${b.id}`}>{b.batchNo}</Link></h3>
                  <div><BatchSummary b={b} /></div>
                  <div>{t('visits.categories')}：{names(b.doctors.map((d) => d.category))}</div>
                  <div>{t('visits.people')}：{Object.entries(b.counts).map(([k, n]) => `${t(`visits.outcome.${k}` as any)} ${n}`).join('，') || '—'}</div>
                  {desk && <Button size="small" style={{ marginTop: 8 }} disabled={!selected.length} onClick={() => addTo(b)} aria-label={`${t('visits.addSelected')} ${b.batchNo}`}>{t('visits.addTo')}</Button>}
                </li>
              ))}
            </ul>
          )
        ) : (
          <Table<Batch>
            rowKey="id"
            size="small"
            pagination={false}
            locale={{ emptyText: t('visits.noBatches') }}
            dataSource={batches.data?.items ?? []}
            columns={[
              { title: t('visits.batchNo'), dataIndex: 'batchNo', render: (no, b) => <Link to={`/visits/${b.id}`}>{no}</Link> },
              { title: t('visits.visitOn'), render: (_, b) => <BatchSummary b={b} /> },
              { title: t('visits.categories'), render: (_, b) => names(b.doctors.map((d) => d.category)) },
              { title: t('visits.people'), render: (_, b) => Object.entries(b.counts).map(([k, n]) => `${t(`visits.outcome.${k}` as any)} ${n}`).join('，') || '—' },
              ...(desk ? [{ title: t('visits.addTo'), key: 'add', render: (_: unknown, b: Batch) => <Button size="small" disabled={!selected.length} onClick={() => addTo(b)} aria-label={`${t('visits.addSelected')} ${b.batchNo}`}>{t('visits.addTo')}</Button> }] : []),
            ]}
          />
        )}
      </Card>
    </>
  );
}

/** The planning form: township, date, mode, institution and a qualified doctor for each category needed. */
function NewBatch({ chosen, onCreated }: { chosen: Candidate[]; onCreated: (b: Batch) => void }) {
  const { t, pick } = useI18n();
  const me = useMe();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const county = me.data?.kind === 'staff' ? me.data.grants.find((g: any) => ['clerk', 'reviewer'].includes(g.role))?.divisionCode : undefined;
  const mode = Form.useWatch('mode', form);
  const institutionId = Form.useWatch('institutionId', form);
  const picked = Form.useWatch('categories', form) as number[] | undefined;
  // the categories the selected requests need are the starting point
  const needed = useMemo(() => [...new Set(chosen.flatMap((c) => c.categories))].sort().join(','), [chosen]);
  useEffect(() => form.setFieldValue('categories', needed ? needed.split(',').map(Number) : []), [form, needed]);
  const categories = [...(picked ?? [])].sort();
  const townships = useQuery({ queryKey: ['children', county], queryFn: () => api<any[]>(`/api/divisions/${county}/children`), enabled: Boolean(county) });
  const institutions = useQuery({ queryKey: ['institutions-all'], queryFn: () => api<any[]>('/api/org-units?kind=institution') });
  const doctors = useQuery({ queryKey: ['visit-doctors', institutionId], queryFn: () => api<{ items: { id: string; name: string; categories: number[] }[] }>(`/api/visit-batches/doctors?institutionId=${institutionId}`), enabled: Boolean(institutionId) });

  const submit = async (v: any) => {
    setBusy(true);
    setError(null);
    try {
      const doctorsByCategory = Object.fromEntries(categories.map((c) => [String(c), v[`doctor${c}`]]));
      const b = await api<Batch>('/api/visit-batches', { body: { townshipCode: v.townshipCode, visitOn: v.visitOn, mode: v.mode, place: v.place, institutionId: v.institutionId, doctors: doctorsByCategory, note: v.note } });
      form.resetFields();
      onCreated(b);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const required = (label: string) => [{ required: true, message: label }];
  return (
    <Card title={<h2 className="card-title">{t('visits.newBatch')}</h2>} style={{ marginBottom: 16 }}>
      <ErrorBox error={error} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'home', townshipCode: chosen[0] ? chosen[0].townshipCode : undefined }}>
        <div className="grid2">
          <Form.Item name="townshipCode" label={t('visits.township')} rules={required(t('visits.township'))}>
            <Select loading={townships.isLoading} options={(townships.data ?? []).map((d) => ({ value: d.code, label: d.name }))} />
          </Form.Item>
          <Form.Item name="visitOn" label={t('visits.visitOn')} rules={required(t('visits.visitOn'))}>
            <DateField />
          </Form.Item>
        </div>
        <Form.Item name="mode" label={t('visits.mode')}>
          <Radio.Group options={(['home', 'centralized'] as const).map((m) => ({ value: m, label: t(`visits.mode.${m}`) }))} />
        </Form.Item>
        {mode === 'centralized' && (
          <Form.Item name="place" label={t('visits.place')} rules={required(t('visits.place'))}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="institutionId" label={t('visits.institution')} rules={required(t('visits.institution'))}>
          <Select loading={institutions.isLoading} options={(institutions.data ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        </Form.Item>
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
          <legend style={{ fontSize: 16, marginBottom: 8 }}>{t('visits.categoriesNeeded')}</legend>
          <Form.Item name="categories" noStyle>
            <Checkbox.Group options={SINGLE_CATEGORIES.map((code) => ({ value: code, label: pick(CATEGORIES[code]) }))} />
          </Form.Item>
        </fieldset>
        <div className="grid2">
          {categories.map((c) => {
            const label = t('visits.doctorFor', { category: pick(CATEGORIES[c as CategoryCode]) });
            return (
              <Form.Item key={c} name={`doctor${c}`} label={label} rules={required(label)}>
                <Select loading={doctors.isLoading} options={(doctors.data?.items ?? []).filter((d) => d.categories.includes(c)).map((d) => ({ value: d.id, label: d.name }))} />
              </Form.Item>
            );
          })}
        </div>
        <Form.Item name="note" label={t('visits.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('visits.create')}</Button>
      </Form>
    </Card>
  );
}

function useBatch(id: string | undefined) {
  return useQuery({ queryKey: ['visit-batch', id], queryFn: () => api<Batch & { role: string; visits: any[] }>(`/api/visit-batches/${id}`) });
}

export function VisitBatchPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const names = useCategoryNames();
  const batch = useBatch(id);
  const narrow = !Grid.useBreakpoint().md;
  // the institution's doctors go to each address: their page loads the visit list, a full view the server logs (SEC-1)
  const visiting = batch.data?.role === 'institution';
  const full = useQuery({ queryKey: ['visit-list', id], queryFn: () => api<Batch & { visits: any[] }>(`/api/visit-batches/${id}/visit-list`), enabled: visiting, staleTime: Infinity });
  if (batch.isLoading || (visiting && full.isLoading)) return <Spin aria-label={t('common.loading')} />;
  if (batch.error) return <ErrorBox error={batch.error} />;
  const b = batch.data!;
  const detail = new Map<string, any>((full.data?.visits ?? []).map((v) => [v.caseId, v]));
  const visits = b.visits.map((v) => ({ ...v, ...detail.get(v.caseId) }));
  return (
    <>
      <p><Link to="/visits">{t('visits.back')}</Link></p>
      <h1 className="page-title">{t('visits.batchNo')} {b.batchNo}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} items={[
          { label: t('visits.visitOn'), children: formatDate(b.visitOn, lang) },
          { label: t('visits.township'), children: b.township.name },
          { label: t('visits.mode'), children: t(`visits.mode.${b.mode}`) + (b.place ? `（${b.place}）` : '') },
          { label: t('visits.institution'), children: b.institution.name },
          ...b.doctors.map((d) => ({ label: t('visits.doctorFor', { category: names([d.category]) }), children: d.name })),
        ]} />
        {b.role !== 'township' && <p style={{ marginTop: 16, marginBottom: 0 }}><Link to={`/visits/${b.id}/print`}>{t('visits.printList')}</Link></p>}
      </Card>
      <Card title={<h2 className="card-title">{t('visits.people')}</h2>}>
        <ErrorBox error={full.error} />
        {full.data && <p className="muted">{t('visits.listLogged')}</p>}
        {narrow ? (
          // a phone shows one card per person: nothing squeezed into one-character columns
          <ul style={LIST}>
            {visits.map((v) => (
              <li key={v.caseId} style={ENTRY}>
                <h3 style={{ fontSize: 17, margin: '0 0 4px' }}>{v.name ?? v.nameMasked}<span className="muted" style={{ fontWeight: 400 }}>　{v.village.name}</span></h3>
                <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px' }}>
                  {v.address !== undefined && <><dt>{t('visits.address')}</dt><dd style={{ margin: 0 }}>{v.address || '—'}</dd></>}
                  {v.phone && <><dt>{t('visits.phone')}</dt><dd style={{ margin: 0 }}><a href={`tel:${v.phone}`}>{v.phone}</a></dd></>}
                  <dt>{t('visits.categories')}</dt><dd style={{ margin: 0 }}>{names(v.categories)}</dd>
                  <dt>{t('visits.outcome')}</dt><dd style={{ margin: 0 }}>{t(`visits.outcome.${v.outcome ?? 'pending'}` as any)}</dd>
                </dl>
                <Link to={`/cases/${v.caseId}`} aria-label={`${t('visits.open')} ${v.caseNo}`}>{t('visits.open')}（{v.caseNo}）</Link>
              </li>
            ))}
          </ul>
        ) : (
        <Table
          rowKey="caseId"
          size="small"
          pagination={false}
          dataSource={visits}
          scroll={{ x: true }}
          columns={[
            { title: t('visits.village'), render: (_, v) => v.village.name },
            { title: t('visits.person'), render: (_, v) => v.name ?? v.nameMasked },
            ...(full.data ? [{ title: t('visits.address'), render: (_: unknown, v: any) => v.address }, { title: t('visits.phone'), render: (_: unknown, v: any) => v.phone }] : []),
            { title: t('visits.categories'), render: (_, v) => names(v.categories) },
            { title: t('visits.outcome'), render: (_, v) => t(`visits.outcome.${v.outcome ?? 'pending'}` as any) },
            { title: t('visits.case'), render: (_, v) => <Link to={`/cases/${v.caseId}`} aria-label={`${t('visits.open')} ${v.caseNo}`}>{v.caseNo}</Link> },
          ]}
        />
        )}
      </Card>
    </>
  );
}

/** The printable list for the people who visit: by village, with addresses, phones and a column to sign. */
export function VisitListPrint() {
  const { id } = useParams();
  const { t } = useI18n();
  const names = useCategoryNames();
  const list = useQuery({ queryKey: ['visit-list', id], queryFn: () => api<Batch & { visits: any[] }>(`/api/visit-batches/${id}/visit-list`), staleTime: Infinity });
  if (list.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (list.error) return <ErrorBox error={list.error} />;
  const b = list.data!;
  return (
    <div className="print-sheet">
      <p className="no-print"><Link to={`/visits/${b.id}`}>{t('visits.back')}</Link> <Button onClick={() => window.print()}>{t('visits.print')}</Button></p>
      <h1 className="page-title">{t('visits.listTitle')}</h1>
      <p>{b.batchNo} · <BatchSummary b={b} /> · {t('visits.count', { n: b.visits.length })}</p>
      <p className="muted">{t('visits.listLogged')}</p>
      <table className="print-table">
        <caption className="sr-only">{t('visits.listTitle')} {b.batchNo}</caption>
        <thead>
          <tr>
            <th scope="col">#</th><th scope="col">{t('visits.village')}</th><th scope="col">{t('visits.name')}</th><th scope="col">{t('visits.phone')}</th>
            <th scope="col">{t('visits.address')}</th><th scope="col">{t('visits.guardian')}</th><th scope="col">{t('visits.categories')}</th><th scope="col">{t('visits.signature')}</th>
          </tr>
        </thead>
        <tbody>
          {b.visits.map((v, i) => (
            <tr key={v.caseId}>
              <td>{i + 1}</td><td>{v.village.name}</td><td>{v.name}</td><td>{v.phone}</td><td>{v.address}</td>
              <td>{v.guardian ? `${v.guardian.name}（${v.guardian.relation}）${v.guardian.phone}` : ''}</td><td>{names(v.categories)}</td><td />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
