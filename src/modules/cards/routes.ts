/** DOC-1 print batches and the case's print preview (staff); DOC-3 the holder's electronic certificate (portal). */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { DomainError } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff, unauthenticated } from '../auth/sessions.js';
import { batchPdf, batchView, casePreviewPdf, confirmBatch, createBatch, electronicCertificate, holderCertificates } from './cards.js';

const uuid = z.string().uuid();
const sendPdf = (reply: any, bytes: Buffer, fileName: string) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .header('cache-control', 'private, no-store')
    .send(bytes);

const applicantOnly = () =>
  new DomainError('forbidden', 'portal.applicant_only', { zh: '仅申请人（持证人）账号可下载电子证照。', en: 'Only the applicant’s (holder’s) account can download the electronic certificate.' });

export function cardRoutes(app: HttpServer, ctx: AppContext) {
  app.post('/api/card-batches', {
    schema: {
      tags: ['cards'],
      summary: '新建制证批次 Create a print batch of cards (DOC-1)',
      body: z.object({
        items: z.array(z.object({ caseId: uuid, reprintReason: z.string().trim().min(2).max(200).optional() })).min(1).max(1000)
          .refine((a) => new Set(a.map((i) => i.caseId)).size === a.length, { message: 'each case once / 每个案件只能出现一次' }),
      }),
    },
  }, async (req, reply) => {
    const out = await createBatch(ctx, requireStaff(req.principal), req.body.items);
    return reply.status(201).send(out);
  });

  app.get('/api/card-batches/:id', {
    schema: { tags: ['cards'], summary: '制证批次 A print batch', params: z.object({ id: z.string().max(64) }) },
  }, async (req) => batchView(ctx, requireStaff(req.principal), req.params.id));

  app.get('/api/card-batches/:id/cards.pdf', {
    schema: { tags: ['cards'], summary: '制证批次PDF（A4，实际尺寸，带裁切线） The batch as one PDF at true size with crop marks', params: z.object({ id: z.string().max(64) }) },
  }, async (req, reply) => sendPdf(reply, await batchPdf(ctx, requireStaff(req.principal), req.params.id), `cards-${req.params.id.slice(0, 8)}.pdf`));

  app.post('/api/card-batches/:id/confirm', {
    schema: { tags: ['cards'], summary: '确认制证完成（各案件执行“制证”） Confirm the batch printed: each case takes its print action', params: z.object({ id: z.string().max(64) }), body: z.object({}).optional() },
  }, async (req) => confirmBatch(ctx, requireStaff(req.principal), req.params.id));

  app.get('/api/cases/:id/card-preview.pdf', {
    schema: { tags: ['cards'], summary: '残疾人证打印预览 Print preview of the case’s card', params: z.object({ id: z.string().max(64) }) },
  }, async (req, reply) => sendPdf(reply, await casePreviewPdf(ctx, requireStaff(req.principal), req.params.id), `card-preview.pdf`));

  app.get('/api/portal/certificates', {
    schema: { tags: ['portal'], summary: '我的残疾人证 My certificates (the holder’s)' },
  }, async (req) => {
    const p = req.principal;
    if (!p) throw unauthenticated();
    if (p.kind !== 'applicant') throw applicantOnly();
    return { items: await holderCertificates(ctx, p.id) };
  });

  app.get('/api/portal/certificates/:id/electronic.pdf', {
    schema: { tags: ['portal'], summary: '下载电子残疾人证 Download the electronic certificate (DOC-3)', params: z.object({ id: z.string().max(64) }) },
  }, async (req, reply) => {
    const p = req.principal;
    if (!p) throw unauthenticated();
    if (p.kind !== 'applicant') throw applicantOnly();
    return sendPdf(reply, await electronicCertificate(ctx, p.id, req.params.id), '电子残疾人证.pdf');
  });
}
