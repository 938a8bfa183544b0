/**
 * The kill -9 crash soak (issue 10, `npm run soak -- crash`): the real server runs as a child
 * process on its own database (PGlite in a folder of its own, or a throwaway PostgreSQL schema),
 * several HTTP clients drive a mixed write load through it — NEW applications carried to delivery,
 * damaged-card renewals and reissues on the certificates they produce, sometimes two windows filing
 * for the same person at once, double clicks and plain retries with the same Idempotency-Key — and
 * the server is killed with SIGKILL at a random moment, over and over. After each crash, with the
 * server down, the database itself is checked:
 *   1. no person holds two certificates in force (active or frozen);
 *   2. every case that passed approval has its certificate, and every certificate issued from a case
 *      belongs to one that passed approval (nothing half-written on either side);
 *   3. every case's version equals the length of its history (case_event rows);
 *   4. the audit chains verify;
 *   5. a request retried after the crash with the same Idempotency-Key never acts twice: the retry
 *      answers as the first attempt would have (a replay when that attempt had committed), no
 *      idempotency record is left half-written, and the database holds exactly the cases the
 *      clients were told about (up to the applications still waiting for their answer).
 * The clients wait while the server is down and carry on when it is back, retrying what the crash
 * interrupted with the same key and body.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../src/cli/seed-demo.js';
import { verifyAuditChains } from '../src/modules/audit/audit-chain.js';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { dropSchema, openDb } from '../src/platform/db.js';
import { ALL_ADULT_MATERIALS, childBirth, guardian, JINSHUI_VILLAGE, makeCitizenId, multipart, newApplication, PNG, XIHU_LOCAL, XIHU_VILLAGE } from '../test/payloads.js';

export type CrashSoakOptions = {
  crashes: number;
  seed: number;
  /** concurrent HTTP clients */
  workers?: number;
  /** share of stories filed at two windows at once (default 0.1) */
  twinRate?: number;
  /** PostgreSQL server to run on (a schema of its own is created and dropped); PGlite on disk when absent */
  databaseUrl?: string;
  log?: (line: string) => void;
};

export type CrashSoakReport = {
  driver: 'pglite' | 'postgres';
  seed: number;
  crashes: number;
  requests: number;
  /** requests a crash cut off (sent, no answer) */
  interrupted: number;
  /** keyed writes retried after a crash with the same Idempotency-Key, and how many of those were replays */
  retriedAfterCrash: number;
  replayedAfterCrash: number;
  /** the same keyed write sent twice at once, and sent again after its answer */
  doubleClicks: number;
  plainRetries: number;
  stories: number;
  /** stories filed at two windows at once, and how many of those had both applications accepted */
  twins: number;
  twinsBothAccepted: number;
  cases: number;
  certificates: number;
  /** invariant violations, each naming the invariant, the crash after which it was seen and the records */
  violations: string[];
  /** answers the load did not expect (the load is built to succeed; these need a look too) */
  unexpected: string[];
  seconds: number;
  /** mean seconds from spawning the server to its first answer, over the restarts */
  restartSeconds: number;
};

type Reply = { status: number; body: any; headers: Record<string, string | string[] | undefined> };

