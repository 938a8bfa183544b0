/**
 * The application for a matter on an existing certificate — renewal, transfer, loss and reissue,
 * cancellation, category/level change — at the window (staff) or online (the holder or family; never
 * a cancellation, which the county handles). The holder's ID number is checked as it is typed; staff
 * then see the masked holder and the current certificate before filling the rest, and only the
 * fields the chosen matter needs are asked. The draft survives errors and reloads.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Spin } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { CANCEL_REASON_LABELS, CANCEL_REASONS, CERTIFICATE_STATES, type CertificateState } from '../../../src/domain/certificates';
import { ageOn } from '../../../src/domain/citizen-id';
import { needsGuardian, type CategoryCode } from '../../../src/domain/disability';
import type { Bilingual } from '../../../src/domain/errors';
import { requiredMaterials } from '../../../src/domain/materials';
import { profileForCase, type ProfileSettings } from '../../../src/domain/profiles';
import { CANCEL_VARIANTS } from '../../../src/domain/workflow/matters/cancel';
import { RENEW_VARIANTS } from '../../../src/domain/workflow/matters/renew';
import { CERTIFICATE_MATTERS, type CertificateMatter } from '../../../src/domain/workflow/registry';
import { api, ApiError, newIdempotencyKey } from '../api';
import { asLabel, CardTitle, CATEGORIES, checkId, DeliveryCard, deliveryBody, Field, GuardianCard, guardianBody, guardianProblems, NO_GUARDIAN, PHONE, type DeliveryDraft, type GuardianDraft, fieldMessages } from '../components/ApplicationParts';
import { disabilitiesText } from '../components/disabilityText';
import { DivisionPicker } from '../components/DivisionPicker';
import { ErrorBox } from '../components/ErrorBox';
import { useDraft } from '../components/useDraft';
import { formatDate, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { useMe } from '../session';
import { STATE } from './PersonPage';

type Draft = GuardianDraft & DeliveryDraft & {
  matter: CertificateMatter | ''; variant: string; idNumber: string; residenceCode?: string; hukouCode?: string;
  categories: number[]; removeCategories: number[]; reason: string; reasonNote: string;
  updates: { name: string; ethnicity: string; address: string; phone: string }; phone: string;
  withGuardian: boolean; materials: string[]; oldCardCollected: boolean; key: string;
};
const EMPTY: Draft = {
  ...NO_GUARDIAN, deliveryMethod: 'courier', deliveryAddress: '',
  matter: '', variant: '', idNumber: '', categories: [], removeCategories: [], reason: '', reasonNote: '',
  updates: { name: '', ethnicity: '', address: '', phone: '' }, phone: '', withGuardian: false, materials: [], oldCardCollected: false, key: '',
};
const VARIANTS: Partial<Record<CertificateMatter, readonly string[]>> = { renew: RENEW_VARIANTS, cancel: CANCEL_VARIANTS };
const UPDATE_FIELDS = ['name', 'ethnicity', 'address', 'phone'] as const;
const countyOf = (code?: string) => code?.slice(0, 6);

/** A radio or checkbox group named by a visible legend, with its message tied to it. */
function Choice({ id, legend, error, children }: { id: string; legend: string; error?: string; children: ReactNode }) {
  return (
    <fieldset id={id} aria-describedby={error ? `${id}-help` : undefined} style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
      <legend style={{ fontSize: 16, marginBottom: 8 }}>{legend}</legend>
      {children}
      {error && <div id={`${id}-help`} style={{ color: '#c41d1d', marginTop: 4 }}>{error}</div>}
    </fieldset>
  );
}

