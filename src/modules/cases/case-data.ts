/**
 * SEC-1: a case's data is split on write: health data (the assessment and the not-qualified notice,
 * with measurements, levels and the doctor's reasons) goes into one encrypted column, the rest stays
 * readable for routing and reporting. Reads merge them back, so the workflow sees one object.
 */
import type { CaseData } from '../../domain/workflow/types.js';
import type { FieldCrypto } from '../../platform/crypto.js';

// the home-assessment request describes the person's condition ("bedridden since …"), so it is health data too
// an information update (RENEW-4) carries new personal details, which are kept the same way
const HEALTH_KEYS = ['assessment', 'assessmentRounds', 'notQualifiedNotice', 'home', 'homeRefusal', 'updates'] as const;

export function splitCaseData(crypto: FieldCrypto, data: CaseData): { data: CaseData; healthEnc: string | null } {
  const open: CaseData = { ...data };
  const health: CaseData = {};
  for (const k of HEALTH_KEYS) {
    if (k in open) {
      health[k] = open[k];
      delete open[k];
    }
  }
  return { data: open, healthEnc: Object.keys(health).length ? crypto.encryptJson(health) : null };
}

export function mergeCaseData(crypto: FieldCrypto, row: { data: CaseData; health_enc: string | null }): CaseData {
  return row.health_enc ? { ...row.data, ...crypto.decryptJson<CaseData>(row.health_enc) } : row.data;
}
