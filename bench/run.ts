/**
 * `npm run bench [-- --persons N --cases N --legacy N --concurrency N --write-docs --explain]`
 *
 * Builds a fresh database (PGlite in a temp folder, or a throwaway schema on DATABASE_URL), imports
 * the national division tree, seeds the demo, generates a synthetic population, then measures the
 * service through its HTTP API on a real socket — and beside every figure the bare SQL doing the same
 * work on the same database, so the ratio isolates what the service adds. Timing stays out of the
 * test suite: nothing here asserts on speed, only that each request did what it should.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, createContext } from '../src/app.js';
import type { AppContext } from '../src/app-context.js';
import { seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { importDivisions, nationalDivisionRows, parentCodeOf, type DivisionRow } from '../src/modules/org/divisions.js';
import { idIndex } from '../src/modules/persons/persons.js';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { dropSchema, openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { BUSY_COUNTY, CitizenIds, generateCases, generatePersons, legacyCsv, loadCounties, prng, type ActionableCase, type County } from './generate.js';
import { fmtMs, fmtRate, fmtRatio, pairedLatencies, throughput, timed, type Latency, type Throughput } from './measure.js';
import { printTable, writeDocs, type Report, type Row } from './report.js';

const { values: opts } = parseArgs({
  options: {
    persons: { type: 'string', default: '100000' },
    cases: { type: 'string', default: '10000' },
    /** certificate holders in the legacy import (a large county has about 30,000) */
    legacy: { type: 'string', default: '30000' },
    concurrency: { type: 'string', default: '4' },
    'write-docs': { type: 'boolean', default: false },
    /** print the plans of the measured read queries, to see where the time goes */
    explain: { type: 'boolean', default: false },
  },
});
const PERSONS = Number(opts.persons);
const CASES = Number(opts.cases);
const LEGACY = Number(opts.legacy);
/** The county the legacy holders are imported into: a demo county the other figures do not read. */
const LEGACY_COUNTY = '330102';
const CONCURRENCY = Number(opts.concurrency);
// Sample counts: enough for a stable p99 (≥ 100 samples above it) without making the run long.
const LOOKUPS = 2000;
const WORKLIST_PAGES = 300;
const WRITES = 200;

