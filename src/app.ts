/** Assembles the service: context, HTTP server, and every module's routes. */
import type { AppContext } from './app-context.js';
import { archiveRoutes } from './modules/archive/routes.js';
import { assessmentAdminRoutes } from './modules/assessment/routes.js';
import { AuditCheckpoints } from './modules/audit/checkpoints.js';
import { auditRoutes } from './modules/audit/routes.js';
import { loginReportRoutes } from './modules/auth/login-report.js';
import { authRoutes } from './modules/auth/routes.js';
import type { Principal } from './modules/auth/principal.js';
import { principalFromToken, sessionToken, unauthenticated } from './modules/auth/sessions.js';
import { userRoutes } from './modules/auth/users.js';
import { CalendarService } from './modules/calendar/calendar.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { caseRoutes } from './modules/cases/routes.js';
import { cardRoutes } from './modules/cards/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { dataViewRoutes } from './modules/audit/data-view-routes.js';
import { partnerRoutes } from './modules/sharing/partner.js';
import { sharingRoutes } from './modules/sharing/routes.js';
import { homeReportRoutes } from './modules/home-report/routes.js';
import { homeVisitRoutes } from './modules/home-visits/routes.js';
import { smsSenderFor } from './modules/notifications/sms.js';
import { exportRoutes } from './modules/reports/exports.js';
import { oldCardRoutes } from './modules/old-cards/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { duplicateRoutes } from './modules/persons/duplicate-routes.js';
import { personRoutes } from './modules/persons/routes.js';
import { samplingRoutes } from './modules/sampling/routes.js';
import { sweepRoutes } from './modules/sweeps/routes.js';
import { verificationRoutes } from './modules/verification/routes.js';
import type { Config } from './platform/config.js';
import { DomainError } from './domain/errors.js';
import { systemClock, type Clock } from './platform/clock.js';
import { FieldCrypto, loadKeys } from './platform/crypto.js';
import type { Db } from './platform/db.js';
import { createHttpServer } from './platform/http.js';
import { declaredTooLarge, isStateChanging, refuseUnread, requiresSession } from './platform/http-guards.js';
import { metricsRoutes } from './platform/metrics.js';
import { migrationNames, pendingMigrations } from './platform/migrate.js';
import { webApp } from './platform/web.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

/** Every route the service answers, as registered (the authorization matrix and the fuzzer walk it). */
export type RouteEntry = { method: string; url: string; schema: any; public: boolean; partner: boolean };

/** What a session that must enrol TOTP first may reach (SEC-3). */
const ENROLMENT_ROUTES = /^\/api\/auth\/(me|logout|totp\/[a-z]+)(\?|$)/;
const totpEnrolmentFirst = () =>
  new DomainError('forbidden', 'auth.totp_enrolment_required', {
    zh: '按本地政策，您的岗位须使用身份验证器（TOTP）登录。请先在“我的账号”页绑定，再继续工作。',
    en: 'Local policy requires TOTP for your role. Enrol it on the “My account” page before you continue.',
  });

export function createContext(db: Db, config: Config, clock: Clock = systemClock): AppContext {
  return {
    db,
    config,
    clock,
    crypto: new FieldCrypto(loadKeys(config.dataDir)),
    calendar: new CalendarService(db),
    auditCheckpoints: new AuditCheckpoints(config.auditCheckpointDir, config.auditSigningKeyFile),
    sms: smsSenderFor(config),
  };
}

export async function buildApp(ctx: AppContext) {
  const app = await createHttpServer({ logLevel: ctx.config.logLevel, trustProxy: ctx.config.trustProxy, publicOrigins: ctx.config.publicOrigins });
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    if ((r.schema as any)?.hide || !r.url.startsWith('/api/')) return;
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: r.url, schema: r.schema, public: Array.isArray((r.schema as any)?.security) && (r.schema as any).security.length === 0, partner: (r.config as any)?.auth === 'partner' });
    }
  });
  app.decorate('routeTable', routeTable);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const token = sessionToken(req);
    req.principal = token ? await principalFromToken(ctx.db, token, ctx.clock.now(), ctx.config.sessionIdleMinutes) : null;
    // decided from the headers, before a byte of the body is read (issue 10 item 8, issue 15 item 17)
    if (req.principal?.kind === 'staff' && req.principal.enrolmentOnly && !ENROLMENT_ROUTES.test(req.url)) return refuseUnread(reply, 403, totpEnrolmentFirst());
    if (req.is404) return;
    if (!req.principal && requiresSession(req)) return refuseUnread(reply, 401, unauthenticated());
    if (!isStateChanging(req)) return;
    const tooLarge = declaredTooLarge(req);
    if (tooLarge) return refuseUnread(reply, 413, tooLarge);
  });
  app.get('/api/health', { schema: { tags: ['health'], summary: '健康检查 Health check', security: [] } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.driver, time: ctx.clock.now().toISOString() };
  });
  // readiness, apart from liveness (/api/health): a load balancer sends traffic only once the database
  // answers and every checked-in migration is applied (issue 13 item 6)
  app.get('/api/ready', { schema: { tags: ['health'], summary: '就绪检查 Readiness (database reachable, migrations applied)', security: [] } }, async (req, reply) => {
    const notReady = (code: string, zh: string, en: string) => reply.status(503).header('retry-after', '5').send({ error: { code, zh, en } });
    let pending: string[];
    try {
      pending = await pendingMigrations(ctx.db);
    } catch (e) {
      req.log.warn({ err: (e as Error).message }, 'readiness: database unreachable');
      return notReady('ready.database_unreachable', '数据库无法访问，服务暂不可用。', 'The database cannot be reached; the service is not ready.');
    }
    if (pending.length) return notReady('ready.migrations_pending', `尚有 ${pending.length} 个数据库迁移未执行（${pending.join('、')}）。`, `${pending.length} database migration(s) not applied yet (${pending.join(', ')}).`);
    return { status: 'ready', database: ctx.db.driver, migrations: migrationNames().length };
  });
  metricsRoutes(app, ctx);
  authRoutes(app, ctx);
  userRoutes(app, ctx);
  loginReportRoutes(app, ctx);
  orgRoutes(app, ctx);
  calendarRoutes(app, ctx);
  personRoutes(app, ctx);
  duplicateRoutes(app, ctx);
  archiveRoutes(app, ctx);
  caseRoutes(app, ctx);
  auditRoutes(app, ctx);
  dataViewRoutes(app, ctx);
  sharingRoutes(app, ctx);
  partnerRoutes(app, ctx);
  assessmentAdminRoutes(app, ctx);
  samplingRoutes(app, ctx);
  homeReportRoutes(app, ctx);
  homeVisitRoutes(app, ctx);
  await sweepRoutes(app, ctx);
  oldCardRoutes(app, ctx);
  cardRoutes(app, ctx);
  verificationRoutes(app, ctx);
  exportRoutes(app, ctx);
  await documentRoutes(app, ctx);
  await webApp(app);
  return app;
}
