/**
 * HOME-5: who sees which counties' monthly home-assessment reports, and the figures themselves,
 * counted from the case files, their history, the visits and the assessment records — only columns
 * that are stored readable, so nothing is decrypted for a report.
 */
import {
  countAssessments, emptyFigures, HOME_REVIEW_LEVELS, isOverdue, periodStarted, reportPeriod, rollUp, setDeliveries,
  VISIT_MODES, VISIT_OUTCOMES, type HomeReportFigures, type HomeReviewLevel, type ReportPeriod,
} from '../../domain/home-report.js';
import { notFound } from '../../domain/errors.js';
import { addCalendarDays } from '../../domain/dates.js';
import type { Queryable } from '../../platform/db.js';
import { countyDeskGrants, scopePatterns, type StaffPrincipal } from '../auth/principal.js';
import { provinceCodeOf } from '../org/divisions.js';
import { getProfile, provinceProfileCode } from '../org/profiles.js';

/** The county federation desks the caller works at: they see and submit their own county's report. */
export const deskGrants = (p: StaffPrincipal) => countyDeskGrants(p.grants);
const supervisorGrants = (p: StaffPrincipal) => p.grants.filter((g) => g.role === 'supervisor');

export type County = { code: string; name: string; path: string; cityCode: string; cityName: string; dueDay: number | null; period: ReportPeriod };

/**
 * The counties whose reports the caller sees: a desk's own county; for a supervisor every county
 * (level-3 division) in their subtree that has a federation to report. `code` narrows to one county,
 * and a county outside that set is 404, whether or not it exists.
 */
export async function countiesInScope(q: Queryable, p: StaffPrincipal, month: string, code?: string): Promise<County[]> {
  const desks = deskGrants(p).map((g) => g.orgPath);
  const supervised = supervisorGrants(p);
  const rows = await q.query(
    `SELECT d.code, d.name, d.path, c.code AS city_code, c.name AS city_name
     FROM division d JOIN division c ON c.code = d.parent_code
     WHERE d.level = 3 AND ($3::text IS NULL OR d.code = $3)
       AND (d.path = ANY($1::text[]) OR d.path LIKE ANY($2::text[]))
       AND EXISTS (SELECT 1 FROM org_unit o WHERE o.kind = 'federation' AND o.active AND o.path = d.path)
     ORDER BY d.code`,
    [desks, supervised.length ? scopePatterns(supervised) : [], code ?? null],
  );
  if (code && rows.length === 0) throw notFound({ zh: '县（区）', en: 'county' });
  // a county reports by its province's profile; provinces are few, so one look-up each
  const dueDays = new Map<string, number | null>();
  for (const province of new Set(rows.map((r) => provinceCodeOf(r.path)))) {
    const profile = await provinceProfileCode(q, province);
    dueDays.set(province, profile ? (await getProfile(q, profile)).settings.homeReportDueDay : null);
  }
  return rows.map((r) => {
    const dueDay = dueDays.get(provinceCodeOf(r.path)) ?? null;
    return { code: r.code, name: r.name, path: r.path, cityCode: r.city_code, cityName: r.city_name, dueDay, period: reportPeriod(month, dueDay) };
  });
}

/** China Standard Time day boundaries of a period as instants, for timestamptz columns. */
const instants = (p: ReportPeriod) => ({ from: new Date(`${p.from}T00:00:00+08:00`).toISOString(), until: new Date(`${addCalendarDays(p.to, 1)}T00:00:00+08:00`).toISOString() });

// every figure query joins this list of (county path, first day, last day, first instant, end instant)
const PERIODS = `periods AS (SELECT * FROM unnest($1::text[], $2::date[], $3::date[], $4::timestamptz[], $5::timestamptz[]) AS t(path, d_from, d_to, t_from, t_until))`;

const LEVEL_OF_STATE: Record<string, HomeReviewLevel> = { home_village_review: 'village', home_township_review: 'township', home_county_review: 'county' };

