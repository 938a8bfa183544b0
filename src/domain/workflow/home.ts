/**
 * HOME-1…4 — 上门评定. A person who cannot travel (e.g. bedridden) asks at the village/community, in
 * writing or by phone, or the family asks online. The request is reviewed by the village, the
 * township and the county federation in turn; a refusal at any level ends it and the family is told
 * why (000, 001). Once the county approves, the request simply IS the application: it continues as a
 * case of its matter (NEW today; CHANGE/RENEW reuse this fragment), so nothing is typed twice.
 *
 * After acceptance the case waits for the county to plan a visit batch (HOME-3); that wait is not
 * the county's assessment time (SLA-1 pauses it "while a home assessment is being arranged"), so no
 * clock runs in `awaiting_visit`. No fee is charged (HOME-4) and the card is always mailed or handed
 * over, as for every case (NEW-7).
 */
import { z } from 'zod';
import type { Bilingual } from '../errors.js';
import type { ActionDef, Guard, Role, StateDef } from './types.js';

const label = (zh: string, en: string): Bilingual => ({ zh, en });
const RESIDENCE_DESK: Role[] = ['clerk', 'reviewer'];

/** The state a case starts in when it begins as a home-assessment request. */
export const HOME_INITIAL = 'home_village_review';

export const homeRequestSchema = z.object({
  /** why the person cannot travel, in the family's words */
  reason: z.string().trim().min(4, 'describe why the person cannot travel / 请说明行动不便的情况').max(500),
  /** how the request reached the village: a written request, a phone call, or online by the family */
  channel: z.enum(['written', 'phone', 'online']),
});
export type HomeRequest = z.infer<typeof homeRequestSchema>;

const REVIEW_LEVELS = [
  { state: 'home_village_review', level: 'village', roles: ['village_worker'] as Role[] },
  { state: 'home_township_review', level: 'township', roles: ['township_worker'] as Role[] },
  { state: 'home_county_review', level: 'county', roles: RESIDENCE_DESK },
] as const;

export const HOME_STATES: Record<string, StateDef> = {
  home_village_review: { label: label('上门评定申请：村（社区）初审', 'Home assessment: village review'), waitingOn: { side: 'residence', roles: ['village_worker'] } },
  home_township_review: { label: label('上门评定申请：乡镇（街道）审核', 'Home assessment: township review'), waitingOn: { side: 'residence', roles: ['township_worker'] } },
  home_county_review: { label: label('上门评定申请：县级残联审核', 'Home assessment: county review'), waitingOn: { side: 'residence', roles: RESIDENCE_DESK } },
  home_refused: { label: label('上门评定申请未获同意，已告知', 'Home assessment refused, family told'), final: 'ended' },
  awaiting_visit: { label: label('待安排上门评定', 'Awaiting a home visit'), waitingOn: { side: 'residence', roles: RESIDENCE_DESK } },
};

const opinion = z.object({ opinion: z.string().trim().max(500).optional() });
const review = (level: string, on: string, decision: 'approved' | 'refused', text: string) => ({ level, on, decision, text });
const withReview = (data: Record<string, any>, entry: ReturnType<typeof review>) => ({ home: { ...data.home, reviews: [...(data.home?.reviews ?? []), entry] } });

function approveAt(i: 0 | 1 | 2, next: string, labels: Bilingual): ActionDef {
  const { state, level, roles } = REVIEW_LEVELS[i];
  return {
    label: labels,
    from: [state],
    to: next,
    side: 'residence',
    roles,
    input: opinion,
    // the county's approval makes the request an application: its acceptance clock starts now
    clock: next === 'submitted' ? { start: ['acceptance'] } : undefined,
    apply: (ctx) => withReview(ctx.snap.data, review(level, ctx.today, 'approved', ctx.input.opinion ?? '')),
  };
}

const onHomeVisit: Guard = (ctx) =>
  ctx.snap.data.visit ? null : { zh: '本案件没有安排上门评定。', en: 'no home visit is planned for this case.' };

export const HOME_ACTIONS: Record<string, ActionDef> = {
  approve_home_village: approveAt(0, 'home_township_review', label('村（社区）初审同意', 'Village review: agree')),
  approve_home_township: approveAt(1, 'home_county_review', label('乡镇（街道）审核同意', 'Township review: agree')),
  approve_home_county: approveAt(2, 'submitted', label('县级残联同意上门评定', 'County: approve home assessment')),
  refuse_home: {
    label: label('不同意上门评定并告知原因', 'Refuse home assessment and tell the family why'),
    from: REVIEW_LEVELS.map((l) => l.state),
    to: 'home_refused',
    side: 'residence',
    roles: [...new Set(REVIEW_LEVELS.flatMap((l) => l.roles))],
    // each level refuses only while the request is before it
    rolesIn: Object.fromEntries(REVIEW_LEVELS.map((l) => [l.state, l.roles])),
    input: z.object({
      reason: z.string().trim().min(4, 'give the reason the family will be told / 请填写告知家属的原因').max(500),
      toldVia: z.enum(['phone', 'letter', 'visit', 'sms']),
    }),
    apply: (ctx) => {
      const level = REVIEW_LEVELS.find((l) => l.state === ctx.snap.state)!.level;
      return { ...withReview(ctx.snap.data, review(level, ctx.today, 'refused', ctx.input.reason)), homeRefusal: { level, on: ctx.today, ...ctx.input } };
    },
  },
  schedule_visit: {
    // taken by the visit-batch planner (HOME-3) when the case joins a batch, never typed by hand
    label: label('编入上门评定批次', 'Add to a visit batch'),
    from: ['awaiting_visit'],
    to: 'assessing',
    side: 'residence',
    roles: RESIDENCE_DESK,
    input: z.object({ batchId: z.string().uuid(), batchNo: z.string(), visitOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), mode: z.enum(['home', 'centralized']), place: z.string().max(200) }),
    // the county's assessment time runs from the planned visit; a person not at home restarts it
    clock: { start: ['assessment'] },
    apply: (ctx) => ({ visit: ctx.input }),
  },
  record_visit_outcome: {
    label: label('登记上门未评定原因', 'Record a visit without assessment'),
    from: ['assessing'],
    to: (ctx) => (ctx.input.outcome === 'refused' ? 'abandoned' : 'awaiting_visit'),
    targets: ['abandoned', 'awaiting_visit'],
    side: 'institution',
    roles: ['doctor'],
    input: z.object({ outcome: z.enum(['not_home', 'refused', 'moved']), note: z.string().trim().max(500).optional() }),
    // only a case on a visit batch has a visit to report: elsewhere the action does not apply (not shown as blocked)
    appliesWhen: onHomeVisit,
    clock: (to) => (to === 'abandoned' ? { stop: ['assessment'] } : { pause: ['assessment'] }),
    apply: (ctx) => ({
      visit: null,
      visitHistory: [...(ctx.snap.data.visitHistory ?? []), { ...ctx.snap.data.visit, outcome: ctx.input.outcome, note: ctx.input.note ?? '', on: ctx.today }],
    }),
  },
};
