/** Person endpoints: exact lookup by ID number, the masked file, and the logged full view (SEC-1). */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff } from '../auth/sessions.js';
import { personService } from './persons.js';

export function personRoutes(app: HttpServer, ctx: AppContext) {
  const persons = personService(ctx);

  app.get('/api/persons', {
    schema: { tags: ['persons'], summary: '按身份证号查找（辖区内） Find by ID number in my jurisdiction', querystring: z.object({ idNumber: z.string().trim().min(15).max(18) }) },
  }, async (req) => ({ items: await persons.findByIdNumber(requireStaff(req.principal), req.query.idNumber) }));

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
