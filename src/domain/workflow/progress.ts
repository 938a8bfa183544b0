/**
 * MSG-1: the applicant's progress stepper. Each state of a matter belongs to one stage of the
 * journey the applicant recognises (filed → accepted → assessed → publicity/commitment → approved →
 * mailed → delivered); a matter's steps are the stages its own states reach, in that order — so a
 * reissue (no assessment) shows no assessment step, and a new matter added to the registry gets its
 * stepper from its states without code here. Which stage a state is in is keyed by the state's code,
 * shared across matters; the unit test walks every state of every matter and fails on one missing.
 */
import type { Bilingual } from '../errors.js';
import type { MatterDef } from './types.js';

export const STAGES = ['filed', 'accepted', 'assessed', 'publicity', 'approved', 'mailed', 'delivered'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, Bilingual> = {
  filed: { zh: '提交申请', en: 'Application filed' },
  accepted: { zh: '受理', en: 'Accepted' },
  assessed: { zh: '残疾评定', en: 'Assessment' },
  publicity: { zh: '公示或承诺', en: 'Publicity or commitment' },
  approved: { zh: '审批制证', en: 'Approval and card' },
  mailed: { zh: '寄送证件', en: 'Card mailed' },
  delivered: { zh: '送达', en: 'Delivered' },
};

/**
 * The stage a case in this state is working on (the step shown as current). Ended states name the
 * stage where the case stopped (shown as stopped there).
 */
export const STAGE_OF_STATE: Record<string, Stage> = {
  // waiting for the county (or the village and township) to accept
  submitted: 'accepted',
  awaiting_materials: 'accepted',
  home_village_review: 'accepted',
  home_township_review: 'accepted',
  home_county_review: 'accepted',
  home_refused: 'accepted',
  returned: 'accepted',
  // accepted: the assessment is under way
  assessing: 'assessed',
  awaiting_visit: 'assessed',
  result_review: 'assessed',
  not_qualified: 'assessed',
  // publicity (or, in the Zhejiang profile, the commitment letter collected at application)
  in_publicity: 'publicity',
  objection_review: 'publicity',
  // with the hukou county: approval, photo, printing
  hukou_review: 'approved',
  rerouting: 'approved',
  awaiting_archive: 'approved',
  awaiting_photo: 'approved',
  printing: 'approved',
  rejected: 'approved',
  abandoned: 'approved',
  cancelled: 'approved',
  // the card is on its way
  shipping: 'mailed',
  in_delivery: 'mailed',
  delivered: 'delivered',
};

export type ProgressStep = { code: Stage; zh: string; en: string; status: 'done' | 'current' | 'stopped' | 'todo' };

/** The matter's steps, and where a case in `state` stands on them. */
export function progressOf(matter: MatterDef, state: string): ProgressStep[] {
  const reached = new Set<Stage>(['filed', ...Object.keys(matter.states).map((s) => STAGE_OF_STATE[s]).filter(Boolean)]);
  const steps = STAGES.filter((s) => reached.has(s));
  const final = matter.states[state]?.final;
  const here = STAGE_OF_STATE[state] ?? 'filed';
  const at = final === 'completed' ? steps.length : steps.indexOf(here);
  return steps.map((code, i) => ({
    code,
    ...STAGE_LABELS[code],
    status: i < at ? 'done' : i === at ? (final === 'ended' ? 'stopped' : 'current') : 'todo',
  }));
}