/** The live figures of each county for its own period. */
export async function liveFigures(q: Queryable, counties: County[]): Promise<Map<string, HomeReportFigures>> {
  const out = new Map(counties.map((c) => [c.path, emptyFigures()]));
  if (!counties.length) return out;
  const bounds = counties.map((c) => instants(c.period));
  const params = [counties.map((c) => c.path), counties.map((c) => c.period.from), counties.map((c) => c.period.to), bounds.map((b) => b.from), bounds.map((b) => b.until)];
  const of = (path: string) => out.get(path)!;

  const requests = await q.query(
    `WITH ${PERIODS} SELECT p.path, count(*)::int AS n FROM periods p
     JOIN case_file f ON f.accept_path = p.path AND f.home_requested_on BETWEEN p.d_from AND p.d_to GROUP BY p.path`,
    params,
  );
  for (const r of requests) of(r.path).requests = r.n;

  const reviews = await q.query(
    `WITH ${PERIODS} SELECT p.path, e.action, e.from_state, count(*)::int AS n FROM periods p
     JOIN case_file f ON f.accept_path = p.path AND f.home_requested_on IS NOT NULL
     JOIN case_event e ON e.case_id = f.id AND e.at >= p.t_from AND e.at < p.t_until
       AND e.action IN ('approve_home_village', 'approve_home_township', 'approve_home_county', 'refuse_home')
     GROUP BY p.path, e.action, e.from_state`,
    params,
  );
  for (const r of reviews) {
    const level = r.action === 'refuse_home' ? LEVEL_OF_STATE[r.from_state] : (r.action.replace('approve_home_', '') as HomeReviewLevel);
    if (!HOME_REVIEW_LEVELS.includes(level)) continue; // a refusal from a state that is not a review level cannot happen; never miscount it
    of(r.path).reviews[level][r.action === 'refuse_home' ? 'refused' : 'approved'] += r.n;
  }

  const visits = await q.query(
    `WITH ${PERIODS} SELECT p.path, b.mode, v.outcome, count(*)::int AS n FROM periods p
     JOIN visit_batch b ON b.county_path = p.path
     JOIN visit v ON v.batch_id = b.id AND v.outcome IS NOT NULL AND v.outcome_at >= p.t_from AND v.outcome_at < p.t_until
     GROUP BY p.path, b.mode, v.outcome`,
    params,
  );
  for (const r of visits) if (VISIT_MODES.includes(r.mode) && VISIT_OUTCOMES.includes(r.outcome)) of(r.path).visits[r.mode as 'home'][r.outcome as 'assessed'] = r.n;

  const assessments = await q.query(
    `WITH ${PERIODS} SELECT p.path, a.qualified, a.disabilities, count(*)::int AS n FROM periods p
     JOIN assessment_record a ON a.county_path = p.path AND a.home AND a.assessed_on BETWEEN p.d_from AND p.d_to
     GROUP BY p.path, a.qualified, a.disabilities`,
    params,
  );
  for (const r of assessments) countAssessments(of(r.path), r.qualified, r.disabilities, r.n);

  // delivery day in China time (UTC+8 all year) minus the request day, in calendar days
  const delivered = await q.query(
    `WITH ${PERIODS} SELECT p.path, count(*)::int AS n,
       sum((((e.at AT TIME ZONE 'UTC') + interval '8 hours')::date - f.home_requested_on))::int AS days
     FROM periods p
     JOIN case_file f ON f.accept_path = p.path AND f.home_requested_on IS NOT NULL
     JOIN case_event e ON e.case_id = f.id AND e.action = 'mark_delivered' AND e.at >= p.t_from AND e.at < p.t_until
     GROUP BY p.path`,
    params,
  );
  for (const r of delivered) setDeliveries(of(r.path), r.n, r.days);
  return out;
}

export type Submission = { figures: HomeReportFigures; submittedAt: string; submittedBy: string };

async function submissions(q: Queryable, month: string, paths: string[]): Promise<Map<string, Submission>> {
  const rows = await q.query(
    `SELECT s.county_path, s.figures, s.submitted_at, u.display_name FROM home_report_submission s
     JOIN staff_user u ON u.id = s.submitted_by WHERE s.month = $1 AND s.county_path = ANY($2::text[])`,
    [month, paths],
  );
  return new Map(rows.map((r) => [r.county_path, { figures: r.figures, submittedAt: r.submitted_at, submittedBy: r.display_name }]));
}

export type CountyReport = {
  code: string;
  name: string;
  city: { code: string; name: string };
  period: ReportPeriod;
  dueDay: number | null;
  /** a submitted report shows the figures as they were sent; otherwise the figures as they are now */
  source: 'submitted' | 'live';
  submitted: { at: string; by: string } | null;
  overdue: boolean;
  canSubmit: boolean;
  figures: HomeReportFigures;
};

export type HomeReport = {
  month: string;
  view: 'county' | 'supervisor';
  counties: CountyReport[];
  /** one subtotal per city, for a province-wide view */
  cities: { code: string; name: string; counties: number; submitted: number; overdue: number; figures: HomeReportFigures }[];
  total: HomeReportFigures;
};

export async function homeReport(q: Queryable, p: StaffPrincipal, month: string, today: string, county?: string): Promise<HomeReport> {
  const counties = await countiesInScope(q, p, month, county);
  const live = await liveFigures(q, counties);
  const sent = await submissions(q, month, counties.map((c) => c.path));
  const desks = new Set(deskGrants(p).map((g) => g.orgPath));
  const rows: CountyReport[] = counties.map((c) => {
    const s = sent.get(c.path);
    return {
      code: c.code,
      name: c.name,
      city: { code: c.cityCode, name: c.cityName },
      period: c.period,
      dueDay: c.dueDay,
      source: s ? 'submitted' : 'live',
      submitted: s ? { at: s.submittedAt, by: s.submittedBy } : null,
      overdue: isOverdue(today, c.period.dueOn, Boolean(s)),
      canSubmit: !s && desks.has(c.path) && periodStarted(today, c.period),
      figures: s?.figures ?? live.get(c.path)!,
    };
  });
  const cities = [...new Set(rows.map((r) => r.city.code))].map((code) => {
    const of = rows.filter((r) => r.city.code === code);
    return { code, name: of[0].city.name, counties: of.length, submitted: of.filter((r) => r.submitted).length, overdue: of.filter((r) => r.overdue).length, figures: rollUp(of.map((r) => r.figures)) };
  });
  return { month, view: supervisorGrants(p).length ? 'supervisor' : 'county', counties: rows, cities, total: rollUp(rows.map((r) => r.figures)) };
}
