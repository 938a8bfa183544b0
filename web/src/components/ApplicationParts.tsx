/**
 * What the application forms share — the NEW form and the form for a matter on an existing
 * certificate: the ID check as typed, a labelled field tied to its message, the guardian and
 * delivery sections, and the category names.
 */
import { Card, Form, Input, Radio } from 'antd';
import { cloneElement, type ReactElement } from 'react';
import { parseCitizenId } from '../../../src/domain/citizen-id';
import type { CategoryCode } from '../../../src/domain/disability';
import { DomainError, type Bilingual } from '../../../src/domain/errors';
import { useI18n } from '../i18n';
import { fieldError } from './ErrorBox';
import type { MessageKey } from '../i18n/zh';

export const CATEGORIES: { code: CategoryCode; zh: string; en: string }[] = [
  { code: 1, zh: '视力残疾', en: 'Vision' }, { code: 2, zh: '听力残疾', en: 'Hearing' }, { code: 3, zh: '言语残疾', en: 'Speech' },
  { code: 4, zh: '肢体残疾', en: 'Physical' }, { code: 5, zh: '智力残疾', en: 'Intellectual' }, { code: 6, zh: '精神残疾', en: 'Mental' },
];
export const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;

/** The ID number checked with the server's own code: the parsed number, or the message saying what is wrong. */
export function checkId(value: string) {
  if (!value) return { ok: false as const, message: null };
  try {
    return { ok: true as const, info: parseCitizenId(value) };
  } catch (e) {
    return { ok: false as const, message: e instanceof DomainError ? e.text : null };
  }
}

/** A labelled input whose message (help or error) is tied to it for screen readers. */
export function Field({ id, label, required, error, hint, invalid, children }: { id: string; label: string; required?: boolean; error?: string; hint?: string; invalid?: boolean; children: ReactElement<any> }) {
  const message = error ?? hint;
  return (
    <Form.Item label={label} required={required} htmlFor={id} validateStatus={error ? 'error' : undefined}
      help={message ? <span id={`${id}-help`} aria-live="polite">{message}</span> : undefined}>
      {cloneElement(children, { id, 'aria-invalid': Boolean(error) || invalid || undefined, 'aria-describedby': message ? `${id}-help` : undefined, 'aria-required': required || undefined })}
    </Form.Item>
  );
}

/** A domain label used on its own (the English ones are written to sit mid-sentence): “active” → “Active”. */
export const asLabel = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const CardTitle = ({ text }: { text: string }) => <h2 style={{ margin: 0, fontSize: 18 }}>{text}</h2>;

export type GuardianDraft = { guardianIdNumber: string; guardianName: string; guardianPhone: string; guardianRelation: string };
export const NO_GUARDIAN: GuardianDraft = { guardianIdNumber: '', guardianName: '', guardianPhone: '', guardianRelation: '' };

/** What is wrong with the guardian's details, by the field names the API uses. */
export function guardianProblems(g: GuardianDraft, t: (key: MessageKey, vars?: Record<string, string>) => string): Record<string, Bilingual | string> {
  const e: Record<string, Bilingual | string> = {};
  const id = checkId(g.guardianIdNumber.trim());
  if (!id.ok) e['guardian.idNumber'] = id.message ?? t('check.required', { field: t('apply.guardianIdNumber') });
  if (!g.guardianName.trim()) e['guardian.name'] = t('check.required', { field: t('apply.guardianName') });
  if (!PHONE.test(g.guardianPhone.trim())) e['guardian.phone'] = t('check.phone');
  if (!g.guardianRelation.trim()) e['guardian.relation'] = t('check.required', { field: t('apply.guardianRelation') });
  return e;
}

export const guardianBody = (g: GuardianDraft) => ({ idNumber: g.guardianIdNumber.trim(), name: g.guardianName.trim(), phone: g.guardianPhone.trim(), relation: g.guardianRelation.trim() });

export function GuardianCard({ value, onChange, err, why, relationLabel }: { value: GuardianDraft; onChange: (patch: Partial<GuardianDraft>) => void; err: (field: string) => string | undefined; why: string; relationLabel: string }) {
  const { t } = useI18n();
  return (
    <Card title={<CardTitle text={t('apply.guardian')} />} style={{ marginBottom: 16 }}>
      <p>{why}</p>
      <div className="grid2">
        <Field id="guardian-idNumber" label={t('apply.guardianIdNumber')} required error={err('guardian.idNumber')}>
          <Input value={value.guardianIdNumber} maxLength={18} onChange={(e) => onChange({ guardianIdNumber: e.target.value })} />
        </Field>
        <Field id="guardian-name" label={t('apply.guardianName')} required error={err('guardian.name')}>
          <Input value={value.guardianName} onChange={(e) => onChange({ guardianName: e.target.value })} />
        </Field>
        <Field id="guardian-phone" label={t('apply.guardianPhone')} required error={err('guardian.phone')}>
          <Input value={value.guardianPhone} inputMode="tel" onChange={(e) => onChange({ guardianPhone: e.target.value })} />
        </Field>
        <Field id="guardian-relation" label={relationLabel} required error={err('guardian.relation')}>
          <Input value={value.guardianRelation} onChange={(e) => onChange({ guardianRelation: e.target.value })} />
        </Field>
      </div>
    </Card>
  );
}

export type DeliveryDraft = { deliveryMethod: 'courier' | 'hand'; deliveryAddress: string };
export const deliveryBody = (d: DeliveryDraft) => ({ method: d.deliveryMethod, ...(d.deliveryAddress ? { address: d.deliveryAddress } : {}) });

/** How the card reaches the person: never "come and collect it" (NEW-7). */
export function DeliveryCard({ value, onChange }: { value: DeliveryDraft; onChange: (patch: Partial<DeliveryDraft>) => void }) {
  const { t } = useI18n();
  return (
    <Card title={<CardTitle text={t('apply.delivery')} />} style={{ marginBottom: 16 }}>
      <Radio.Group aria-label={t('apply.delivery')} value={value.deliveryMethod} onChange={(e) => onChange({ deliveryMethod: e.target.value })} options={[{ value: 'courier', label: t('apply.deliveryCourier') }, { value: 'hand', label: t('apply.deliveryHand') }]} />
      <div style={{ marginTop: 16 }}>
        <Field id="delivery-address" label={t('apply.deliveryAddress')}>
          <Input value={value.deliveryAddress} onChange={(e) => onChange({ deliveryAddress: e.target.value })} />
        </Field>
      </div>
    </Card>
  );
}

/**
 * A form's message for a field: its own check once the user has tried to send, else what the
 * server said about that field (or one of its aliases).
 */
export function fieldMessages(checked: boolean, local: Record<string, Bilingual | string>, error: unknown, pick: (b: Bilingual) => string) {
  return (field: string, ...aliases: string[]) => {
    const mine = checked ? local[field] : undefined;
    if (mine) return typeof mine === 'string' ? mine : pick(mine);
    return fieldError(error, [field, ...aliases], pick);
  };
}