/** mulberry32: a small seeded generator, so a run's choices (stories, crash points) follow its seed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

/** One HTTP exchange on a fresh connection (no keep-alive: a socket of a killed server must never be reused). */
function send(port: number, method: string, path: string, body: Buffer | undefined, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text;
        try { parsed = JSON.parse(text); } catch {}
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The server under test: `node --import tsx src/main.ts` with its own port and database. */
class ServerProcess {
  private child: ChildProcess | null = null;
  private readonly logFile: string;
  startSeconds: number[] = [];
  constructor(readonly port: number, private readonly env: NodeJS.ProcessEnv, dataDir: string) {
    this.logFile = join(dataDir, 'server.log');
  }

  async start() {
    const started = Date.now();
    const out = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectRoot(), env: this.env, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    let exited = false;
    child.once('exit', () => { exited = true; });
    // Polling the port until it answers is the one way to know a separate process is ready.
    for (;;) {
      if (exited) throw new Error(`the server exited while starting; its log ends:\n${this.logTail()}`);
      if (Date.now() - started > 180_000) throw new Error(`the server did not answer within 180 s; its log ends:\n${this.logTail()}`);
      const ok = await send(this.port, 'GET', '/api/health', undefined, {}).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.startSeconds.push((Date.now() - started) / 1000);
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM') {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exit = once(child, 'exit');
      child.kill(signal);
      await exit;
    }
  }

  logTail() {
    try { return readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n'); } catch { return '(no log)'; }
  }
}

/** Open while the server is up; the clients wait on it while the server is down. */
class Gate {
  epoch = 0;
  isOpen = false;
  private opened: Promise<void> = new Promise(() => {});
  private release = () => {};
  constructor() { this.close(); }
  close() {
    this.isOpen = false;
    this.epoch++;
    this.opened = new Promise((r) => { this.release = r; });
  }
  open() {
    this.isOpen = true;
    this.release();
  }
  wait() { return this.opened; }
}

/** The five invariants, checked in the database while the server is down. Queries use person_id, state and case_id only. */
export async function checkInvariants(db: Awaited<ReturnType<typeof openDb>>, cases: { min: number; max: number }): Promise<{ violations: string[]; cases: number; certificates: number }> {
  const v: string[] = [];
  const twoInForce = await db.query(
    `SELECT person_id, count(*)::int AS n FROM certificate WHERE state IN ('active', 'frozen') GROUP BY person_id HAVING count(*) > 1`,
  );
  for (const r of twoInForce) v.push(`(1) person ${r.person_id} holds ${r.n} certificates in force`);
  const approvedWithout = await db.query(
    `SELECT c.id, c.matter, c.state FROM case_file c
     WHERE (c.state IN ('awaiting_photo', 'printing', 'shipping', 'in_delivery', 'delivered')
            OR EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.action = 'approve'))
       AND NOT EXISTS (SELECT 1 FROM certificate k WHERE k.case_id = c.id)`,
  );
  for (const r of approvedWithout) v.push(`(2) ${r.matter} case ${r.id} (${r.state}) passed approval but has no certificate`);
  const orphans = await db.query(
    `SELECT k.id, k.case_id FROM certificate k
     WHERE k.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = k.case_id AND e.action = 'approve')`,
  );
  for (const r of orphans) v.push(`(2) certificate ${r.id} names case ${r.case_id}, whose history has no approval`);
  const versions = await db.query(
    `SELECT c.id, c.version, count(e.id)::int AS events FROM case_file c LEFT JOIN case_event e ON e.case_id = c.id
     GROUP BY c.id, c.version HAVING c.version <> count(e.id)`,
  );
  for (const r of versions) v.push(`(3) case ${r.id} is at version ${r.version} with ${r.events} history events`);
  const audit = await verifyAuditChains(db);
  for (const b of audit.broken) v.push(`(4) audit chain ${b.chain} broken at ${b.seq}: ${b.problem}`);
  const [half] = await db.query(`SELECT count(*)::int AS n FROM idempotency_record WHERE status = 0`);
  if (half.n > 0) v.push(`(5) ${half.n} idempotency records hold no answer`);
  const [counts] = await db.query(`SELECT (SELECT count(*)::int FROM case_file) AS cases, (SELECT count(*)::int FROM certificate) AS certificates`);
  if (counts.cases < cases.min || counts.cases > cases.max) {
    v.push(`(5) the database holds ${counts.cases} cases; the clients were told of ${cases.min}${cases.max > cases.min ? ` and ${cases.max - cases.min} applications await their answer` : ''}`);
  }
  return { violations: v, cases: counts.cases, certificates: counts.certificates };
}

export async function crashSoak(opts: CrashSoakOptions): Promise<CrashSoakReport> {
  const log = opts.log ?? (() => {});
  const rng = seeded(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-crash-'));
  const schema = opts.databaseUrl ? `crash_${Date.now()}_${process.pid}` : undefined;
  const dbEnv = { DATA_DIR: dataDir, DATABASE_URL: opts.databaseUrl ?? '', DB_SCHEMA: schema ?? '' };
  const config = loadConfig({ ...dbEnv, LOG_LEVEL: 'silent' });
  const port = await freePort();
  const server = new ServerProcess(port, { ...process.env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'true', SEED_DEMO_CASES: 'false' }, dataDir);
  const gate = new Gate();
  const report: CrashSoakReport = {
    driver: opts.databaseUrl ? 'postgres' : 'pglite', seed: opts.seed, crashes: 0, requests: 0, interrupted: 0, retriedAfterCrash: 0, replayedAfterCrash: 0,
    doubleClicks: 0, plainRetries: 0, stories: 0, twins: 0, twinsBothAccepted: 0, cases: 0, certificates: 0, violations: [], unexpected: [], seconds: 0, restartSeconds: 0,
  };
  const started = Date.now();
  // what the clients know: the case ids they were given, and applications still waiting for their answer
  const knownCases = new Set<string>();
  let pendingApplies = 0;
  let sentSinceStart = 0;
  let onSent = () => {};
  let keySeq = 0;
  const newKey = () => `crash-${opts.seed}-${++keySeq}-${Math.floor(rng() * 1e9).toString(36)}`;

  /** Sends until an answer comes back: a request cut off by a crash waits for the restart and goes again, unchanged. */
  async function call(cookie: string | undefined, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply & { afterCrash: boolean }> {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'x-tongban-client': 'test', ...(cookie ? { cookie } : {}), ...(payload && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...extra };
    let afterCrash = false;
    for (let attempt = 0; ; attempt++) {
      await gate.wait();
      const epoch = gate.epoch;
      report.requests++;
      sentSinceStart++;
      onSent();
      try {
        return { ...(await send(port, method, path, payload, headers)), afterCrash };
      } catch (e) {
        if (gate.epoch === epoch && gate.isOpen) {
          // not a crash of ours: a real network fault of a live server, which the load must not hide
          if (attempt >= 3) throw new Error(`${method} ${path}: ${(e as Error).message} with the server up`);
          continue;
        }
        report.interrupted++;
        afterCrash = true;
      }
    }
  }

  const unexpected = (what: string, r: Reply) => {
    report.unexpected.push(`${what} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    throw new StoryEnd();
  };

  /**
   * A state-changing request with an Idempotency-Key. Sometimes sent twice at once (a double click)
   * or again after its answer (a client retry): every copy must get the same answer. A copy retried
   * after a crash must answer as the first attempt would have: `expect` — never a 409 saying the
   * case moved on (which would mean the first attempt acted and the retry was not recognised).
   */
  async function keyed(cookie: string | undefined, path: string, body: unknown, expect: Expect, what: string): Promise<Reply> {
    const key = newKey();
    const headers = { 'idempotency-key': key };
    const double = rng() < 0.1;
    const replies = await Promise.all((double ? [0, 1] : [0]).map(() => call(cookie, 'POST', path, body, headers)));
    if (double) report.doubleClicks++;
    for (const r of replies) {
      if (r.afterCrash) {
        report.retriedAfterCrash++;
        if (r.headers['idempotent-replay'] === 'true') report.replayedAfterCrash++;
        if (!expect(r)) {
          report.violations.push(`(5) ${what} retried after crash ${report.crashes} with key ${key} answered ${r.status} ${JSON.stringify(r.body?.error ?? r.body).slice(0, 200)}`);
          throw new StoryEnd();
        }
      }
      if (!expect(r)) unexpected(what, r);
    }
    if (double && (replies[0].status !== replies[1].status || replies[0].body?.id !== replies[1].body?.id || replies[0].body?.version !== replies[1].body?.version)) {
      report.violations.push(`(5) ${what} sent twice at once with key ${key} answered ${replies[0].status}/${replies[1].status}, ids ${replies[0].body?.id}/${replies[1].body?.id}, versions ${replies[0].body?.version}/${replies[1].body?.version}`);
    }
    if (rng() < 0.1) {
      report.plainRetries++;
      const again = await call(cookie, 'POST', path, body, headers);
      if (again.status !== replies[0].status || again.body?.id !== replies[0].body?.id || again.body?.version !== replies[0].body?.version || (again.status < 300 && again.headers['idempotent-replay'] !== 'true')) {
        report.violations.push(`(5) ${what} sent again with key ${key} answered ${again.status} (replay: ${again.headers['idempotent-replay']}) after ${replies[0].status}`);
      }
    }
    return replies[0];
  }

  const staff: Record<string, string> = {};
  async function loginAll() {
    for (const username of ['xihu.clerk', 'xihu.doctor', 'xihu.approver', 'jinshui.clerk', 'jinshui.approver']) {
      const r = await call(undefined, 'POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
      const cookie = [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('tb_session='))?.split(';')[0];
      if (r.status !== 200 || !cookie) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      staff[username] = cookie;
    }
  }

  /** Takes a workflow action with the case's current version, as a client that just loaded the case. */
  async function act(who: string, caseId: string, action: string, input: Record<string, unknown> = {}, expect: Expect = answered(200)) {
    const current = await call(staff[who], 'GET', `/api/cases/${caseId}`);
    if (current.status !== 200) unexpected(`GET case ${caseId}`, current);
    return keyed(staff[who], `/api/cases/${caseId}/actions/${action}`, { expectedVersion: current.body.version, input }, expect, `${action} on case ${caseId} by ${who}`);
  }

  async function apply(form: Record<string, unknown>, expect: Expect) {
    pendingApplies++;
    try {
      const r = await keyed(staff['xihu.clerk'], '/api/cases', form, expect, `${form.matter} application`);
      if (r.status === 201) knownCases.add(r.body.id);
      return r;
    } finally {
      pendingApplies--;
    }
  }

  /**
   * The hukou county's approval, then print, ship and delivery by its desk. The second of two
   * applications filed at once may be refused at approval (the person holds a certificate by then):
   * it is rejected instead. Its approval going through is what invariant 1 catches.
   */
  async function approveAndDeliver(caseId: string, county: 'xihu' | 'jinshui', twin = false) {
    const approved = await act(`${county}.approver`, caseId, 'approve', { photoOnFile: true }, twin ? refusedOr(200) : answered(200));
    if (approved.status !== 200) {
      await act(`${county}.approver`, caseId, 'reject', { reason: '重复申请，已持有残疾人证' });
      return;
    }
    await act(`${county}.clerk`, caseId, 'print');
    await act(`${county}.clerk`, caseId, 'ship', { method: 'courier', courier: 'EMS', trackingNo: 'EMS1234567890' });
    await act(`${county}.clerk`, caseId, 'mark_delivered', { receivedBy: '本人' });
  }

  let institutionId = '';
  /**
   * One person's story: a NEW application (a 西湖区 adult, or a child registered in 金水区, Henan,
   * across provinces) carried to delivery; sometimes filed at two windows at once; then up to two
   * matters on the certificate (a damaged-card renewal or a loss and reissue), each to delivery.
   */
  async function story() {
    report.stories++;
    const county = rng() < 0.3 ? 'jinshui' : 'xihu';
    const idNumber = county === 'xihu' ? makeCitizenId({ division: '330106' }) : makeCitizenId({ division: '410105', birth: childBirth() });
    const extra = county === 'xihu'
      ? { hukouCode: XIHU_VILLAGE, materialsProvided: XIHU_LOCAL }
      : { hukouCode: JINSHUI_VILLAGE, materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'], guardian: guardian() };
    const form = newApplication({ idNumber, ...extra });
    // two windows filing for the same person at once: one may be refused as a duplicate; both accepted would be carried through
    const twins = rng() < (opts.twinRate ?? 0.1);
    const filed = await Promise.all((twins ? [0, 1] : [0]).map(() => apply(form, twins ? refusedOr(201, 'application.duplicate') : answered(201))));
    if (twins) report.twins++;
    if (filed.filter((r) => r.status === 201).length > 1) report.twinsBothAccepted++;
    for (const f of filed.filter((r) => r.status === 201)) {
      const id = f.body.id as string;
      await act('xihu.clerk', id, 'accept', { institutionId });
      const m = multipart({ materialCode: 'assessment_form' }, { name: '残疾评定表.png', bytes: PNG, type: 'image/png' });
      const scan = await call(staff['xihu.doctor'], 'POST', `/api/cases/${id}/documents`, m.body, { 'content-type': m.contentType });
      if (scan.status !== 201) unexpected(`scan upload on case ${id}`, scan);
      await act('xihu.doctor', id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 2 }], assessedOn: new Date().toISOString().slice(0, 10) });
      await act('xihu.clerk', id, 'forward_to_hukou');
      await approveAndDeliver(id, county, twins);
    }
    const holderMaterials = county === 'xihu' ? [] : ['guardian_proof', 'residence_permit'];
    for (let n = rng() < 0.6 ? 1 + Math.floor(rng() * 2) : 0; n > 0; n--) {
      const matter = pick(['renew', 'reissue'] as const);
      const c = await apply({
        matter, idNumber, residenceCode: XIHU_VILLAGE, ...(county === 'jinshui' ? { guardian: guardian() } : {}),
        ...(matter === 'renew' ? { variant: 'damaged', materialsProvided: ['photos', 'id_and_hukou', 'old_card', ...holderMaterials] } : { materialsProvided: ['photos', 'id_and_hukou', 'loss_statement', ...holderMaterials] }),
      }, answered(201));
      await act('xihu.clerk', c.body.id, matter === 'renew' ? 'forward_renewal' : 'forward_reissue');
      await approveAndDeliver(c.body.id, county);
    }
  }

  let stopping = false;
  async function worker() {
    while (!stopping) {
      try {
        await story();
      } catch (e) {
        if (!(e instanceof StoryEnd)) throw e;
      }
    }
  }

  const seen = new Set<string>();
  async function check(final: boolean) {
    const db = await openDb(config);
    try {
      const found = await checkInvariants(db, { min: knownCases.size, max: knownCases.size + (final ? 0 : pendingApplies) });
      report.cases = found.cases;
      report.certificates = found.certificates;
      // a violation stays in the database: it is reported once, with the first check that saw it
      for (const v of found.violations.filter((x) => !seen.has(x))) {
        seen.add(v);
        report.violations.push(`${v} — ${final ? 'at the end' : `after crash ${report.crashes}`}`);
      }
    } finally {
      await db.close();
    }
  }

  const line = () =>
    `${report.crashes} crashes, ${report.requests} requests (${report.interrupted} cut off, ${report.retriedAfterCrash} writes retried after a crash, ${report.replayedAfterCrash} of them replays), ` +
    `${report.stories} stories (${report.twins} filed at two windows at once, ${report.twinsBothAccepted} of them accepted twice), ${report.cases} cases, ${report.certificates} certificates; violations ${report.violations.length}, unexpected answers ${report.unexpected.length}; ${Math.round((Date.now() - started) / 1000)} s`;

  const workers: Promise<void>[] = [];
  try {
    log(`crash soak: ${opts.crashes} crashes on ${report.driver}, seed ${opts.seed}, server on port ${port}, data in ${dataDir}${schema ? `, schema ${schema}` : ''}`);
    await server.start();
    gate.open();
    await loginAll();
    const list = await call(staff['xihu.clerk'], 'GET', '/api/org-units?kind=institution');
    institutionId = list.body.find((o: any) => String(o.name).endsWith('残疾评定定点医院（演示）'))?.id;
    if (!institutionId) throw new Error(`no demo institution in 西湖区: ${JSON.stringify(list.body).slice(0, 300)}`);
    const workerFailed = new Promise<never>((_, reject) => {
      for (let i = 0; i < (opts.workers ?? 4); i++) workers.push(worker().catch((e) => { reject(e); }));
    });
    workerFailed.catch(() => {}); // raced below; an unhandled rejection would end the process first
    while (report.crashes < opts.crashes) {
      // the crash lands after a random number of requests, at a random moment within the next request
      const target = 8 + Math.floor(rng() * 40);
      sentSinceStart = 0;
      await Promise.race([workerFailed, new Promise<void>((r) => { onSent = () => { if (sentSinceStart >= target) r(); }; })]);
      onSent = () => {};
      await new Promise((r) => setTimeout(r, Math.floor(rng() * 30)));
      gate.close();
      await server.kill('SIGKILL');
      report.crashes++;
      await check(false);
      log(`  ${line()}`);
      await server.start();
      gate.open();
    }
    // the stories under way finish on a live server; then it stops cleanly and the database is checked once more
    stopping = true;
    await Promise.race([workerFailed, Promise.all(workers)]);
    gate.close();
    await server.kill('SIGTERM');
    await check(true);
  } finally {
    stopping = true;
    gate.close();
    await server.kill('SIGKILL');
    if (schema) await dropSchema(opts.databaseUrl!, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  const restarts = server.startSeconds.slice(1);
  report.restartSeconds = restarts.length ? Math.round((restarts.reduce((a, b) => a + b, 0) / restarts.length) * 10) / 10 : 0;
  log(`crash soak (${report.driver}, seed ${report.seed}): ${line()}; restart ${report.restartSeconds} s on average`);
  return report;
}

/** Which answers a request may get; a retry after a crash must get one of them too. */
type Expect = (r: Reply) => boolean;
const answered = (status: number): Expect => (r) => r.status === status;
/**
 * The success, or a refusal for a reason of the domain (`code`, or any but a stale version): a 409
 * saying the case moved on, on a retry, would mean the first attempt acted and went unrecognised.
 */
const refusedOr = (status: number, code?: string): Expect => (r) =>
  r.status === status || (r.status === 409 && (code ? r.body?.error?.code === code : r.body?.error?.code !== 'case.stale_version'));

/** Ends a story whose answer the load did not expect (recorded); the worker starts the next. */
class StoryEnd extends Error {}
