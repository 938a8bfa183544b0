/**
 * The form for one workflow action, built from a small table of fields per action. It sends the
 * case version it was opened with (a stale one gets 409) and one idempotency key per opening, so a
 * double click or a retry acts once.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, Radio, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, newIdempotencyKey } from '../api';
import type { MessageKey } from '../i18n/zh';
import { useI18n } from '../i18n';
import { DateField } from './DateField';
import { DivisionPicker } from './DivisionPicker';
import { categoryShort } from './disabilityText';
import { MeasurementFields, measurementsOf } from './MeasurementFields';
import { ErrorBox, fieldError } from './ErrorBox';

/** `labelKey` names the field where the same input name means something else in another action. */
type Field = { labelKey?: MessageKey } & (
  | { name: string; kind: 'text' | 'textarea' | 'date'; required?: boolean }
  | { name: string; kind: 'radio' | 'select'; options: string[]; required?: boolean }
  | { name: string; kind: 'checkbox' | 'institution' | 'division' | 'disabilities' | 'missing'; required?: boolean }
);

const FIELDS: Record<string, Field[]> = {
  request_materials: [{ name: 'note', kind: 'textarea' }],
  supplement_materials: [{ name: 'provided', kind: 'missing', required: true }],
  return_application: [{ name: 'reason', kind: 'textarea', required: true }],
  accept: [{ name: 'institutionId', kind: 'institution', required: true }, { name: 'note', kind: 'textarea' }],
  request_reassessment: [{ name: 'institutionId', kind: 'institution', required: true }, { name: 'reason', kind: 'textarea', required: true }],
  record_assessment: [{ name: 'qualified', kind: 'radio', options: ['yes', 'no'], required: true }, { name: 'disabilities', kind: 'disabilities' }, { name: 'notQualifiedReason', kind: 'textarea' }, { name: 'justification', kind: 'textarea' }, { name: 'assessedOn', kind: 'date', required: true }],
  notify_not_qualified: [{ name: 'reason', kind: 'textarea', required: true }, { name: 'channel', kind: 'select', options: ['screen', 'sms', 'letter', 'phone'], required: true }],
  start_publicity: [{ name: 'place', kind: 'text', required: true }],
  record_objection: [{ name: 'summary', kind: 'textarea', required: true }],
  resolve_objection: [{ name: 'outcome', kind: 'radio', options: ['dismissed', 'reassess'], required: true }, { name: 'finding', kind: 'textarea', required: true }],
  return_not_ours: [{ name: 'reason', kind: 'textarea', required: true }],
  reroute: [{ name: 'hukouCode', kind: 'division', required: true }, { name: 'note', kind: 'textarea' }],
  approve: [{ name: 'photoOnFile', kind: 'checkbox' }, { name: 'note', kind: 'textarea' }],
  reject: [{ name: 'reason', kind: 'textarea', required: true }],
  receive_photo: [{ name: 'source', kind: 'radio', options: ['mailed', 'data_sharing'], required: true }],
  ship: [{ name: 'method', kind: 'radio', options: ['courier', 'hand'], required: true }, { name: 'courier', kind: 'text' }, { name: 'trackingNo', kind: 'text' }, { name: 'deliverer', kind: 'text' }],
  mark_delivered: [{ name: 'receivedBy', kind: 'text' }, { name: 'deliveredOn', kind: 'date' }],
  approve_home_village: [{ name: 'opinion', kind: 'textarea' }],
  approve_home_township: [{ name: 'opinion', kind: 'textarea' }],
  approve_home_county: [{ name: 'opinion', kind: 'textarea' }],
  refuse_home: [{ name: 'reason', kind: 'textarea', required: true }, { name: 'toldVia', kind: 'select', options: ['phone', 'letter', 'visit', 'sms'], required: true }],
  record_visit_outcome: [{ name: 'outcome', kind: 'radio', options: ['not_home', 'refused', 'moved'], required: true, labelKey: 'field.visitOutcome' }, { name: 'note', kind: 'textarea' }],
  record_attendance: [{ name: 'attendedOn', kind: 'date' }],
  abandon_no_attendance: [{ name: 'channel', kind: 'select', options: ['screen', 'sms', 'letter', 'phone'], required: true }],
  // the matters on an existing certificate (RENEW, TRANSFER, REISSUE, CANCEL, CHANGE)
  forward_renewal: [{ name: 'note', kind: 'textarea' }],
  forward_reissue: [{ name: 'note', kind: 'textarea' }],
  forward_cancellation: [{ name: 'note', kind: 'textarea' }],
  cancel_certificate: [{ name: 'note', kind: 'textarea' }],
  approve_cancellation: [{ name: 'note', kind: 'textarea' }],
  approve_transfer: [{ name: 'note', kind: 'textarea' }],
  send_archive: [{ name: 'paperKeptAt', kind: 'text' }],
};