const started = Date.now();
const log = (m: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`);

/** A logged-in JSON client over node's fetch (keep-alive), like a browser talking to the server. */
class Http {
  cookie = '';
  constructor(private readonly base: string) {}
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }
  /** Like `call`, but a wrong status fails the run: a figure must never time error responses. */
  async expect(status: number, method: string, path: string, body?: unknown) {
    const r = await this.call(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }
  async login(username: string, password = 'Tongban2026') {
    const res = await fetch(this.base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    this.cookie = String(res.headers.get('set-cookie')).split(';')[0];
  }
}

/** Same sort and path derivation as importDivisions, done before the clock starts for the bare insert. */
function withPaths(rows: DivisionRow[]) {
  const sorted = [...rows].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
  const paths = new Map<string, string>([['000000', '']]);
  const levels: Record<number, number> = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
  return sorted.map((r) => {
    const parent = parentCodeOf(r.code);
    const path = `${paths.get(parent)}${r.code}.`;
    paths.set(r.code, path);
    return { code: r.code, name: r.name, level: levels[r.code.length], parent, path };
  });
}

/**
 * Flushes dirty pages so a timed write phase does not pay for the previous phase's checkpoint.
 * Best effort: on a server it needs superuser or pg_checkpoint, and without it the figure is noisier.
 */
const checkpoint = (db: Db) => db.exec('CHECKPOINT').catch(() => {});

async function benchDivisions(db: Db) {
  await checkpoint(db);
  const { ms: oursMs, value: n } = await timed(async () => importDivisions(db, nationalDivisionRows()));
  const prepared = withPaths(nationalDivisionRows());
  // Same indexes as division (incl. the trigram GIN), so the ratio is the import code's own cost.
  await db.exec('CREATE TABLE bench_division_scratch (LIKE division INCLUDING ALL)');
  await checkpoint(db);
  const { ms: bareMs } = await timed(() =>
    db.tx(async (q) => {
      for (let i = 0; i < prepared.length; i += 5000) {
        const b = prepared.slice(i, i + 5000);
        await q.query(
          `INSERT INTO bench_division_scratch (code, name, level, parent_code, path)
           SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[])`,
          [b.map((r) => r.code), b.map((r) => r.name), b.map((r) => r.level), b.map((r) => r.parent), b.map((r) => r.path)],
        );
      }
    }),
  );
  await db.exec('DROP TABLE bench_division_scratch');
  const rate = (ms: number) => fmtRate(n / (ms / 1000), 'rows');
  return { n, row: { figure: `national division import (${n.toLocaleString('en-US')} rows)`, ours: `${fmtMs(oursMs)} · ${rate(oursMs)}`, bare: `${fmtMs(bareMs)} · ${rate(bareMs)}`, ratio: fmtRatio(oursMs / bareMs) } };
}

/**
 * The import-certificates command's work on a generated county file; bare = the very rows it wrote,
 * read back and inserted again as plain INSERT … SELECT FROM unnest into scratch tables with the same
 * indexes, in batches of the same size.
 */
async function benchLegacyImport(ctx: AppContext, county: County, ids: CitizenIds, rng: ReturnType<typeof prng>) {
  const { db } = ctx;
  const bytes = Buffer.from(legacyCsv(county, ids, LEGACY, rng, ctx.clock.today()));
  await checkpoint(db);
  const { ms: oursMs, value: r } = await timed(() => importLegacyCertificates(ctx, { fileName: 'bench.csv', bytes, countyCode: county.code, operator: 'bench' }));
  if (!r.ok || r.imported !== LEGACY) throw new Error(`legacy import: ${JSON.stringify(r).slice(0, 500)}`);
  const certs = await db.query(`SELECT * FROM certificate WHERE source = 'legacy' AND issuer_org_id = $1`, [county.federationId]);
  const persons = await db.query(`SELECT * FROM person WHERE id = ANY($1)`, [certs.map((c) => c.person_id)]);
  const col = (rows: Record<string, any>[], k: string) => rows.map((x) => (k === 'disabilities' ? JSON.stringify(x[k]) : x[k]));
  await db.exec(['person', 'certificate', 'certificate_event'].map((t) => `CREATE TABLE bench_${t}_scratch (LIKE ${t} INCLUDING ALL);`).join('\n'));
  await checkpoint(db);
  const { ms: bareMs } = await timed(() =>
    db.tx(async (q) => {
      for (let i = 0; i < LEGACY; i += 5000) {
        const p = persons.slice(i, i + 5000);
        const c = certs.slice(i, i + 5000);
        await q.query(
          `INSERT INTO bench_person_scratch (id, id_bidx, id_enc, id_masked, name_enc, sex, birth_date, details_enc, hukou_code, hukou_path, residence_code, residence_path)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::char(1)[], $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
          ['id', 'id_bidx', 'id_enc', 'id_masked', 'name_enc', 'sex', 'birth_date', 'details_enc', 'hukou_code', 'hukou_path', 'residence_code', 'residence_path'].map((k) => col(p, k)),
        );
        await q.query(
          `INSERT INTO bench_certificate_scratch (id, number, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, visual_assessment, source)
           SELECT id, number, person_id, category, level, disabilities::jsonb, state, valid_from, valid_until, issuer_org_id, visual_assessment, source
           FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::smallint[], $5::smallint[], $6::text[], $7::text[], $8::date[], $9::date[], $10::uuid[], $11::boolean[], $12::text[])
             AS t(id, number, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, visual_assessment, source)`,
          ['id', 'number', 'person_id', 'category', 'level', 'disabilities', 'state', 'valid_from', 'valid_until', 'issuer_org_id', 'visual_assessment', 'source'].map((k) => col(c, k)),
        );
        await q.query(
          `INSERT INTO bench_certificate_event_scratch (certificate_id, from_state, to_state, reason)
           SELECT id, NULL, state, 'legacy_import' FROM unnest($1::uuid[], $2::text[]) AS t(id, state)`,
          [col(c, 'id'), col(c, 'state')],
        );
      }
    }),
  );
  await db.exec('DROP TABLE bench_person_scratch, bench_certificate_scratch, bench_certificate_event_scratch');
  const rate = (ms: number) => fmtRate(LEGACY / (ms / 1000), 'rows');
  return {
    figure: `legacy certificate import (${LEGACY.toLocaleString('en-US')} rows)`,
    ours: `${fmtMs(oursMs)} · ${rate(oursMs)}`,
    bare: `${fmtMs(bareMs)} · ${rate(bareMs)}`,
    ratio: fmtRatio(oursMs / bareMs),
  };
}

