/** My account: the authenticator app (TOTP, SEC-3) — set it up by QR code, keep the recovery codes (shown once), or turn it off. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useI18n } from '../i18n';

type Me = { kind: 'staff'; username: string; displayName: string; totp: { enabled: boolean; required: boolean }; enrolmentOnly: boolean };
type Enrolment = { secret: string; uri: string; qrSvgDataUrl: string };

export function AccountPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useQuery<Me>({ queryKey: ['me', 'account'], queryFn: () => api('/api/auth/me') });
  const [error, setError] = useState<unknown>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const step = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (enrolment || codes) step.current?.focus();
  }, [enrolment, codes]);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['me'] });
  };
  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
  };
  if (!me.data) return <ErrorBox error={me.error} />;
  const { totp } = me.data;
  return (
    <>
      <h1 className="page-title">{t('account.title')}</h1>
      <p>{me.data.displayName}（{me.data.username}）</p>
      {me.data.enrolmentOnly && <Alert type="warning" showIcon title={t('account.totpRequired')} style={{ marginBottom: 16 }} />}
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('account.totp')}</h2>} style={{ maxWidth: 720 }}>
        <ErrorBox error={error} />
        {codes ? (
          <section aria-labelledby="recovery-title">
            <h3 id="recovery-title" ref={step} tabIndex={-1} style={{ fontSize: 16 }}>{t('account.recoveryTitle')}</h3>
            <p>{t('account.recoveryHint')}</p>
            <ol className="recovery-codes">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ol>
            <Button type="primary" onClick={async () => { setCodes(null); await refresh(); }}>{t('account.recoveryDone')}</Button>
          </section>
        ) : enrolment ? (
          <section aria-labelledby="enrol-title">
            <h3 id="enrol-title" ref={step} tabIndex={-1} style={{ fontSize: 16 }}>{t('account.scan')}</h3>
            <img src={enrolment.qrSvgDataUrl} alt={t('account.qrAlt')} width={220} height={220} />
            <p>{t('account.secret')} <code style={{ wordBreak: 'break-all' }}>{enrolment.secret}</code></p>
            <Form layout="vertical" requiredMark={false} onFinish={(v: { code: string }) => act(async () => {
              const r = await api<{ recoveryCodes: string[] }>('/api/auth/totp/confirm', { body: { code: v.code.trim() } });
              setEnrolment(null);
              setCodes(r.recoveryCodes);
              message.success(t('account.enabled'));
            })}>
              <Form.Item label={t('account.confirmCode')} name="code" rules={[{ required: true, message: t('login.required') }]}>
                <Input autoComplete="one-time-code" inputMode="numeric" style={{ maxWidth: 200 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit">{t('account.confirm')}</Button>
            </Form>
          </section>
        ) : totp.enabled ? (
          <>
            <p>{t('account.totpOn')}</p>
            {!totp.required && (
              <Form layout="vertical" requiredMark={false} onFinish={(v: { password: string; code: string }) => act(async () => {
                await api('/api/auth/totp/disable', { body: v });
                message.success(t('account.disabled'));
                await refresh();
                await me.refetch();
              })}>
                <Space wrap align="end">
                  <Form.Item label={t('account.disablePassword')} name="password" rules={[{ required: true, message: t('login.required') }]}><Input.Password autoComplete="current-password" /></Form.Item>
                  <Form.Item label={t('account.disableCode')} name="code" rules={[{ required: true, message: t('login.required') }]}><Input autoComplete="one-time-code" inputMode="numeric" /></Form.Item>
                  <Form.Item><Button danger htmlType="submit">{t('account.disable')}</Button></Form.Item>
                </Space>
              </Form>
            )}
          </>
        ) : (
          <>
            <p>{totp.required ? t('account.totpRequired') : t('account.totpOff')}</p>
            <Button type="primary" onClick={() => act(async () => setEnrolment(await api<Enrolment>('/api/auth/totp/enrol', { method: 'POST' })))}>{t('account.enrol')}</Button>
          </>
        )}
      </Card>
    </>
  );
}
