import { createContext } from '../src/app.js';
import { seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { loadConfig } from '../src/platform/config.js';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { CitizenIds, generateCases, generatePersons, loadCounties, prng } from './generate.js';
import { latencies } from './measure.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dataDir = mkdtempSync(join(tmpdir(), 'exp-'));
const base = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const schema = base.databaseUrl ? `exp_${Date.now()}` : undefined;
const db = await openDb({ ...base, dbSchema: schema });
await migrate(db);
const ctx = createContext(db, base);
console.log('autovacuum', await db.query('SHOW autovacuum'));
await seedDemoIfEmpty(ctx);
const r = prng(1); const ids = new CitizenIds(); const counties = await loadCounties(ctx);
await generatePersons(ctx, counties, ids, 20000, r);
await generateCases(ctx, counties, ids, 10000, r, await ctx.calendar.get());
const W = `c.closed_at IS NULL AND ((c.waiting_path LIKE $1 AND $2 = ANY(c.waiting_roles)))`;
const qs = (w: string) => [`SELECT count(*)::int AS n FROM case_file c WHERE ${w}`, `SELECT c.id, c.case_no, c.matter, c.state, c.version, c.applicant_masked, c.applicant_name_masked, c.due_on, c.active_clock,
            c.clocks, c.created_at, c.closed_at, c.waiting_side, pp.settings->>'dueSoonWd' AS due_soon_wd
     FROM case_file c JOIN policy_profile pp ON pp.code = c.profile_code
     WHERE ${w} ORDER BY c.due_on ASC NULLS LAST, c.created_at ASC, c.id ASC LIMIT 20 OFFSET 0`];
const p = ['33.3301.330106.%', 'clerk'];
async function run(label: string) {
  await db.exec('ANALYZE');
  for (const w of [W, W + ' AND c.waiting_side IS NOT NULL']) {
    const [c, pg] = qs(w);
    const plan = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${c}`, p);
    const l = await latencies(100, 10, async () => { await db.query(c, p); await db.query(pg, p); });
    console.log(label, w.includes('waiting_side') ? '+waiting_side' : 'as is', 'p50', l.p50.toFixed(2), 'p99', l.p99.toFixed(2));
    console.log(plan.map((x) => '   ' + x['QUERY PLAN']).slice(0, 4).join('\n'));
  }
}
await run('10k open');
// history: 9 closed cases per open one, as a county accumulates over the years
await db.exec(`INSERT INTO case_file (id, case_no, matter, state, version, profile_code, channel, applicant_bidx, applicant_enc, applicant_masked, applicant_name_masked, birth_date, categories, residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path, data, clocks, waiting_side, waiting_path, waiting_roles, closed_at)
  SELECT gen_random_uuid(), case_no || '-' || g, matter, 'delivered', 9, profile_code, channel, applicant_bidx, applicant_enc, applicant_masked, applicant_name_masked, birth_date, categories, residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path, data, clocks, NULL, NULL, '{}', now()
  FROM case_file, generate_series(1, 9) g`);
await run('10k open + 90k closed');
await db.exec(`CREATE INDEX case_open_idx ON case_file (waiting_path text_pattern_ops) WHERE closed_at IS NULL`);
await run('with index WHERE closed_at IS NULL');
await db.close();
if (schema) { const pg = (await import('pg')).default; const c = new pg.Client(base.databaseUrl); await c.connect(); await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end(); }