/** Actions taken from another screen: the case page points there instead of showing a form. */
const ELSEWHERE: Record<string, { to: string; text: MessageKey; link: MessageKey }> = {
  schedule_visit: { to: '/visits', text: 'case.scheduleVisitHere', link: 'nav.visits' },
};

const CATEGORY_CODES = [1, 2, 3, 4, 5, 6];

export function ActionForm({ caseView, action, onDone, onCancel }: { caseView: any; action: { code: string; zh: string; en: string; defaults?: Record<string, unknown> }; onDone: (result: any) => void; onCancel: () => void }) {
  const { t, pick, lang } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useMemo(newIdempotencyKey, [action.code, caseView.version]);
  const fields = FIELDS[action.code] ?? [];
  const method = Form.useWatch('method', form);
  const qualified = Form.useWatch('qualified', form);
  const institutions = useQuery({ queryKey: ['institutions', caseView.categories.join(',')], queryFn: () => api<any[]>(`/api/org-units?kind=institution&categories=${caseView.categories.join(',')}`), enabled: fields.some((f) => f.kind === 'institution') });
  const label = (name: string) => t(`field.${name}` as MessageKey);
  const fieldLabel = (f: Field) => (f.labelKey ? t(f.labelKey) : label(f.name));

  const submit = async (values: any) => {
    setBusy(true);
    setError(null);
    const input: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && f.kind !== 'disabilities')) continue;
      input[f.name] = f.kind === 'radio' && f.name === 'qualified' ? v === 'yes' : v;
    }
    if (action.code === 'approve') input.photoOnFile = Boolean(values.photoOnFile);
    if (action.code === 'record_assessment') {
      const rows = values.disabilities ?? [];
      const measurements = measurementsOf(rows);
      if (measurements.length) input.measurements = measurements;
      input.disabilities = input.qualified === false ? undefined : rows.map((r: any) => ({ category: r.category, level: r.level }));
    }
    try {
      const result = await api(`/api/cases/${caseView.id}/actions/${action.code}`, { body: { expectedVersion: caseView.version, input }, headers: { 'idempotency-key': key } });
      onDone(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const hidden = (name: string) =>
    (action.code === 'ship' && ((method !== 'courier' && ['courier', 'trackingNo'].includes(name)) || (method !== 'hand' && name === 'deliverer'))) ||
    (action.code === 'record_assessment' && ((qualified !== 'yes' && name === 'disabilities') || (qualified !== 'no' && name === 'notQualifiedReason')));

  const control = (f: Field) => {
    switch (f.kind) {
      case 'text':
        return <Input />;
      case 'textarea':
        return <Input.TextArea rows={3} />;
      case 'date':
        // antd's picker in the interface language, not the browser's native "mm/dd/yyyy" (issue 15 item 12)
        return <DateField />;
      case 'checkbox':
        return <Checkbox>{label(f.name)}</Checkbox>;
      case 'radio':
        return <Radio.Group options={f.options.map((o) => ({ value: o, label: o === 'yes' ? t('field.qualifiedYes') : o === 'no' ? t('field.qualifiedNo') : label(`${f.name}.${o}`) }))} />;
      case 'select':
        return <Select options={f.options.map((o) => ({ value: o, label: label(`${f.name}.${o}`) }))} />;
      case 'institution':
        return <Select loading={institutions.isLoading} options={(institutions.data ?? []).map((i) => ({ value: i.id, label: i.name }))} />;
      case 'division':
        return <DivisionPicker label={label(f.name)} />;
      case 'missing':
        return <Checkbox.Group options={caseView.materials.missing.map((m: any) => ({ value: m.code, label: pick(m) }))} />;
      case 'disabilities':
        return null;
    }
  };

  const elsewhere = ELSEWHERE[action.code];
  return (
    <div role="region" aria-label={pick(action)} style={{ border: '1px solid #d9d9d9', borderRadius: 8, padding: 16, background: '#fff', marginTop: 12 }}>
      <h3 style={{ marginTop: 0 }}>{pick(action)}</h3>
      {elsewhere ? (
        <p>{t(elsewhere.text)} <Link to={elsewhere.to}>{t(elsewhere.link)}</Link> <Button onClick={onCancel}>{t('common.cancel')}</Button></p>
      ) : (<>
      {error instanceof ApiError && error.code === 'case.stale_version' ? <ErrorBox error={new ApiError(409, 'stale', { zh: t('case.stale'), en: t('case.stale') })} /> : <ErrorBox error={error} />}
      {/* the starting values come from the action's definition (today's China date, the categories applied for, the photos taken in) */}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ disabilities: [{}], method: 'courier', ...action.defaults }}>
        {fields.filter((f) => !hidden(f.name)).map((f) =>
          f.kind === 'disabilities' ? (
            <Form.List key={f.name} name="disabilities">
              {(items, { add, remove }) => (
                <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
                  <legend style={{ fontSize: 16, marginBottom: 8 }}>{label('disabilities')}</legend>
                  {items.map((item, i) => (
                    <Space key={item.key} wrap align="start">
                      <Form.Item name={[item.name, 'category']} label={`${label('category')} ${i + 1}`} rules={[{ required: true, message: label('category') }]}>
                        <Select style={{ width: 180 }} options={CATEGORY_CODES.map((c) => ({ value: c, label: categoryShort(c, lang) }))} />
                      </Form.Item>
                      <Form.Item name={[item.name, 'level']} label={`${label('level')} ${i + 1}`} rules={[{ required: true, message: label('level') }]}>
                        <Select style={{ width: 140 }} options={[1, 2, 3, 4].map((l) => ({ value: l, label: lang === 'zh' ? `${['一', '二', '三', '四'][l - 1]}级` : `Level ${l}` }))} />
                      </Form.Item>
                      {items.length > 1 && <Button onClick={() => remove(item.name)} style={{ marginTop: 30 }}>{label('remove')}</Button>}
                      <Form.Item noStyle shouldUpdate>
                        {() => <MeasurementFields row={item.name} index={i} category={form.getFieldValue(['disabilities', item.name, 'category'])} />}
                      </Form.Item>
                    </Space>
                  ))}
                  <div><Button onClick={() => add({})}>{label('addDisability')}</Button></div>
                </fieldset>
              )}
            </Form.List>
          ) : f.kind === 'missing' ? (
            // a group of checkboxes is named by a legend; at least one must be ticked
            <fieldset key={f.name} style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 16, marginBottom: 8 }}>{label(f.name)}</legend>
              <Form.Item name={f.name} rules={[{ validator: (_, v) => (v?.length ? Promise.resolve() : Promise.reject(new Error(label(f.name)))) }]}>
                {control(f)}
              </Form.Item>
            </fieldset>
          ) : (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.kind === 'checkbox' ? undefined : fieldLabel(f)}
              valuePropName={f.kind === 'checkbox' ? 'checked' : 'value'}
              rules={f.required ? [{ required: true, message: fieldLabel(f) }] : []}
              validateStatus={fieldError(error, f.name, pick) ? 'error' : undefined}
              help={fieldError(error, f.name, pick)}
            >
              {control(f)}
            </Form.Item>
          ),
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>{fields.length ? t('common.submit') : t('field.confirm', { action: pick(action) })}</Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        </Space>
      </Form>
      </>)}
    </div>
  );
}
