/**
 * Applicants and families: log in with a mobile number, register, or reset a forgotten password.
 * Registering and resetting are confirmed by a code texted to the phone (SEC-3): the server answers
 * a code request the same way for every number, so this page only says "a message was sent".
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Tabs, type FormInstance } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Bilingual } from '../../api';
import { ErrorBox, fieldError } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';

/** The server lets a number have a few messages before it waits; the button waits this long between them. */
const RESEND_SECONDS = 60;

type Pick = (b: Bilingual | undefined | null) => string;
/**
 * The server's message for a field, shown under it and tied to its input (`id` = the input's id) so
 * a screen reader reads it with the field and knows the field is wrong.
 */
const fieldStatus = (error: unknown, field: string, pick: Pick, id: string) => {
  const message = fieldError(error, field, pick);
  return {
    item: { validateStatus: message ? ('error' as const) : undefined, help: message ? <span id={`${id}-help`}>{message}</span> : undefined },
    input: { 'aria-invalid': message ? true : undefined, 'aria-describedby': message ? `${id}-help` : undefined },
  };
};

/** Seconds left before another code may be asked for; 0 when it may. */
function useCountdown() {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, () => setLeft(RESEND_SECONDS)] as const;
}

/**
 * The phone number with its 获取验证码 button, the "message sent" notice, and the code field; shared
 * by registration and password reset, which differ only in the endpoint that texts the code.
 */
function PhoneAndCode({ form, formName, codeUrl, error, setError }: { form: FormInstance; formName: string; codeUrl: string; error: unknown; setError: (e: unknown) => void }) {
  const { t, pick } = useI18n();
  const [left, startCountdown] = useCountdown();
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Bilingual | null>(null);
  const phoneId = `${formName}_phone`;
  const sendCode = async () => {
    try {
      await form.validateFields(['phone']);
    } catch {
      return; // the field shows why
    }
    setSending(true);
    setError(null);
    try {
      const answer = await api<{ message: Bilingual }>(codeUrl, { body: { phone: form.getFieldValue('phone') } });
      setSent(answer.message);
      startCountdown();
      form.getFieldInstance('code')?.focus();
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };
  const phone = fieldStatus(error, 'phone', pick, phoneId);
  const code = fieldStatus(error, 'code', pick, `${formName}_code`);
  return (
    <>
      <Form.Item label={t('portal.phone')} htmlFor={phoneId} required {...phone.item}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="phone" noStyle rules={[{ required: true, pattern: /^\s*1\d{10}\s*$/, message: t('portal.phoneNeeded') }]}>
            <Input id={phoneId} inputMode="tel" autoComplete="tel" {...phone.input} />
          </Form.Item>
          <Button onClick={sendCode} loading={sending} disabled={left > 0}>
            {left > 0 ? t('portal.resendIn', { n: left }) : t('portal.getCode')}
          </Button>
        </Space.Compact>
      </Form.Item>
      {/* role=status: screen readers announce that the message went out, without taking the focus */}
      <div role="status">{sent && <Alert type="info" showIcon title={pick(sent)} style={{ marginBottom: 16 }} />}</div>
      <Form.Item name="code" label={t('portal.code')} extra={t('portal.codeHelp')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('portal.codeNeeded') }]} {...code.item}>
        <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...code.input} />
      </Form.Item>
    </>
  );
}

export function PortalLogin() {
  const { t, pick } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState('login');
  const [resetting, setResetting] = useState(false);
  const resetHeading = useRef<HTMLHeadingElement>(null);
  const [registerForm] = Form.useForm();
  const [resetForm] = Form.useForm();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const go = (path: string) => async (v: any) => {
    setBusy(true);
    setError(null);
    try {
      await api(path, { body: v });
      await qc.invalidateQueries({ queryKey: ['me'] });
      navigate('/portal', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // the reset view replaces the tabs: move the focus to its heading so a screen reader starts there
  useEffect(() => {
    if (resetting) resetHeading.current?.focus();
  }, [resetting]);
  const showReset = (on: boolean) => {
    setError(null);
    setResetting(on);
  };
  const password = (formName: string, label: 'portal.password' | 'portal.newPassword') => {
    const s = fieldStatus(error, 'password', pick, `${formName}_password`);
    return (
      <Form.Item name="password" label={t(label)} rules={[{ required: true, message: t(label) }]} {...s.item}>
        <Input.Password autoComplete="new-password" {...s.input} />
      </Form.Item>
    );
  };
  const loginPhone = fieldStatus(error, 'phone', pick, 'login_phone');
  return (
    <Card style={{ maxWidth: 480, margin: '32px auto' }}>
      <h1 className="page-title">{t('portal.title')}</h1>
      <ErrorBox error={error} />
      {resetting ? (
        <section aria-labelledby="portal-reset-title">
          <h2 id="portal-reset-title" ref={resetHeading} tabIndex={-1} style={{ fontSize: 18 }}>{t('portal.resetTitle')}</h2>
          <p>{t('portal.resetIntro')}</p>
          <Form form={resetForm} name="reset" layout="vertical" onFinish={go('/api/applicant/password-reset')}>
            <PhoneAndCode form={resetForm} formName="reset" codeUrl="/api/applicant/password-reset/code" error={error} setError={setError} />
            {password('reset', 'portal.newPassword')}
            <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('portal.resetSubmit')}</Button>
          </Form>
          <Button type="link" onClick={() => showReset(false)} style={{ paddingInline: 0, marginTop: 16 }}>{t('portal.backToLogin')}</Button>
        </section>
      ) : (
        <Tabs activeKey={tab} onChange={(k) => { setTab(k); setError(null); }} items={[
          { key: 'login', label: t('portal.login'), children: (
            <Form name="login" layout="vertical" onFinish={go('/api/applicant/login')}>
              <Form.Item name="phone" label={t('portal.phone')} rules={[{ required: true, message: t('portal.phone') }]} {...loginPhone.item}>
                <Input inputMode="tel" autoComplete="tel" {...loginPhone.input} />
              </Form.Item>
              <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.password') }]}><Input.Password autoComplete="current-password" /></Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('portal.login')}</Button>
              <Button type="link" onClick={() => showReset(true)} style={{ paddingInline: 0, marginTop: 8 }}>{t('portal.forgot')}</Button>
            </Form>
          ) },
          { key: 'register', label: t('portal.register'), children: (
            <Form form={registerForm} name="register" layout="vertical" onFinish={go('/api/applicant/register')}>
              <PhoneAndCode form={registerForm} formName="register" codeUrl="/api/applicant/register/code" error={error} setError={setError} />
              <Form.Item name="name" label={t('portal.name')} rules={[{ required: true, message: t('portal.name') }]}><Input autoComplete="name" /></Form.Item>
              {password('register', 'portal.password')}
              <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('portal.register')}</Button>
            </Form>
          ) },
        ]} />
      )}
      <p style={{ marginTop: 24 }}><Link to="/login">{t('portal.staff')}</Link></p>
    </Card>
  );
}
