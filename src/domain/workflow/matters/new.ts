/**
 * NEW — 新办 a first certificate (002 §4.1, 003). States and actions as data; see
 * docs/workflows/new.md for the diagram drawn from this table.
 */
import { z } from 'zod';
import { ageOn } from '../../citizen-id.js';
import { addCalendarDays, zhDate } from '../../dates.js';
import { checkConclusion, type Measurements } from '../../grading.js';
import type { Bilingual } from '../../errors.js';
import { missingMaterials, requiredMaterials } from '../../materials.js';
import { clockStatus } from '../../working-days.js';
import { HOME_ACTIONS, HOME_INITIAL, HOME_STATES } from '../home.js';
import type { ActionContext, Guard, MatterDef } from '../types.js';

export const reason = z.string().trim().min(2, 'reason required / 请填写原因').max(500);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD / 日期格式为 YYYY-MM-DD');

const disabilitySchema = z.object({
  category: z.number().int().min(1).max(6),
  level: z.number().int().min(1).max(4),
});

export function missingFor(snap: ActionContext['snap'], provided: string[]) {
  const required = requiredMaterials(snap.matter, {
    needsGuardian: Boolean(snap.data.needsGuardian),
    crossRegion: snap.crossRegion,
    profile: snap.profile,
    variant: snap.variant,
    reason: snap.data.cancellation?.reason,
  });
  return missingMaterials(required, provided);
}

const provided = (ctx: ActionContext): string[] => ctx.snap.data.materials?.provided ?? [];

export const materialsComplete: Guard = (ctx) =>
  missingFor(ctx.snap, provided(ctx)).length === 0
    ? null
    : {
        zh: '材料不齐，请先出具一次性告知单，列明全部缺少的材料。',
        en: 'materials are incomplete; issue the one-time notice listing every missing item first.',
      };

const somethingMissing: Guard = (ctx) =>
  missingFor(ctx.snap, provided(ctx)).length > 0
    ? null
    : { zh: '材料已齐全，无需告知补正，请直接受理。', en: 'nothing is missing; accept the application instead.' };

export const qualified = (yes: boolean): Guard => (ctx) => {
  const a = ctx.snap.data.assessment;
  if (!a) return { zh: '尚无评定结果。', en: 'there is no assessment result yet.' };
  if (a.qualified === yes) return null;
  return yes
    ? { zh: '评定结果未达到残疾标准。', en: 'the assessment result does not meet the disability standard.' }
    : { zh: '评定结果已达到残疾标准。', en: 'the assessment result meets the disability standard.' };
};

/**
 * ASMT-2: when the doctor enters the measurements, the level they imply is computed; a conclusion
 * that disagrees stands only with a written justification, and is flagged for audit.
 */
function gradingCheck(input: { qualified: boolean; disabilities: { category: number; level: number }[]; measurements?: Measurements[] }) {
  if (!input.measurements?.length) return null;
  return checkConclusion(input.measurements, input.qualified ? (input.disabilities as any) : []);
}
const conclusionJustified: Guard = (ctx) => {
  const check = gradingCheck(ctx.input);
  if (!check || (check.allAgree && check.qualified === ctx.input.qualified) || ctx.input.justification) return null;
  return {
    zh: '评定结论与测量值推算的等级不一致，请填写理由（将标记供抽查）。',
    en: 'the conclusion differs from the level the measurements imply; give a justification (it will be flagged for audit).',
  };
};

/**
 * ASMT-2: the form is dated the day the doctor assessed: not before the case was accepted (and the
 * institution named), and not in the future.
 */
const assessedOnInRange: Guard = (ctx) => {
  const on: string | undefined = ctx.input.assessedOn;
  if (!on) return null;
  if (on > ctx.today) {
    return { zh: `评定日期${zhDate(on)}晚于今天（${zhDate(ctx.today)}），不能填写将来的日期。`, en: `the assessment date ${on} is after today (${ctx.today}); it cannot be in the future.` };
  }
  const accepted: string | undefined = ctx.snap.data.acceptedOn;
  if (accepted && on < accepted) {
    return { zh: `评定日期${zhDate(on)}早于受理日期${zhDate(accepted)}，请填写实际评定的日期。`, en: `the assessment date ${on} is before the case was accepted (${accepted}); enter the day the assessment took place.` };
  }
  return null;
};

