/**
 * The level that an assessment form's measurements imply (ASMT-2), per GB/T 26341-2010
 * 《残疾人残疾分类和分级》, and the check of the doctor's conclusion against it.
 *
 * Pure: no I/O, no clock. The system never overrides the doctor — it computes the implied level and
 * flags a conclusion that disagrees, so a reviewer can look at it.
 *
 * How the thresholds are read. The standard states most bands in whole units ("81–90 dB HL",
 * "IQ 20–34"), but measurements can carry decimals. Each scale has one open-ended, explicitly
 * anchored band (e.g. "> 90 dB", "≤ 25", "< 20", "≥ 116"); the other cut points are read the same way,
 * so the bands tile the whole range with no gaps:
 *   - hearing (> 90 anchors):        L1 > 90, L2 (80, 90], L3 (60, 80], L4 (40, 60], ≤ 40 none
 *   - speech (≤ 10 anchors):         L1 ≤ 10, L2 (10, 25], L3 (25, 45], L4 (45, 65], > 65 none
 *   - DQ (≤ 25 anchors):             L1 ≤ 25, L2 (25, 39], L3 (39, 54], L4 (54, 75], > 75 none
 *   - IQ (< 20 anchors):             L1 < 20, L2 [20, 35), L3 [35, 50), L4 [50, 70), ≥ 70 none
 *   - WHO-DAS II (≥ 116 anchors):    L1 ≥ 116, L2 [106, 116), L3 [96, 106), L4 [52, 96), < 52 none
 *   - acuity (stated half-open):     L1 < 0.02, L2 [0.02, 0.05), L3 [0.05, 0.1), L4 [0.1, 0.3), ≥ 0.3 none
 *   - field radius (stated):         L1 < 5°, L2 < 10°, ≥ 10° no field-based level
 * For whole-number inputs this is exactly the standard's wording.
 *
 * Age rules, as the standard is publicly quoted (the standard text itself is not freely published):
 *   - 智力残疾 "按0~6岁和7岁及以上两个年龄段发育商、智商和适应行为分级。0~6岁儿童发育商小于72的直接按
 *     发育商分级，发育商在72~75之间的按适应行为分级。7岁及以上按智商、适应行为分级；当两者的分值不在同一级
 *     时，按适应行为分级。WHO-DASⅡ分值反映的是18岁及以上各级智力残疾的活动与参与情况。"
 *     — 《连云港智力残疾分级标准表》, http://jwbk.com/techan/9dcfd6ae585d6be970c6a79fd7467e2e.html
 *     (table heads 发育商 "0~6岁", 智商 "7岁及以上", WHO-DASⅡ "18岁以上" also in 《第二次全国残疾人抽样调查
 *     残疾标准——智力残疾标准》, http://www.shangdangqu.gov.cn/bsfw/zdly/shbz_3288/shfl/cjrfl/fwzn13/201410/t20141011_1129157.html)
 *   - 听力残疾 "注：3岁以内儿童，残疾程度一、二、三级的定为听力残疾。"
 *     — 《听力残疾分级》, http://zhongyuanpingtai60.cn/yixue/1916243.html
 */
import { validateDisabilities, type CategoryCode, type Level } from './disability.js';
import { invalid } from './errors.js';

export type Measurements =
  | {
      category: 1;
      /** Decimal (小数) best-corrected acuity, e.g. 0.04; 0 = no light perception. */
      bestCorrectedAcuityLeft: number;
      bestCorrectedAcuityRight: number;
      /** Visual field radius of the better eye, in degrees from fixation. */
      visualFieldRadiusDeg?: number;
    }
  | { category: 2; averageLossLeftDb: number; averageLossRightDb: number; ageYears: number } // dB HL, unaided
  | { category: 3; intelligibilityPercent: number } // 语音清晰度
  | { category: 4; criterionLevel: 1 | 2 | 3 | 4; criterion: string } // the listed functional criterion chosen
  | {
      category: 5;
      iq?: number;
      dq?: number;
      ageYears: number;
      adaptiveBehaviourLevel?: 1 | 2 | 3 | 4;
      whoDas?: number;
    }
  | { category: 6; whoDas: number; ageYears: number };

