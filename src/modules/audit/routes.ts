/** SEC-2: auditors and admins can check the audit chains and their signed checkpoints from the API, as the CLI does. */
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireRole } from '../auth/sessions.js';
import { verifyAuditTrail } from './checkpoints.js';

export function auditRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/audit/verify', { schema: { tags: ['audit'], summary: '校验审计链 Verify the hash-chained audit trail and its signed checkpoints (SEC-2)' } }, async (req) => {
    requireRole(req.principal, ['auditor', 'admin']);
    return verifyAuditTrail(ctx.db, ctx.auditCheckpoints);
  });
}
