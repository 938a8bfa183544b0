/**
 * HOME-5: the monthly home-assessment report. A county desk sees its county and submits it; a
 * supervisor sees every county in their area with 已报送/逾期 flags and the roll-up. Status is text,
 * never colour alone; every table has a caption.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Popconfirm, Select, Space, Spin, Table } from 'antd';
import { useId, useState } from 'react';
import { CATEGORIES, LEVELS, levelName } from '../../../src/domain/disability';
import { HOME_REPORT_LABELS as L, HOME_REVIEW_LEVELS, REPORT_CATEGORIES, VISIT_MODES, VISIT_OUTCOMES, type HomeReportFigures } from '../../../src/domain/home-report';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Wide } from '../components/Wide';
import { DateField } from '../components/DateField';
import { formatDate, formatMonth, useI18n } from '../i18n';

type CountyRow = {
  code: string; name: string; city: { code: string; name: string }; period: { from: string; to: string; dueOn: string };
  source: 'submitted' | 'live'; submitted: { at: string; by: string } | null; overdue: boolean; canSubmit: boolean; figures: HomeReportFigures;
};
type Report = { month: string; view: 'county' | 'supervisor'; counties: CountyRow[]; cities: { code: string; name: string; counties: number; submitted: number; overdue: number; figures: HomeReportFigures }[]; total: HomeReportFigures };

/** This month in China, as YYYY-MM. */
const thisMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
const days = (n: number | null) => (n === null ? '—' : n.toFixed(1));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function HomeReportPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const monthId = useId();
  const [month, setMonth] = useState(thisMonth);
  const [detail, setDetail] = useState('');
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const report = useQuery<Report>({ queryKey: ['home-report', month], queryFn: () => api(`/api/home-reports?month=${month}`), enabled: valid });
  const submit = useMutation({
    mutationFn: (county: string) => api<Report>(`/api/home-reports/${month}/submit`, { body: { county } }),
    onSuccess: (r) => {
      qc.setQueryData(['home-report', month], (old: Report | undefined) => (old ? { ...old, counties: old.counties.map((c) => r.counties.find((n) => n.code === c.code) ?? c) } : r));
      message.success(t('homeReport.done', { county: r.counties[0].name, month: formatMonth(month, lang) }));
    },
  });
  const r = report.data;
  const status = (c: CountyRow) =>
    c.submitted ? t('homeReport.submittedBy', { by: c.submitted.by, date: formatDate(c.submitted.at, lang) }) : c.overdue ? t('homeReport.overdue') : t('homeReport.pending');

  return (
    <>
      <h1 className="page-title">{t('homeReport.title')}</h1>
      <Space wrap align="end" style={{ marginBottom: 16 }}>
        <div>
          <label htmlFor={monthId} style={{ display: 'block', marginBottom: 4 }}>{t('homeReport.month')}</label>
          <DateField id={monthId} picker="month" value={month} onChange={(m) => { setMonth(m); setDetail(''); }} style={{ width: 200 }} aria-invalid={!valid} />
        </div>
        {valid && r && r.counties.length > 0 && (
          <Button href={`/api/home-reports.xlsx?month=${month}`} download>{t('homeReport.export')}</Button>
        )}
      </Space>
      {!valid && <p role="alert" className="sla overdue">{t('homeReport.badMonth')}</p>}
      <ErrorBox error={report.error ?? submit.error} />
      {report.isLoading && <Spin aria-label={t('common.loading')} />}
      {r && r.counties.length === 0 && <p>{t('homeReport.empty')}</p>}
      {r && r.view === 'county' && r.counties.map((c) => (
        <section key={c.code} aria-labelledby={`county-${c.code}`}>
          <h2 id={`county-${c.code}`}>{c.name}</h2>
          <CountyStatus c={c} status={status(c)} />
          {c.canSubmit && (
            <Popconfirm title={t('homeReport.submitConfirm')} okText={t('homeReport.submit')} cancelText={t('common.cancel')} onConfirm={() => submit.mutate(c.code)}>
              <Button type="primary" loading={submit.isPending} style={{ marginBottom: 16 }}>{t('homeReport.submit')}</Button>
            </Popconfirm>
          )}
          <Figures f={c.figures} />
        </section>
      ))}
      {r && r.view === 'supervisor' && r.counties.length > 0 && (
        <>
          <h2>{t('homeReport.counties')}</h2>
          <p className="muted">{t('homeReport.snapshot')}</p>
          <Wide label={t('homeReport.counties')}>
          <Table
            rowKey="code"
            size="small"
            pagination={false}
            caption={t('homeReport.countiesCaption', { month: formatMonth(month, lang), submitted: r.counties.filter((c) => c.submitted).length, n: r.counties.length, overdue: r.counties.filter((c) => c.overdue).length })}
            dataSource={r.counties}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={4}><strong>{t('homeReport.total', { n: r.counties.length })}</strong></Table.Summary.Cell>
                {keyNumbers(r.total).map((v, i) => <Table.Summary.Cell key={i} index={i + 4}><strong>{v}</strong></Table.Summary.Cell>)}
              </Table.Summary.Row>
            )}
            columns={[
              { title: t('homeReport.county'), dataIndex: 'name', render: (n: string, c: CountyRow) => <>{n}{r.cities.length > 1 && <span className="muted">（{c.city.name}）</span>}</> },
              { title: t('homeReport.dueOn'), render: (_: unknown, c: CountyRow) => formatDate(c.period.dueOn, lang) },
              { title: t('homeReport.status'), render: (_: unknown, c: CountyRow) => <span className={c.overdue ? 'sla overdue' : c.submitted ? 'sla ok' : undefined}>{status(c)}</span> },
              { title: t('homeReport.period'), render: (_: unknown, c: CountyRow) => `${formatDate(c.period.from, lang)} – ${formatDate(c.period.to, lang)}` },
              ...KEY_COLUMNS.map((label, i) => ({ title: label[lang], render: (_: unknown, c: CountyRow) => keyNumbers(c.figures)[i] })),
            ]}
          />
          </Wide>
          {r.cities.length > 1 && (
            <Wide label={t('homeReport.cities')}>
            <Table
              rowKey="code" size="small" pagination={false} style={{ marginTop: 16 }}
              caption={t('homeReport.cities')} dataSource={r.cities}
              columns={[
                { title: t('homeReport.city'), dataIndex: 'name' },
                { title: t('homeReport.status'), render: (_: unknown, c: Report['cities'][number]) => t('homeReport.citySubmitted', { submitted: c.submitted, n: c.counties, overdue: c.overdue }) },
                ...KEY_COLUMNS.map((label, i) => ({ title: label[lang], render: (_: unknown, c: Report['cities'][number]) => keyNumbers(c.figures)[i] })),
              ]}
            />
            </Wide>
          )}
          <h2 style={{ marginTop: 24 }}>{t('homeReport.details')}</h2>
          <div style={{ marginBottom: 16 }}>
            <label htmlFor={`${monthId}-detail`} style={{ display: 'block', marginBottom: 4 }}>{t('homeReport.detailFor')}</label>
            <Select id={`${monthId}-detail`} style={{ minWidth: 240 }} value={detail} onChange={setDetail}
              options={[{ value: '', label: t('homeReport.total', { n: r.counties.length }) }, ...r.counties.map((c) => ({ value: c.code, label: c.name }))]} />
          </div>
          <Figures f={r.counties.find((c) => c.code === detail)?.figures ?? r.total} />
        </>
      )}
    </>
  );
}

