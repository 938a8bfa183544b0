/**
 * ORG-4: each working day a handling clerk logs in at least once (002), twice under the Zhejiang
 * profile (003). This report lists, for a day, the desk staff in the caller's subtree who did not.
 */
import { z } from 'zod';
import { isoDate } from '../../platform/schemas.js';
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import { isWorkingDay } from '../../domain/working-days.js';
import type { HttpServer } from '../../platform/http.js';
import { scopePatterns, type Principal } from './principal.js';
import { requireRole } from './sessions.js';

export function loginReportRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/reports/missed-logins', {
    schema: {
      tags: ['reports'],
      summary: '未按要求登录的办证人员 Desk staff who missed their daily logins (ORG-4)',
      querystring: z.object({ date: isoDate }),
    },
  }, async (req) => missedLogins(ctx, req.principal, req.query.date));
}

/** The report for a day (China time) over the caller's subtree; a day off has nobody to list. */
export async function missedLogins(ctx: AppContext, principal: Principal | null, date: string) {
    const staff = requireRole(principal, ['supervisor', 'admin', 'auditor']);
    if (date > ctx.clock.today()) throw invalid('report.future', '不能查询未来日期。', 'The date is in the future.', 'date');
    if (!isWorkingDay(await ctx.calendar.get(), date)) return { date, workingDay: false, items: [] };
    // China Standard Time day boundaries, whatever the server's zone
    const from = new Date(`${date}T00:00:00+08:00`).toISOString();
    const to = new Date(new Date(from).getTime() + 86400_000).toISOString();
    const rows = await ctx.db.query(
      `SELECT u.id, u.username, u.display_name, o.name AS org_name, (pp.settings->>'staffLoginsPerDay')::int AS required,
              (SELECT count(*)::int FROM staff_login l WHERE l.staff_id = u.id AND l.at >= $2 AND l.at < $3) AS logins
       FROM staff_user u
       JOIN role_grant g ON g.user_id = u.id AND g.role IN ('clerk', 'reviewer', 'approver')
       JOIN org_unit o ON o.id = g.org_unit_id
       JOIN province_profile prov ON prov.province_code = split_part(o.path, '.', 1)
       JOIN policy_profile pp ON pp.code = prov.profile_code
       WHERE u.active AND o.path LIKE ANY($1) AND u.created_at < $3
       GROUP BY u.id, o.name, pp.settings ORDER BY o.name, u.username`,
      [scopePatterns(staff.grants), from, to],
    );
    return {
      date,
      workingDay: true,
      items: rows.filter((r) => r.logins < r.required).map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, org: r.org_name, logins: r.logins, required: r.required })),
    };
}
