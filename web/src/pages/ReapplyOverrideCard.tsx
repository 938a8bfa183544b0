/**
 * NEW-1 on the person file: the re-application override in force (for everyone who sees the file,
 * so a clerk knows why a new application is accepted), and for supervisors the form that grants one.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { formatDate, formatDateTime, useI18n } from '../i18n';
import { hasRole, useMe } from '../session';

type Override = { validUntil: string; grantedAt: string; grantedBy: string } | null;

export function ReapplyOverrideCard({ personId, current }: { personId: string; current: Override }) {
  const { t, pick, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const supervisor = hasRole(me.data, 'supervisor');
  if (!supervisor && !current) return null;

  const grant = async (v: { reason: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { validUntil } = await api<{ validUntil: string }>(`/api/persons/${personId}/reapply-override`, { body: v });
      message.success(t('person.overrideDone', { until: formatDate(validUntil, lang) }));
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['person', personId] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('person.override')}</h2>} style={{ marginBottom: 16 }}>
      {current && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }}
          title={t('person.overrideActive', { until: formatDate(current.validUntil, lang), who: current.grantedBy, at: formatDateTime(current.grantedAt, lang) })} />
      )}
      {supervisor && (
        <>
          <p className="muted">{t('person.overrideHint')}</p>
          <ErrorBox error={error} />
          <Form form={form} layout="vertical" onFinish={grant}>
            <Form.Item name="reason" label={t('person.overrideReason')} rules={[{ required: true, min: 4, message: t('check.required', { field: t('person.overrideReason') }) }]}
              validateStatus={fieldError(error, 'reason', pick) ? 'error' : undefined} help={fieldError(error, 'reason', pick)}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>{t('person.overrideSubmit')}</Button>
          </Form>
        </>
      )}
    </Card>
  );
}