const latencyRows = (name: string, ours: Latency, bare: Latency): Row[] => [
  { figure: `${name}, p50`, ours: fmtMs(ours.p50), bare: fmtMs(bare.p50), ratio: fmtRatio(ours.p50 / bare.p50) },
  { figure: `${name}, p99`, ours: fmtMs(ours.p99), bare: fmtMs(bare.p99), ratio: fmtRatio(ours.p99 / bare.p99) },
];
const rateRow = (name: string, unit: string, ours: Throughput, bare: Throughput): Row => ({
  figure: `${name}, ${ours.concurrency === 1 ? 'sequential' : `${ours.concurrency} concurrent`}`,
  ours: fmtRate(ours.perSecond, unit),
  bare: fmtRate(bare.perSecond, 'tx'),
  ratio: fmtRatio(bare.perSecond / ours.perSecond),
});

/** The worklist's two statements exactly as cases/queries.ts worklist() builds them for one clerk grant. */
const WORKLIST_WHERE = `c.closed_at IS NULL AND ((c.waiting_path LIKE $1 AND $2 = ANY(c.waiting_roles)))`;
const WORKLIST_COUNT = `SELECT count(*)::int AS n FROM case_file c WHERE ${WORKLIST_WHERE}`;
const WORKLIST_PAGE = `SELECT c.id, c.case_no, c.matter, c.state, c.version, c.applicant_masked, c.applicant_name_masked, c.due_on, c.active_clock,
            c.clocks, c.created_at, c.closed_at, c.waiting_side, pp.settings->>'dueSoonWd' AS due_soon_wd
     FROM case_file c JOIN policy_profile pp ON pp.code = c.profile_code
     WHERE ${WORKLIST_WHERE} ORDER BY c.due_on ASC NULLS LAST, c.created_at ASC, c.id ASC
     LIMIT $3 OFFSET $4`;

async function explain(db: Db, sql: string, params: unknown[]) {
  const plan = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
  console.log(`\n${sql.replace(/\s+/g, ' ').slice(0, 160)}…\n${plan.map((r) => '    ' + r['QUERY PLAN']).join('\n')}\n`);
}

