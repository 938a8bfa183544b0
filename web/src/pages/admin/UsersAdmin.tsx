import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';
import { useMe } from '../../session';

const ROLES = ['clerk', 'reviewer', 'approver', 'doctor', 'institution_staff', 'township_worker', 'village_worker', 'supervisor', 'auditor', 'admin'];
const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  clerk: { zh: '办证员', en: 'Clerk' }, reviewer: { zh: '初审员', en: 'Reviewer' }, approver: { zh: '审批人', en: 'Approver' }, doctor: { zh: '评定医生', en: 'Doctor' },
  institution_staff: { zh: '评定机构工作人员', en: 'Institution staff' }, township_worker: { zh: '乡镇（街道）专职委员', en: 'Township worker' },
  village_worker: { zh: '村（社区）专职委员', en: 'Village worker' }, supervisor: { zh: '督导', en: 'Supervisor' }, auditor: { zh: '审计员', en: 'Auditor' }, admin: { zh: '系统管理员', en: 'Administrator' },
};

export function UsersAdmin() {
  const { t, pick } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const me = useMe();
  const users = useQuery({ queryKey: ['admin-users'], queryFn: () => api<any[]>('/api/admin/users') });
  const orgs = useQuery({ queryKey: ['org-units-all'], queryFn: () => api<any[]>('/api/org-units') });
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ kind: 'deactivate' | 'reset'; user: any } | null>(null);
  const [form] = Form.useForm();
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await fn();
      message.success(done);
      setDialog(null);
      qc.invalidateQueries({ queryKey: ['admin-users'] });
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return (
    <>
      <ErrorBox error={error} />
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('admin.newUser')}</h2>} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" onFinish={async (v) => { if (await run(() => api('/api/admin/users', { body: { username: v.username, displayName: v.displayName, password: v.password, grants: [{ role: v.role, orgUnitId: v.orgUnitId }] } }), t('admin.created'))) form.resetFields(); }}>
          <div className="grid2">
            <Form.Item name="username" label={t('admin.username')} rules={[{ required: true, message: t('admin.username') }]}><Input autoComplete="off" /></Form.Item>
            <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true, message: t('admin.displayName') }]}><Input /></Form.Item>
            <Form.Item name="password" label={t('portal.password')} rules={[{ required: true, message: t('portal.password') }]}><Input.Password autoComplete="new-password" /></Form.Item>
            <Form.Item name="role" label={t('admin.role')} rules={[{ required: true, message: t('admin.role') }]}><Select options={ROLES.map((r) => ({ value: r, label: pick(ROLE_NAMES[r]) }))} /></Form.Item>
            <Form.Item name="orgUnitId" label={t('admin.org')} rules={[{ required: true, message: t('admin.org') }]}><Select showSearch={{ optionFilterProp: 'label' }} options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} /></Form.Item>
          </div>
          <Button type="primary" htmlType="submit">{t('common.save')}</Button>
        </Form>
      </Card>
      <Table rowKey="id" loading={users.isLoading} dataSource={users.data ?? []} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.role'), dataIndex: 'grants', render: (gs: any[]) => gs.map((g) => `${pick(ROLE_NAMES[g.role])} · ${g.orgName}`).join('；') },
          { title: t('admin.active'), dataIndex: 'active', render: (a: boolean) => <Tag style={a ? { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' } : { color: '#434343' }}>{a ? t('admin.activeYes') : t('admin.activeNo')}</Tag> },
          { title: t('admin.actions'), render: (_: unknown, u: any) => u.active && (me.data?.kind !== 'staff' || u.id !== me.data.id) && (
            <Space>
              <Button size="small" onClick={() => setDialog({ kind: 'deactivate', user: u })} aria-label={`${t('admin.deactivate')} ${u.username}`}>{t('admin.deactivate')}</Button>
              <Button size="small" onClick={() => setDialog({ kind: 'reset', user: u })} aria-label={`${t('admin.resetPassword')} ${u.username}`}>{t('admin.resetPassword')}</Button>
            </Space>
          ) },
        ]} />
      <Modal open={Boolean(dialog)} title={dialog ? `${dialog.kind === 'deactivate' ? t('admin.deactivate') : t('admin.resetPassword')}：${dialog.user.username}` : ''} onCancel={() => setDialog(null)} footer={null} destroyOnHidden>
        {dialog && (
          <Form layout="vertical" onFinish={(v) => run(() => api(`/api/admin/users/${dialog.user.id}/${dialog.kind === 'deactivate' ? 'deactivate' : 'reset-password'}`, { body: v }), t('admin.done'))}>
            {dialog.kind === 'deactivate'
              ? <Form.Item name="reason" label={t('admin.deactivateReason')} rules={[{ required: true, message: t('admin.deactivateReason') }]}><Input /></Form.Item>
              : <Form.Item name="password" label={t('admin.newPassword')} rules={[{ required: true, message: t('admin.newPassword') }]}><Input.Password autoComplete="new-password" /></Form.Item>}
            <Button type="primary" htmlType="submit" danger={dialog.kind === 'deactivate'}>{t('common.submit')}</Button>
          </Form>
        )}
      </Modal>
    </>
  );
}
