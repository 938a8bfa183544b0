/**
 * What the five matters on an existing certificate share with NEW: its acceptance, assessment,
 * publicity, hukou review and card stages are taken from the NEW table as they are, so a rule
 * fixed there (a guard, a clock) holds for every matter that passes through that stage.
 */
import { z } from 'zod';
import type { ActionDef, Guard, MatterDef, StateDef } from '../types.js';
import { HUKOU_DESK, label, materialsComplete, NEW_MATTER, RESIDENCE_DESK } from './new.js';

export const pickStates = (...codes: string[]): Record<string, StateDef> =>
  Object.fromEntries(codes.map((c) => [c, NEW_MATTER.states[c]]));
export const pickActions = (...codes: string[]): Record<string, ActionDef> =>
  Object.fromEntries(codes.map((c) => [c, NEW_MATTER.actions[c]]));

/** Taking the application: the one-time notice, supplying, returning. */
export const ACCEPTANCE_STATES = ['submitted', 'awaiting_materials', 'returned'];
export const ACCEPTANCE_ACTIONS = ['request_materials', 'supplement_materials', 'return_application'];
/** The hukou county's review, a return for re-routing, approval or rejection. */
export const HUKOU_STATES = ['hukou_review', 'rerouting', 'rejected'];
export const HUKOU_ACTIONS = ['return_not_ours', 'reroute', 'reject'];
/** The card: photo (2nd generation), print, ship, delivered (NEW-7, NEW-9). */
export const CARD_STATES = ['awaiting_photo', 'printing', 'shipping', 'in_delivery', 'delivered', 'abandoned'];
export const CARD_ACTIONS = ['receive_photo', 'abandon_no_photo', 'print', 'ship', 'mark_delivered'];
/** Assessment and its result: attendance, re-assessment, publicity or commitment letter (NEW-3, NEW-4). */
export const ASSESSMENT_STATES = ['assessing', 'result_review', 'in_publicity', 'objection_review', 'not_qualified'];
export const ASSESSMENT_ACTIONS = ['accept', 'record_attendance', 'abandon_no_attendance', 'record_assessment', 'request_reassessment', 'start_publicity', 'record_objection', 'resolve_objection', 'finish_publicity'];

/** A matter on a certificate without assessment: the accepting county checks the papers and sends them to the hukou county. */
export const forwardWithoutAssessment = (guards: Guard[] = []): ActionDef => ({
  label: label('审核通过，报户籍地', 'Checked: send to the hukou county'),
  from: ['submitted'],
  to: 'hukou_review',
  side: 'residence',
  roles: [...RESIDENCE_DESK],
  input: z.object({ note: z.string().trim().max(500).optional() }),
  guards: [materialsComplete, ...guards],
  clock: { stop: ['acceptance'], start: ['hukou_issue'] },
});

/** The hukou county's approval that replaces the card (the old one is closed and points to the new). */
export const approveReplacement = (labels = label('审批通过，制发新证', 'Approve and issue the new card'), guards: Guard[] = []): ActionDef => ({
  ...NEW_MATTER.actions.approve,
  label: labels,
  roles: ['approver'],
  side: 'hukou',
  guards,
  effects: ['replaceCertificate'],
});

/**
 * A matter made of NEW's stages: actions taken over from NEW keep only the states this matter has,
 * so neither the engine nor the diagrams see a step (say, from a home-visit state) it cannot take.
 */
export function certificateMatter(def: Omit<MatterDef, 'initial' | 'family'>): MatterDef {
  const has = (s: string) => s in def.states;
  // an action none of whose states the matter has is no action of it (e.g. the photo stage of a transfer)
  const actions = Object.fromEntries(
    Object.entries(def.actions)
      .map(([code, a]) => [code, { ...a, from: a.from.filter(has), ...(a.targets ? { targets: a.targets.filter(has) } : {}) }] as const)
      .filter(([, a]) => a.from.length > 0),
  );
  return { initial: 'submitted', family: 'certificate', ...def, actions };
}

export { HUKOU_DESK, label, RESIDENCE_DESK };
