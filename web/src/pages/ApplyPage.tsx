/**
 * The NEW application form — on-site by a clerk, or online by the applicant or family. The ID number
 * is checked as it is typed with the same domain code the server uses; everything else is checked
 * before sending, each message beside its field; the guardian section, the residence-permit note and
 * the materials checklist follow the rules for this applicant; the draft survives errors and reloads.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Radio } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ageOn } from '../../../src/domain/citizen-id';
import { needsGuardian, type CategoryCode } from '../../../src/domain/disability';
import type { Bilingual } from '../../../src/domain/errors';
import { requiredMaterials } from '../../../src/domain/materials';
import { profileForCase, type ProfileSettings } from '../../../src/domain/profiles';
import { api, newIdempotencyKey } from '../api';
import { CardTitle, CATEGORIES, checkId, DeliveryCard, deliveryBody, Field, GuardianCard, guardianBody, guardianProblems, PHONE, fieldMessages } from '../components/ApplicationParts';
import { DivisionPicker } from '../components/DivisionPicker';
import { ErrorBox } from '../components/ErrorBox';
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
    return guardian ? { ...e, ...guardianProblems(d, t) } : e;
  }, [d, id, guardian, residence, t]);
  const err = fieldMessages(checked, local, error, pick);

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
        ...(guardian ? { guardian: guardianBody(d) } : {}),
        residenceCode: residence ?? '',
        hukouCode: d.hukouCode ?? '',
        categories: d.categories,
        materialsProvided: mode === 'staff' ? d.materials.filter((m) => checklist.some((c) => c.code === m)) : [],
        delivery: deliveryBody(d),
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
  const cardTitle = (key: MessageKey) => <CardTitle text={t(key)} />;

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

        {guardian && <GuardianCard value={d} onChange={set} err={err} why={t('apply.guardianWhy')} relationLabel={t('apply.guardianRelation')} />}

        <Card title={cardTitle('apply.home')} style={{ marginBottom: 16 }}>
          <p id="home-help" style={{ marginTop: 0 }}>{t('apply.homeHelp')}</p>
          <Checkbox checked={d.home} disabled={localWorker} aria-describedby="home-help" onChange={(e) => set({ home: e.target.checked })}>{t('apply.homeWant')}</Checkbox>
          {d.home && (
            <div style={{ marginTop: 16 }}>
              <Field id="homeAssessment-reason" label={t('apply.homeReason')} required error={err('homeAssessment.reason')}>
                <Input.TextArea rows={2} value={d.homeReason} onChange={(e) => set({ homeReason: e.target.value })} />
              </Field>
              {mode === 'staff' && (
                // a visible group label, tied to the group (not an aria-label only sighted users cannot see)
                <div style={{ marginTop: 12 }}>
                <p id="home-channel-label" style={{ margin: '0 0 4px', fontWeight: 600 }}>{t('apply.homeChannel')}</p>
                <Radio.Group aria-labelledby="home-channel-label" value={d.homeChannel} onChange={(e) => set({ homeChannel: e.target.value })}
                  options={(['written', 'phone'] as const).map((c) => ({ value: c, label: t(`apply.homeChannel.${c}`) }))} />
                </div>
              )}
            </div>
          )}
        </Card>

        <DeliveryCard value={d} onChange={set} />

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
