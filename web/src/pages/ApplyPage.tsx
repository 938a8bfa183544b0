/**
 * The NEW application form — on-site by a clerk, or online by the applicant or family. The ID number
 * is checked as it is typed with the same domain code the server uses; everything else is checked
 * before sending, each message beside its field; the guardian section, the residence-permit note and
 * the materials checklist follow the rules for this applicant; the draft survives errors and reloads.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Radio } from 'antd';
import { useMemo, useState, type ReactElement } from 'react';
import { cloneElement } from 'react';
import { useNavigate } from 'react-router';
import { ageOn, parseCitizenId } from '../../../src/domain/citizen-id';
import { needsGuardian, type CategoryCode } from '../../../src/domain/disability';
import { DomainError, type Bilingual } from '../../../src/domain/errors';
import { requiredMaterials } from '../../../src/domain/materials';
import { profileForCase, type ProfileSettings } from '../../../src/domain/profiles';
import { api, newIdempotencyKey } from '../api';
import { DivisionPicker } from '../components/DivisionPicker';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { useDraft } from '../components/useDraft';
import { hasRole, useMe } from '../session';
import { formatDate, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh';

type Draft = {
  idNumber: string; name: string; ethnicity: string; phone: string; address: string;
  hukouCode?: string; residenceCode?: string; sameAsHukou: boolean; categories: number[];
  guardianIdNumber: string; guardianName: string; guardianPhone: string; guardianRelation: string;
  materials: string[]; deliveryMethod: 'courier' | 'hand'; deliveryAddress: string; key: string;
  home: boolean; homeReason: string; homeChannel: 'written' | 'phone';
};
const EMPTY: Draft = { idNumber: '', name: '', ethnicity: '', phone: '', address: '', sameAsHukou: false, categories: [], guardianIdNumber: '', guardianName: '', guardianPhone: '', guardianRelation: '', materials: [], deliveryMethod: 'courier', deliveryAddress: '', key: '', home: false, homeReason: '', homeChannel: 'written' };
const CATEGORIES: { code: CategoryCode; zh: string; en: string }[] = [
  { code: 1, zh: '视力残疾', en: 'Vision' }, { code: 2, zh: '听力残疾', en: 'Hearing' }, { code: 3, zh: '言语残疾', en: 'Speech' },
  { code: 4, zh: '肢体残疾', en: 'Physical' }, { code: 5, zh: '智力残疾', en: 'Intellectual' }, { code: 6, zh: '精神残疾', en: 'Mental' },
];
const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;

function checkId(value: string) {
  if (!value) return { ok: false as const, message: null };
  try {
    return { ok: true as const, info: parseCitizenId(value) };
  } catch (e) {
    return { ok: false as const, message: e instanceof DomainError ? e.text : null };
  }
}

/** A labelled input whose message (help or error) is tied to it for screen readers. */
function Field({ id, label, required, error, hint, invalid, children }: { id: string; label: string; required?: boolean; error?: string; hint?: string; invalid?: boolean; children: ReactElement<any> }) {
  const message = error ?? hint;
  return (
    <Form.Item label={label} required={required} htmlFor={id} validateStatus={error ? 'error' : undefined}
      help={message ? <span id={`${id}-help`} aria-live="polite">{message}</span> : undefined}>
      {cloneElement(children, { id, 'aria-invalid': Boolean(error) || invalid || undefined, 'aria-describedby': message ? `${id}-help` : undefined, 'aria-required': required || undefined })}
    </Form.Item>
  );
}

