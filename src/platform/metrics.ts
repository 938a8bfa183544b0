/**
 * Issue 13 item 6: /metrics in Prometheus's text format (prom-client).
 *
 * - tongban_http_request_duration_seconds{method,route,status_code}: the route is the registered
 *   pattern (/api/cases/:id), never the URL, so no ID number or name typed into a path or query
 *   reaches the metrics; requests no route matched are counted under route="unmatched".
 * - tongban_db_pool_connections{state="total|idle|waiting"}: node-postgres's pool (PostgreSQL only;
 *   PGlite is one in-process connection and reports nothing here).
 * - tongban_sla_overdue_cases{matter}: open cases whose due date has passed, counted at scrape time
 *   with one query.
 * - tongban_sweep_runs_total / tongban_audit_seal_runs_total{outcome="ok|failed"}: the daily sweep
 *   and the audit-chain seals (src/modules/sweeps/schedule.ts, src/modules/audit/seal-schedule.ts).
 * - the process's own (tongban_process_*, tongban_nodejs_*: CPU, memory, event-loop lag) from prom-client's defaults.
 *
 * Who may read it: a caller on this machine (loopback socket, and no proxy's X-Forwarded-For, since a
 * reverse proxy on the same host would otherwise make every outside request look local), or one that
 * sends `Authorization: Bearer METRICS_TOKEN`. Anyone else gets 403.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import client, { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import type { ErrorBody } from './http-errors.js';
import type { HttpServer } from './http.js';

/** One registry per process: the schedules count their runs wherever they are started from. */
export const registry = new Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'tongban_' });

export const httpDuration = new Histogram({
  name: 'tongban_http_request_duration_seconds',
  help: 'HTTP request latency by registered route pattern',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const sweepRuns = new Counter({
  name: 'tongban_sweep_runs_total',
  help: 'Daily sweep runs by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const auditSealRuns = new Counter({
  name: 'tongban_audit_seal_runs_total',
  help: 'Audit chain seal runs (every 10 minutes and at shutdown) by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** The context the scrape-time gauges read from: the last app built in this process. */
let current: AppContext | null = null;

new Gauge({
  name: 'tongban_db_pool_connections',
  help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const s = current?.db.poolStats?.();
    if (!s) return;
    this.set({ state: 'total' }, s.total);
    this.set({ state: 'idle' }, s.idle);
    this.set({ state: 'waiting' }, s.waiting);
  },
});

new Gauge({
  name: 'tongban_sla_overdue_cases',
  help: 'Open cases past their due date (due_on before today, China time), by matter',
  labelNames: ['matter'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!current) return;
    const rows = await current.db.query<{ matter: string; n: number }>(
      'SELECT matter, count(*)::int AS n FROM case_file WHERE closed_at IS NULL AND due_on < $1 GROUP BY matter',
      [current.clock.today()],
    );
    for (const r of rows) this.set({ matter: r.matter }, r.n);
  },
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const sameSecret = (a: string, b: string) => {
  // hashed first, so the comparison takes the same time whatever the lengths
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
};

/** Loopback without a proxy in between, or the right bearer token. */
export function mayReadMetrics(req: FastifyRequest, token: string | undefined): boolean {
  const auth = req.headers.authorization;
  if (token && typeof auth === 'string' && auth.startsWith('Bearer ')) return sameSecret(auth.slice(7), token);
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

export function metricsRoutes(app: HttpServer, ctx: AppContext) {
  current = ctx;
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url && !req.is404 ? req.routeOptions.url : 'unmatched';
    httpDuration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!mayReadMetrics(req, ctx.config.metricsToken)) {
      return reply.status(403).send({
        error: {
          code: 'metrics.forbidden',
          zh: '监控指标仅限本机访问，或携带 METRICS_TOKEN 令牌（Authorization: Bearer …）。',
          en: 'Metrics are readable from this machine only, or with the METRICS_TOKEN bearer token.',
        },
      } satisfies ErrorBody);
    }
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
}
