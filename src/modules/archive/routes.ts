/** ARCH-1 endpoints: a person's archive in filing order, one of its files, and the whole archive as a ZIP. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff } from '../auth/sessions.js';
import { sendScan } from '../documents/documents.js';
import { archiveService } from './archive.js';

const person = z.object({ id: z.string() });
/** SEC-1: why the file is opened; without one, the purpose the context implies is logged. */
const purpose = z.object({ purpose: z.string().trim().min(2).max(200).optional() });

export function archiveRoutes(app: HttpServer, ctx: AppContext) {
  const archive = archiveService(ctx);

  app.get('/api/persons/:id/archive', {
    schema: { tags: ['persons'], summary: '一人一档：档案材料（按归档顺序） The person’s archive in filing order (ARCH-1)', params: person },
  }, async (req) => archive.list(requireStaff(req.principal), req.params.id));

  app.get('/api/persons/:id/archive.zip', {
    schema: { tags: ['persons'], summary: '导出档案（ZIP，含目录 index.html；记录在审计日志） The archive as one ZIP with an index; every export is logged (ARCH-1). To a party outside the federation only under an agreement (SEC-5).',
      params: person,
      querystring: purpose.extend({ recipient: z.enum(['internal', 'external']).default('internal'), agreementId: z.string().uuid().optional() }),
    },
  }, async (req, reply) => {
    const zip = await archive.exportZip(requireStaff(req.principal), req.params.id, req.query);
    reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${zip.asciiName}"; filename*=UTF-8''${encodeURIComponent(zip.fileName)}`)
      .header('cache-control', 'private, no-store');
    return reply.send(Buffer.from(zip.bytes));
  });

  app.get('/api/persons/:id/archive/:sha256', {
    schema: {
      tags: ['persons'],
      summary: '查看档案中的一份材料（记录在审计日志） One file of the archive; every view is logged (ARCH-1)',
      params: person.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lowercase hex digits / SHA-256 为64位小写十六进制') }),
      querystring: purpose,
    },
  }, async (req, reply) => {
    return sendScan(reply, await archive.document(requireStaff(req.principal), req.params.id, req.params.sha256, req.query.purpose));
  });
}
