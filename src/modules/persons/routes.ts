/** Person endpoints: exact lookup by ID number, the masked file, and the logged full view (SEC-1). */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff } from '../auth/sessions.js';
import { personService } from './persons.js';

export function personRoutes(app: HttpServer, ctx: AppContext) {
  const persons = personService(ctx);

  app.get('/api/persons', {
    schema: {
      tags: ['persons'],
      summary: '按身份证号或残疾人证号查找（辖区内） Find by ID or certificate number in my jurisdiction',
      querystring: z.object({ idNumber: z.string().trim().min(15).max(18).optional(), certificateNumber: z.string().trim().regex(/^\d{17}[\dXx][1-7][1-4]$/, 'certificate number: ID number + category + level (20 characters) / 残疾人证号为身份证号加类别、等级共20位').optional() })
        .refine((q) => Boolean(q.idNumber) !== Boolean(q.certificateNumber), 'give an ID number or a certificate number / 请提供身份证号或残疾人证号之一'),
    },
  }, async (req) => {
    const staff = requireStaff(req.principal);
    return { items: req.query.certificateNumber ? await persons.findByCertificateNumber(staff, req.query.certificateNumber) : await persons.findByIdNumber(staff, req.query.idNumber!) };
  });

  app.get('/api/persons/:id', {
    schema: { tags: ['persons'], summary: '人员档案（脱敏） A person’s file, masked', params: z.object({ id: z.string() }) },
  }, async (req) => persons.get(requireStaff(req.principal), req.params.id));

  app.post('/api/persons/:id/reapply-override', {
    schema: {
      tags: ['persons'],
      summary: '督导批准注销未满一年者重新申请 Supervisor lets a person re-apply within a year of cancellation (NEW-1)',
      params: z.object({ id: z.string() }),
      body: z.object({ reason: z.string().trim().min(4).max(500) }),
    },
  }, async (req, reply) => {
    reply.status(201);
    return persons.allowReapply(requireStaff(req.principal), req.params.id, req.body.reason);
  });

  app.post('/api/persons/:id/reveal', {
    schema: {
      tags: ['persons'],
      summary: '查看完整信息（记录在审计日志） Full record; every view is logged',
      params: z.object({ id: z.string() }),
      body: z.object({ purpose: z.string().trim().min(2).max(200) }),
    },
  }, async (req) => persons.reveal(requireStaff(req.principal), req.params.id, req.body.purpose));
}
