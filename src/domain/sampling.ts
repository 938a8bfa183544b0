/**
 * ASMT-3 audit sampling (抽查): a seeded, reproducible random draw of assessments or certificates,
 * the findings a supervisor records per item, and per-doctor statistics that help spot
 * "favour certificates" (人情证). Pure: the service supplies the population and the records.
 */
import { invalid } from './errors.js';

/* ---------------------------------------------------------------------------------------------- */
/* The draw                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

/** 32-bit FNV-1a of the seed text: any string (a date, a case number, random hex) is a usable seed. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32: a small, well-known generator, not cryptographic. A draw has to be reproducible by
 * anyone holding the seed (the seed is stored with the sample), so unpredictability is not the point.
 */
export function seededRandom(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SampleSize = { size: number } | { percent: number };

/** Beyond this a "sample" is a full review; it also keeps one draw's transaction small. */
export const MAX_SAMPLE_SIZE = 10_000;

/** How many items a draw takes: a size is capped at the population; a percentage rounds up, so at least one item when there is any. */
export function sampleCount(population: number, spec: SampleSize): number {
  // percent is a whole number, so population * percent / 100 is exact and ceil never rounds a whole result up
  const wanted = 'size' in spec ? spec.size : Math.ceil((population * spec.percent) / 100);
  return Math.min(wanted, population);
}

/**
 * Draws the sample: the population is de-duplicated and sorted first, so the same seed and the same
 * population give the same items in the same order whatever order the database returned them in.
 * A partial Fisher–Yates shuffle never picks an item twice.
 */
export function drawSample(populationIds: readonly string[], spec: SampleSize, seed: string): string[] {
  const pool = [...new Set(populationIds)].sort();
  const n = sampleCount(pool.length, spec);
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

// an impossible month or day makes an Invalid Date, whose toISOString throws: test the time first
const isDate = (s: string) => {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(s + 'T00:00:00Z') : NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
};

/** A period of dates, both ends included. */
export function checkPeriod(from: string, to: string) {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isDate(value)) throw invalid('sample.date', `日期“${value}”无效，请按 YYYY-MM-DD 填写实际存在的日期。`, `"${value}" is not a valid date; use YYYY-MM-DD.`, field);
  }
  if (from > to) throw invalid('sample.period', '期间的开始日期晚于结束日期，请更正。', 'The period starts after it ends; correct the dates.', 'to');
}

/** Checks what a supervisor asked for — exactly one of a size or a percentage, and a period — and says what is wrong. */
export function checkSampleRequest(r: { size?: number; percent?: number; from: string; to: string }): SampleSize {
  checkPeriod(r.from, r.to);
  if (r.size !== undefined && r.percent !== undefined) {
    throw invalid('sample.size_and_percent', '请只填写抽取数量或抽取比例中的一项。', 'Give either a number of items or a percentage, not both.', 'size');
  }
  if (r.size !== undefined) {
    if (!Number.isInteger(r.size) || r.size < 1 || r.size > MAX_SAMPLE_SIZE) {
      throw invalid('sample.size', `抽取数量应为1至${MAX_SAMPLE_SIZE}之间的整数。`, `The number of items must be a whole number from 1 to ${MAX_SAMPLE_SIZE}.`, 'size');
    }
    return { size: r.size };
  }
  if (r.percent !== undefined) {
    if (!Number.isInteger(r.percent) || r.percent < 1 || r.percent > 100) {
      throw invalid('sample.percent', '抽取比例应为1至100之间的整数（百分比）。', 'The percentage must be a whole number from 1 to 100.', 'percent');
    }
    return { percent: r.percent };
  }
  throw invalid('sample.size_missing', '请填写抽取数量或抽取比例。', 'Give a number of items or a percentage to draw.', 'size');
}

/* ---------------------------------------------------------------------------------------------- */
/* Findings                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

export const FINDINGS = ['conforms', 'doubtful', 'wrong_level', 'fraud_suspected'] as const;
export const FOLLOW_UPS = ['none', 'reassessment_ordered', 'certificate_cancelled'] as const;
export type Finding = (typeof FINDINGS)[number];
export type FollowUp = (typeof FOLLOW_UPS)[number];

/** A finding other than "conforms" must say why; an item that conforms needs no follow-up. */
export function checkFinding(f: { finding: Finding; followUp: FollowUp; note: string }) {
  if (f.finding === 'conforms' && f.followUp !== 'none') {
    throw invalid('sample.follow_up', '核查结论为“符合”时不应有后续处理，请将后续处理改为“无”。', 'An item that conforms needs no follow-up; set the follow-up to "none".', 'followUp');
  }
  if (f.finding !== 'conforms' && f.note.trim() === '') {
    throw invalid('sample.note', '核查结论不是“符合”时，请在说明中写明问题。', 'Describe the problem in the note when the item does not conform.', 'note');
  }
}

