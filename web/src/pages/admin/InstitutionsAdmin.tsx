/** ASMT-1: the assessment institutions of the admin's area — create one in a county, designate its categories and validity. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { DivisionPicker } from '../../components/DivisionPicker';
import { ErrorBox, fieldError } from '../../components/ErrorBox';
import { formatDate, useI18n } from '../../i18n';
import { CATEGORY_COLUMN, CategoryChecks, EditDialog, StatusTag, TABLE_WIDTH, todayInChina, useCategoryNames } from './AssessmentFields';
import { DateField } from '../../components/DateField';

type Validity = 'valid' | 'expired' | 'not_yet';
type Contact = { address: string; phone: string; hours: string };
type Institution = {
  id: string; name: string; place: string; contact?: Contact | null;
  designation: { categories: number[]; validFrom: string; validUntil: string; validity: Validity } | null;
  validToday: boolean; version: string | null;
};
type DesignationForm = { categories: number[]; validFrom: string; validUntil: string };

const LIST = ['admin-institutions'];
const TONE = { valid: 'ok', not_yet: 'warn', expired: 'bad', none: 'bad' } as const;

export function InstitutionsAdmin() {
  const { t, pick, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const names = useCategoryNames();
  const list = useQuery({ queryKey: LIST, queryFn: () => api<Institution[]>('/api/admin/institutions') });
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Institution | null>(null);
  const [contactOf, setContactOf] = useState<Institution | null>(null);

  const create = async (v: { name: string; divisionCode: string }) => {
    setError(null);
    try {
      const { id } = await api<{ id: string }>('/api/admin/org-units', { body: { kind: 'institution', name: v.name, divisionCode: v.divisionCode } });
      message.success(t('admin.institutionCreated'));
      form.resetFields();
      qc.invalidateQueries({ queryKey: LIST });
      qc.invalidateQueries({ queryKey: ['org-units-all'] });
      // an institution assesses nothing until it is designated, so that comes next
      setEditing({ id, name: v.name, place: '', designation: null, validToday: false, version: null });
    } catch (e) {
      setError(e);
    }
  };

  const state = (i: Institution) => i.designation?.validity ?? 'none';
  return (
    <>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('admin.newInstitution')}</h2>} style={{ marginBottom: 16 }}>
        <ErrorBox error={error} />
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="name" label={t('admin.institutionName')} rules={[{ required: true, whitespace: true }, { min: 2 }]} /* messages from the catalogues (main.tsx validateMessages) */
            validateStatus={fieldError(error, 'name', pick) ? 'error' : undefined} help={fieldError(error, 'name', pick)}>
            <Input style={{ maxWidth: 420 }} />
          </Form.Item>
          <Form.Item name="divisionCode" label={t('admin.institutionCounty')} rules={[{ required: true, message: t('check.required', { field: t('admin.institutionCounty') }) }]}
            validateStatus={fieldError(error, 'divisionCode', pick) ? 'error' : undefined} help={fieldError(error, 'divisionCode', pick)}>
            <DivisionPicker label={t('admin.institutionCounty')} depth={3} />
          </Form.Item>
          <Button type="primary" htmlType="submit">{t('admin.newInstitution')}</Button>
        </Form>
      </Card>
      <Table<Institution> rowKey="id" loading={list.isLoading} dataSource={list.data ?? []} scroll={{ x: TABLE_WIDTH }} caption={t('admin.institutionsCaption')}
        columns={[
          { title: t('admin.institutionName'), dataIndex: 'name' },
          { title: t('admin.place'), dataIndex: 'place' },
          { title: t('admin.designationState'), render: (_, i) => <StatusTag tone={TONE[state(i)]}>{t(`admin.validity.${state(i)}`)}</StatusTag> },
          { title: t('admin.validity'), render: (_, i) => (i.designation ? `${formatDate(i.designation.validFrom, lang)} – ${formatDate(i.designation.validUntil, lang)}` : '—') },
          { title: t('admin.designatedCategories'), width: CATEGORY_COLUMN, render: (_, i) => (i.designation ? names(i.designation.categories) : '—') },
          // NEW-2: what the applicant is told — address, phone and opening hours
          { title: t('admin.contact'), render: (_, i) => (i.contact ? `${i.contact.address}；${i.contact.phone}；${i.contact.hours}` : t('admin.contactNone')) },
          { title: t('admin.actions'), render: (_, i) => (
            <Space wrap>
              <Button size="small" aria-label={`${t('admin.designate')}：${i.name}`} onClick={() => setEditing(i)}>{t('admin.designate')}</Button>
              <Button size="small" aria-label={`${t('admin.editContact')}：${i.name}`} onClick={() => setContactOf(i)}>{t('admin.editContact')}</Button>
            </Space>
          ) },
        ]} />
      {contactOf && (
        <EditDialog<Contact>
          title={t('admin.contactTitle', { name: contactOf.name })}
          listKey={LIST}
          onClose={() => setContactOf(null)}
          initialValues={contactOf.contact ?? {}}
          save={(v) => api(`/api/admin/institutions/${contactOf.id}/contact`, { method: 'PUT', body: v })}>
          {(saveError) => (
            <>
              {(['address', 'phone', 'hours'] as const).map((f) => (
                <Form.Item key={f} name={f} label={t(`admin.contact.${f}`)} extra={f === 'hours' ? t('admin.contact.hoursHelp') : undefined}
                  rules={[{ required: true, whitespace: true, message: t('check.required', { field: t(`admin.contact.${f}`) }) }]}
                  validateStatus={fieldError(saveError, f, pick) ? 'error' : undefined} help={fieldError(saveError, f, pick)}>
                  <Input autoComplete={f === 'phone' ? 'tel' : f === 'address' ? 'street-address' : 'off'} />
                </Form.Item>
              ))}
            </>
          )}
        </EditDialog>
      )}
      {editing && (
        <EditDialog<DesignationForm>
          title={t('admin.designateTitle', { name: editing.name })}
          listKey={LIST}
          onClose={() => setEditing(null)}
          initialValues={editing.designation ?? { categories: [], validFrom: todayInChina() }}
          save={(v) => api(`/api/admin/institutions/${editing.id}/designation`, { method: 'PUT', body: { ...v, expectedVersion: editing.version } })}>
          {(saveError) => (
            <>
              <CategoryChecks legend={t('admin.designatedCategories')} />
              <div className="grid2">
                <Form.Item name="validFrom" label={t('admin.validFrom')} rules={[{ required: true, message: t('check.required', { field: t('admin.validFrom') }) }]}>
                  <DateField />
                </Form.Item>
                <Form.Item name="validUntil" label={t('admin.validUntil')} rules={[{ required: true, message: t('check.required', { field: t('admin.validUntil') }) }]}
                  validateStatus={fieldError(saveError, 'validUntil', pick) ? 'error' : undefined} help={fieldError(saveError, 'validUntil', pick)}>
                  <DateField />
                </Form.Item>
              </div>
            </>
          )}
        </EditDialog>
      )}
    </>
  );
}
