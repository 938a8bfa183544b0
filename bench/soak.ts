/**
 * `npm run soak -- PART… [--cases N] [--crashes N] [--workers N] [--twins RATE] [--seed N]` — long runs that try to break the service.
 * Parts: `fuzz` (the schema-derived fuzzer of test/fuzz.ts over every route, ≥ 100,000 cases by
 * default, on a database of its own so it may also fuzz what the CI run leaves alone: the calendar,
 * the division import, hukou-move imports) — prints the 5xx count, errors outside the bilingual shape
 * and partial writes; `crash` (bench/crash-soak.ts: the real server killed with SIGKILL under a mixed
 * write load, 100 times on PostgreSQL and 20 on PGlite by default, the invariants checked in the
 * database after each crash) — prints the running counts and the violations.
 * Exits non-zero unless every part found nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, createContext } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { SettableClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { dropSchema, openDb, openMemoryDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { fuzz, fuzzPrincipals, summary } from '../test/fuzz.js';
import { crashSoak } from './crash-soak.js';

const { values: opts, positionals: parts } = parseArgs({
  allowPositionals: true,
  options: { cases: { type: 'string', default: '100000' }, crashes: { type: 'string' }, workers: { type: 'string' }, twins: { type: 'string' }, seed: { type: 'string' } },
});

async function fuzzPart() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-soak-'));
  // the soak counts its own cases: no demo cases
  const base = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO_CASES: 'false' });
  const schema = base.databaseUrl ? `soak_${Date.now()}_${process.pid}` : undefined;
  const config = { ...base, dbSchema: schema };
  const db = config.databaseUrl ? await openDb(config) : await openMemoryDb();
  try {
    const ctx = createContext(db, config, new SettableClock());
    await migrate(db, ctx.crypto);
    await seedDemoIfEmpty(ctx);
    const app = await buildApp(ctx);
    const login = async (username: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD }, headers: { 'x-tongban-client': 'soak' } });
      return { cookie: [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('tb_session='))?.split(';')[0] };
    };
    const principals = await fuzzPrincipals({ app, ctx }, login);
    const cases = Number(opts.cases);
    const seed = Number(opts.seed ?? Date.now() % 1e9);
    const started = Date.now();
    console.log(`fuzz: ${cases} cases on ${db.driver}, seed ${seed}`);
    const report = await fuzz({ app, db }, principals, {
      cases,
      seed,
      // logging out would end the principal's session for the rest of the run; everything else is fair game here
      skip: (r, p) => Boolean(p.cookie) && r.key === 'POST /api/auth/logout',
      onProgress: (done, so) => { if (done % 5_000 === 0) console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${summary(so)}`); },
    });
    console.log(`fuzz (${db.driver}, seed ${seed}, ${Math.round((Date.now() - started) / 1000)} s): ${summary(report)}`);
    for (const f of [...report.fiveHundreds, ...report.badShape, ...report.partialWrites].slice(0, 20)) console.log(`  ${f.status} ${f.key} as ${f.principal}: ${f.url} → ${f.body}`);
    await app.close();
    return report.fiveHundreds.length + report.badShape.length + report.partialWrites.length === 0;
  } finally {
    await db.close();
    if (schema) await dropSchema(config.databaseUrl!, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function crashPart() {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const report = await crashSoak({
    crashes: Number(opts.crashes ?? (databaseUrl ? 100 : 20)),
    workers: opts.workers ? Number(opts.workers) : undefined,
    twinRate: opts.twins ? Number(opts.twins) : undefined,
    seed: Number(opts.seed ?? Date.now() % 1e9),
    databaseUrl,
    log: (line) => console.log(line),
  });
  for (const v of report.violations.slice(0, 20)) console.log(`  violation: ${v}`);
  for (const u of report.unexpected.slice(0, 20)) console.log(`  unexpected: ${u}`);
  return report.violations.length + report.unexpected.length === 0;
}

const PARTS: Record<string, () => Promise<boolean>> = { fuzz: fuzzPart, crash: crashPart };
const chosen = parts.length ? parts : Object.keys(PARTS);
let ok = true;
for (const part of chosen) {
  if (!PARTS[part]) {
    console.error(`unknown part "${part}"; parts: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  ok = (await PARTS[part]()) && ok;
}
process.exit(ok ? 0 : 1);
