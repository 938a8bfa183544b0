/** The home of every staff member: the cases waiting on me, most urgent first (SLA-2). */
import { useQuery } from '@tanstack/react-query';
import { Checkbox, Empty, Input, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api';
import { ExportButton } from '../components/ExportButton';
import { ErrorBox } from '../components/ErrorBox';
import { Sla } from '../components/Sla';
import { formatDate, useI18n } from '../i18n';
import { DuplicateCandidates } from './DuplicateCandidates';
import { HukouMoveReviews } from './HukouMoveReviews';

const STATES = ['submitted', 'awaiting_materials', 'assessing', 'result_review', 'in_publicity', 'objection_review', 'hukou_review', 'rerouting', 'awaiting_photo', 'printing', 'shipping', 'in_delivery'];

export function WorklistPage() {
  const { t, pick, lang } = useI18n();
  const navigate = useNavigate();
  const [filter, setFilter] = useState({ state: '', overdue: false, page: 1, pageSize: 20 });
  const workflow = useQuery({ queryKey: ['workflow', 'new'], queryFn: () => api('/api/workflows/new'), staleTime: Infinity });
  const list = useQuery({
    queryKey: ['worklist', filter],
    queryFn: () => api(`/api/worklist?page=${filter.page}&pageSize=${filter.pageSize}${filter.state ? `&state=${filter.state}` : ''}${filter.overdue ? '&overdue=true' : ''}`),
  });
  const items: any[] = list.data?.items ?? [];
  // a case that can only wait for a date (publicity's end) is not work for today: it sits apart, with its date
  const toDo = items.filter((i) => !i.waitingUntil);
  const waiting = items.filter((i) => i.waitingUntil);
  const search = (value: string) => {
    const v = value.trim();
    if (v) navigate(`/persons?q=${encodeURIComponent(v)}`);
  };
  return (
    <>
      <h1 className="page-title">{t('worklist.title')}</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('worklist.state')}
          style={{ minWidth: 200 }}
          value={filter.state}
          onChange={(state) => setFilter({ ...filter, state, page: 1 })}
          options={[{ value: '', label: t('worklist.allStates') }, ...STATES.map((s) => ({ value: s, label: pick(workflow.data?.states[s]?.label) || s }))]}
        />
        <Checkbox checked={filter.overdue} onChange={(e) => setFilter({ ...filter, overdue: e.target.checked, page: 1 })}>{t('worklist.overdueOnly')}</Checkbox>
        <ExportButton href={`/api/worklist.xlsx?${filter.state ? `state=${filter.state}&` : ''}${filter.overdue ? 'overdue=true' : ''}`} />
        <Input.Search aria-label={t('worklist.search')} placeholder={t('worklist.search')} onSearch={search} style={{ width: 300 }} enterButton={t('search.submit')} />
      </Space>
      <ErrorBox error={list.error} />
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={toDo}
        locale={{ emptyText: <Empty description={t('worklist.empty')} /> }}
        // an empty table shows no column heads and does not scroll: on a phone they would overflow into a scrolling region with nothing to focus
        scroll={toDo.length > 0 ? { x: 'max-content' } : undefined}
        showHeader={toDo.length > 0}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.page', { page: filter.page, total }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        columns={[
          { title: t('worklist.caseNo'), dataIndex: 'caseNo', render: (no: string, r: any) => <Link to={`/cases/${r.id}`}>{no}</Link> },
          { title: t('worklist.matter'), dataIndex: 'matter', render: (m: any) => pick(m) },
          { title: t('worklist.applicant'), render: (_: unknown, r: any) => `${r.applicant.nameMasked} ${r.applicant.idNumberMasked}` },
          { title: t('worklist.state'), dataIndex: 'state', render: (s: any, r: any) => <>{pick(s)}{r.note && <div className="muted">{t('worklist.note', { note: r.note })}</div>}</> },
          { title: t('worklist.due'), dataIndex: 'sla', render: (sla: any) => <Sla sla={sla} /> },
          { title: lang === 'zh' ? '申请日期' : 'Filed', dataIndex: 'createdAt', render: (d: string) => formatDate(d, lang) },
        ]}
      />
      {waiting.length > 0 && (
        <section aria-labelledby="worklist-waiting" style={{ marginTop: 24 }}>
          <h2 id="worklist-waiting" style={{ fontSize: 20 }}>{t('worklist.waitingTitle')}</h2>
          <p className="muted">{t('worklist.waitingHint')}</p>
          <ul style={{ paddingLeft: 20 }}>
            {waiting.map((r) => (
              <li key={r.id} style={{ marginBottom: 8 }}>
                <Link to={`/cases/${r.id}`}>{r.caseNo}</Link>　{pick(r.matter)} · {pick(r.state)} · {r.applicant.nameMasked}　<strong>{t('worklist.waitingUntil', { date: formatDate(r.waitingUntil, lang) })}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
      <HukouMoveReviews />
      <DuplicateCandidates />
    </>
  );
}
