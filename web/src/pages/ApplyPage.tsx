/**
 * The NEW application form — on-site by a clerk, or online by the applicant or family. The ID number
 * is checked as it is typed with the same domain code the server uses; the guardian section and the
 * residence-permit note appear when the rules need them; the draft survives errors and reloads.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ageOn, parseCitizenId } from '../../../src/domain/citizen-id';
import { needsGuardian, type CategoryCode } from '../../../src/domain/disability';
import { DomainError } from '../../../src/domain/errors';
import { knownMaterialCodes, materialLabel } from '../../../src/domain/materials';
import { api, newIdempotencyKey } from '../api';
import { DivisionPicker } from '../components/DivisionPicker';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { useDraft } from '../components/useDraft';
import { formatDate, useI18n } from '../i18n';

type Draft = {
  idNumber: string; name: string; ethnicity: string; phone: string; address: string;
  hukouCode?: string; residenceCode?: string; sameAsHukou: boolean; categories: number[];
  guardianIdNumber: string; guardianName: string; guardianPhone: string; guardianRelation: string;
  materials: string[]; deliveryMethod: 'courier' | 'hand'; deliveryAddress: string; key: string;
};
const EMPTY: Draft = { idNumber: '', name: '', ethnicity: '', phone: '', address: '', sameAsHukou: false, categories: [], guardianIdNumber: '', guardianName: '', guardianPhone: '', guardianRelation: '', materials: [], deliveryMethod: 'courier', deliveryAddress: '', key: '' };
const CATEGORIES: { code: CategoryCode; zh: string; en: string }[] = [
  { code: 1, zh: '视力残疾', en: 'Vision' }, { code: 2, zh: '听力残疾', en: 'Hearing' }, { code: 3, zh: '言语残疾', en: 'Speech' },
  { code: 4, zh: '肢体残疾', en: 'Physical' }, { code: 5, zh: '智力残疾', en: 'Intellectual' }, { code: 6, zh: '精神残疾', en: 'Mental' },
];

function checkId(value: string) {
  if (!value) return { ok: false as const, message: null };
  try {
    return { ok: true as const, info: parseCitizenId(value) };
  } catch (e) {
    return { ok: false as const, message: e instanceof DomainError ? e.text : null };
  }
}

export function ApplyPage({ mode }: { mode: 'staff' | 'applicant' }) {
  const { t, pick, lang } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const draft = useDraft<Draft>(`apply-${mode}`, { ...EMPTY, key: newIdempotencyKey() });
  const d = draft.value;
  const set = (patch: Partial<Draft>) => draft.setValue({ ...d, ...patch });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useMemo(() => checkId(d.idNumber.trim()), [d.idNumber]);
  const age = id.ok ? ageOn(id.info.birthDate, new Date().toISOString().slice(0, 10)) : 30;
  const guardian = needsGuardian(d.categories as CategoryCode[], age);
  const residence = d.sameAsHukou ? d.hukouCode : d.residenceCode;
  const crossCounty = Boolean(d.hukouCode && residence && d.hukouCode.slice(0, 6) !== residence.slice(0, 6));
  const fe = (field: string) => fieldError(error, field, pick);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        matter: 'new',
        applicant: { idNumber: d.idNumber.trim(), name: d.name.trim(), phone: d.phone.trim(), ...(d.ethnicity ? { ethnicity: d.ethnicity } : {}), ...(d.address ? { address: d.address } : {}) },
        ...(guardian ? { guardian: { idNumber: d.guardianIdNumber.trim(), name: d.guardianName.trim(), phone: d.guardianPhone.trim(), relation: d.guardianRelation.trim() } } : {}),
        residenceCode: residence ?? '',
        hukouCode: d.hukouCode ?? '',
        categories: d.categories,
        materialsProvided: mode === 'staff' ? d.materials : [],
        delivery: { method: d.deliveryMethod, ...(d.deliveryAddress ? { address: d.deliveryAddress } : {}) },
      };
      const res = await api('/api/cases', { body, headers: { 'idempotency-key': d.key } });
      draft.clear();
      qc.invalidateQueries({ queryKey: ['worklist'] });
      navigate(mode === 'staff' ? `/cases/${res.id}` : `/portal/cases/${res.id}`);
    } catch (e) {
      setError(e);
      window.scrollTo({ top: 0 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="page-title">{mode === 'staff' ? t('apply.title') : t('apply.portalTitle')}</h1>
      {draft.wasRestored && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('common.draftRestored')} action={<Button size="small" onClick={draft.clear}>{t('common.clearDraft')}</Button>} />
      )}
      <ErrorBox error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('apply.applicant')}</h2>} style={{ marginBottom: 16 }}>
          <div className="grid2">
            <Form.Item label={t('apply.idNumber')} required htmlFor="idNumber"
              validateStatus={(d.idNumber && !id.ok) || fe('idNumber') ? 'error' : id.ok ? 'success' : undefined}
              help={fe('idNumber') ?? (d.idNumber ? (id.ok ? t('apply.idOk', { birth: formatDate(id.info.birthDate, lang), sex: t(id.info.sex === 'M' ? 'sex.M' : 'sex.F') }) : pick(id.message)) : t('apply.idHelp'))}>
              <Input id="idNumber" value={d.idNumber} maxLength={18} autoComplete="off" inputMode="text" onChange={(e) => set({ idNumber: e.target.value })} />
            </Form.Item>
            <Form.Item label={t('apply.name')} required htmlFor="name" validateStatus={fe('name') ? 'error' : undefined} help={fe('name')}>
              <Input id="name" value={d.name} onChange={(e) => set({ name: e.target.value })} autoComplete="name" />
            </Form.Item>
            <Form.Item label={t('apply.phone')} required htmlFor="phone" validateStatus={fe('phone') ? 'error' : undefined} help={fe('phone')}>
              <Input id="phone" value={d.phone} onChange={(e) => set({ phone: e.target.value })} inputMode="tel" autoComplete="tel" />
            </Form.Item>
            <Form.Item label={t('apply.ethnicity')} htmlFor="ethnicity">
              <Input id="ethnicity" value={d.ethnicity} onChange={(e) => set({ ethnicity: e.target.value })} />
            </Form.Item>
          </div>
          <Form.Item label={t('apply.address')} htmlFor="address">
            <Input id="address" value={d.address} onChange={(e) => set({ address: e.target.value })} autoComplete="street-address" />
          </Form.Item>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 16, marginBottom: 8 }}>{t('apply.categories')} *</legend>
            <Checkbox.Group value={d.categories} onChange={(v) => set({ categories: v as number[] })} options={CATEGORIES.map((c) => ({ value: c.code, label: pick(c) }))} />
            {fe('categories') && <div role="alert" style={{ color: '#c41d1d' }}>{fe('categories')}</div>}
          </fieldset>
        </Card>

        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('apply.places')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item label={t('apply.hukou')} required validateStatus={fe('hukouCode') ? 'error' : undefined} help={fe('hukouCode') ?? t('apply.pickPlace')}>
            <DivisionPicker label={t('apply.hukou')} value={d.hukouCode} onChange={(hukouCode) => set({ hukouCode })} invalid={Boolean(fe('hukouCode'))} />
          </Form.Item>
          <Checkbox checked={d.sameAsHukou} onChange={(e) => set({ sameAsHukou: e.target.checked })}>{t('apply.sameAsHukou')}</Checkbox>
          {!d.sameAsHukou && (
            <Form.Item style={{ marginTop: 16 }} label={t('apply.residence')} required validateStatus={fe('residenceCode') ? 'error' : undefined} help={fe('residenceCode') ?? t('apply.pickPlace')}>
              <DivisionPicker label={t('apply.residence')} value={d.residenceCode} onChange={(residenceCode) => set({ residenceCode })} invalid={Boolean(fe('residenceCode'))} />
            </Form.Item>
          )}
          {crossCounty && <Alert type="warning" showIcon title={t('apply.residencePermitNote')} style={{ marginTop: 8 }} />}
        </Card>

        {guardian && (
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('apply.guardian')}</h2>} style={{ marginBottom: 16 }}>
            <p>{t('apply.guardianWhy')}</p>
            <div className="grid2">
              <Form.Item label={t('apply.idNumber')} required htmlFor="gid" validateStatus={d.guardianIdNumber && !checkId(d.guardianIdNumber.trim()).ok ? 'error' : undefined} help={d.guardianIdNumber && !checkId(d.guardianIdNumber.trim()).ok ? pick(checkId(d.guardianIdNumber.trim()).message as any) : fe('guardian')}>
                <Input id="gid" value={d.guardianIdNumber} maxLength={18} onChange={(e) => set({ guardianIdNumber: e.target.value })} />
              </Form.Item>
              <Form.Item label={t('apply.name')} required htmlFor="gname"><Input id="gname" value={d.guardianName} onChange={(e) => set({ guardianName: e.target.value })} /></Form.Item>
              <Form.Item label={t('apply.phone')} required htmlFor="gphone"><Input id="gphone" value={d.guardianPhone} inputMode="tel" onChange={(e) => set({ guardianPhone: e.target.value })} /></Form.Item>
              <Form.Item label={t('apply.guardianRelation')} required htmlFor="grel"><Input id="grel" value={d.guardianRelation} onChange={(e) => set({ guardianRelation: e.target.value })} /></Form.Item>
            </div>
          </Card>
        )}

        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('apply.delivery')}</h2>} style={{ marginBottom: 16 }}>
          <Radio.Group aria-label={t('apply.delivery')} value={d.deliveryMethod} onChange={(e) => set({ deliveryMethod: e.target.value })} options={[{ value: 'courier', label: t('apply.deliveryCourier') }, { value: 'hand', label: t('apply.deliveryHand') }]} />
          <Form.Item label={t('apply.deliveryAddress')} htmlFor="daddr" style={{ marginTop: 16 }}>
            <Input id="daddr" value={d.deliveryAddress} onChange={(e) => set({ deliveryAddress: e.target.value })} />
          </Form.Item>
        </Card>

        {mode === 'staff' && (
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('apply.materials')}</h2>} style={{ marginBottom: 16 }}>
            <Checkbox.Group aria-label={t('apply.materials')} value={d.materials} onChange={(v) => set({ materials: v as string[] })}
              options={knownMaterialCodes().map((code) => ({ value: code, label: pick(materialLabel(code)) }))} style={{ display: 'grid', gap: 8 }} />
          </Card>
        )}
        <Space>
          <Button type="primary" htmlType="submit" size="large" loading={busy} disabled={!id.ok}>{t('apply.submit')}</Button>
        </Space>
      </Form>
    </>
  );
}
