/** TRF-4: the old county's list of certificates to check, the decisions on it, and the hukou-move intake. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { requireRole, requireStaff } from '../auth/sessions.js';
import { MOVE_COLUMNS } from '../../domain/hukou-moves.js';
import { problemReport } from '../../platform/spreadsheet.js';
import { XLSX_MIME } from '../../platform/xlsx.js';
import { importHukouMoves } from './hukou-moves.js';
import { reviewService } from './reviews.js';

/** A county's monthly share of moves is small; a province's stays well under this. */
const MAX_CSV_BYTES = 32 * 1024 * 1024;

export async function sweepRoutes(app: HttpServer, ctx: AppContext) {
  const reviews = reviewService(ctx);

  app.get('/api/certificate-reviews', {
    schema: {
      tags: ['certificates'],
      summary: '待核查：户口迁出未办理迁移的残疾人证（原户籍地） Certificates to check: hukou moved without transfer (TRF-4)',
      querystring: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20) }),
    },
  }, async (req) => reviews.list(requireStaff(req.principal), req.query.page, req.query.pageSize));

  app.post('/api/certificate-reviews/:id/decision', {
    schema: {
      tags: ['certificates'],
      summary: '核查后确认冻结/注销或不予处理 Confirm the freeze/cancellation after checking, or dismiss it (TRF-4)',
      params: z.object({ id: z.string() }),
      body: z.object({
        decision: z.enum(['confirmed', 'dismissed']),
        reason: z.string().trim().min(2, 'a reason is required / 请填写理由').max(500),
        expectedVersion: z.number().int().min(1),
      }),
    },
  }, async (req) => reviews.decide(requireStaff(req.principal), req.params.id, req.body));

  // Police files may be saved in GB18030 as well as UTF-8, so this route reads the bytes and decodes
  // them as the CLI does; the parser is replaced for this route's plugin only.
  await app.register(async (scoped) => {
    scoped.removeContentTypeParser('text/csv');
    scoped.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES }, (_req, body, done) => done(null, body));
    scoped.post('/api/admin/hukou-moves', {
      bodyLimit: MAX_CSV_BYTES,
      schema: {
        tags: ['admin'],
        summary: '导入公安户口迁移数据 CSV 或 Excel（管理员） Import the police’s hukou moves, CSV or .xlsx (admin; TRF-4)',
        description: 'A file with any bad row loads nothing and answers 422 with `problems` (line, column, zh, en) and `problemReport`: the same list as an .xlsx, inline (`fileName`, `contentType`, `base64`).',
        consumes: ['text/csv', XLSX_MIME],
      },
    }, async (req, reply) => {
      const admin = requireRole(req.principal, ['admin']);
      if (!Buffer.isBuffer(req.body)) throw invalid('hukou_move.csv_type', '请以 text/csv 或 .xlsx 提交户口迁移文件。', 'Send the hukou-move file as text/csv or as an .xlsx workbook.', 'file');
      const grants = admin.grants.filter((g) => g.role === 'admin');
      const fileName = String(req.headers['x-file-name'] ?? 'upload.csv').slice(0, 200);
      const r = await importHukouMoves(ctx, {
        fileName,
        bytes: req.body,
        actor: `staff:${admin.id}`,
        chain: grants[0].orgUnitId,
        scope: grants.map((g) => g.orgPath),
      });
      if (r.ok) return r;
      const bad = new Set(r.problems.map((p) => p.line)).size;
      return reply.status(422).send({
        error: {
          code: 'hukou_move.rows',
          zh: `${bad}行有问题（共${r.rows}行），未导入任何数据。请改正后重新提交整个文件。`,
          en: `${bad} of ${r.rows} rows have problems; nothing was imported. Fix them and send the whole file again.`,
        },
        problems: [...r.problems].sort((a, b) => a.line - b.line),
        problemReport: problemReport(fileName, r.problems, MOVE_COLUMNS),
      });
    });
  });
}
