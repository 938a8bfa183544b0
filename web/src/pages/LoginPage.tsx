/** Staff login: the password, then — for staff with an authenticator app (SEC-3) — the code, on a second step. */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useI18n } from '../i18n';

type LoginAnswer = { user?: unknown; totpRequired?: boolean; challenge?: string; enrolmentRequired?: boolean };

export function LoginPage() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<string | null>(null);
  const codeHeading = useRef<HTMLHeadingElement>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  // the second step takes the focus to its heading, so a screen reader hears what is asked now
  useEffect(() => {
    if (challenge) codeHeading.current?.focus();
  }, [challenge]);
  const finish = async (a: LoginAnswer) => {
    await qc.invalidateQueries({ queryKey: ['me'] });
    navigate(a.enrolmentRequired ? '/account' : ((location.state as any)?.from ?? '/'), { replace: true });
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submitPassword = (v: { username: string; password: string }) =>
    run(async () => {
      const a = await api<LoginAnswer>('/api/auth/login', { body: v });
      if (a.totpRequired && a.challenge) setChallenge(a.challenge);
      else await finish(a);
    });
  const submitCode = (v: { code: string }) =>
    run(async () => {
      await finish(await api<LoginAnswer>('/api/auth/login/totp', { body: { challenge, code: v.code.trim() } }));
    });
  return (
    <Card style={{ maxWidth: 440, margin: '48px auto' }}>
      <h1 className="page-title">{t('login.title')}</h1>
      <ErrorBox error={error} />
      {!challenge ? (
        <Form layout="vertical" onFinish={submitPassword} requiredMark={false}>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('login.submit')}</Button>
        </Form>
      ) : (
        <Form layout="vertical" onFinish={submitCode} requiredMark={false}>
          <h2 ref={codeHeading} tabIndex={-1} style={{ fontSize: 18 }}>{t('login.totpTitle')}</h2>
          <p className="muted">{t('login.totpHint')}</p>
          <Form.Item label={t('login.totpCode')} name="code" rules={[{ required: true, message: t('login.required') }]}>
            <Input autoComplete="one-time-code" inputMode="numeric" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('login.totpSubmit')}</Button>
          <Button type="link" onClick={() => { setChallenge(null); setError(null); }} style={{ marginTop: 8, paddingInline: 0 }}>{t('login.totpBack')}</Button>
        </Form>
      )}
      <p style={{ marginTop: 24 }}><Link to="/portal/login">{t('login.applicant')}</Link></p>
    </Card>
  );
}
