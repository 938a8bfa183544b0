/** SEC-5 data-sharing agreements: draft, approve (another supervisor), revoke, issue partner credentials, export under an agreement. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, newIdempotencyKey } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';
import { hasRole, useMe } from '../session';
import { CHANNELS, PARTY_KINDS, SHARED_FIELD_CODES, SHARED_FIELDS } from '../../../src/domain/sharing';
import { DateField } from '../components/DateField';

export function AgreementsPage() {
  const { t, pick, lang } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['agreements'], queryFn: () => api('/api/agreements') });
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const canDraft = hasRole(me.data, 'supervisor', 'admin');
  const act = async (work: () => Promise<unknown>, done = t('agreements.done')) => {
    setError(null);
    try {
      await work();
      message.success(done);
      await qc.invalidateQueries({ queryKey: ['agreements'] });
    } catch (e) {
      setError(e);
    }
  };
  const transition = (a: any, action: 'approve' | 'revoke') => {
    const reason = window.prompt(`${t(action === 'approve' ? 'agreements.approve' : 'agreements.revoke')} — ${t('agreements.reason')}`);
    if (!reason || reason.trim().length < 2) return;
    void act(() => api(`/api/agreements/${a.id}/${action}`, { body: { expectedVersion: a.version, reason: reason.trim() }, headers: { 'idempotency-key': newIdempotencyKey() } }));
  };
  const issue = (a: any) => {
    const name = window.prompt(t('agreements.clientName'));
    if (!name || name.trim().length < 2) return;
    void act(async () => setSecret(await api(`/api/agreements/${a.id}/clients`, { body: { name: name.trim() } })));
  };
  return (
    <>
      <h1 className="page-title">{t('agreements.title')}</h1>
      <p>{t('agreements.intro')}</p>
      <ErrorBox error={error ?? list.error} />
      {secret && (
        <Alert type="warning" showIcon closable onClose={() => setSecret(null)} style={{ marginBottom: 16 }} title={t('agreements.secretOnce')}
          description={<dl><dt>{t('agreements.clientId')}</dt><dd><code>{secret.clientId}</code></dd><dt>{t('agreements.clientSecret')}</dt><dd><code style={{ wordBreak: 'break-all' }}>{secret.clientSecret}</code></dd></dl>} />
      )}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('agreements.none') }}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: 'No.', dataIndex: 'agreementNo' },
          { title: t('agreements.party'), render: (_: unknown, a: any) => <>{a.party}<br /><span className="muted">{pick(a.partyKind)} · {a.federation.name}</span></> },
          { title: t('agreements.purpose'), dataIndex: 'purpose' },
          { title: t('agreements.fields'), render: (_: unknown, a: any) => a.fields.map((f: any) => pick(f)).join('、') },
          { title: t('agreements.channels'), render: (_: unknown, a: any) => a.channels.map((c: any) => pick(c)).join('、') },
          { title: t('agreements.period'), render: (_: unknown, a: any) => `${formatDate(a.validFrom, lang)} – ${formatDate(a.validUntil, lang)}` },
          { title: t('agreements.state'), render: (_: unknown, a: any) => <Tag color={a.state.code === 'approved' ? 'green' : a.state.code === 'draft' ? 'blue' : 'default'}>{pick(a.state)}</Tag> },
          { title: t('agreements.actions'), render: (_: unknown, a: any) => (
            <Space wrap>
              {a.state.code === 'draft' && hasRole(me.data, 'supervisor') && <Button size="small" onClick={() => transition(a, 'approve')}>{t('agreements.approve')}</Button>}
              {(a.state.code === 'draft' || a.state.code === 'approved') && canDraft && <Button size="small" danger onClick={() => transition(a, 'revoke')}>{t('agreements.revoke')}</Button>}
              {a.state.code === 'approved' && canDraft && a.channels.some((c: any) => c.code === 'api') && <Button size="small" onClick={() => issue(a)}>{t('agreements.issue')}</Button>}
              {a.state.code === 'approved' && canDraft && a.channels.some((c: any) => c.code === 'spreadsheet') && <a href={`/api/agreements/${a.id}/export.xlsx`}>{t('agreements.export')}</a>}
            </Space>
          ) },
        ]}
      />
      {canDraft && (
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('agreements.new')}</h2>} style={{ marginTop: 24, maxWidth: 820 }}>
          <Form layout="vertical" requiredMark={false} initialValues={{ partyKind: 'civil_affairs', fields: ['name', 'certificate_state'], channels: ['api'] }}
            onFinish={(v: any) => act(() => api('/api/agreements', { body: v, headers: { 'idempotency-key': newIdempotencyKey() } }), t('agreements.saved'))}>
            <Form.Item label={t('agreements.party')} name="party" rules={[{ required: true, message: t('login.required') }]}><Input /></Form.Item>
            <Form.Item label={t('agreements.partyKind')} name="partyKind"><Select options={Object.entries(PARTY_KINDS).map(([value, l]) => ({ value, label: pick(l) }))} /></Form.Item>
            <Form.Item label={t('agreements.legalBasis')} name="legalBasis" rules={[{ required: true, message: t('login.required') }]}><Input.TextArea rows={2} /></Form.Item>
            <Form.Item label={t('agreements.purpose')} name="purpose" rules={[{ required: true, message: t('login.required') }]}><Input.TextArea rows={2} /></Form.Item>
            <Form.Item label={t('agreements.fields')} name="fields"><Checkbox.Group options={SHARED_FIELD_CODES.map((f) => ({ value: f, label: pick(SHARED_FIELDS[f]) }))} /></Form.Item>
            <Form.Item label={t('agreements.channels')} name="channels"><Checkbox.Group options={Object.entries(CHANNELS).map(([value, l]) => ({ value, label: pick(l) }))} /></Form.Item>
            <Space wrap>
              <Form.Item label={t('agreements.validFrom')} name="validFrom" rules={[{ required: true, message: t('login.required') }]}><DateField /></Form.Item>
              <Form.Item label={t('agreements.validUntil')} name="validUntil" rules={[{ required: true, message: t('login.required') }]}><DateField /></Form.Item>
            </Space>
            <div><Button type="primary" htmlType="submit">{t('agreements.submit')}</Button></div>
          </Form>
        </Card>
      )}
    </>
  );
}
