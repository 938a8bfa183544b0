/** HOME-3 endpoints: plan visit batches, add cases, read a batch, and print its visit list. */
import { z } from 'zod';
import { isoDate } from '../../platform/schemas.js';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireRole, requireStaff } from '../auth/sessions.js';
import { addCases, batchView, candidates, createBatch, institutionDoctors, listBatches, visitList } from './batches.js';

const day = isoDate;
const batchId = z.object({ id: z.string() });

export function homeVisitRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/visit-batches/candidates', {
    schema: { tags: ['home assessment'], summary: '待安排上门评定的案件 Cases waiting for a home visit (HOME-3)' },
  }, async (req) => ({ items: await candidates(ctx, requireRole(req.principal, ['clerk', 'reviewer'])) }));

  app.get('/api/visit-batches/doctors', {
    schema: { tags: ['home assessment'], summary: '机构的评定医生及资质 An institution’s doctors and their qualifications', querystring: z.object({ institutionId: z.string().uuid() }) },
  }, async (req) => ({ items: await institutionDoctors(ctx, requireRole(req.principal, ['clerk', 'reviewer']), req.query.institutionId) }));

  app.post('/api/visit-batches', {
    schema: {
      tags: ['home assessment'],
      summary: '新建上门评定批次 Plan a visit batch (HOME-3)',
      body: z.object({
        townshipCode: z.string().regex(/^\d{9}$/, 'township code: 9 digits / 乡镇（街道）代码为9位数字'),
        visitOn: day,
        mode: z.enum(['home', 'centralized']),
        place: z.string().trim().max(200).optional(),
        institutionId: z.string().uuid(),
        doctors: z.record(z.string().regex(/^[1-6]$/), z.string()),
        note: z.string().trim().max(500).optional(),
      }),
    },
  }, async (req, reply) => {
    const p = requireRole(req.principal, ['clerk', 'reviewer']);
    const out = await ctx.db.tx((q) => createBatch(ctx, q, p, req.body));
    reply.status(201);
    return batchView(ctx, p, out.id);
  });

  app.get('/api/visit-batches', {
    schema: { tags: ['home assessment'], summary: '上门评定批次 Visit batches I plan, visit or serve', querystring: z.object({ from: day.optional() }) },
  }, async (req) => ({ items: await listBatches(ctx, requireStaff(req.principal), req.query.from ?? ctx.clock.today()) }));

  app.get('/api/visit-batches/:id', { schema: { tags: ['home assessment'], summary: '批次及其走访 A batch and its visits', params: batchId } }, async (req) =>
    batchView(ctx, requireStaff(req.principal), req.params.id),
  );

  app.post('/api/visit-batches/:id/cases', {
    schema: {
      tags: ['home assessment'],
      summary: '把案件编入批次 Add cases to a batch',
      params: batchId,
      body: z.object({ caseIds: z.array(z.string()).min(1).max(100), expectedVersion: z.number().int().positive() }),
    },
  }, async (req) => {
    const p = requireRole(req.principal, ['clerk', 'reviewer']);
    await ctx.db.tx((q) => addCases(ctx, q, p, req.params.id, req.body.caseIds, req.body.expectedVersion));
    return batchView(ctx, p, req.params.id);
  });

  app.get('/api/visit-batches/:id/visit-list', {
    schema: { tags: ['home assessment'], summary: '走访名单（含姓名、地址、电话，查看留痕） The printable visit list (full view, logged)', params: batchId },
  }, async (req) => visitList(ctx, requireStaff(req.principal), req.params.id));
}