export function CertificateApplyPage({ mode }: { mode: 'staff' | 'applicant' }) {
  const { t, pick, lang } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const draft = useDraft<Draft>(`certificate-apply-${mode}`, { ...EMPTY, key: newIdempotencyKey() });
  const d = { ...EMPTY, ...draft.value };
  const set = (patch: Partial<Draft>) => draft.setValue({ ...d, ...patch });
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const staff = mode === 'staff';
  const matters = CERTIFICATE_MATTERS.filter((m) => staff || m !== 'cancel');
  const id = useMemo(() => checkId(d.idNumber.trim()), [d.idNumber]);
  const idNumber = id.ok ? id.info.id : '';

  // staff: the holder as the county's records show them, masked, with the certificate in force
  const holderQ = useQuery({
    queryKey: ['holder', idNumber],
    enabled: staff && id.ok,
    queryFn: async () => {
      const found = await api<{ items: { id: string }[] }>(`/api/persons?idNumber=${encodeURIComponent(idNumber)}`);
      return found.items.length ? api(`/api/persons/${found.items[0].id}`) : null;
    },
  });
  const holder = staff && id.ok ? holderQ.data ?? null : null;
  const certificate = holder?.certificates.find((c: any) => !c.replacedBy) ?? null;
  const onCertificate: number[] = certificate ? certificate.disabilities.map((x: any) => x.category) : [];
  useEffect(() => {
    // the residence on file is the usual answer; the clerk changes it if the person has moved
    if (holder?.residenceCode) draft.setValue((v) => (v.residenceCode ? v : { ...v, residenceCode: holder.residenceCode }));
  }, [holder?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => api<{ code: string; settings: ProfileSettings; provinces: string[] }[]>('/api/profiles'), staleTime: Infinity });
  const age = id.ok ? ageOn(id.info.birthDate, new Date().toISOString().slice(0, 10)) : 30;
  const categories = d.matter === 'change' ? d.categories : onCertificate;
  const guardianKnown = needsGuardian(categories as CategoryCode[], age);
  const guardian = d.matter !== '' && d.matter !== 'cancel' && (guardianKnown || d.withGuardian);
  const hukouBefore: string | undefined = holder?.hukouCode;
  const hukouAfter = d.matter === 'transfer' ? d.hukouCode : hukouBefore;
  const noCard = d.matter === 'cancel' && d.variant === 'whole';

  // a clerk of the holder's hukou county takes it there; otherwise the residence county does (TRF-1: a transfer, the new hukou county)
  const ownCounties = me.data?.kind === 'staff' ? me.data.grants.filter((g) => ['clerk', 'reviewer'].includes(g.role)).map((g) => g.divisionCode) : [];
  const acceptAtHukou = staff && d.matter !== 'transfer' && hukouBefore && !ownCounties.includes(countyOf(d.residenceCode) ?? '') && ownCounties.includes(countyOf(hukouBefore)!);
  const acceptPlace = d.matter === 'transfer' ? d.hukouCode : acceptAtHukou ? hukouBefore : d.residenceCode;

  // the checklist for THIS holder, as the server decides it: the accepting county is the residence side
  // (taken at the hukou county it is a local case); a transfer from another province crosses provinces
  const checklist = useMemo(() => {
    if (!staff || !d.matter || !profiles.data || !acceptPlace) return [];
    const origin = d.matter === 'transfer' ? hukouBefore : undefined;
    const other = origin && origin.slice(0, 2) !== acceptPlace.slice(0, 2) ? origin : hukouAfter ?? acceptPlace;
    const byProvince = (p: string) => profiles.data!.find((x) => x.provinces.includes(p))?.code;
    const code = profileForCase(acceptPlace.slice(0, 2), other.slice(0, 2), byProvince);
    const profile = profiles.data.find((x) => x.code === code)?.settings;
    if (!profile) return [];
    // without the holder's hukou on file the residence permit may be needed: offer it
    const crossRegion = hukouAfter ? countyOf(hukouAfter) !== countyOf(acceptPlace) : true;
    return requiredMaterials(d.matter, { needsGuardian: guardian, crossRegion, profile, variant: d.variant || null, reason: d.reason || null });
  }, [staff, d.matter, d.variant, d.reason, acceptPlace, profiles.data, hukouBefore, hukouAfter, guardian]);

  const local = useMemo(() => {
    const e: Record<string, Bilingual | string> = {};
    if (!d.matter) e.matter = t('check.matter');
    if (VARIANTS[d.matter as CertificateMatter] && !d.variant) e.variant = t('check.variant');
    if (!id.ok) e.idNumber = id.message ?? t('check.required', { field: t('certApply.idNumber') });
    if (!d.residenceCode || d.residenceCode.length < 6) e.residenceCode = t('check.place', { field: t('apply.residence') });
    if (d.matter === 'transfer') {
      if (!d.hukouCode || d.hukouCode.length < 6) e.hukouCode = t('check.place', { field: t('certApply.newHukou') });
      else if (hukouBefore && countyOf(d.hukouCode) === countyOf(hukouBefore)) e.hukouCode = t('certApply.sameCounty');
    }
    if (d.matter === 'change' && !d.categories.length) e.categories = t('check.categories');
    if (d.matter === 'cancel') {
      if (!d.reason) e.reason = t('check.reason');
      const remaining = onCertificate.length ? onCertificate.filter((c) => !d.removeCategories.includes(c)).length : 1;
      if (d.variant === 'partial' && (!d.removeCategories.length || remaining < 1)) e.removeCategories = t('check.removeCategories');
    }
    if (d.matter === 'renew' && d.variant === 'info_update') {
      if (!UPDATE_FIELDS.some((k) => d.updates[k].trim())) e.updates = t('check.updates');
      else if (d.updates.phone.trim() && !PHONE.test(d.updates.phone.trim())) e['updates.phone'] = t('check.phone');
    }
    if (d.phone.trim() && !PHONE.test(d.phone.trim())) e.phone = t('check.phone');
    return guardian ? { ...e, ...guardianProblems(d, t) } : e;
  }, [d, id, guardian, hukouBefore, onCertificate, t]);
  const err = fieldMessages(checked, local, error, pick);

  const submit = async () => {
    setChecked(true);
    const first = Object.keys(local)[0];
    if (first) {
      setError(null);
      const el = document.getElementById(first.replace('.', '-'));
      (el?.matches('input, textarea') ? el : el?.querySelector<HTMLElement>('input, textarea'))?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updates = Object.fromEntries(UPDATE_FIELDS.filter((k) => d.updates[k].trim()).map((k) => [k, d.updates[k].trim()]));
      const body = {
        matter: d.matter,
        idNumber,
        ...(VARIANTS[d.matter as CertificateMatter] ? { variant: d.variant } : {}),
        residenceCode: d.residenceCode,
        ...(d.matter === 'transfer' ? { hukouCode: d.hukouCode } : {}),
        ...(acceptAtHukou ? { acceptCode: hukouBefore } : {}),
        ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
        ...(guardian ? { guardian: guardianBody(d) } : {}),
        ...(d.matter === 'change' ? { categories: d.categories } : {}),
        ...(d.matter === 'cancel' ? { reason: d.reason, reasonNote: d.reasonNote.trim(), ...(d.variant === 'partial' ? { removeCategories: d.removeCategories } : {}) } : {}),
        ...(d.variant === 'info_update' ? { updates } : {}),
        materialsProvided: staff ? d.materials.filter((m) => checklist.some((c) => c.code === m)) : [],
        ...(noCard ? {} : { delivery: deliveryBody(d) }),
        oldCardCollected: staff && d.matter !== 'reissue' && d.oldCardCollected,
      };
      const res = await api('/api/cases', { body, headers: { 'idempotency-key': d.key } });
      draft.clear();
      qc.invalidateQueries({ queryKey: ['worklist'] });
      navigate(staff ? `/cases/${res.id}` : `/portal/cases/${res.id}`);
    } catch (e) {
      setError(e);
      // the server knows the categories on the certificate: when it asks for a guardian, show the section
      if (e instanceof ApiError && e.field === 'guardian') draft.setValue((v) => ({ ...v, withGuardian: true }));
      window.scrollTo({ top: 0 });
    } finally {
      setBusy(false);
    }
  };

  const problems = checked ? Object.keys(local).length : 0;
  const ready = d.matter !== '' && (!staff || (id.ok && !holderQ.isLoading));
  const removable = onCertificate.length ? onCertificate : CATEGORIES.map((c) => c.code);
  const categoryOptions = (codes: number[]) => CATEGORIES.filter((c) => codes.includes(c.code)).map((c) => ({ value: c.code, label: pick(c) }));

  return (
    <>
      <h1 className="page-title">{staff ? t('certApply.title') : t('certApply.portalTitle')}</h1>
      {draft.wasRestored && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('common.draftRestored')} action={<Button size="small" onClick={draft.clear}>{t('common.clearDraft')}</Button>} />
      )}
      {problems > 0 && <Alert type="error" showIcon role="alert" title={t('check.fix', { n: problems })} style={{ marginBottom: 16 }} />}
      <ErrorBox error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark>
        <Card title={<CardTitle text={t('certApply.matterCard')} />} style={{ marginBottom: 16 }}>
          <Choice id="matter" legend={`${t('certApply.matter')} *`} error={err('matter')}>
            <Radio.Group role="none" value={d.matter} onChange={(e) => set({ matter: e.target.value, variant: '' })} style={{ display: 'grid', gap: 8 }}
              options={matters.map((m) => ({ value: m, label: t(`certApply.matter.${m}` as MessageKey) }))} />
          </Choice>
          {d.matter && <p className="muted" style={{ marginTop: 0 }}>{t(`certApply.matterHelp.${d.matter}` as MessageKey)}</p>}
          {!staff && <p className="muted">{t('certApply.portalNoCancel')}</p>}
          {VARIANTS[d.matter as CertificateMatter] && (
            <Choice id="variant" legend={`${t('certApply.variant')} *`} error={err('variant')}>
              <Radio.Group role="none" value={d.variant} onChange={(e) => set({ variant: e.target.value })} style={{ display: 'grid', gap: 8 }}
                options={VARIANTS[d.matter as CertificateMatter]!.map((v) => ({
                  value: v,
                  label: t(`certApply.variant.${v}` as MessageKey),
                  // CANCEL-2: only a multiple disability is cancelled in part
                  disabled: v === 'partial' && onCertificate.length === 1,
                }))} />
              {d.matter === 'cancel' && onCertificate.length === 1 && <p className="muted" style={{ margin: '4px 0 0' }}>{t('certApply.partialNeedsMultiple')}</p>}
            </Choice>
          )}
        </Card>

        <Card title={<CardTitle text={t('certApply.holder')} />} style={{ marginBottom: 16 }}>
          <Field id="idNumber" label={t('certApply.idNumber')} required error={err('idNumber')} invalid={Boolean(d.idNumber) && !id.ok}
            hint={d.idNumber ? (id.ok ? t('apply.idOk', { birth: formatDate(id.info.birthDate, lang), sex: t(id.info.sex === 'M' ? 'sex.M' : 'sex.F') }) : pick(id.message)) : t('apply.idHelp')}>
            <Input value={d.idNumber} maxLength={18} autoComplete="off" style={{ maxWidth: 420 }} status={d.idNumber && !id.ok ? 'error' : undefined} onChange={(e) => set({ idNumber: e.target.value })} />
          </Field>
          {staff && id.ok && <HolderSummary loading={holderQ.isLoading} failed={holderQ.error} holder={holder} certificate={certificate} />}
        </Card>

        {ready && (
          <>
            <Card title={<CardTitle text={t('certApply.details')} />} style={{ marginBottom: 16 }}>
              {d.matter === 'transfer' && (
                <Form.Item label={t('certApply.newHukou')} required validateStatus={err('hukouCode') ? 'error' : undefined} help={err('hukouCode') ?? t('certApply.newHukouHelp')}>
                  <DivisionPicker label={t('certApply.newHukou')} value={d.hukouCode} onChange={(hukouCode) => set({ hukouCode })} invalid={Boolean(err('hukouCode'))} />
                </Form.Item>
              )}
              {d.matter === 'change' && (
                <Choice id="categories" legend={`${t('certApply.changeCategories')} *`} error={err('categories')}>
                  <Checkbox.Group role="none" value={d.categories} onChange={(v) => set({ categories: v as number[] })} options={categoryOptions(CATEGORIES.map((c) => c.code))} />
                </Choice>
              )}
              {d.matter === 'cancel' && (
                <>
                  <Choice id="reason" legend={`${t('certApply.reason')} *`} error={err('reason')}>
                    <Radio.Group role="none" value={d.reason} onChange={(e) => set({ reason: e.target.value })} style={{ display: 'grid', gap: 8 }}
                      options={CANCEL_REASONS.map((r) => ({ value: r, label: asLabel(pick(CANCEL_REASON_LABELS[r])) }))} />
                  </Choice>
                  {d.variant === 'partial' && (
                    <Choice id="removeCategories" legend={`${t('certApply.removeCategories')} *`} error={err('removeCategories')}>
                      <Checkbox.Group role="none" value={d.removeCategories} onChange={(v) => set({ removeCategories: v as number[] })} options={categoryOptions(removable)} />
                    </Choice>
                  )}
                  <Field id="reasonNote" label={t('certApply.reasonNote')} error={err('reasonNote')}>
                    <Input.TextArea rows={2} value={d.reasonNote} maxLength={500} onChange={(e) => set({ reasonNote: e.target.value })} />
                  </Field>
                </>
              )}
              {d.matter === 'renew' && d.variant === 'info_update' && (
                <Choice id="updates" legend={`${t('certApply.updates')} *`} error={err('updates')}>
                  <p className="muted" style={{ marginTop: 0 }}>{t('certApply.updatesHelp')}</p>
                  <div className="grid2">
                    {UPDATE_FIELDS.map((k) => (
                      <Field key={k} id={`updates-${k}`} label={t(`certApply.update.${k}` as MessageKey)} error={err(`updates.${k}`)}>
                        <Input value={d.updates[k]} inputMode={k === 'phone' ? 'tel' : undefined} onChange={(e) => set({ updates: { ...d.updates, [k]: e.target.value } })} />
                      </Field>
                    ))}
                  </div>
                </Choice>
              )}
              <Form.Item label={t('apply.residence')} required validateStatus={err('residenceCode') ? 'error' : undefined} help={err('residenceCode') ?? t('apply.pickPlace')}>
                <DivisionPicker label={t('apply.residence')} value={d.residenceCode} onChange={(residenceCode) => set({ residenceCode })} invalid={Boolean(err('residenceCode'))} />
              </Form.Item>
              <Field id="phone" label={t('certApply.phone')} error={err('phone')}>
                <Input value={d.phone} inputMode="tel" autoComplete="tel" style={{ maxWidth: 420 }} onChange={(e) => set({ phone: e.target.value })} />
              </Field>
              {d.matter !== 'cancel' && !guardianKnown && (
                <Checkbox checked={d.withGuardian} onChange={(e) => set({ withGuardian: e.target.checked })}>{t('certApply.withGuardian')}</Checkbox>
              )}
            </Card>

            {guardian && <GuardianCard value={d} onChange={set} err={err} why={t('certApply.guardianWhy')} relationLabel={t('certApply.guardianRelation')} />}

            {!noCard && <DeliveryCard value={d} onChange={set} />}

            {staff && (
              <Card title={<CardTitle text={t('certApply.intake')} />} style={{ marginBottom: 16 }}>
                {checklist.length > 0 ? (
                  <Choice id="materialsProvided" legend={t('apply.materials')} error={err('materialsProvided')}>
                    <Checkbox.Group role="none" value={d.materials} onChange={(v) => set({ materials: v as string[] })}
                      options={checklist.map((m) => ({ value: m.code, label: pick(m.label) }))} style={{ display: 'grid', gap: 8 }} />
                  </Choice>
                ) : <p className="muted">{t('certApply.materialsAfterPlace')}</p>}
                {/* CARD-1: a card handed in at the window goes on the county's old-card register */}
                {d.matter !== 'reissue' && (
                  <Checkbox checked={d.oldCardCollected} onChange={(e) => set({ oldCardCollected: e.target.checked })}>{t('certApply.oldCard')}</Checkbox>
                )}
              </Card>
            )}
            <Button type="primary" htmlType="submit" size="large" loading={busy}>{t('apply.submit')}</Button>
          </>
        )}
      </Form>
    </>
  );
}