const KEY_COLUMNS = [L.requests, L.assessments, L.qualified, L.delivered, L.avgDays];
const keyNumbers = (f: HomeReportFigures) => [f.requests, f.assessments.total, f.assessments.qualified, f.delivered, days(f.avgDaysToDelivery)];

function CountyStatus({ c, status }: { c: CountyRow; status: string }) {
  const { t, lang } = useI18n();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }} items={[
      { label: t('homeReport.period'), children: `${formatDate(c.period.from, lang)} – ${formatDate(c.period.to, lang)}` },
      { label: t('homeReport.dueOn'), children: formatDate(c.period.dueOn, lang) },
      { label: t('homeReport.status'), children: <span className={c.overdue ? 'sla overdue' : c.submitted ? 'sla ok' : undefined}>{status}</span> },
    ]} />
  );
}

/** One set of figures: the key numbers, the reviews per level, the visits, the category × level table. */
function Figures({ f }: { f: HomeReportFigures }) {
  const { t, pick, lang } = useI18n();
  return (
    <>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 5 }} style={{ marginBottom: 16 }} title={<h3 style={{ margin: 0, fontSize: 16 }}>{t('homeReport.summary')}</h3>}
        items={KEY_COLUMNS.map((label, i) => ({ label: pick(label), children: keyNumbers(f)[i] }))} />
      <div className="grid2">
        <Table size="small" pagination={false} rowKey="level" caption={t('homeReport.reviews')}
          dataSource={HOME_REVIEW_LEVELS.map((level) => ({ level, ...f.reviews[level] }))}
          columns={[
            { title: t('homeReport.level'), dataIndex: 'level', render: (l: keyof typeof L.levels) => pick(L.levels[l]) },
            { title: pick(L.approved), dataIndex: 'approved' },
            { title: pick(L.refused), dataIndex: 'refused' },
          ]} />
        <Wide label={t('homeReport.visits')}>
        <Table size="small" pagination={false} rowKey="mode" caption={t('homeReport.visits')}
          dataSource={VISIT_MODES.map((mode) => ({ mode, ...f.visits[mode] }))}
          columns={[
            { title: t('homeReport.mode'), dataIndex: 'mode', render: (m: keyof typeof L.modes) => pick(L.modes[m]) },
            ...VISIT_OUTCOMES.map((o) => ({ title: pick(L.outcomes[o]), dataIndex: o })),
          ]} />
        </Wide>
      </div>
      <Wide label={t('homeReport.categories')}>
      <Table size="small" pagination={false} rowKey="category" caption={t('homeReport.categories')} style={{ marginTop: 16 }}
        dataSource={REPORT_CATEGORIES.map((category) => ({ category, counts: f.assessments.byCategory[String(category)] }))}
        columns={[
          { title: t('homeReport.category'), dataIndex: 'category', render: (c: keyof typeof CATEGORIES) => pick(CATEGORIES[c]) },
          ...LEVELS.map((l) => ({ title: levelName(l, lang), render: (_: unknown, row: { counts: number[] }) => row.counts[l - 1] })),
          { title: pick(L.total), render: (_: unknown, row: { counts: number[] }) => sum(row.counts) },
        ]} />
      </Wide>
    </>
  );
}
