import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useI18n } from '../i18n';

export function LoginPage() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api('/api/auth/login', { body: v });
      await qc.invalidateQueries({ queryKey: ['me'] });
      navigate((location.state as any)?.from ?? '/', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card style={{ maxWidth: 440, margin: '48px auto' }}>
      <h1 className="page-title">{t('login.title')}</h1>
      <ErrorBox error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required') }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block size="large">{t('login.submit')}</Button>
      </Form>
      <p style={{ marginTop: 24 }}><Link to="/portal/login">{t('login.applicant')}</Link></p>
    </Card>
  );
}