export type ConclusionCheck = { category: CategoryCode; implied: Level | null; concluded: Level | null; agrees: boolean };

/* ------------------------------------------------------------------------------------------------ */
/* Threshold tables                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

/** One cut point: the value is in `level` when it is beyond `bound` (strictly, or inclusive). */
type Cut = { level: Level; bound: number; inclusive: boolean };
/** Cuts ordered from level 1 (most severe) to level 4; past the last cut is "not a disability". */
type Scale = { worse: 'lower' | 'higher'; cuts: readonly Cut[] };

const lower = (...cuts: [Level, '<' | '<=', number][]): Scale => ({
  worse: 'lower',
  cuts: cuts.map(([level, op, bound]) => ({ level, bound, inclusive: op === '<=' })),
});
const higher = (...cuts: [Level, '>' | '>=', number][]): Scale => ({
  worse: 'higher',
  cuts: cuts.map(([level, op, bound]) => ({ level, bound, inclusive: op === '>=' })),
});

/** 视力残疾: better eye's best-corrected acuity. */
const ACUITY = lower([1, '<', 0.02], [2, '<', 0.05], [3, '<', 0.1], [4, '<', 0.3]);
/** 视野半径 < 5° is level 1 and < 10° level 2 whatever the acuity. */
const FIELD_RADIUS = lower([1, '<', 5], [2, '<', 10]);
/** 听力残疾: better ear's average hearing loss, dB HL. */
const HEARING = higher([1, '>', 90], [2, '>', 80], [3, '>', 60], [4, '>', 40]);
/** 言语残疾: speech intelligibility (语音清晰度), percent. */
const SPEECH = lower([1, '<=', 10], [2, '<=', 25], [3, '<=', 45], [4, '<=', 65]);
/** 智力残疾, young children: developmental quotient. */
const DQ = lower([1, '<=', 25], [2, '<=', 39], [3, '<=', 54], [4, '<=', 75]);
/** 智力残疾, older children and adults: intelligence quotient. */
const IQ = lower([1, '<', 20], [2, '<', 35], [3, '<', 50], [4, '<', 70]);
/** WHO-DAS II score (精神残疾; 智力残疾 from 18). */
const WHO_DAS = higher([1, '>=', 116], [2, '>=', 106], [3, '>=', 96], [4, '>=', 52]);

/**
 * Age (in years) from which IQ rather than DQ is used: DQ covers "0~6岁", IQ "7岁及以上". Ages are
 * fractional years, so DQ applies until the 7th birthday.
 */
const IQ_FROM_AGE = 7;
/** At 0–6, a DQ below this is graded by the DQ alone; from here to the DQ scale's end (75) by adaptive behaviour. */
const DQ_BY_ADAPTIVE_FROM = 72;
/** Under this age (3岁以内) only hearing levels 1–3 count as a hearing disability. */
const HEARING_L4_FROM_AGE = 3;
/** WHO-DAS II is part of intellectual grading for adults only. */
const ADULT_AGE = 18;

function grade(value: number, scale: Scale): Level | null {
  for (const { level, bound, inclusive } of scale.cuts) {
    const beyond =
      scale.worse === 'lower'
        ? inclusive ? value <= bound : value < bound
        : inclusive ? value >= bound : value > bound;
    if (beyond) return level;
  }
  return null;
}