/* ---------------------------------------------------------------------------------------------- */
/* Per-doctor statistics                                                                           */
/* ---------------------------------------------------------------------------------------------- */

/** One recorded assessment, as statistics need it (no measurements, no person). */
export type AssessmentFact = { doctorId: string; qualified: boolean; disabilities: readonly { category: number; level: number }[]; departs: boolean };

export type DoctorStats = {
  doctorId: string;
  count: number;
  notQualified: number;
  /** per category code: how many conclusions at level 1, 2, 3, 4 */
  levels: Record<string, [number, number, number, number]>;
  departs: number;
  /** conclusions that departed from the measurements / all assessments */
  disagreementRate: number;
  /** qualified assessments whose most severe level is 1 or 2 / qualified assessments; null with none qualified */
  severeShare: number | null;
  /** the same two rates over all the other doctors in the selection together */
  peerDisagreementRate: number | null;
  peerSevereShare: number | null;
  flags: ('disagreement' | 'severe')[];
};

/**
 * The flag rule, kept simple enough to explain to the doctor concerned: a doctor with at least
 * `minAssessments` assessments in the selection is flagged when their disagreement rate, or their
 * share of levels 1–2, is at least `margin` (20 percentage points) above the same rate of all the
 * other doctors in the selection taken together. The comparison leaves the doctor out, so a busy
 * outlier cannot pull the average towards themselves; fewer assessments say too little to flag.
 * A flag is a reason to look (e.g. to draw a sample of that doctor), never a finding by itself.
 */
export const FLAG_RULE = { minAssessments: 5, margin: 0.2 } as const;

type Tally = { count: number; notQualified: number; departs: number; qualified: number; severe: number };

const tallyOf = (records: readonly AssessmentFact[]): Tally => {
  const t: Tally = { count: 0, notQualified: 0, departs: 0, qualified: 0, severe: 0 };
  for (const r of records) {
    t.count++;
    if (r.departs) t.departs++;
    if (!r.qualified) t.notQualified++;
    else {
      t.qualified++;
      if (r.disabilities.some((d) => d.level <= 2)) t.severe++;
    }
  }
  return t;
};

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

export function doctorStatistics(records: readonly AssessmentFact[]): DoctorStats[] {
  const byDoctor = new Map<string, AssessmentFact[]>();
  for (const r of records) byDoctor.set(r.doctorId, [...(byDoctor.get(r.doctorId) ?? []), r]);
  const all = tallyOf(records);
  const stats = [...byDoctor].map(([doctorId, own]): DoctorStats => {
    const t = tallyOf(own);
    const levels: DoctorStats['levels'] = {};
    for (const r of own) {
      for (const d of r.qualified ? r.disabilities : []) (levels[d.category] ??= [0, 0, 0, 0])[d.level - 1]++;
    }
    const disagreementRate = t.departs / t.count;
    const severeShare = ratio(t.severe, t.qualified);
    const peerDisagreementRate = ratio(all.departs - t.departs, all.count - t.count);
    const peerSevereShare = ratio(all.severe - t.severe, all.qualified - t.qualified);
    // the tolerance keeps exactly 20 points (0.6 vs 0.4) from missing the margin by a rounding error
    const wellAbove = (own: number | null, peers: number | null) =>
      t.count >= FLAG_RULE.minAssessments && own !== null && peers !== null && own - peers >= FLAG_RULE.margin - 1e-9;
    const flags: DoctorStats['flags'] = [];
    if (wellAbove(disagreementRate, peerDisagreementRate)) flags.push('disagreement');
    if (wellAbove(severeShare, peerSevereShare)) flags.push('severe');
    return { doctorId, count: t.count, notQualified: t.notQualified, levels, departs: t.departs, disagreementRate, severeShare, peerDisagreementRate, peerSevereShare, flags };
  });
  // flagged doctors first, then the busiest
  return stats.sort((a, b) => b.flags.length - a.flags.length || b.count - a.count || a.doctorId.localeCompare(b.doctorId));
}