async function benchReads(ctx: AppContext, http: Http, busyIds: string[], rng: ReturnType<typeof prng>) {
  const ids = (n: number) => Array.from({ length: n }, () => rng.pick(busyIds));
  // separate samples for the API and the bare query, so neither reads the row the other just read
  const oursIds = ids(LOOKUPS + 200);
  const bareIdx = ids(LOOKUPS + 200).map((id) => idIndex(ctx.crypto, id));
  log(`person lookup: ${LOOKUPS} via GET /api/persons, alternating with ${LOOKUPS} bare`);
  const [lookOurs, lookBare] = await pairedLatencies(
    LOOKUPS,
    200,
    async (i) => {
      const body = await http.expect(200, 'GET', `/api/persons?idNumber=${oursIds[i]}`);
      if (body.items.length !== 1) throw new Error(`lookup ${oursIds[i]} found ${body.items.length}`);
    },
    async (i) => {
      if ((await ctx.db.query('SELECT * FROM person WHERE id_bidx = $1', [bareIdx[i]])).length !== 1) throw new Error('bare lookup missed');
    },
  );

  log(`worklist: ${WORKLIST_PAGES} pages via GET /api/worklist, alternating with ${WORKLIST_PAGES} bare`);
  let total = 0;
  const params = [`${(await ctx.db.query('SELECT path FROM division WHERE code = $1', [BUSY_COUNTY]))[0].path}%`, 'clerk', 20, 0];
  const [listOurs, listBare] = await pairedLatencies(
    WORKLIST_PAGES,
    20,
    async () => {
      const body = await http.expect(200, 'GET', '/api/worklist?page=1&pageSize=20');
      total = body.total;
      if (body.items.length !== Math.min(20, total)) throw new Error('short worklist page');
    },
    async () => {
      await ctx.db.query(WORKLIST_COUNT, params.slice(0, 2));
      await ctx.db.query(WORKLIST_PAGE, params);
    },
  );
  if (opts.explain) {
    const [person] = await ctx.db.query('SELECT hukou_path FROM person WHERE id_bidx = $1', [bareIdx[0]]);
    const scope = [person.hukou_path.split('.').slice(0, 3).join('.') + '.%'];
    // the lookup as persons.ts findByIdNumber writes it, with the clerk's scope
    await explain(ctx.db, `SELECT p.* FROM person p WHERE p.id_bidx = $2 AND (p.hukou_path LIKE ANY($1) OR p.residence_path LIKE ANY($1) OR EXISTS (
      SELECT 1 FROM case_file c WHERE c.person_id = p.id AND (c.accept_path LIKE ANY($1) OR c.hukou_path LIKE ANY($1) OR c.institution_path LIKE ANY($1))))`, [scope, bareIdx[0]]);
    await explain(ctx.db, WORKLIST_COUNT, params.slice(0, 2));
    await explain(ctx.db, WORKLIST_PAGE, params);
  }
  return { rows: [...latencyRows('person lookup by ID number', lookOurs, lookBare), ...latencyRows(`worklist page of 20 (${BUSY_COUNTY} clerk)`, listOurs, listBare)], total };
}