/** The single categories (1–6) applied for: the doctor's form starts with one row for each. */
const appliedCategories = (snap: ActionContext['snap']) => [...new Set(snap.categories.filter((c) => c >= 1 && c <= 6))].sort();

/**
 * ASMT-2: the county works from the form the doctor signed and the institution stamped, so its scan
 * must be on file — one for each round of assessment — before the result goes anywhere.
 */
export const assessmentFormOnFile: Guard = (ctx) => {
  const scans = (ctx.snap.documents ?? []).filter((code) => code === 'assessment_form').length;
  return scans > (ctx.snap.data.assessmentRounds ?? []).length
    ? null
    : { zh: '尚未上传医生签字、机构盖章的残疾评定表扫描件。', en: 'the scan of the assessment form, signed by the doctor and stamped by the institution, is not on file yet.' };
};

const REASSESSMENT_ROUNDS = ['复评', '终评'] as const;
const reassessmentLeft: Guard = (ctx) => {
  if (!ctx.snap.data.assessment) return { zh: '尚无评定结果。', en: 'there is no assessment result yet.' };
  return (ctx.snap.data.reassessments ?? []).length < REASSESSMENT_ROUNDS.length
    ? null
    : { zh: '已经过复评和终评，终评结论为最终结论。', en: 'the result has been re-assessed twice (复评 and 终评); the final one stands.' };
};

const isMinorOn = (ctx: ActionContext) => ageOn(ctx.snap.birthDate, ctx.today) < 18;

/** NEW-4: adults are publicised unless the profile uses a commitment letter; minors never are. */
const publicityRequired: Guard = (ctx) => {
  if (!ctx.snap.profile.publicity) return { zh: '本地政策以承诺书代替公示。', en: 'this region uses a commitment letter instead of publicity.' };
  if (isMinorOn(ctx)) return { zh: '申请人未满18周岁，不予公示。', en: 'the applicant is under 18 and is never publicised.' };
  return null;
};
export const publicityNotRequired: Guard = (ctx) =>
  publicityRequired(ctx) === null
    ? { zh: '该申请人须先完成公示。', en: 'this applicant must be publicised first.' }
    : null;

const publicityOver: Guard = (ctx) => {
  const p = ctx.snap.data.publicity;
  return p && ctx.today >= p.endsOn
    ? null
    : { zh: `公示期至${zhDate(p?.endsOn)}，期满后方可结束。`, en: `publicity runs until ${p?.endsOn ?? '—'}; finish it after that date.` };
};

const photoOverdue: Guard = (ctx) => {
  const clock = ctx.snap.clocks.photo;
  const status = clock ? clockStatus(ctx.cal, clock, ctx.today) : null;
  return status?.overdue
    ? null
    : { zh: `照片提交期限为${zhDate(status?.dueOn)}，期限未过不能视为放弃。`, en: `the photo is due by ${status?.dueOn ?? '—'}; the case cannot be abandoned before then.` };
};

/**
 * 003 (Zhejiang): the applicant must attend within the profile's limit, or the case ends as abandoned.
 * Where the profile sets no limit (national) or the case is a home visit, attendance is not recorded
 * at all: the actions do not apply, so they are not offered (issue 15).
 */
const attendanceLimitApplies: Guard = (ctx) => {
  if (ctx.snap.data.visit) return { zh: '上门评定无需登记到场。', en: 'a home visit needs no attendance record.' };
  return ctx.snap.clocks.attendance ? null : { zh: '本地政策未规定到场期限。', en: 'there is no attendance limit here.' };
};
const notYetAttended: Guard = (ctx) =>
  ctx.snap.data.attendedOn ? { zh: `申请人已于${zhDate(ctx.snap.data.attendedOn)}到场。`, en: `the applicant attended on ${ctx.snap.data.attendedOn}.` } : null;
/** abandoning applies only while the attendance clock runs: not without a limit, not once the applicant came */
const attendanceClockRunning: Guard = (ctx) => {
  const applies = attendanceLimitApplies(ctx);
  if (applies) return applies;
  return ctx.snap.clocks.attendance?.stoppedOn ? { zh: '申请人已到场。', en: 'the applicant has attended.' } : null;
};
const attendanceOverdue: Guard = (ctx) => {
  const clock = ctx.snap.clocks.attendance;
  if (!clock) return attendanceLimitApplies(ctx);
  const status = clockStatus(ctx.cal, clock, ctx.today);
  return status.overdue
    ? null
    : { zh: `申请人到场期限为${zhDate(status.dueOn)}，期限未过不能视为放弃。`, en: `the applicant may attend until ${status.dueOn}; the case cannot be abandoned before then.` };
};

