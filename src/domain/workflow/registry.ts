import { invalid } from '../errors.js';
import { CANCEL_MATTER } from './matters/cancel.js';
import { CHANGE_MATTER } from './matters/change.js';
import { NEW_MATTER } from './matters/new.js';
import { REISSUE_MATTER } from './matters/reissue.js';
import { RENEW_MATTER } from './matters/renew.js';
import { TRANSFER_MATTER } from './matters/transfer.js';
import type { MatterDef } from './types.js';

/** Every matter the engine runs (SPEC §2: the six matters). No prototype, so `MATTERS['__proto__']` is no matter. */
export const MATTERS: Record<string, MatterDef> = Object.assign(Object.create(null), {
  new: NEW_MATTER,
  renew: RENEW_MATTER,
  transfer: TRANSFER_MATTER,
  reissue: REISSUE_MATTER,
  cancel: CANCEL_MATTER,
  change: CHANGE_MATTER,
});

/** The matters that act on an existing certificate; NEW makes the first one. */
export const CERTIFICATE_MATTERS = ['renew', 'transfer', 'reissue', 'cancel', 'change'] as const;
export type CertificateMatter = (typeof CERTIFICATE_MATTERS)[number];

export function matterDef(code: string): MatterDef {
  const m = MATTERS[code];
  if (!m) {
    throw invalid(
      'matter.unknown',
      `没有“${code}”这一事项。可选：${Object.keys(MATTERS).join('、')}。`,
      `There is no matter "${code}". Choose one of: ${Object.keys(MATTERS).join(', ')}.`,
      'matter',
    );
  }
  return m;
}
