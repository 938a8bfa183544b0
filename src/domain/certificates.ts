/** CARD-2: certificate states and validity, shared by issuing and by the legacy import's checks. */
import { addCalendarYears, zhDate } from './dates.js';
import type { Disability } from './disability.js';
import { conflict, type Bilingual } from './errors.js';

export type CertificateState = 'active' | 'frozen' | 'reported_lost' | 'expired' | 'cancelled';
export const CERTIFICATE_STATES: Readonly<Record<CertificateState, Bilingual>> = {
  active: { zh: '有效', en: 'active' },
  frozen: { zh: '冻结', en: 'frozen' },
  reported_lost: { zh: '已挂失', en: 'reported lost' },
  expired: { zh: '过期', en: 'expired' },
  cancelled: { zh: '注销', en: 'cancelled' },
};

/** Validity: ten years from the issue date (002); 29 February falls back to 28 February. */
export const validityEnd = (issuedOn: string): string => addCalendarYears(issuedOn, 10);

/**
 * CARD-2: how a certificate's state may change. A lost card is never reactivated (REISSUE-1); a
 * cancelled one never comes back (a new application makes a new certificate); an expired one is
 * only renewed (a new card) or cancelled.
 */
const NEXT: Readonly<Record<CertificateState, readonly CertificateState[]>> = {
  active: ['frozen', 'reported_lost', 'expired', 'cancelled'],
  frozen: ['active', 'reported_lost', 'expired', 'cancelled'],
  reported_lost: ['cancelled'],
  expired: ['cancelled'],
  cancelled: [],
};

export function assertCertificateTransition(from: CertificateState, to: CertificateState): void {
  if (NEXT[from].includes(to)) return;
  throw conflict(
    'certificate.illegal_state',
    `残疾人证当前状态为“${CERTIFICATE_STATES[from].zh}”，不能改为“${CERTIFICATE_STATES[to].zh}”。`,
    `The certificate is ${CERTIFICATE_STATES[from].en}; it cannot become ${CERTIFICATE_STATES[to].en}.`,
  );
}

