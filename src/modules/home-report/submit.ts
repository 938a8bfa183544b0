/** HOME-5: a county desk sends its month's report up; the figures are kept as sent. */
import type { AppContext } from '../../app-context.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { periodStarted } from '../../domain/home-report.js';
import { zhDate } from '../../domain/dates.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { countiesInScope, deskGrants, liveFigures } from './queries.js';

/** Submits `month` for the caller's county (`countyCode` when they work at more than one). */
export async function submitHomeReport(ctx: AppContext, q: Queryable, p: StaffPrincipal, month: string, countyCode?: string) {
  const desks = deskGrants(p);
  const desk = countyCode ? desks.find((g) => g.divisionCode === countyCode) : desks.length === 1 ? desks[0] : undefined;
  if (!desk && countyCode) throw notFound({ zh: '县（区）', en: 'county' });
  if (!desk) throw invalid('home_report.county', '您在多个县（区）任职，请选择报送哪个县（区）的报表。', 'You work at more than one county; choose which county’s report to submit.', 'county');
  const [county] = await countiesInScope(q, { ...p, grants: [desk] }, month, desk.divisionCode);
  const today = ctx.clock.today();
  if (!periodStarted(today, county.period)) {
    throw invalid('home_report.future', `${month}的统计期自${zhDate(county.period.from)}开始，尚未开始，不能报送。`, `The period of ${month} starts on ${county.period.from}; it cannot be submitted yet.`, 'month');
  }
  const figures = (await liveFigures(q, [county])).get(county.path)!;
  const now = ctx.clock.now();
  // the primary key settles a race between two desks of the same county: the second insert finds the row
  const inserted = await q.query(
    `INSERT INTO home_report_submission (county_path, month, figures, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (county_path, month) DO NOTHING RETURNING month`,
    [county.path, month, JSON.stringify(figures), p.id, now.toISOString()],
  );
  if (!inserted.length) {
    throw conflict('home_report.already_submitted', `${county.name}${month}的上门评定月报已经报送，不能重复报送。`, `The ${month} home-assessment report of ${county.name} has already been submitted; it cannot be submitted twice.`);
  }
  await appendAudit(q, {
    chain: desk.orgUnitId, actor: `staff:${p.id}`, action: 'home_report.submit', objectType: 'home_report', objectId: `${county.code}:${month}`,
    detail: { county: county.code, month, period: county.period, figures }, at: now,
  });
  return county.code;
}
