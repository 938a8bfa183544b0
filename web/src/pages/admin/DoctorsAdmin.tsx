/** ASMT-1: the assessment doctors of the admin's area — training certificate, per-category qualification, active or retired. */
import { useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Radio, Table } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../../api';
import { fieldError } from '../../components/ErrorBox';
import { formatDate, useI18n } from '../../i18n';
import { CATEGORY_COLUMN, CategoryChecks, EditDialog, LEGEND, StatusTag, TABLE_WIDTH, useCategoryNames } from './AssessmentFields';
import { DateField } from '../../components/DateField';

type Qualification = { title: string; trainingCertNo: string; trainingDate: string; trainingExpires: string; categories: number[]; status: 'active' | 'retired' };
type Doctor = {
  id: string; username: string; displayName: string; active: boolean;
  institutions: { id: string; name: string }[];
  qualification: Qualification | null; trainingExpired: boolean; version: string | null;
};

const LIST = ['admin-doctors'];

export function DoctorsAdmin() {
  const { t, pick, lang } = useI18n();
  const names = useCategoryNames();
  const list = useQuery({ queryKey: LIST, queryFn: () => api<Doctor[]>('/api/admin/doctors') });
  const [editing, setEditing] = useState<Doctor | null>(null);
  const q = (d: Doctor) => d.qualification;

  return (
    <>
      <Table<Doctor> rowKey="id" loading={list.isLoading} dataSource={list.data ?? []} scroll={{ x: TABLE_WIDTH }} caption={t('admin.doctorsCaption')}
        columns={[
          { title: t('admin.doctorName'), render: (_, d) => `${d.displayName}（${d.username}）${d.active ? '' : t('admin.accountInactive')}` },
          { title: t('admin.doctorInstitution'), render: (_, d) => d.institutions.map((i) => i.name).join('；') },
          {
            title: t('admin.doctorStatus'),
            render: (_, d) => {
              const s = q(d)?.status;
              return s === 'active' ? <StatusTag tone="ok">{t('admin.doctorActive')}</StatusTag> : <StatusTag tone="bad">{t(s === 'retired' ? 'admin.doctorRetired' : 'admin.noQualification')}</StatusTag>;
            },
          },
          { title: t('admin.doctorTitle'), render: (_, d) => q(d)?.title ?? '—' },
          {
            title: t('admin.trainingCert'),
            render: (_, d) => {
              const c = q(d);
              if (!c) return '—';
              return (
                <>
                  <div>{c.trainingCertNo}</div>
                  <div>{t('admin.trainingPeriod', { date: formatDate(c.trainingDate, lang), until: formatDate(c.trainingExpires, lang) })}</div>
                  {d.trainingExpired && <StatusTag tone="bad">{t('admin.trainingExpired')}</StatusTag>}
                </>
              );
            },
          },
          { title: t('admin.qualifiedCategories'), width: CATEGORY_COLUMN, render: (_, d) => (q(d) ? names(q(d)!.categories) : '—') },
          { title: t('admin.actions'), render: (_, d) => <Button size="small" aria-label={`${t('admin.qualify')}：${d.displayName}`} onClick={() => setEditing(d)}>{t('admin.qualify')}</Button> },
        ]} />
      {editing && (
        <EditDialog<Qualification>
          title={t('admin.qualifyTitle', { name: editing.displayName })}
          listKey={LIST}
          onClose={() => setEditing(null)}
          initialValues={editing.qualification ?? { categories: [], status: 'active' }}
          save={(v) => api(`/api/admin/doctors/${editing.id}/qualification`, { method: 'PUT', body: { ...v, expectedVersion: editing.version } })}>
          {(saveError) => {
            const err = (field: string) => fieldError(saveError, field, pick);
            const item = (name: keyof Qualification, label: string, input: ReactNode) => (
              <Form.Item name={name} label={label} rules={[{ required: true, message: t('check.required', { field: label }) }]} validateStatus={err(name) ? 'error' : undefined} help={err(name)}>
                {input}
              </Form.Item>
            );
            return (
              <>
                <div className="grid2">
                  {item('title', t('admin.doctorTitle'), <Input />)}
                  {item('trainingCertNo', t('admin.trainingCertNo'), <Input />)}
                  {item('trainingDate', t('admin.trainingDate'), <DateField />)}
                  {item('trainingExpires', t('admin.trainingExpires'), <DateField />)}
                </div>
                <CategoryChecks legend={t('admin.qualifiedCategories')} />
                <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                  <legend style={LEGEND}>{t('admin.doctorStatus')}</legend>
                  <Form.Item name="status">
                    <Radio.Group options={[{ value: 'active', label: t('admin.doctorActive') }, { value: 'retired', label: t('admin.doctorRetired') }]} />
                  </Form.Item>
                </fieldset>
              </>
            );
          }}
        </EditDialog>
      )}
    </>
  );
}
