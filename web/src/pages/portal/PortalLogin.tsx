/** Applicants and families: register or log in with a mobile number. */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Tabs } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api';
import { ErrorBox, fieldError } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';

export function PortalLogin() {
  const { t, pick } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
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
  const phone = (
    <Form.Item name="phone" label={t('portal.phone')} rules={[{ required: true, message: t('portal.phone') }]} validateStatus={fieldError(error, 'phone', pick) ? 'error' : undefined} help={fieldError(error, 'phone', pick)}>
      <Input inputMode="tel" autoComplete="tel" />
    </Form.Item>
  );
  return (
    <Card style={{ maxWidth: 480, margin: '32px auto' }}>
      <h1 className="page-title">{t('portal.title')}</h1>
      <ErrorBox error={error} />
      <Tabs onChange={() => setError(null)} items={[
        { key: 'login', label: t('portal.login'), children: (
          <Form name="login" layout="vertical" onFinish={go('/api/applicant/login')}>
            {phone}
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.password') }]}><Input.Password autoComplete="current-password" /></Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('portal.login')}</Button>
          </Form>
        ) },
        { key: 'register', label: t('portal.register'), children: (
          <Form name="register" layout="vertical" onFinish={go('/api/applicant/register')}>
            <Form.Item name="name" label={t('portal.name')} rules={[{ required: true, message: t('portal.name') }]}><Input autoComplete="name" /></Form.Item>
            {phone}
            <Form.Item name="password" label={t('portal.password')} rules={[{ required: true, message: t('portal.password') }]} validateStatus={fieldError(error, 'password', pick) ? 'error' : undefined} help={fieldError(error, 'password', pick)}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('portal.register')}</Button>
          </Form>
        ) },
      ]} />
      <p style={{ marginTop: 24 }}><Link to="/login">{t('portal.staff')}</Link></p>
    </Card>
  );
}
