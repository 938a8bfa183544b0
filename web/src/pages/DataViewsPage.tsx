/** SEC-1 who viewed what: supervisors and auditors list every full view of personal data in their jurisdiction. */
import { useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime, useI18n } from '../i18n';
import { DATA_VIEW_LABELS } from '../components/dataViewLabels';
import { DateField } from '../components/DateField';

type Filters = { staff?: string; idNumber?: string; from?: string; to?: string };

export function DataViewsPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const qs = new URLSearchParams({ page: String(page), pageSize: '50', ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) });
  const views = useQuery({ queryKey: ['data-views', filters, page], queryFn: () => api(`/api/data-views?${qs}`) });
  return (
    <>
      <h1 className="page-title">{t('dataViews.title')}</h1>
      <p>{t('dataViews.intro')}</p>
      <Form layout="vertical" onFinish={(v: Filters) => { setPage(1); setFilters(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x?.trim() || undefined]))); }}>
        <Space wrap align="end">
          <Form.Item label={t('dataViews.staff')} name="staff"><Input autoComplete="off" /></Form.Item>
          <Form.Item label={t('dataViews.idNumber')} name="idNumber"><Input autoComplete="off" maxLength={18} /></Form.Item>
          <Form.Item label={t('dataViews.from')} name="from"><DateField /></Form.Item>
          <Form.Item label={t('dataViews.to')} name="to"><DateField /></Form.Item>
          <Form.Item><Button type="primary" htmlType="submit">{t('dataViews.search')}</Button></Form.Item>
        </Space>
      </Form>
      <ErrorBox error={views.error} />
      <Table
        rowKey={(v: any) => `${v.at}-${v.viewer.id}-${v.subject.personId ?? v.subject.caseId}-${v.what}`}
        loading={views.isLoading}
        dataSource={views.data?.items ?? []}
        locale={{ emptyText: t('dataViews.empty') }}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 50, total: views.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('dataViews.total', { n }) }}
        columns={[
          { title: t('dataViews.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at, lang) },
          { title: t('dataViews.viewer'), render: (_: unknown, v: any) => <>{v.viewer.name}{v.viewer.username ? <span className="muted">（{v.viewer.username}，{v.viewer.role}）</span> : null}</> },
          { title: t('dataViews.federation'), render: (_: unknown, v: any) => v.federation.name },
          { title: t('dataViews.what'), dataIndex: 'what', render: (w: string) => (DATA_VIEW_LABELS[w] ? t(DATA_VIEW_LABELS[w]) : w) },
          { title: t('dataViews.purpose'), dataIndex: 'purpose' },
          { title: t('dataViews.subject'), render: (_: unknown, v: any) => <>{v.subject.nameMasked} {v.subject.idNumberMasked}{v.subject.caseNo ? <span className="muted"> {v.subject.caseNo}</span> : null}</> },
        ]}
      />
    </>
  );
}
