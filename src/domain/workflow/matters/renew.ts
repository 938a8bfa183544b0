/**
 * RENEW — 换领 (002 §4.2). Three variants: expiry renewal (from 9 years after the validity start;
 * the new card's validity starts on the hukou county's issue date), a damaged card and an
 * information update (new card, same validity; never category or level — that is CHANGE).
 * A pre-2018 certificate assessed by sight (目测) must be reassessed at an expiry renewal (RENEW-2),
 * and the accepting county may require a reassessment of any expiry renewal; the result is
 * publicised (or covered by the commitment letter) and the hukou county then either issues a new
 * card or, when the result no longer meets the standard, cancels the certificate.
 */
import { z } from 'zod';
import type { Guard } from '../types.js';
import { assessmentFormOnFile, NEW_MATTER, publicityNotRequired } from './new.js';
import {
  ACCEPTANCE_ACTIONS, ACCEPTANCE_STATES, approveReplacement, ASSESSMENT_ACTIONS, ASSESSMENT_STATES, CARD_ACTIONS, CARD_STATES,
  certificateMatter, forwardWithoutAssessment, HUKOU_ACTIONS, HUKOU_STATES, label, pickActions, pickStates,
} from './shared.js';

export const RENEW_VARIANTS = ['expiry', 'damaged', 'info_update'] as const;

const isExpiryRenewal: Guard = (ctx) =>
  ctx.snap.variant === 'expiry' ? null : { zh: '只有到期换领需要重新评定。', en: 'only an expiry renewal is reassessed.' };

/** RENEW-2: a certificate issued before 2018 by visual assessment is never renewed without reassessment. */
const noReassessmentDue: Guard = (ctx) =>
  ctx.snap.variant === 'expiry' && ctx.snap.certificate?.visualAssessment
    ? { zh: '该证为2018年前目测评定发放，换领须重新评定。', en: 'the certificate was issued before 2018 on a visual assessment; it must be reassessed to be renewed.' }
    : null;

const assessment = (ctx: Parameters<Guard>[0]) => ctx.snap.data.assessment as { qualified: boolean } | undefined;

/** After a reassessment the result goes to the hukou county either way: met → new card (publicised first where required), not met → cancellation. */
const resultMaySkipPublicity: Guard = (ctx) => {
  const a = assessment(ctx);
  if (!a) return { zh: '尚无评定结果。', en: 'there is no assessment result yet.' };
  return a.qualified ? publicityNotRequired(ctx) : null;
};
const resultMetIfAssessed: Guard = (ctx) =>
  assessment(ctx)?.qualified === false
    ? { zh: '重新评定未达到残疾标准，应注销残疾人证。', en: 'the reassessment does not meet the standard; the certificate is to be cancelled instead.' }
    : null;
const resultNotMet: Guard = (ctx) =>
  assessment(ctx)?.qualified === false ? null : { zh: '只有重新评定未达标准时才注销。', en: 'the certificate is cancelled only when a reassessment does not meet the standard.' };

export const RENEW_MATTER = certificateMatter({
  code: 'renew',
  label: label('换领残疾人证', 'Certificate renewal'),
  states: {
    // a reassessment below the standard goes to the hukou county to be cancelled (below), so NEW's
    // "not qualified, applicant told" ending is not a state of a renewal (the definition linter found it unreachable)
    ...pickStates(...ACCEPTANCE_STATES, ...ASSESSMENT_STATES.filter((s) => s !== 'not_qualified'), ...HUKOU_STATES, ...CARD_STATES),
    cancelled: { label: label('重新评定未达标准，证件已注销', 'Reassessment below the standard: certificate cancelled'), final: 'ended' },
  },
  actions: {
    ...pickActions(...ACCEPTANCE_ACTIONS, ...ASSESSMENT_ACTIONS, ...HUKOU_ACTIONS, ...CARD_ACTIONS),
    accept: { ...NEW_MATTER.actions.accept, label: label('受理并安排重新评定', 'Accept and have the person reassessed'), guards: [...(NEW_MATTER.actions.accept.guards ?? []), isExpiryRenewal] },
    forward_renewal: forwardWithoutAssessment([noReassessmentDue]),
    forward_to_hukou: { ...NEW_MATTER.actions.forward_to_hukou, guards: [resultMaySkipPublicity, assessmentFormOnFile] },
    approve: approveReplacement(undefined, [resultMetIfAssessed]),
    cancel_certificate: {
      label: label('重新评定未达标准，注销残疾人证', 'Reassessment below the standard: cancel the certificate'),
      from: ['hukou_review'],
      to: 'cancelled',
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ note: z.string().trim().max(500).optional() }),
      guards: [resultNotMet],
      clock: { stop: ['hukou_issue'] },
      effects: ['cancelCertificate'],
      apply: (ctx) => ({ cancellation: { on: ctx.today, reason: 'recovery', note: ctx.input.note ?? '' } }),
    },
  },
});
