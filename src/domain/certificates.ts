/** CARD-2: certificate states and validity, shared by issuing and by the legacy import's checks. */
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
export function validityEnd(issuedOn: string): string {
  const [y, m, d] = issuedOn.split('-').map(Number);
  const end = new Date(Date.UTC(y + 10, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0);
  return end.toISOString().slice(0, 10);
}

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