/** The more severe of two levels (lower number); null means "no disability on this measure". */
function moreSevere(a: Level | null, b: Level | null): Level | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/* ------------------------------------------------------------------------------------------------ */
/* Input validation                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

const FIELD = 'measurements';
const fail = (code: string, zh: string, en: string) => invalid(code, zh, en, FIELD);

type Quantity = { key: string; zh: string; en: string; min: number; max: number };

const Q = {
  acuityLeft: { key: 'bestCorrectedAcuityLeft', zh: '左眼最佳矫正视力', en: 'best-corrected acuity of the left eye', min: 0, max: 2 },
  acuityRight: { key: 'bestCorrectedAcuityRight', zh: '右眼最佳矫正视力', en: 'best-corrected acuity of the right eye', min: 0, max: 2 },
  fieldRadius: { key: 'visualFieldRadiusDeg', zh: '视野半径（度）', en: 'visual field radius (degrees)', min: 0, max: 180 },
  lossLeft: { key: 'averageLossLeftDb', zh: '左耳平均听力损失（dB HL）', en: 'average hearing loss of the left ear (dB HL)', min: 0, max: 130 },
  lossRight: { key: 'averageLossRightDb', zh: '右耳平均听力损失（dB HL）', en: 'average hearing loss of the right ear (dB HL)', min: 0, max: 130 },
  intelligibility: { key: 'intelligibilityPercent', zh: '语音清晰度（%）', en: 'speech intelligibility (%)', min: 0, max: 100 },
  iq: { key: 'iq', zh: '智商（IQ）', en: 'IQ', min: 0, max: 200 },
  dq: { key: 'dq', zh: '发育商（DQ）', en: 'developmental quotient (DQ)', min: 0, max: 200 },
  whoDas: { key: 'whoDas', zh: 'WHO-DAS II 分值', en: 'WHO-DAS II score', min: 0, max: 180 },
  age: { key: 'ageYears', zh: '年龄（岁）', en: 'age (years)', min: 0, max: 130 },
} as const satisfies Record<string, Quantity>;

function rangeError(q: Quantity) {
  return fail(
    'measurements.range',
    `${q.zh}应为${q.min}至${q.max}之间的数值。请核对评定表后重新填写。`,
    `The ${q.en} must be a number from ${q.min} to ${q.max}. Check the assessment form and enter it again.`,
  );
}

/** A required number within its range. */
function req(m: Record<string, unknown>, q: Quantity): number {
  const v = m[q.key];
  if (v === undefined || v === null) {
    throw fail(
      'measurements.missing',
      `请填写${q.zh}（${q.min}至${q.max}）。`,
      `Enter the ${q.en} (${q.min} to ${q.max}).`,
    );
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < q.min || v > q.max) throw rangeError(q);
  return v;
}

/** An optional number: absent is fine, present must be within range. */
function opt(m: Record<string, unknown>, q: Quantity): number | undefined {
  return m[q.key] === undefined || m[q.key] === null ? undefined : req(m, q);
}

function levelField(m: Record<string, unknown>, key: string, zh: string, en: string, required: boolean): Level | undefined {
  const v = m[key];
  if (v === undefined || v === null) {
    if (!required) return undefined;
    throw fail('measurements.missing', `请选择${zh}（一级至四级）。`, `Choose the ${en} (level 1 to 4).`);
  }
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 4) {
    throw fail(
      'measurements.range',
      `${zh}应为一级至四级之一（一级最重）。请核对后重新选择。`,
      `The ${en} must be level 1, 2, 3 or 4 (1 is the most severe). Check it and choose again.`,
    );
  }
  return v as Level;
}

/* ------------------------------------------------------------------------------------------------ */
/* Implied level                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The level the measurements imply, or null when they are below the standard (not a disability of
 * that category). Throws an `invalid` DomainError (field 'measurements') for missing or out-of-range
 * values.
 */
