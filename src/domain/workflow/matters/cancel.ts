/**
 * CANCEL — 注销 (002 §4.5). Whole cancellation (death, recovery, the holder's request, overdue renewal
 * or review, fraud) closes the certificate; a partial one removes some categories of a multiple
 * disability and a new card shows the rest with the level recomputed (CANCEL-2). The accepting county
 * checks the papers; the hukou county decides. A person cancelled cannot apply again for a year (NEW-1).
 */
import { z } from 'zod';
import type { Guard } from '../types.js';
import {
  ACCEPTANCE_ACTIONS, ACCEPTANCE_STATES, approveReplacement, CARD_ACTIONS, CARD_STATES, certificateMatter, forwardWithoutAssessment,
  HUKOU_ACTIONS, HUKOU_STATES, label, pickActions, pickStates,
} from './shared.js';

export const CANCEL_VARIANTS = ['whole', 'partial'] as const;

const variantIs = (v: (typeof CANCEL_VARIANTS)[number]): Guard => (ctx) =>
  ctx.snap.variant === v
    ? null
    : v === 'whole'
      ? { zh: '这是部分类别注销，批准后制发新证。', en: 'this is a partial cancellation; approving it issues a new card.' }
      : { zh: '这是整证注销。', en: 'this is a whole cancellation.' };

export const CANCEL_MATTER = certificateMatter({
  code: 'cancel',
  label: label('注销残疾人证', 'Certificate cancellation'),
  states: {
    ...pickStates(...ACCEPTANCE_STATES, ...HUKOU_STATES, ...CARD_STATES),
    cancelled: { label: label('已注销', 'Cancelled'), final: 'completed' },
  },
  actions: {
    ...pickActions(...ACCEPTANCE_ACTIONS, ...HUKOU_ACTIONS, ...CARD_ACTIONS),
    forward_cancellation: forwardWithoutAssessment(),
    approve_cancellation: {
      label: label('审批注销', 'Approve the cancellation'),
      from: ['hukou_review'],
      to: 'cancelled',
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ note: z.string().trim().max(500).optional() }),
      guards: [variantIs('whole')],
      clock: { stop: ['hukou_issue'] },
      effects: ['cancelCertificate'],
      // the reason and note given at application stay; the approver's note is kept beside them
      apply: (ctx) => ({ cancellation: { ...ctx.snap.data.cancellation, on: ctx.today, approvalNote: ctx.input.note ?? '' } }),
    },
    // CANCEL-2: the remaining categories on a new card, through the ordinary card stages
    approve: approveReplacement(label('审批部分注销，制发新证', 'Approve the partial cancellation and issue the new card'), [variantIs('partial')]),
  },
});
