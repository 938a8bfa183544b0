/** ID-3: the duplicate-candidates list and a supervisor's decision on each. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff } from '../auth/sessions.js';
import { DUPLICATE_DECISIONS, DUPLICATE_STATUSES, duplicateService } from './duplicates.js';

export function duplicateRoutes(app: HttpServer, ctx: AppContext) {
  const duplicates = duplicateService(ctx);

  app.get('/api/duplicate-candidates', {
    schema: {
      tags: ['persons'],
      summary: '疑似重复人员名单（督导，辖区内） Possible duplicate persons for a supervisor to resolve (ID-3)',
      querystring: z.object({
        status: z.enum([...DUPLICATE_STATUSES, 'all']).default('open'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
  }, async (req) => duplicates.list(requireStaff(req.principal), req.query.status, req.query.page, req.query.pageSize));

  app.post('/api/duplicate-candidates/:id/resolve', {
    schema: {
      tags: ['persons'],
      summary: '核实疑似重复人员：同一人合并、不同人或驳回 Resolve a duplicate candidate: same person (merge), different persons, or reject (ID-3)',
      params: z.object({ id: z.string() }),
      body: z.object({
        decision: z.enum(DUPLICATE_DECISIONS),
        note: z.string().trim().min(2, 'a note is required / 请填写核实情况').max(500),
        expectedVersion: z.number().int().min(1),
      }),
    },
  }, async (req) => duplicates.resolve(requireStaff(req.principal), req.params.id, req.body));
}