/** The holder and the certificate in force, masked, as the county's records show them. */
function HolderSummary({ loading, failed, holder, certificate }: { loading: boolean; failed: unknown; holder: any; certificate: any }) {
  const { t, pick, lang } = useI18n();
  if (loading) return <Spin aria-label={t('certApply.looking')} />;
  if (failed) return <ErrorBox error={failed} />;
  if (!holder) return <Alert type="warning" showIcon role="status" title={t('certApply.notFound')} />;
  const state = certificate?.state as CertificateState | undefined;
  return (
    <section aria-labelledby="holder-title" style={{ marginTop: 24 }}>
      <h3 id="holder-title" style={{ fontSize: 16, marginTop: 0 }}>{t('certApply.found')}</h3>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { label: t('case.name'), children: holder.nameMasked },
        { label: t('case.idNumber'), children: holder.idNumberMasked },
        { label: t('case.hukou'), children: holder.hukouName },
        { label: t('case.residence'), children: holder.residenceName },
      ]} />
      {certificate ? (
        <>
          <h3 style={{ fontSize: 16 }}>{t('certApply.current')}</h3>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
            { label: t('case.certificateNo'), children: `${certificate.numberMasked}（${t('person.cardN', { n: certificate.cardNo })}）` },
            { label: t('person.state'), children: pick(STATE[state!]) },
            { label: t('case.validity'), children: `${formatDate(certificate.validFrom, lang)} – ${formatDate(certificate.validUntil, lang)}` },
            { label: t('person.disabilities'), children: disabilitiesText(certificate.disabilities, lang) },
          ]} />
          {state !== 'active' && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('certApply.notActive', { state: pick(CERTIFICATE_STATES[state!]) })} />}
          {certificate.visualAssessment && <Alert type="info" showIcon style={{ marginTop: 8 }} title={t('certApply.visual')} />}
        </>
      ) : <Alert type="warning" showIcon title={t('certApply.noCertificate')} />}
      <p style={{ marginTop: 8 }}><Link to={`/persons/${holder.id}`}>{t('case.person')}</Link></p>
    </section>
  );
}
