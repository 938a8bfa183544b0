/**
 * Issue 13 items 5 and 6 (operations): /metrics, readiness apart from liveness, the sweep stopping
 * after its current item at shutdown, and the web build served compressed with the right caching.
 * The process-level behaviour (SIGTERM, npm start) is in test/ops-process.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AppContext } from '../src/app-context.js';
import { runDailySweep } from '../src/modules/sweeps/sweep.js';
import { scheduleDailySweep } from '../src/modules/sweeps/schedule.js';
import { migrationNames } from '../src/platform/migrate.js';
import type { Db } from '../src/platform/db.js';
import { apply, holder } from './fixtures.js';
import { harness, login } from './harness.js';

const root = new URL('..', import.meta.url).pathname;

async function scrape(h: Awaited<ReturnType<typeof harness>>, headers: Record<string, string> = {}, remoteAddress?: string) {
  const res = await h.app.inject({ url: '/metrics', headers, ...(remoteAddress ? { remoteAddress } : {}) });
  return { status: res.statusCode, text: res.body, type: String(res.headers['content-type']) };
}

/** The value of one sample line (metric name with its exact label set), 0 when absent. */
function sample(text: string, nameAndLabels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(nameAndLabels + ' '));
  return line ? Number(line.slice(nameAndLabels.length + 1)) : 0;
}

