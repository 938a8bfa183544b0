/**
 * HOME-5: the monthly home-assessment (上门评定) report a county federation sends up — requests,
 * decisions at each review level, visits, assessments per category and level, certificates delivered
 * and the average days from request to delivery — and how counties roll up to a city or province.
 *
 * A report month is a statistical period that ends on the day the report is due: Jiaozuo-style
 * profiles report on the 25th (001: 于每月25日上报), so "2026-05" runs 26 April – 25 May; others report
 * at month end, so the period is the calendar month. Ending the period on the due day means a county
 * that submits on time has the whole period behind it.
 */
import { certificateCategoryAndLevel, LEVELS, type CertificateCategory, type Disability } from './disability.js';
import type { Bilingual } from './errors.js';

export const HOME_REVIEW_LEVELS = ['village', 'township', 'county'] as const;
export type HomeReviewLevel = (typeof HOME_REVIEW_LEVELS)[number];
export const VISIT_MODES = ['home', 'centralized'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];
export const VISIT_OUTCOMES = ['assessed', 'not_home', 'refused', 'moved'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
/** the certificate categories a person is counted under: one category, or 7 (多重) with the most severe level */
export const REPORT_CATEGORIES: readonly CertificateCategory[] = [1, 2, 3, 4, 5, 6, 7];

/** The report's own words, shared by the screen and the spreadsheet so both read the same. */
export const HOME_REPORT_LABELS = {
  requests: { zh: '上门评定申请', en: 'Requests' },
  approved: { zh: '同意', en: 'approved' },
  refused: { zh: '不同意', en: 'refused' },
  assessments: { zh: '评定人次', en: 'Assessments' },
  qualified: { zh: '达到残疾标准', en: 'Qualified' },
  delivered: { zh: '送达证件', en: 'Certificates delivered' },
  avgDays: { zh: '申请至送达平均天数', en: 'Average days, request to delivery' },
  total: { zh: '合计', en: 'Total' },
  levels: {
    village: { zh: '村（社区）初审', en: 'Village review' },
    township: { zh: '乡镇（街道）审核', en: 'Township review' },
    county: { zh: '县级残联审核', en: 'County review' },
  } satisfies Record<HomeReviewLevel, Bilingual>,
  modes: { home: { zh: '上门', en: 'At home' }, centralized: { zh: '集中', en: 'Centralized' } } satisfies Record<VisitMode, Bilingual>,
  outcomes: {
    assessed: { zh: '已评定', en: 'assessed' },
    not_home: { zh: '不在家', en: 'not at home' },
    refused: { zh: '拒绝评定', en: 'refused' },
    moved: { zh: '已迁走', en: 'moved away' },
  } satisfies Record<VisitOutcome, Bilingual>,
};

export type HomeReportFigures = {
  /** home-assessment requests received in the period */
  requests: number;
  /** decisions taken in the period at each level of review (HOME-2) */
  reviews: Record<HomeReviewLevel, { approved: number; refused: number }>;
  /** visits whose outcome was recorded in the period, by mode and outcome (HOME-3) */
  visits: Record<VisitMode, Record<VisitOutcome, number>>;
  /** home assessments done in the period; qualified persons by certificate category, levels 1–4 */
  assessments: { total: number; qualified: number; byCategory: Record<string, number[]> };
  /** certificates of home-assessment cases delivered in the period (HOME-4) */
  delivered: number;
  /** mean calendar days from request to delivery over `delivered`; null when nothing was delivered */
  avgDaysToDelivery: number | null;
};

const outcomes = () => Object.fromEntries(VISIT_OUTCOMES.map((o) => [o, 0])) as Record<VisitOutcome, number>;

export function emptyFigures(): HomeReportFigures {
  return {
    requests: 0,
    reviews: Object.fromEntries(HOME_REVIEW_LEVELS.map((l) => [l, { approved: 0, refused: 0 }])) as HomeReportFigures['reviews'],
    visits: Object.fromEntries(VISIT_MODES.map((m) => [m, outcomes()])) as HomeReportFigures['visits'],
    assessments: { total: 0, qualified: 0, byCategory: Object.fromEntries(REPORT_CATEGORIES.map((c) => [String(c), LEVELS.map(() => 0)])) },
    delivered: 0,
    avgDaysToDelivery: null,
  };
}

/** Counts `n` assessments with the same result: qualified ones under the category and level their certificate shows. */
export function countAssessments(f: HomeReportFigures, qualified: boolean, disabilities: Disability[], n = 1): void {
  f.assessments.total += n;
  if (!qualified) return;
  f.assessments.qualified += n;
  const { category, level } = certificateCategoryAndLevel(disabilities);
  f.assessments.byCategory[String(category)][level - 1] += n;
}

/** Sets the deliveries of a period from their count and the sum of their request-to-delivery days. */
export function setDeliveries(f: HomeReportFigures, delivered: number, totalDays: number): void {
  f.delivered = delivered;
  f.avgDaysToDelivery = delivered > 0 ? totalDays / delivered : null;
}

/**
 * The figures of several counties as one: every count is summed; the average days to delivery is
 * weighted by each county's deliveries (a county that delivered one certificate must not weigh as
 * much as one that delivered fifty).
 */
export function rollUp(list: HomeReportFigures[]): HomeReportFigures {
  const total = emptyFigures();
  let days = 0;
  for (const f of list) {
    total.requests += f.requests;
    for (const l of HOME_REVIEW_LEVELS) {
      total.reviews[l].approved += f.reviews[l].approved;
      total.reviews[l].refused += f.reviews[l].refused;
    }
    for (const m of VISIT_MODES) for (const o of VISIT_OUTCOMES) total.visits[m][o] += f.visits[m][o];
    total.assessments.total += f.assessments.total;
    total.assessments.qualified += f.assessments.qualified;
    for (const c of REPORT_CATEGORIES) {
      f.assessments.byCategory[String(c)].forEach((n, i) => (total.assessments.byCategory[String(c)][i] += n));
    }
    total.delivered += f.delivered;
    days += (f.avgDaysToDelivery ?? 0) * f.delivered;
  }
  setDeliveries(total, total.delivered, days);
  return total;
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export type ReportPeriod = { from: string; to: string; dueOn: string };

/**
 * The period a report month covers and the day it is due. `dueDay` null = month end: the calendar
 * month, due on its last day (28/29 February included). `dueDay` d (1–28, so every month has it):
 * from the day after the previous month's d to this month's d, due on that day.
 */
export function reportPeriod(month: string, dueDay: number | null): ReportPeriod {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`report month ${month} is not YYYY-MM`);
  const [y, m] = month.split('-').map(Number);
  if (dueDay === null) {
    const to = iso(y, m, lastDayOf(y, m));
    return { from: iso(y, m, 1), to, dueOn: to };
  }
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 28) throw new RangeError(`due day ${dueDay} is not 1–28`);
  const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
  const to = iso(y, m, dueDay);
  // the previous period ended on the previous month's due day; dueDay ≤ 28 so that day always exists
  const from = dueDay === lastDayOf(py, pm) ? iso(y, m, 1) : iso(py, pm, dueDay + 1);
  return { from, to, dueOn: to };
}

/** A county is overdue once the due day has passed without its report; a submitted report never is, however late. */
export const isOverdue = (today: string, dueOn: string, submitted: boolean) => !submitted && today > dueOn;

/** A month can be reported once its period has begun (a report is a snapshot up to the moment it is sent). */
export const periodStarted = (today: string, period: ReportPeriod) => today >= period.from;