export function impliedLevel(m: Measurements): Level | null {
  if (typeof m !== 'object' || m === null) {
    throw fail(
      'measurements.category',
      '评定数据无效：请选择残疾类别并填写对应的检查结果。',
      'The measurements are not valid: choose a disability category and enter its examination results.',
    );
  }
  const r = m as unknown as Record<string, unknown>;
  switch (r.category) {
    case 1: {
      // 视力残疾 is judged on both eyes together: the BETTER eye (higher acuity) counts. So one blind
      // eye with the other at 0.3 or better is not a visual disability. A field radius < 10° makes it
      // 盲 whatever the acuity; the result is the more severe of the acuity and field levels.
      const left = req(r, Q.acuityLeft);
      const right = req(r, Q.acuityRight);
      const radius = opt(r, Q.fieldRadius);
      const byAcuity = grade(Math.max(left, right), ACUITY);
      return radius === undefined ? byAcuity : moreSevere(byAcuity, grade(radius, FIELD_RADIUS));
    }
    case 2: {
      // 听力残疾: the BETTER ear (lower average loss), unaided. Under 3 only levels 1–3 are a hearing
      // disability (see the header): a loss that would be level 4 implies none, so a level-4
      // conclusion for an infant is flagged.
      const left = req(r, Q.lossLeft);
      const right = req(r, Q.lossRight);
      const age = req(r, Q.age);
      const level = grade(Math.min(left, right), HEARING);
      return level === 4 && age < HEARING_L4_FROM_AGE ? null : level;
    }
    case 3:
      return grade(req(r, Q.intelligibility), SPEECH);
    case 4: {
      // 肢体残疾 is graded by the listed functional criteria; the doctor picks one, and its level is
      // the implied level. The criterion text must be recorded.
      const level = levelField(r, 'criterionLevel', '肢体残疾功能标准对应的等级', 'level of the chosen physical criterion', true) as Level;
      const criterion = r.criterion;
      if (typeof criterion !== 'string' || criterion.trim() === '') {
        throw fail(
          'measurements.missing',
          '请写明所依据的肢体残疾分级标准条目。',
          'Record which physical-disability criterion the level is based on.',
        );
      }
      return level;
    }
    case 5: {
      const age = req(r, Q.age);
      const iq = opt(r, Q.iq);
      const dq = opt(r, Q.dq);
      const whoDas = opt(r, Q.whoDas);
      const adaptive = levelField(r, 'adaptiveBehaviourLevel', '适应行为等级', 'adaptive behaviour level', false);
      if (age < IQ_FROM_AGE) {
        if (dq === undefined) {
          throw fail(
            'measurements.missing',
            `${IQ_FROM_AGE}岁以下儿童的智力残疾按发育商（DQ）评定，请填写发育商。`,
            `Intellectual disability under age ${IQ_FROM_AGE} is graded by the developmental quotient (DQ). Enter the DQ.`,
          );
        }
        const byDq = grade(dq, DQ);
        // A DQ below 72 grades directly; 72–75 (the top of level 4) is graded by adaptive behaviour,
        // which must then be recorded; above 75 is not an intellectual disability.
        if (byDq === null || dq < DQ_BY_ADAPTIVE_FROM) return byDq;
        if (adaptive === undefined) {
          throw fail(
            'measurements.missing',
            `发育商在${DQ_BY_ADAPTIVE_FROM}至75之间时按适应行为分级，请选择适应行为等级（一级至四级）。`,
            `A DQ from ${DQ_BY_ADAPTIVE_FROM} to 75 is graded by adaptive behaviour. Choose the adaptive behaviour level (level 1 to 4).`,
          );
        }
        return adaptive;
      }
      if (iq === undefined) {
        throw fail(
          'measurements.missing',
          `${IQ_FROM_AGE}岁及以上的智力残疾按智商（IQ）评定，请填写智商。`,
          `Intellectual disability from age ${IQ_FROM_AGE} is graded by IQ. Enter the IQ.`,
        );
      }
      // From 7, where IQ and adaptive behaviour give different levels, adaptive behaviour decides; so
      // a recorded adaptive level is the grade (read literally, also when the IQ alone reaches none).
      if (adaptive !== undefined) return adaptive;
      // Without an adaptive level, IQ grades; for adults the WHO-DAS II score (activity and
      // participation) is read alongside it and the MORE SEVERE counts, so a consistency check flags a
      // milder conclusion rather than missing it. Under 18 a WHO-DAS score is validated but not used.
      const byIq = grade(iq, IQ);
      return whoDas !== undefined && age >= ADULT_AGE ? moreSevere(byIq, grade(whoDas, WHO_DAS)) : byIq;
    }
    case 6: {
      // 精神残疾: WHO-DAS II score; the age is validated and recorded.
      const whoDas = req(r, Q.whoDas);
      req(r, Q.age);
      return grade(whoDas, WHO_DAS);
    }
    default:
      throw fail(
        'measurements.category',
        '评定数据的残疾类别无效。请选择视力、听力、言语、肢体、智力或精神残疾之一（多重残疾请分别填写各类）。',
        'The measurements have no valid category. Choose visual, hearing, speech, physical, intellectual or mental (for multiple disabilities enter each category).',
      );
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Multiple disabilities and the conclusion check                                                   */
/* ------------------------------------------------------------------------------------------------ */

/** 多重残疾: the level is that of the most severe single disability (the lowest number). */
export function combinedLevel(levels: Level[]): Level {
  if (!Array.isArray(levels) || levels.length === 0) {
    throw invalid(
      'disabilities.empty',
      '至少需要一项残疾等级才能确定综合等级。',
      'At least one disability level is needed to work out the combined level.',
      'disabilities',
    );
  }
  for (const l of levels) {
    if (!Number.isInteger(l) || l < 1 || l > 4) {
      throw invalid(
        'disabilities.level',
        '残疾等级应为一级至四级之一（一级最重）。',
        'A disability level must be 1, 2, 3 or 4 (1 is the most severe).',
        'disabilities',
      );
    }
  }
  return Math.min(...levels) as Level;
}

/**
 * Pairs each measured category with the doctor's concluded level for it. Items come in the order of
 * the measurements, then any concluded categories that have no measurements (implied null, never
 * agreeing: a conclusion must rest on recorded measurements). A measured category with no conclusion
 * has concluded null; it agrees only when the measurements are also below the standard.
 * `qualified` is true when at least one category's measurements reach the standard.
 */
export function checkConclusion(
  measurements: Measurements[],
  conclusion: { category: CategoryCode; level: Level }[],
): { items: ConclusionCheck[]; allAgree: boolean; qualified: boolean } {
  if (!Array.isArray(measurements)) {
    throw fail(
      'measurements.category',
      '评定数据无效：请按残疾类别逐项填写检查结果。',
      'The measurements are not valid: enter the examination results for each category.',
    );
  }
  // An empty conclusion is allowed (the doctor found no disability); otherwise the same rules as
  // any list of disabilities apply (no "multiple", each category once, level 1–4).
  const concluded = Array.isArray(conclusion) && conclusion.length === 0 ? [] : validateDisabilities(conclusion);
  const byCategory = new Map(concluded.map((d) => [d.category, d.level] as const));

  const items: ConclusionCheck[] = [];
  const measured = new Set<CategoryCode>();
  for (const m of measurements) {
    const implied = impliedLevel(m);
    const category = m.category;
    if (measured.has(category)) {
      throw fail(
        'measurements.duplicate',
        '同一残疾类别的检查结果填写了不止一次。每类只填一组检查结果。',
        'The same category has more than one set of measurements. Enter one set per category.',
      );
    }
    measured.add(category);
    const level = byCategory.get(category) ?? null;
    items.push({ category, implied, concluded: level, agrees: implied === level });
  }
  for (const d of concluded) {
    if (!measured.has(d.category)) items.push({ category: d.category, implied: null, concluded: d.level, agrees: false });
  }
  return {
    items,
    allAgree: items.every((i) => i.agrees),
    qualified: items.some((i) => i.implied !== null),
  };
}