async function benchWrites(ctx: AppContext, http: Http, busy: County, ids: CitizenIds, actionable: ActionableCase[], rng: ReturnType<typeof prng>) {
  const rows: Row[] = [];
  // NEW applications: same-county Zhejiang cases with every material, filed by the busy county's clerk.
  const form = () => ({
    matter: 'new',
    applicant: { idNumber: ids.next(BUSY_COUNTY).id, name: '压测申请人', phone: '13800138000', address: '杭州市西湖区某路1号' },
    residenceCode: rng.pick(busy.villages).code,
    hukouCode: rng.pick(busy.villages).code,
    categories: [4],
    materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    delivery: { method: 'hand' },
  });
  const [template] = await ctx.db.query(`SELECT * FROM case_file WHERE accept_code = $1 AND state = 'submitted' LIMIT 1`, [BUSY_COUNTY]);
  let bareNo = 0;
  // The bare counterpart: one prepared row inserted in its own transaction.
  const bareInsert = () =>
    ctx.db.tx((q) =>
      q.query(
        `INSERT INTO case_file (id, case_no, matter, state, profile_code, channel, applicant_bidx, applicant_enc, applicant_masked, applicant_name_masked,
           birth_date, categories, residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path, data, clocks,
           waiting_side, waiting_path, waiting_roles, active_clock, due_on, applicant_name_bidx)
         VALUES (gen_random_uuid(), $1, 'new', 'submitted', $2, 'onsite', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
        [`BENCH-${bareNo++}`, template.profile_code, template.applicant_bidx, template.applicant_enc, template.applicant_masked, template.applicant_name_masked,
          template.birth_date, template.categories, template.residence_code, template.residence_path, template.hukou_code, template.hukou_path,
          template.accept_code, template.accept_path, JSON.stringify(template.data), JSON.stringify(template.clocks), template.waiting_side,
          template.waiting_path, template.waiting_roles, template.active_clock, template.due_on, template.applicant_name_bidx],
      ),
    );
  for (const c of [1, CONCURRENCY]) {
    log(`NEW applications: ${WRITES} via POST /api/cases and ${WRITES} bare inserts, concurrency ${c}`);
    await checkpoint(ctx.db);
    const ours = await throughput(WRITES, c, () => http.expect(201, 'POST', '/api/cases', form()));
    await checkpoint(ctx.db);
    const bare = await throughput(WRITES, c, bareInsert);
    rows.push(rateRow('NEW application (POST /api/cases)', 'cases', ours, bare));
  }

  // NEW actions: request_materials (v1 → v2) then supplement_materials (v2 → v3) on generated cases
  // missing their photos; each case is used once per phase so versions are known without a read.
  const per = Math.min(WRITES, Math.floor(actionable.length / 2));
  const others = (await ctx.db.query(`SELECT id FROM case_file WHERE accept_code = $1 AND state <> 'submitted' LIMIT $2`, [BUSY_COUNTY, 2 * per])).map((r) => r.id);
  for (const [phase, c] of [[0, 1], [1, CONCURRENCY]] as const) {
    const pool = actionable.slice(phase * per, (phase + 1) * per);
    log(`NEW actions: ${2 * per} via POST /api/cases/:id/actions (request_materials, then supplement_materials) and ${2 * per} bare updates, concurrency ${c}`);
    await checkpoint(ctx.db);
    const ours = await throughput(2 * per, c, (j) => {
      const k = pool[j % per];
      return j < per
        ? http.expect(200, 'POST', `/api/cases/${k.id}/actions/request_materials`, { expectedVersion: 1, input: { note: '请补照片' } })
        : http.expect(200, 'POST', `/api/cases/${k.id}/actions/supplement_materials`, { expectedVersion: 2, input: { provided: k.missing } });
    });
    // The bare counterpart: one single-row UPDATE in its own transaction.
    await checkpoint(ctx.db);
    const bare = await throughput(2 * per, c, (j) =>
      ctx.db.tx((q) => q.query(`UPDATE case_file SET version = version + 1, updated_at = now() WHERE id = $1`, [others[j % others.length]])),
    );
    rows.push(rateRow('NEW action (materials request/supply)', 'actions', ours, bare));
  }
  return { rows, actionsPerPhase: 2 * per };
}

async function serverVersion(db: Db) {
  const [{ server_version }] = await db.query('SHOW server_version');
  if (db.driver === 'postgres') return `PostgreSQL ${server_version}`;
  // the package does not export ./package.json, so read it from node_modules directly
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8'));
  return `PGlite ${pkg.version} (PostgreSQL ${server_version}, WASM, file-backed)`;
}

async function main() {
  const loadAtStart = loadavg()[0];
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-'));
  // the bench counts its own generated cases: no demo cases
  const base = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO_CASES: 'false' });
  const schema = base.databaseUrl ? `bench_${Date.now()}` : undefined;
  const config = { ...base, dbSchema: schema };
  const db = await openDb(config);
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    log(`${db.driver}${schema ? ` schema ${schema}` : ` in ${dataDir}`}; ${PERSONS} persons, ${CASES} open cases`);
    const ctx = createContext(db, config);
    await migrate(db, ctx.crypto);

    log('importing the national division tree (nationalDivisionRows + importDivisions), then the same rows bare');
    const divisions = await benchDivisions(db);
    await seedDemoIfEmpty(ctx); // finds the divisions already there, adds profiles, calendar, demo orgs and staff

    const rng = prng(20260101);
    const ids = new CitizenIds();
    const counties = await loadCounties(ctx);
    const gen = await timed(async () => {
      const busyIds = await generatePersons(ctx, counties, ids, PERSONS, rng);
      const actionable = await generateCases(ctx, counties, ids, CASES, rng, await ctx.calendar.get());
      // PGlite runs no autovacuum, so without this the planner would work from empty statistics;
      // on a server, autovacuum would do the same soon after the load — in the middle of the
      // measurements. Doing it now keeps both out of the timed part.
      await db.exec('VACUUM ANALYZE');
      await checkpoint(db);
      return { busyIds, actionable };
    });
    log(`generated ${PERSONS} persons + certificates and ${CASES} cases in ${fmtMs(gen.ms)}`);

    app = await buildApp(ctx);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const http = new Http(address);
    await http.login('xihu.clerk');

    const reads = await benchReads(ctx, http, gen.value.busyIds, rng);
    const writes = await benchWrites(ctx, http, counties.get(BUSY_COUNTY)!, ids, gen.value.actionable, rng);
    // last, so the 30,000 extra holders do not change what the figures above measured
    log(`legacy certificate import: ${LEGACY} generated holders into ${LEGACY_COUNTY} (importLegacyCertificates), then the same rows bare`);
    const legacy = await benchLegacyImport(ctx, counties.get(LEGACY_COUNTY)!, ids, rng);

    const cpu = cpus();
    const report: Report = {
      machine: {
        driver: db.driver,
        server: await serverVersion(db),
        cpus: cpu.length,
        cpuModel: cpu[0]?.model.trim() ?? 'unknown CPU',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        load: [loadAtStart, loadavg()[0]],
      },
      sizes: `${PERSONS.toLocaleString('en-US')} persons with certificates, ${CASES.toLocaleString('en-US')} open NEW cases (~80% accepted in ${BUSY_COUNTY}), ${divisions.n.toLocaleString('en-US')} divisions`,
      rows: [divisions.row, ...reads.rows, ...writes.rows, legacy],
      notes: [
        `Division import: ours = nationalDivisionRows() (CSV parse) + importDivisions() (sort, paths, 5,000-row upserts, one transaction); bare = the same rows, paths precomputed, plain INSERT … SELECT FROM unnest in 5,000-row batches into a scratch table with the same indexes.`,
        `Person lookup: ${LOOKUPS} random persons of ${BUSY_COUNTY}, GET /api/persons?idNumber= as xihu.clerk (session, jurisdiction check, blind index, name decryption); bare = SELECT * FROM person WHERE id_bidx = $1; the two are sampled in alternating blocks of 25.`,
        `Worklist: GET /api/worklist?page=1&pageSize=20 as xihu.clerk, whose list holds ${reads.total.toLocaleString('en-US')} cases; bare = the same count and page statements run directly, in blocks of 25 alternating with the API calls.`,
        `NEW application: POST /api/cases (validation, duplicate checks, case + history + audit, then the case view), ${WRITES} per row; bare = one single-row INSERT INTO case_file per transaction.`,
        `NEW action: ${writes.actionsPerPhase} per row (half request_materials, half supplement_materials, each followed by the case view the endpoint returns); bare = one single-row UPDATE per transaction.`,
        `Legacy import: ours = importLegacyCertificates() as \`import-certificates FILE --county ${LEGACY_COUNTY}\` runs it on a generated file (decode, CSV parse, every row validated, divisions and existing persons checked, encryption and blind index, 5,000-row inserts of persons, certificates and history in one transaction, one audit entry, ANALYZE); bare = the rows it wrote, inserted again with plain INSERT … SELECT FROM unnest in 5,000-row batches into scratch tables with the same indexes (no foreign keys).`,
        `Ratio = time ours ÷ time bare, or rate bare ÷ rate ours. Data generation (not timed in the table) took ${fmtMs(gen.ms)}.`,
      ],
    };
    printTable(report);
    if (opts['write-docs']) {
      const file = join(projectRoot(), 'docs', 'performance.md');
      writeDocs(report, file);
      log(`wrote ${file}`);
    }
  } finally {
    await app?.close();
    await db.close();
    if (schema) await dropSchema(config.databaseUrl!, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