test('ops: /metrics answers Prometheus text to loopback, with each request counted under its route pattern', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const key = 'tongban_http_request_duration_seconds_count{method="GET",route="/api/cases/:id",status_code="200"}';
  const { id } = await apply(clerk);
  const before = await scrape(h);
  assert.equal(before.status, 200);
  assert.match(before.type, /^text\/plain; version=0\.0\.4/);
  await clerk.get(`/api/cases/${id}`);
  await clerk.get(`/api/cases/${id}`);
  const after = await scrape(h);
  assert.equal(sample(after.text, key) - sample(before.text, key), 2);
  // the case id never appears as a label: the pattern does
  assert.ok(!after.text.includes(id));
  assert.match(after.text, /^# TYPE tongban_http_request_duration_seconds histogram$/m);
  assert.match(after.text, /^tongban_process_resident_memory_bytes \d+$/m);
  // the pool gauge is declared on both drivers; only node-postgres has a pool to sample (PGlite: none)
  assert.match(after.text, /^# TYPE tongban_db_pool_connections gauge$/m);
  if (h.db.driver === 'postgres') {
    for (const state of ['total', 'idle', 'waiting']) assert.match(after.text, new RegExp(`^tongban_db_pool_connections\\{state="${state}"\\} \\d+$`, 'm'));
  } else {
    assert.doesNotMatch(after.text, /^tongban_db_pool_connections\{/m);
  }
});

test('ops: /metrics is refused from another machine, and through a proxy on this one, unless the METRICS_TOKEN bearer is sent', async (t) => {
  const h = await harness();
  assert.equal((await scrape(h, {}, '10.1.2.3')).status, 403);
  assert.equal((await scrape(h, { 'x-forwarded-for': '203.0.113.9' })).status, 403);
  assert.equal((await scrape(h, { authorization: 'Bearer anything' }, '10.1.2.3')).status, 403, 'no token configured: no bearer opens it');
  const saved = h.ctx.config.metricsToken;
  h.ctx.config.metricsToken = 's3cret-scraper-token';
  t.after(() => {
    h.ctx.config.metricsToken = saved;
  });
  assert.equal((await scrape(h, { authorization: 'Bearer s3cret-scraper-token' }, '10.1.2.3')).status, 200);
  assert.equal((await scrape(h, { authorization: 'Bearer s3cret-scraper-tokeN' }, '10.1.2.3')).status, 403);
  assert.equal((await scrape(h, { authorization: 'Bearer wrong' })).status, 403, 'a wrong token is refused even from loopback');
  const refused = await scrape(h, {}, '10.1.2.3');
  assert.equal(JSON.parse(refused.text).error.code, 'metrics.forbidden');
});

test('ops: /metrics counts open cases past their due date at scrape time', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const key = 'tongban_sla_overdue_cases{matter="new"}';
  const { id } = await apply(clerk);
  const before = sample((await scrape(h)).text, key);
  // this test's own case falls due yesterday
  const [row] = await h.db.query(`UPDATE case_file SET due_on = $2::date - 1 WHERE id = $1 AND closed_at IS NULL RETURNING due_on`, [id, h.clock.today()]);
  assert.ok(row, 'the new case is open');
  assert.equal(sample((await scrape(h)).text, key), before + 1);
  await h.db.query(`UPDATE case_file SET due_on = $2 WHERE id = $1`, [id, h.clock.today()]);
  assert.equal(sample((await scrape(h)).text, key), before, 'due today is not overdue');
});

test('ops: sweep and audit-seal runs are counted for /metrics', async () => {
  const h = await harness();
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  const before = await scrape(h);
  const sweep = scheduleDailySweep(h.ctx, log);
  await sweep.runNow();
  await sweep.stop();
  const { sealAuditChains } = await import('../src/modules/audit/seal-schedule.js');
  await sealAuditChains(h.ctx, log);
  const after = await scrape(h);
  for (const key of ['tongban_sweep_runs_total{outcome="ok"}', 'tongban_audit_seal_runs_total{outcome="ok"}']) {
    assert.equal(sample(after.text, key) - sample(before.text, key), 1, key);
  }
  assert.match(lines.join('\n'), /^daily sweep \d{4}-\d{2}-\d{2}: /m);
});

test('ops: a sweep told to stop finishes the certificate in hand and no more', async () => {
  const h = await harness();
  // two holders of this test's own, whose certificates will have expired by 2099
  await holder(h);
  await holder(h);
  const shutdown = new AbortController();
  let transactions = 0;
  // the first certificate's transaction is where SIGTERM arrives; it is refused (rolled back) so the shared data is untouched
  const db: Db = {
    ...h.db,
    query: h.db.query,
    async tx(fn) {
      transactions++;
      if (transactions === 1) {
        shutdown.abort();
        throw new Error('stands in for the certificate in hand');
      }
      return h.db.tx(fn);
    },
  };
  const ctx: AppContext = { ...h.ctx, db };
  const s = await runDailySweep(ctx, '2099-01-01', { info() {}, error() {} }, shutdown.signal);
  assert.ok(s.examined >= 2, `certificates to sweep in 2099: ${s.examined}`);
  assert.equal(s.interrupted, true);
  assert.equal(s.failed, 1);
  assert.equal(s.expired, 0);
  assert.equal(transactions, 2, 'the certificate in hand, then the audit entry of the run');
  const [entry] = await h.db.query(`SELECT detail FROM audit_entry WHERE action = 'sweep.daily' AND object_id = '2099-01-01' ORDER BY seq DESC LIMIT 1`);
  assert.equal(entry.detail.interrupted, true);
});

test('ops: /api/ready answers 200 with the database reachable and every migration applied, 503 otherwise; /api/health is liveness only', async (t) => {
  const h = await harness();
  const ready = await h.app.inject({ url: '/api/ready' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(JSON.parse(ready.body), { status: 'ready', database: h.db.driver, migrations: migrationNames().length });

  const real = h.ctx.db;
  t.after(() => {
    h.ctx.db = real;
  });
  const last = migrationNames().at(-1)!;
  h.ctx.db = { ...real, query: async (text: string, params?: unknown[]) => (/FROM schema_migration/.test(text) ? (await real.query(text, params)).filter((r) => r.name !== last) : real.query(text, params)) } as Db;
  const pending = await h.app.inject({ url: '/api/ready' });
  assert.equal(pending.statusCode, 503);
  assert.equal(pending.headers['retry-after'], '5');
  assert.equal(JSON.parse(pending.body).error.code, 'ready.migrations_pending');
  assert.ok(JSON.parse(pending.body).error.en.includes(last));

  h.ctx.db = { ...real, query: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); } } as Db;
  const down = await h.app.inject({ url: '/api/ready' });
  assert.equal(down.statusCode, 503);
  assert.equal(JSON.parse(down.body).error.code, 'ready.database_unreachable');
  h.ctx.db = real;
  assert.equal((await h.app.inject({ url: '/api/health' })).statusCode, 200);
});

const webBuilt = existsSync(join(root, 'dist', 'web', 'index.html'));

test('ops: the web build is served precompressed (brotli, gzip), hashed assets immutable for a year, index.html revalidated', { skip: webBuilt ? undefined : 'no web build (npm run build)' }, async () => {
  const h = await harness();
  const html = readFileSync(join(root, 'dist', 'web', 'index.html'), 'utf8');
  const entry = html.match(/src="(\/assets\/[^"]+\.js)"/)![1];
  const raw = readFileSync(join(root, 'dist', 'web', entry));
  const br = await h.app.inject({ url: entry, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(br.headers['vary'], 'accept-encoding');
  assert.match(String(br.headers['content-type']), /^(application|text)\/javascript/);
  assert.deepEqual(brotliDecompressSync(br.rawPayload), raw);
  const gz = await h.app.inject({ url: entry, headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(gz.rawPayload), raw);
  const plain = await h.app.inject({ url: entry, headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(plain.rawPayload, raw);
  const css = readdirSync(join(root, 'dist', 'web', 'assets')).find((f) => f.endsWith('.css'))!;
  assert.equal((await h.app.inject({ url: `/assets/${css}`, headers: { 'accept-encoding': 'br' } })).headers['cache-control'], 'public, max-age=31536000, immutable');
  for (const url of ['/', '/login', '/portal/login', '/cases/2f1c6a1e-0000-4000-8000-000000000000']) {
    const page = await h.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(page.statusCode, 200, url);
    assert.equal(page.headers['cache-control'], 'no-cache', url);
    assert.equal(page.headers['content-encoding'], 'br', url);
    assert.equal(brotliDecompressSync(page.rawPayload).toString('utf8'), html, url);
  }
});