export const label = (zh: string, en: string): Bilingual => ({ zh, en });
export const RESIDENCE_DESK = ['clerk', 'reviewer'] as const;
export const HUKOU_DESK = ['clerk', 'reviewer', 'approver'] as const;

export const NEW_MATTER: MatterDef = {
  code: 'new',
  label: label('新办残疾人证', 'New certificate'),
  family: 'new',
  entries: [HOME_INITIAL],
  initial: 'submitted',
  states: {
    submitted: { label: label('待受理', 'Awaiting acceptance'), waitingOn: { side: 'residence', roles: [...RESIDENCE_DESK] }, clock: 'acceptance' },
    awaiting_materials: { label: label('待补正材料', 'Awaiting missing materials'), waitingOn: { side: 'applicant', roles: ['applicant'] } },
    assessing: { label: label('评定中', 'Being assessed'), waitingOn: { side: 'institution', roles: ['doctor'] }, clock: 'assessment' },
    result_review: { label: label('评定结果待处理', 'Assessment result received'), waitingOn: { side: 'residence', roles: [...RESIDENCE_DESK] }, clock: 'result_entry' },
    in_publicity: {
      label: label('公示中', 'In publicity'),
      waitingOn: { side: 'residence', roles: [...RESIDENCE_DESK] },
      clock: 'result_entry',
      // nothing to do but wait until publicity ends (an objection is recorded whenever it comes)
      waitsUntil: (data) => data.publicity?.endsOn ?? null,
    },
    objection_review: { label: label('公示异议核查', 'Publicity objection under review'), waitingOn: { side: 'residence', roles: [...RESIDENCE_DESK] }, clock: 'result_entry' },
    hukou_review: { label: label('户籍地审核', 'Hukou county review'), waitingOn: { side: 'hukou', roles: [...HUKOU_DESK] }, clock: 'hukou_issue' },
    rerouting: {
      label: label('户籍地退回，待改派', 'Returned by hukou county, to re-route'),
      waitingOn: { side: 'residence', roles: [...RESIDENCE_DESK] },
      clock: 'reroute',
      rowNote: (data) => data.hukouReturns?.at(-1)?.reason ?? null,
    },
    awaiting_photo: { label: label('待提交照片', 'Awaiting photo'), waitingOn: { side: 'hukou', roles: ['clerk'] }, clock: 'photo' },
    printing: { label: label('待制证', 'To print'), waitingOn: { side: 'hukou', roles: ['clerk'] }, clock: 'hukou_issue' },
    shipping: { label: label('待寄送', 'To ship'), waitingOn: { side: 'hukou', roles: ['clerk'] }, clock: 'hukou_issue' },
    in_delivery: { label: label('寄送中', 'Out for delivery'), waitingOn: { side: 'hukou', roles: ['clerk'] } },
    delivered: { label: label('已送达', 'Delivered'), final: 'completed' },
    returned: { label: label('已退回', 'Returned'), final: 'ended' },
    not_qualified: { label: label('未达标准，已告知', 'Not qualified, applicant told'), final: 'ended' },
    rejected: { label: label('不予批准', 'Rejected'), final: 'ended' },
    abandoned: { label: label('视为放弃', 'Deemed abandoned'), final: 'ended' },
    ...HOME_STATES,
  },
  actions: {
    ...HOME_ACTIONS,
    request_materials: {
      label: label('一次性告知补正材料', 'Notify all missing materials'),
      from: ['submitted'],
      to: 'awaiting_materials',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ note: z.string().max(500).optional() }),
      guards: [somethingMissing],
      clock: { pause: ['acceptance'] },
      apply: (ctx) => ({
        notices: [
          ...(ctx.snap.data.notices ?? []),
          { kind: 'missing_materials', on: ctx.today, items: missingFor(ctx.snap, provided(ctx)).map((i) => ({ code: i.code, label: i.label })), note: ctx.input.note ?? '' },
        ],
      }),
    },
    supplement_materials: {
      label: label('补正材料', 'Supply missing materials'),
      from: ['awaiting_materials', 'submitted'],
      to: 'submitted',
      side: ['residence', 'applicant'],
      roles: [...RESIDENCE_DESK, 'applicant'],
      input: z.object({ provided: z.array(z.string()).min(1) }),
      clock: { resume: ['acceptance'] },
      apply: (ctx) => ({
        materials: { provided: [...new Set([...provided(ctx), ...ctx.input.provided])] },
      }),
    },
    return_application: {
      label: label('退回申请', 'Return the application'),
      from: ['submitted', 'awaiting_materials', 'rerouting', 'awaiting_visit'],
      to: 'returned',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ reason }),
      clock: { stop: ['acceptance', 'reroute'] },
      apply: (ctx) => ({ returnReason: ctx.input.reason }),
    },
    accept: {
      label: label('受理并指定评定机构', 'Accept and name an assessment institution'),
      from: ['submitted'],
      // a home-assessment case waits for its visit to be planned (HOME-3) before anyone can attend
      to: (ctx) => (ctx.snap.data.home ? 'awaiting_visit' : 'assessing'),
      targets: ['assessing', 'awaiting_visit'],
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ institutionId: z.string().uuid(), note: z.string().max(500).optional() }),
      guards: [materialsComplete],
      clock: (to) => (to === 'assessing' ? { stop: ['acceptance'], start: ['assessment', 'attendance'] } : { stop: ['acceptance'] }),
      // HOME-4: no fee of any kind for a home assessment
      apply: (ctx) => ({ acceptedOn: ctx.today, institutionId: ctx.input.institutionId, fee: ctx.snap.data.home ? 'waived_home' : 'applicant' }),
    },
    record_attendance: {
      label: label('登记申请人到场', 'Record that the applicant attended'),
      from: ['assessing'],
      to: 'assessing',
      side: 'institution',
      roles: ['doctor', 'institution_staff'],
      input: z.object({ attendedOn: isoDate.optional() }),
      appliesWhen: attendanceLimitApplies,
      guards: [notYetAttended],
      clock: { stop: ['attendance'] },
      apply: (ctx) => ({ attendedOn: ctx.input.attendedOn ?? ctx.today }),
    },
    abandon_no_attendance: {
      label: label('逾期未到场评定，视为放弃', 'Did not attend in time: deem abandoned'),
      from: ['assessing'],
      to: 'abandoned',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ channel: z.enum(['screen', 'sms', 'letter', 'phone']) }),
      appliesWhen: attendanceClockRunning,
      guards: [attendanceOverdue],
      clock: { stop: ['attendance', 'assessment'] },
      apply: (ctx) => ({ abandonNotice: { on: ctx.today, reason: 'no_attendance', channel: ctx.input.channel } }),
    },
    record_assessment: {
      label: label('录入评定结果', 'Record the assessment result'),
      from: ['assessing'],
      to: 'result_review',
      side: 'institution',
      roles: ['doctor'],
      input: z.object({
        qualified: z.boolean(),
        disabilities: z.array(disabilitySchema).max(6).default([]).refine((l) => new Set(l.map((d) => d.category)).size === l.length, 'each category once / 每个类别只能填写一次'),
        assessedOn: isoDate,
        notQualifiedReason: z.string().max(500).optional(),
        // ASMT-2: the measurements per category (validated by the grading rules) and, when the
        // conclusion departs from them, the doctor's justification
        measurements: z.array(z.looseObject({ category: z.number().int().min(1).max(6) })).max(6).optional(),
        justification: z.string().trim().min(4).max(1000).optional(),
      }).refine((a) => (a.qualified ? a.disabilities.length > 0 : Boolean(a.notQualifiedReason)), {
        message: 'a qualified result needs category + level per disability; a result below the standard needs its reason / 达标须逐项填写类别和等级，未达标须填写原因',
        path: ['disabilities'],
      }),
      documents: ['assessment_form'],
      guards: [assessedOnInRange, conclusionJustified],
      defaults: (ctx) => ({ assessedOn: ctx.today, disabilities: appliedCategories(ctx.snap).map((category) => ({ category })) }),
      clock: { stop: ['assessment', 'attendance'], start: ['result_entry'] },
      apply: (ctx) => {
        const check = gradingCheck(ctx.input);
        const departs = Boolean(check && !(check.allAgree && check.qualified === ctx.input.qualified));
        return { assessment: { ...ctx.input, ...(check ? { gradingCheck: check.items, flaggedForAudit: departs } : {}) } };
      },
    },
    notify_not_qualified: {
      label: label('告知未达标准', 'Tell the applicant the result is below the standard'),
      from: ['result_review'],
      to: 'not_qualified',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ reason, channel: z.enum(['screen', 'sms', 'letter', 'phone']) }),
      guards: [qualified(false), assessmentFormOnFile],
      clock: { stop: ['result_entry'] },
      apply: (ctx) => ({ notQualifiedNotice: { on: ctx.today, ...ctx.input } }),
    },
    start_publicity: {
      label: label('开始公示', 'Start publicity'),
      from: ['result_review'],
      to: 'in_publicity',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ place: z.string().trim().min(2).max(200) }),
      guards: [qualified(true), publicityRequired, assessmentFormOnFile],
      apply: (ctx) => ({
        publicity: { startsOn: ctx.today, endsOn: addCalendarDays(ctx.today, ctx.snap.profile.publicityDays), place: ctx.input.place, objections: [] },
      }),
    },
    request_reassessment: {
      // NEW-3: an applicant who disagrees asks for 复评, then 终评, each at another institution; the
      // later conclusion replaces the earlier one, and every earlier one stays in the file
      label: label('申请复评/终评', 'Re-assessment on the applicant’s request'),
      from: ['result_review'],
      to: 'assessing',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ institutionId: z.string().uuid(), reason }),
      guards: [reassessmentLeft],
      clock: { stop: ['result_entry'], start: ['assessment'] },
      apply: (ctx) => ({
        assessmentRounds: [...(ctx.snap.data.assessmentRounds ?? []), ctx.snap.data.assessment],
        reassessments: [...(ctx.snap.data.reassessments ?? []), { on: ctx.today, reason: ctx.input.reason, round: REASSESSMENT_ROUNDS[(ctx.snap.data.reassessments ?? []).length] }],
      }),
    },
    record_objection: {
      label: label('登记公示异议', 'Record a publicity objection'),
      from: ['in_publicity'],
      to: 'objection_review',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ summary: reason }),
      apply: (ctx) => ({
        publicity: { ...ctx.snap.data.publicity, objections: [...(ctx.snap.data.publicity?.objections ?? []), { on: ctx.today, summary: ctx.input.summary }] },
      }),
    },
    resolve_objection: {
      label: label('处理公示异议', 'Resolve the objection'),
      from: ['objection_review'],
      to: (ctx) => (ctx.input.outcome === 'dismissed' ? 'in_publicity' : 'assessing'),
      targets: ['in_publicity', 'assessing'],
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({ outcome: z.enum(['dismissed', 'reassess']), finding: reason }),
      apply: (ctx) => ({ objectionFindings: [...(ctx.snap.data.objectionFindings ?? []), { on: ctx.today, ...ctx.input }] }),
    },
    finish_publicity: {
      label: label('公示期满，报户籍地', 'Close publicity and send to the hukou county'),
      from: ['in_publicity'],
      to: 'hukou_review',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({}),
      guards: [publicityOver],
      clock: { stop: ['result_entry'], start: ['hukou_issue'] },
      apply: (ctx) => ({ publicity: { ...ctx.snap.data.publicity, finishedOn: ctx.today } }),
    },
    forward_to_hukou: {
      label: label('报户籍地审核（免公示）', 'Send to the hukou county (no publicity)'),
      from: ['result_review'],
      to: 'hukou_review',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      input: z.object({}),
      guards: [qualified(true), publicityNotRequired, assessmentFormOnFile],
      clock: { stop: ['result_entry'], start: ['hukou_issue'] },
    },
    return_not_ours: {
      label: label('非本辖区，退回居住地', 'Not our jurisdiction: return to the residence county'),
      from: ['hukou_review'],
      to: 'rerouting',
      side: 'hukou',
      roles: [...HUKOU_DESK],
      input: z.object({ reason }),
      // NEW-5: the residence county re-routes within the profile's limit (a clock of its own)
      clock: { stop: ['hukou_issue'], start: ['reroute'] },
      apply: (ctx) => ({ hukouReturns: [...(ctx.snap.data.hukouReturns ?? []), { on: ctx.today, reason: ctx.input.reason }] }),
    },
    reroute: {
      label: label('改派户籍地', 'Re-route to the right hukou county'),
      from: ['rerouting'],
      to: 'hukou_review',
      side: 'residence',
      roles: [...RESIDENCE_DESK],
      // the service resolves and checks the new hukou division before the engine runs
      input: z.object({ hukouCode: z.string().regex(/^\d{6,12}$/), note: z.string().max(500).optional() }),
      clock: { stop: ['reroute'], start: ['hukou_issue'] },
    },
    approve: {
      label: label('审批通过', 'Approve'),
      from: ['hukou_review'],
      to: (ctx) => (ctx.snap.profile.cardGeneration === 2 && !ctx.input.photoOnFile ? 'awaiting_photo' : 'printing'),
      targets: ['awaiting_photo', 'printing'],
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ photoOnFile: z.boolean(), note: z.string().max(500).optional() }),
      guards: [qualified(true)],
      // the photos taken in at the window (three 2-inch photos, 002 §2) are the card's photo
      defaults: (ctx) => ({ photoOnFile: provided({ ...ctx, input: {} }).includes('photos') }),
      effects: ['issueCertificate'],
      // NEW-9: waiting for the applicant's photo pauses the county's clock and starts the applicant's
      clock: (to) => (to === 'awaiting_photo' ? { pause: ['hukou_issue'], start: ['photo'] } : {}),
      apply: (ctx) => ({ approval: { on: ctx.today, note: ctx.input.note ?? '' }, photoOnFile: ctx.input.photoOnFile }),
    },
    reject: {
      label: label('不予批准', 'Reject'),
      from: ['hukou_review'],
      to: 'rejected',
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ reason }),
      clock: { stop: ['hukou_issue'] },
      apply: (ctx) => ({ rejection: { on: ctx.today, reason: ctx.input.reason } }),
    },
    receive_photo: {
      label: label('收到照片', 'Photo received'),
      from: ['awaiting_photo'],
      to: 'printing',
      side: 'hukou',
      roles: ['clerk'],
      input: z.object({ source: z.enum(['mailed', 'data_sharing']) }),
      clock: { stop: ['photo'], resume: ['hukou_issue'] },
      apply: (ctx) => ({ photo: { on: ctx.today, source: ctx.input.source } }),
    },
    abandon_no_photo: {
      label: label('逾期未交照片，视为放弃', 'No photo in time: deem abandoned'),
      from: ['awaiting_photo'],
      to: 'abandoned',
      side: 'hukou',
      roles: ['clerk'],
      input: z.object({}),
      guards: [photoOverdue],
      clock: { stop: ['photo'] },
    },
    print: {
      label: label('制证', 'Print the card'),
      from: ['printing'],
      to: 'shipping',
      side: 'hukou',
      roles: ['clerk'],
      input: z.object({}),
      apply: (ctx) => ({ printed: { on: ctx.today } }),
    },
    ship: {
      label: label('寄送', 'Ship'),
      from: ['shipping'],
      to: 'in_delivery',
      side: 'hukou',
      roles: ['clerk'],
      input: z.discriminatedUnion('method', [
        z.object({ method: z.literal('courier'), courier: z.string().trim().min(2).max(50), trackingNo: z.string().trim().regex(/^[A-Za-z0-9-]{6,40}$/, 'tracking number: 6-40 letters/digits / 运单号为6-40位字母数字'), cashOnDelivery: z.boolean().default(true) }),
        z.object({ method: z.literal('hand'), deliverer: z.string().trim().min(2).max(50) }),
      ]),
      clock: { stop: ['hukou_issue'] },
      apply: (ctx) => ({ delivery: { shippedOn: ctx.today, ...ctx.input } }),
    },
    mark_delivered: {
      label: label('确认送达', 'Mark delivered'),
      from: ['in_delivery'],
      to: 'delivered',
      side: 'hukou',
      roles: ['clerk'],
      input: z.object({ deliveredOn: isoDate.optional(), receivedBy: z.string().trim().max(50).optional() }),
      apply: (ctx) => ({ delivery: { ...ctx.snap.data.delivery, deliveredOn: ctx.input.deliveredOn ?? ctx.today, receivedBy: ctx.input.receivedBy ?? '' } }),
    },
  },
};