/** CANCEL-1: why a certificate is cancelled (and, for TRF-4, why one is frozen). */
export const CANCEL_REASONS = ['death', 'recovery', 'own_request', 'overdue_renewal', 'fraud', 'hukou_moved'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const CANCEL_REASON_LABELS: Readonly<Record<CancelReason, Bilingual>> = {
  death: { zh: '持证人死亡', en: 'the holder died' },
  recovery: { zh: '康复，不再符合残疾标准', en: 'recovered, no longer meets the standard' },
  own_request: { zh: '本人（监护人）申请', en: 'at the holder’s (guardian’s) request' },
  overdue_renewal: { zh: '逾期未换领或复核', en: 'renewal or review overdue' },
  fraud: { zh: '弄虚作假取得', en: 'obtained by fraud' },
  hukou_moved: { zh: '户口迁出超过一年未办理迁移', en: 'hukou moved out over a year ago without a transfer' },
};

export type CertificateFacts = { state: CertificateState; validFrom: string; validUntil: string; disabilities: Disability[]; visualAssessment: boolean };

/** RENEW-1: an expiry renewal is possible from 9 years after the validity start. */
export const renewableFrom = (validFrom: string) => addCalendarYears(validFrom, 9);

/** What each matter may act on: which certificate states, per matter and variant. */
const ACTS_ON: Record<string, readonly CertificateState[]> = {
  'renew:expiry': ['active', 'frozen', 'expired'],
  renew: ['active', 'frozen'],
  transfer: ['active', 'frozen'],
  // a lost card whose reissue was returned or refused is reissued again (never reactivated)
  reissue: ['active', 'frozen', 'reported_lost'],
  cancel: ['active', 'frozen', 'expired', 'reported_lost'],
  change: ['active', 'frozen'],
};

export type MatterRequest = { matter: string; variant?: string | null; categories?: number[]; removeCategories?: number[]; updates?: Record<string, unknown> };

/**
 * Whether a matter may be opened on this certificate today, and if not, why — in words that say
 * what to do instead (RENEW-1, RENEW-4, CANCEL-2, CHANGE-1, and the state each matter needs).
 * A refusal naming a `field` is the request's fault (422, decision 0008): what it asks does not fit
 * the certificate; one without is the certificate's state or date (409): nothing sent could fix it now.
 */
export function certificateMatterRefusal(r: MatterRequest, cert: CertificateFacts, today: string): (Bilingual & { field?: string }) | null {
  const allowed = ACTS_ON[`${r.matter}:${r.variant}`] ?? ACTS_ON[r.matter] ?? [];
  if (!allowed.includes(cert.state)) {
    const hint = cert.state === 'reported_lost' ? { zh: '已挂失的证件只能办理挂失补办或注销。', en: 'A card reported lost can only be reissued or cancelled.' }
      : cert.state === 'expired' ? { zh: '过期的证件请办理到期换领。', en: 'An expired certificate is renewed (expiry renewal).' }
      : { zh: '', en: '' };
    return {
      zh: `残疾人证当前状态为“${CERTIFICATE_STATES[cert.state].zh}”，不能办理此事项。${hint.zh}`,
      en: `The certificate is ${CERTIFICATE_STATES[cert.state].en}; this matter cannot be opened on it. ${hint.en}`.trim(),
    };
  }
  const categories = cert.disabilities.map((d) => d.category as number);
  if (r.matter === 'renew' && r.variant === 'expiry' && today < renewableFrom(cert.validFrom)) {
    const from = renewableFrom(cert.validFrom);
    return { zh: `到期换领自有效期起满9年方可办理，即${zhDate(from)}起。`, en: `An expiry renewal is possible from 9 years after the validity start, i.e. from ${from}.` };
  }
  if (r.matter === 'renew' && r.variant === 'info_update' && Object.keys(r.updates ?? {}).some((k) => ['category', 'categories', 'level', 'disabilities'].includes(k))) {
    return { zh: '资料更新换证不能变更残疾类别或等级，请办理“残疾类别/等级变更”。', en: 'An information update cannot change the category or level; apply for a category/level change instead.', field: 'updates' };
  }
  if (r.matter === 'cancel' && r.variant === 'partial') {
    const remove = r.removeCategories ?? [];
    if (categories.length < 2) return { zh: '部分注销只适用于多重残疾，请办理整证注销。', en: 'A partial cancellation is only for a multiple disability; cancel the whole certificate instead.', field: 'variant' };
    if (!remove.length || remove.some((c) => !categories.includes(c))) return { zh: '请选择证上已有的、要注销的残疾类别。', en: 'Choose the categories to remove from those on the certificate.', field: 'removeCategories' };
    if (remove.length >= categories.length) return { zh: '部分注销须保留至少一个类别；全部注销请办理整证注销。', en: 'A partial cancellation keeps at least one category; to remove all, cancel the whole certificate.', field: 'removeCategories' };
  }
  if (r.matter === 'change' && !(r.categories ?? []).length) {
    return { zh: '请选择变更后申请评定的残疾类别。', en: 'Choose the categories to be assessed for the change.', field: 'categories' };
  }
  return null;
}

export type Replacement = { disabilities: Disability[]; validFrom: string; validUntil: string; old: 'cancelled' | 'kept' };

/**
 * The new card a matter issues in place of the certificate: renewal for expiry and a change start
 * a new ten-year validity on the issue date (RENEW-1, CHANGE-1); a damaged card, an information
 * update, a reissue, a transfer and a partial cancellation keep the validity (RENEW-3/4, REISSUE-1,
 * TRF-1, CANCEL-2). Levels come from the reassessment when there was one. The old card is closed
 * (cancelled, pointing to the new one) — except a lost card, which stays "reported lost" forever.
 */
export function replacementCard(
  matter: string,
  variant: string | null | undefined,
  cert: CertificateFacts,
  assessed: { qualified: boolean; disabilities: Disability[] } | undefined,
  removeCategories: number[],
  issuedOn: string,
): Replacement {
  const keep = { validFrom: cert.validFrom, validUntil: cert.validUntil };
  const fresh = { validFrom: issuedOn, validUntil: validityEnd(issuedOn) };
  const disabilities = assessed?.qualified ? assessed.disabilities : cert.disabilities;
  switch (matter) {
    case 'renew':
      return { disabilities, ...(variant === 'expiry' ? fresh : keep), old: 'cancelled' };
    case 'change':
      return { disabilities, ...fresh, old: 'cancelled' };
    case 'cancel':
      return { disabilities: cert.disabilities.filter((d) => !removeCategories.includes(d.category)), ...keep, old: 'cancelled' };
    case 'reissue':
      return { disabilities: cert.disabilities, ...keep, old: 'kept' };
    case 'transfer':
      return { disabilities: cert.disabilities, ...keep, old: 'cancelled' };
    default:
      throw new Error(`matter ${matter} does not replace a certificate`);
  }
}
