/** SLA-1: reading and (admin) publishing the working-day calendar of a year. */
import { z } from 'zod';
import { isoDate } from '../../platform/schemas.js';
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import { calendarFromEntries } from '../../domain/working-days.js';
import type { HttpServer } from '../../platform/http.js';
import { appendAudit } from '../audit/audit-chain.js';
import { requireRole } from '../auth/sessions.js';
import { recomputeDueDates, replaceYear } from './calendar.js';

const year = z.coerce.number().int().min(2000).max(2100);
const day = isoDate;

export function calendarRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/calendar/:year', { schema: { tags: ['calendar'], summary: '某年节假日与调休 Holidays and make-up days of a year', security: [], params: z.object({ year }) } }, async (req) => {
    const y = req.params.year;
    const [meta] = await ctx.db.query('SELECT source, updated_at FROM calendar_year WHERE year = $1', [y]);
    const days = await ctx.db.query('SELECT day, kind, name FROM calendar_day WHERE day BETWEEN $1 AND $2 ORDER BY day', [`${y}-01-01`, `${y}-12-31`]);
    return { year: y, published: Boolean(meta), source: meta?.source ?? null, updatedAt: meta?.updated_at ?? null, days: days.map((d) => ({ date: d.day, kind: d.kind, name: d.name })) };
  });

  app.put('/api/calendar/:year', {
    schema: {
      tags: ['calendar'],
      summary: '发布/更正某年安排（管理员） Publish or correct a year (admin)',
      params: z.object({ year }),
      body: z.object({ source: z.string().trim().min(4).max(200), days: z.array(z.object({ date: day, kind: z.enum(['holiday', 'workday']), name: z.string().max(50).default('') })).max(400) }),
    },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    const y = req.params.year;
    const wrongYear = req.body.days.find((d) => !d.date.startsWith(`${y}-`));
    if (wrongYear) {
      throw invalid('calendar.wrong_year', `日期 ${wrongYear.date} 不属于 ${y} 年。`, `The date ${wrongYear.date} is not in ${y}.`, 'days');
    }
    calendarFromEntries(req.body.days, [y]); // refuses a date listed as both holiday and workday, and impossible dates
    const recomputed = await ctx.db.tx(async (q) => {
      await replaceYear(q, y, req.body.days, req.body.source);
      await appendAudit(q, { chain: admin.grants.find((g) => g.role === 'admin')!.orgUnitId, actor: `staff:${admin.id}`, action: 'calendar.publish', objectType: 'calendar_year', objectId: String(y), detail: { source: req.body.source, days: req.body.days.length }, at: ctx.clock.now() });
      ctx.calendar.invalidate();
      return recomputeDueDates(q, await ctx.calendar.get(q), ctx.clock.today());
    });
    ctx.calendar.invalidate();
    return { year: y, days: req.body.days.length, dueDatesRecomputed: recomputed };
  });
}
