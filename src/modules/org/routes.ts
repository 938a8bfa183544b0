/** The division tree (children-of and search, never the whole tree), org units, and policy profiles. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { invalid, notFound } from '../../domain/errors.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { HttpServer } from '../../platform/http.js';
import { scopePatterns } from '../auth/principal.js';
import { requireRole, requireStaff } from '../auth/sessions.js';
import { MAX_TABLE_BYTES, problemReport, readTable } from '../../platform/spreadsheet.js';
import { XLSX_MIME } from '../../platform/xlsx.js';
import { childrenOf, DIVISION_COLUMNS, divisionFileError, getDivision, importDivisions, NATIONAL_CODE, readDivisionRows, searchDivisions } from './divisions.js';
import { listProfiles } from './profiles.js';

const code = z.string().regex(/^\d{2,12}$/, 'division code: 2-12 digits / 区划代码为2至12位数字');

export function orgRoutes(app: HttpServer, ctx: AppContext) {
  // Divisions are public reference data: applicants pick their places from them too.
  app.get('/api/divisions', {
    schema: { tags: ['divisions'], summary: '按名称搜索区划 Search divisions by name', security: [], querystring: z.object({ q: z.string().trim().min(1).max(30), under: code.optional(), limit: z.coerce.number().int().min(1).max(50).default(20) }) },
  }, async (req) => searchDivisions(ctx.db, req.query.q, req.query.under, req.query.limit));

  app.get('/api/divisions/:code', { schema: { tags: ['divisions'], summary: '区划 A division', security: [], params: z.object({ code }) } }, async (req) => {
    const d = await getDivision(ctx.db, req.params.code);
    if (!d) throw notFound({ zh: '区划', en: 'division' });
    return d;
  });

  app.get('/api/divisions/:code/children', {
    schema: { tags: ['divisions'], summary: '下级区划 Children of a division (000000 = provinces)', security: [], params: z.object({ code }) },
  }, async (req) => {
    if (req.params.code !== NATIONAL_CODE && !(await getDivision(ctx.db, req.params.code))) throw notFound({ zh: '区划', en: 'division' });
    return childrenOf(ctx.db, req.params.code);
  });

  app.get('/api/org-units', {
    schema: { tags: ['org'], summary: '辖区内的单位（如评定机构） Org units in my jurisdiction', querystring: z.object({ kind: z.enum(['federation', 'township', 'village', 'institution']).optional(), under: code.optional(), categories: z.string().regex(/^[1-6](,[1-6])*$/).optional() }) },
  }, async (req) => {
    const staff = requireStaff(req.principal);
    const under = req.query.under ? await getDivision(ctx.db, req.query.under) : null;
    if (req.query.under && !under) throw notFound({ zh: '区划', en: 'division' });
    // my subtrees (a county desk sees its county's institutions), narrowed to `under` if given
    // with ?categories=…, only institutions designated today for all of them (ASMT-1: what a clerk may name)
    const wanted = req.query.categories?.split(',').map(Number) ?? null;
    const rows = await ctx.db.query(
      `SELECT o.id, o.kind, o.name, o.division_code, d.categories, d.valid_from, d.valid_until FROM org_unit o
       LEFT JOIN institution_designation d ON d.institution_id = o.id
       WHERE o.active AND o.path LIKE ANY($1) AND ($2::text IS NULL OR o.kind = $2) AND o.path LIKE $3
         AND ($4::smallint[] IS NULL OR (d.categories @> $4::smallint[] AND $5 BETWEEN d.valid_from AND d.valid_until))
       ORDER BY o.path LIMIT 500`,
      [scopePatterns(staff.grants), req.query.kind ?? null, (under?.path ?? '') + '%', wanted, ctx.clock.today()],
    );
    return rows.map((r) => ({
      id: r.id, kind: r.kind, name: r.name, divisionCode: r.division_code,
      ...(r.categories ? { designation: { categories: r.categories, validFrom: r.valid_from, validUntil: r.valid_until } } : {}),
    }));
  });

  // The national file is ~40 MB of CSV; the body limit is raised for this one route only. An .xlsx
  // upload arrives as bytes (the parser is shared with the other imports, under the same limit).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: MAX_TABLE_BYTES }, (_req, body, done) => done(null, body));
  app.post('/api/admin/divisions/import', {
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags: ['admin'],
      summary: '导入行政区划 CSV 或 Excel（管理员） Import a division table, CSV or .xlsx (admin; code,name)',
      description: 'A file with bad lines loads nothing and answers 422 with `problems` (line, column, zh, en) and `problemReport`: the same list as an .xlsx, inline (`fileName`, `contentType`, `base64`).',
      consumes: ['text/csv', XLSX_MIME],
    },
  }, async (req, reply) => {
    const admin = requireRole(req.principal, ['admin']);
    if (typeof req.body !== 'string' && !Buffer.isBuffer(req.body)) {
      throw invalid('division.csv_type', '请以 text/csv 或 .xlsx 提交区划文件。', 'Send the division file as text/csv or as an .xlsx workbook.', 'file');
    }
    const fileName = String(req.headers['x-file-name'] ?? (typeof req.body === 'string' ? 'divisions.csv' : 'divisions.xlsx')).slice(0, 200);
    const table = await readTable(typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body, fileName);
    const { rows, problems } = readDivisionRows(table.rows);
    if (problems.length) {
      const e = divisionFileError(problems);
      return reply.status(422).send({ error: { code: e.code, ...e.text }, problems, problemReport: problemReport(fileName, problems, DIVISION_COLUMNS) });
    }
    const imported = await importDivisions(ctx.db, rows);
    await ctx.db.tx((q) => appendAudit(q, { chain: admin.grants.find((g) => g.role === 'admin')!.orgUnitId, actor: `staff:${admin.id}`, action: 'division.import', objectType: 'division', objectId: table.kind, detail: { rows: rows.length, imported }, at: ctx.clock.now() }));
    return { imported };
  });

  app.get('/api/profiles', { schema: { tags: ['org'], summary: '地区政策配置 Regional policy profiles (SLA-4)', security: [] } }, async () => listProfiles(ctx.db));
}
