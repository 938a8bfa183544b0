/** Upload, list and view the scans attached to a case (same 404 rule as the case). */
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { unauthenticated } from '../auth/sessions.js';
import { caseworkGrants, principalKey, type Principal } from '../auth/principal.js';
import { appendAudit } from '../audit/audit-chain.js';
import { logFullView, purposeOr } from '../audit/data-views.js';
import { visibleCaseRow } from '../cases/access.js';
import { attachDocument, checkUpload, documentContent, listDocuments, MAX_DOCUMENT_BYTES, sendScan, UPLOAD_BODY_LIMIT } from './documents.js';
import { loadDocumentScanner } from './scanner.js';

export async function documentRoutes(app: HttpServer, ctx: AppContext) {
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 5 } });
  // loaded here, before the server takes its first upload; a module that does not load stops the start
  if (ctx.config.documentScanner) ctx.scanDocument = await loadDocumentScanner(ctx.config.documentScanner);
  const visibleCase = async (req: { principal: Principal | null }, id: string) => {
    if (!req.principal) throw unauthenticated();
    await visibleCaseRow(ctx.db, req.principal, id);
  };

  app.post('/api/cases/:id/documents', {
    // refused from its Content-Length before a byte is read when over the limit (app.ts, issue 15 item 17)
    bodyLimit: UPLOAD_BODY_LIMIT,
    schema: { tags: ['documents'], summary: '上传材料扫描件 Upload a scan (multipart: materialCode, file)', params: z.object({ id: z.string() }), consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    if (!req.principal) throw unauthenticated();
    const file = await req.file().catch((err: { statusCode?: number; code?: string }) => {
      if (err.code?.startsWith('FST_')) throw err; // the plugin's own refusals (limits, content type) are mapped in http-errors.ts
      throw new DomainError('malformed', 'document.multipart', { zh: '上传的表单格式有误（缺少分隔符 boundary 或内容不完整）。请重新选择文件上传。', en: 'The upload form is malformed (no boundary, or the body is cut short). Choose the file and upload it again.' }, 'file');
    });
    if (!file) throw invalid('document.missing', '请选择要上传的文件。', 'Choose a file to upload.', 'file');
    const bytes = await file.toBuffer().catch(() => {
      throw invalid('document.too_large', '文件超过10MB，请压缩或分页扫描后上传。', 'The file is over 10 MB; compress it or scan fewer pages per file.', 'file');
    });
    const materialCode = String((file.fields.materialCode as any)?.value ?? 'other');
    const p = req.principal;
    await visibleCase(req, req.params.id); // outside the jurisdiction: 404 before any check of the file
    const checked = await checkUpload(ctx, { materialCode, fileName: file.filename, bytes }, req.log);
    const doc = await ctx.db.tx((q) => attachDocument(ctx, q, p, req.params.id, checked));
    reply.status(201);
    return doc;
  });

  app.get('/api/cases/:id/documents', { schema: { tags: ['documents'], summary: '案件材料 Documents of a case', params: z.object({ id: z.string() }) } }, async (req) => {
    await visibleCase(req, req.params.id);
    return listDocuments(ctx.db, req.params.id);
  });

  app.get('/api/cases/:id/documents/:doc', {
    schema: {
      tags: ['documents'],
      summary: '查看扫描件（记录查阅） View a scan; every view is logged with its purpose (SEC-1)',
      params: z.object({ id: z.string(), doc: z.string().uuid() }),
      querystring: z.object({ purpose: z.string().trim().min(2).max(200).optional() }),
    },
  }, async (req, reply) => {
    if (!req.principal) throw unauthenticated();
    const p = req.principal;
    const c = await visibleCaseRow(ctx.db, p, req.params.id);
    const d = await documentContent(ctx, req.params.id, req.params.doc);
    if (!d) throw notFound({ zh: '材料', en: 'document' });
    // SEC-1: a scan is personal data in full, so every view is logged (the viewer's own chain); staff views are listed for supervisors and the applicant
    await ctx.db.tx(async (q) => {
      const grant = p.kind === 'staff' ? (caseworkGrants(p.grants)[0] ?? p.grants[0]) : null;
      const purpose = purposeOr(req.query.purpose, `办理案件 ${c.case_no} case handling`);
      await appendAudit(q, {
        chain: grant?.orgUnitId ?? 'applicants',
        actor: principalKey(p), action: 'case.document_view', objectType: 'case', objectId: req.params.id, detail: { document: req.params.doc, purpose }, at: ctx.clock.now(),
      });
      if (grant) {
        await logFullView(q, {
          at: ctx.clock.now(), viewer: { kind: 'staff', id: p.id, role: grant.role, orgUnitId: grant.orgUnitId }, what: 'case_document', purpose,
          subjects: [{ caseId: c.id, personId: c.person_id, paths: [c.accept_path, c.residence_path, c.hukou_path] }], detail: { document: req.params.doc },
        });
      }
    });
    return sendScan(reply, d);
  });
}