export function ApplyPage({ mode }: { mode: 'staff' | 'applicant' }) {
  const { t, pick, lang } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const draft = useDraft<Draft>(`apply-${mode}`, { ...EMPTY, key: newIdempotencyKey() });
  const me = useMe();
  // HOME-2: village and township workers file home-assessment requests only
  const localWorker = mode === 'staff' && !hasRole(me.data, 'clerk', 'reviewer') && hasRole(me.data, 'village_worker', 'township_worker');
  const d = { ...EMPTY, ...draft.value, ...(localWorker ? { home: true } : {}) };
  const set = (patch: Partial<Draft>) => draft.setValue({ ...d, ...patch });
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api<{ code: string; settings: ProfileSettings; provinces: string[] }[]>('/api/profiles'), staleTime: Infinity });
  const id = useMemo(() => checkId(d.idNumber.trim()), [d.idNumber]);
  const age = id.ok ? ageOn(id.info.birthDate, new Date().toISOString().slice(0, 10)) : 30;
  const guardian = needsGuardian(d.categories as CategoryCode[], age);
  const residence = d.sameAsHukou ? d.hukouCode : d.residenceCode;
  const crossCounty = Boolean(d.hukouCode && residence && d.hukouCode.slice(0, 6) !== residence.slice(0, 6));

  // the checklist for THIS applicant: the profile follows the provinces, as the server decides it
  const profile = useMemo(() => {
    if (!profiles.data || !residence || !d.hukouCode) return null;
    const byProvince = (p: string) => profiles.data!.find((x) => x.provinces.includes(p))?.code;
    const code = profileForCase(residence.slice(0, 2), d.hukouCode.slice(0, 2), byProvince);
    return profiles.data.find((x) => x.code === code)?.settings ?? null;
  }, [profiles.data, residence, d.hukouCode]);
  const checklist = profile ? requiredMaterials('new', { needsGuardian: guardian, crossRegion: crossCounty, profile }) : [];

  const local = useMemo(() => {
    const e: Record<string, Bilingual | string> = {};
    const need = (field: string, ok: boolean, labelKey: MessageKey) => {
      if (!ok) e[field] = t('check.required', { field: t(labelKey) });
    };
    if (!id.ok) e['applicant.idNumber'] = id.message ?? t('check.required', { field: t('apply.idNumber') });
    need('applicant.name', d.name.trim().length > 0, 'apply.name');
    if (!PHONE.test(d.phone.trim())) e['applicant.phone'] = t('check.phone');
    if (d.categories.length === 0) e.categories = t('check.categories');
    if (!d.hukouCode || d.hukouCode.length < 6) e.hukouCode = t('check.place', { field: t('apply.hukou') });
    if (!residence || residence.length < 6) e.residenceCode = t('check.place', { field: t('apply.residence') });
    else if (d.home && residence.length < 12) e.residenceCode = t('check.homeVillage');
    if (d.home && d.homeReason.trim().length < 4) e['homeAssessment.reason'] = t('check.homeReason');
    if (guardian) {
      const g = checkId(d.guardianIdNumber.trim());
      if (!g.ok) e['guardian.idNumber'] = g.message ?? t('check.required', { field: t('apply.guardianIdNumber') });
      need('guardian.name', d.guardianName.trim().length > 0, 'apply.guardianName');
      if (!PHONE.test(d.guardianPhone.trim())) e['guardian.phone'] = t('check.phone');
      need('guardian.relation', d.guardianRelation.trim().length > 0, 'apply.guardianRelation');
    }
    return e;
  }, [d, id, guardian, residence, t]);
  /** Local message once the user has tried to send, else what the server said about this field. */
  const err = (field: string, ...aliases: string[]) => {
    const mine = checked ? local[field] : undefined;
    if (mine) return typeof mine === 'string' ? mine : pick(mine);
    return fieldError(error, [field, ...aliases], pick);
  };

  const submit = async () => {
    setChecked(true);
    const count = Object.keys(local).length;
    if (count) {
      setError(null);
      document.getElementById(Object.keys(local)[0].replace('.', '-'))?.focus();
      return;
    }
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
        materialsProvided: mode === 'staff' ? d.materials.filter((m) => checklist.some((c) => c.code === m)) : [],
        delivery: { method: d.deliveryMethod, ...(d.deliveryAddress ? { address: d.deliveryAddress } : {}) },
        ...(d.home ? { homeAssessment: { reason: d.homeReason.trim(), channel: mode === 'staff' ? d.homeChannel : 'online' } } : {}),
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
  const problems = checked ? Object.keys(local).length : 0;
  const cardTitle = (key: MessageKey) => <h2 style={{ margin: 0, fontSize: 18 }}>{t(key)}</h2>;

  return (
    <>
      <h1 className="page-title">{mode === 'staff' ? t('apply.title') : t('apply.portalTitle')}</h1>
      {localWorker && <Alert type="info" showIcon title={t('apply.homeOnly')} style={{ marginBottom: 16 }} />}
      {draft.wasRestored && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('common.draftRestored')} action={<Button size="small" onClick={draft.clear}>{t('common.clearDraft')}</Button>} />
      )}
      {problems > 0 && <Alert type="error" showIcon role="alert" title={t('check.fix', { n: problems })} style={{ marginBottom: 16 }} />}
      <ErrorBox error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark>
        <Card title={cardTitle('apply.applicant')} style={{ marginBottom: 16 }}>
          <div className="grid2">
            <Field id="applicant-idNumber" label={t('apply.idNumber')} required error={err('applicant.idNumber', 'idNumber')} invalid={Boolean(d.idNumber) && !id.ok}
              hint={d.idNumber ? (id.ok ? t('apply.idOk', { birth: formatDate(id.info.birthDate, lang), sex: t(id.info.sex === 'M' ? 'sex.M' : 'sex.F') }) : pick(id.message)) : t('apply.idHelp')}>
              <Input value={d.idNumber} maxLength={18} autoComplete="off" status={d.idNumber && !id.ok ? 'error' : undefined} onChange={(e) => set({ idNumber: e.target.value })} />
            </Field>
            <Field id="applicant-name" label={t('apply.name')} required error={err('applicant.name')}>
              <Input value={d.name} onChange={(e) => set({ name: e.target.value })} autoComplete="name" />
            </Field>
            <Field id="applicant-phone" label={t('apply.phone')} required error={err('applicant.phone')}>
              <Input value={d.phone} onChange={(e) => set({ phone: e.target.value })} inputMode="tel" autoComplete="tel" />
            </Field>
            <Field id="applicant-ethnicity" label={t('apply.ethnicity')}>
              <Input value={d.ethnicity} onChange={(e) => set({ ethnicity: e.target.value })} />
            </Field>
          </div>
          <Field id="applicant-address" label={t('apply.address')}>
            <Input value={d.address} onChange={(e) => set({ address: e.target.value })} autoComplete="street-address" />
          </Field>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={err('categories') ? 'categories-help' : undefined}>
            <legend style={{ fontSize: 16, marginBottom: 8 }}>{t('apply.categories')} *</legend>
            <Checkbox.Group value={d.categories} onChange={(v) => set({ categories: v as number[] })} options={CATEGORIES.map((c) => ({ value: c.code, label: pick(c) }))} />
            {err('categories') && <div id="categories-help" style={{ color: '#c41d1d', marginTop: 4 }}>{err('categories')}</div>}
          </fieldset>
        </Card>

        <Card title={cardTitle('apply.places')} style={{ marginBottom: 16 }}>
          <Form.Item label={t('apply.hukou')} required validateStatus={err('hukouCode') ? 'error' : undefined} help={err('hukouCode') ?? t('apply.pickPlace')}>
            <DivisionPicker label={t('apply.hukou')} value={d.hukouCode} onChange={(hukouCode) => set({ hukouCode })} invalid={Boolean(err('hukouCode'))} />
          </Form.Item>
          <Checkbox checked={d.sameAsHukou} onChange={(e) => set({ sameAsHukou: e.target.checked })} style={{ marginTop: 8 }}>{t('apply.sameAsHukou')}</Checkbox>
          {!d.sameAsHukou && (
            <Form.Item style={{ marginTop: 16 }} label={t('apply.residence')} required validateStatus={err('residenceCode') ? 'error' : undefined} help={err('residenceCode') ?? t('apply.pickPlace')}>
              <DivisionPicker label={t('apply.residence')} value={d.residenceCode} onChange={(residenceCode) => set({ residenceCode })} invalid={Boolean(err('residenceCode'))} />
            </Form.Item>
          )}
          {crossCounty && <Alert type="warning" showIcon title={t('apply.residencePermitNote')} style={{ marginTop: 8 }} />}
        </Card>

        {guardian && (
          <Card title={cardTitle('apply.guardian')} style={{ marginBottom: 16 }}>
            <p>{t('apply.guardianWhy')}</p>
            <div className="grid2">
              <Field id="guardian-idNumber" label={t('apply.guardianIdNumber')} required error={err('guardian.idNumber')}>
                <Input value={d.guardianIdNumber} maxLength={18} onChange={(e) => set({ guardianIdNumber: e.target.value })} />
              </Field>
              <Field id="guardian-name" label={t('apply.guardianName')} required error={err('guardian.name')}>
                <Input value={d.guardianName} onChange={(e) => set({ guardianName: e.target.value })} />
              </Field>
              <Field id="guardian-phone" label={t('apply.guardianPhone')} required error={err('guardian.phone')}>
                <Input value={d.guardianPhone} inputMode="tel" onChange={(e) => set({ guardianPhone: e.target.value })} />
              </Field>
              <Field id="guardian-relation" label={t('apply.guardianRelation')} required error={err('guardian.relation')}>
                <Input value={d.guardianRelation} onChange={(e) => set({ guardianRelation: e.target.value })} />
              </Field>
            </div>
          </Card>
        )}

        <Card title={cardTitle('apply.home')} style={{ marginBottom: 16 }}>
          <p id="home-help" style={{ marginTop: 0 }}>{t('apply.homeHelp')}</p>
          <Checkbox checked={d.home} disabled={localWorker} aria-describedby="home-help" onChange={(e) => set({ home: e.target.checked })}>{t('apply.homeWant')}</Checkbox>
          {d.home && (
            <div style={{ marginTop: 16 }}>
              <Field id="homeAssessment-reason" label={t('apply.homeReason')} required error={err('homeAssessment.reason')}>
                <Input.TextArea rows={2} value={d.homeReason} onChange={(e) => set({ homeReason: e.target.value })} />
              </Field>
              {mode === 'staff' && (
                <Radio.Group aria-label={t('apply.homeChannel')} value={d.homeChannel} onChange={(e) => set({ homeChannel: e.target.value })}
                  options={(['written', 'phone'] as const).map((c) => ({ value: c, label: t(`apply.homeChannel.${c}`) }))} />
              )}
            </div>
          )}
        </Card>

        <Card title={cardTitle('apply.delivery')} style={{ marginBottom: 16 }}>
          <Radio.Group aria-label={t('apply.delivery')} value={d.deliveryMethod} onChange={(e) => set({ deliveryMethod: e.target.value })} options={[{ value: 'courier', label: t('apply.deliveryCourier') }, { value: 'hand', label: t('apply.deliveryHand') }]} />
          <div style={{ marginTop: 16 }}>
            <Field id="delivery-address" label={t('apply.deliveryAddress')}>
              <Input value={d.deliveryAddress} onChange={(e) => set({ deliveryAddress: e.target.value })} />
            </Field>
          </div>
        </Card>

        {mode === 'staff' && checklist.length > 0 && (
          <Card title={cardTitle('apply.materials')} style={{ marginBottom: 16 }}>
            <Checkbox.Group aria-label={t('apply.materials')} value={d.materials} onChange={(v) => set({ materials: v as string[] })}
              options={checklist.map((m) => ({ value: m.code, label: pick(m.label) }))} style={{ display: 'grid', gap: 8 }} />
          </Card>
        )}
        <Button type="primary" htmlType="submit" size="large" loading={busy}>{t('apply.submit')}</Button>
      </Form>
    </>
  );
}
