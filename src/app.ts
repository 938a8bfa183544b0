/** Assembles the service: context, HTTP server, and every module's routes. */
import type { AppContext } from './app-context.js';
import { archiveRoutes } from './modules/archive/routes.js';
import { assessmentAdminRoutes } from './modules/assessment/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { loginReportRoutes } from './modules/auth/login-report.js';
import { authRoutes } from './modules/auth/routes.js';
import type { Principal } from './modules/auth/principal.js';
import { principalFromToken, sessionToken } from './modules/auth/sessions.js';
import { userRoutes } from './modules/auth/users.js';
import { CalendarService } from './modules/calendar/calendar.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { caseRoutes } from './modules/cases/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { homeReportRoutes } from './modules/home-report/routes.js';
import { homeVisitRoutes } from './modules/home-visits/routes.js';
import { oldCardRoutes } from './modules/old-cards/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { personRoutes } from './modules/persons/routes.js';
import { samplingRoutes } from './modules/sampling/routes.js';
import { sweepRoutes } from './modules/sweeps/routes.js';
import type { Config } from './platform/config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { FieldCrypto, loadKeys } from './platform/crypto.js';
import type { Db } from './platform/db.js';
import { createHttpServer } from './platform/http.js';
import { webApp } from './platform/web.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function createContext(db: Db, config: Config, clock: Clock = systemClock): AppContext {
  return { db, config, clock, crypto: new FieldCrypto(loadKeys(config.dataDir)), calendar: new CalendarService(db) };
}

export async function buildApp(ctx: AppContext) {
  const app = await createHttpServer({ logLevel: ctx.config.logLevel });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const token = sessionToken(req);
    req.principal = token ? await principalFromToken(ctx.db, token, ctx.clock.now()) : null;
  });
  app.get('/api/health', { schema: { tags: ['health'], summary: '健康检查 Health check', security: [] } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.driver, time: ctx.clock.now().toISOString() };
  });
  authRoutes(app, ctx);
  userRoutes(app, ctx);
  loginReportRoutes(app, ctx);
  orgRoutes(app, ctx);
  calendarRoutes(app, ctx);
  personRoutes(app, ctx);
  archiveRoutes(app, ctx);
  caseRoutes(app, ctx);
  auditRoutes(app, ctx);
  assessmentAdminRoutes(app, ctx);
  samplingRoutes(app, ctx);
  homeReportRoutes(app, ctx);
  homeVisitRoutes(app, ctx);
  await sweepRoutes(app, ctx);
  oldCardRoutes(app, ctx);
  await documentRoutes(app, ctx);
  await webApp(app);
  return app;
}
