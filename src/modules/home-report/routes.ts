/** HOME-5: the monthly home-assessment report — view, spreadsheet, and a county's submission. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { MONTH_PATTERN } from '../../domain/home-report.js';
import type { HttpServer } from '../../platform/http.js';
import { XLSX_MIME } from '../../platform/xlsx.js';
import { requireRole } from '../auth/sessions.js';
import { homeReport } from './queries.js';
import { submitHomeReport } from './submit.js';
import { homeReportWorkbook } from './workbook.js';

const month = z.string().regex(MONTH_PATTERN, 'month as YYYY-MM, e.g. 2026-05 / 月份格式为 YYYY-MM，如 2026-05');
const county = z.string().regex(/^\d{6}$/, 'county code: 6 digits / 县（区）代码为6位数字');
const query = z.object({ month, county: county.optional() });
const READERS = ['clerk', 'reviewer', 'approver', 'supervisor'];

export function homeReportRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/home-reports', {
    schema: { tags: ['reports'], summary: '上门评定月报（县级本县，督导辖区各县及合计） Monthly home-assessment report (HOME-5)', querystring: query },
  }, async (req) => {
    const staff = requireRole(req.principal, READERS);
    return homeReport(ctx.db, staff, req.query.month, ctx.clock.today(), req.query.county);
  });

  app.get('/api/home-reports.xlsx', {
    schema: { tags: ['reports'], summary: '上门评定月报导出 Excel The monthly home-assessment report as .xlsx (HOME-5)', querystring: query },
  }, async (req, reply) => {
    const staff = requireRole(req.principal, READERS);
    const report = await homeReport(ctx.db, staff, req.query.month, ctx.clock.today(), req.query.county);
    const name = `home-assessment-report-${report.month}${req.query.county ? `-${req.query.county}` : ''}.xlsx`;
    const zhName = `上门评定月报-${report.month}${req.query.county ? `-${req.query.county}` : ''}.xlsx`;
    reply
      .header('content-type', XLSX_MIME)
      .header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(zhName)}`)
      .header('cache-control', 'private, no-store');
    return reply.send(Buffer.from(homeReportWorkbook(report)));
  });

  app.post('/api/home-reports/:month/submit', {
    schema: {
      tags: ['reports'],
      summary: '县级残联报送本月上门评定月报 A county submits its monthly home-assessment report (HOME-5)',
      params: z.object({ month }),
      body: z.object({ county: county.optional() }).default({}),
    },
  }, async (req, reply) => {
    const staff = requireRole(req.principal, ['clerk', 'reviewer', 'approver']);
    const code = await ctx.db.tx((q) => submitHomeReport(ctx, q, staff, req.params.month, req.body?.county));
    reply.status(201);
    return homeReport(ctx.db, staff, req.params.month, ctx.clock.today(), code);
  });
}
