/**
 * The schema-derived fuzzer (issue 10): requests generated from each route's own zod schema (as
 * JSON Schema), valid values mixed with hostile ones (route-table.ts), sent as several principals.
 * It counts 5xx answers, errors outside the bilingual shape, and partial writes — a refused
 * state-changing request whose database footprint (row counts, versions) is not what it was before.
 * Used by test/fuzz.test.ts (a few thousand cases in CI) and `npm run soak -- fuzz` (≥ 100,000).
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { freshPhone, registerApplicant } from './applicants.js';
import type { Harness } from './harness.js';
import { arbitraryOf, fillUrl, footprintQuery, HOSTILE_STRINGS, queryString, routeSpecs, someAddress, type RouteSpec } from './route-table.js';

export type FuzzPrincipal = { name: string; cookie?: string; bearer?: string };
export type FuzzFinding = { key: string; principal: string; status: number; url: string; body: string };
export type FuzzReport = { cases: number; byStatus: Record<string, number>; fiveHundreds: FuzzFinding[]; badShape: FuzzFinding[]; partialWrites: FuzzFinding[]; refusedWrites: number };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Payload = { payload?: string | Buffer; contentType?: string };

/** How a body is sent: mostly as JSON of the generated value, sometimes as something a parser must refuse. */
const payloadArb = (r: RouteSpec): fc.Arbitrary<Payload> => {
  const json = (r.body ? arbitraryOf(r.body, true) : fc.constant({})).map((v) => ({ payload: JSON.stringify(v ?? null), contentType: 'application/json' }));
  return fc.oneof(
    { weight: 8, arbitrary: json },
    { weight: 1, arbitrary: fc.constantFrom<Payload>(
      { payload: '{"a": ', contentType: 'application/json' },
      { payload: '{"__proto__": {"admin": true}}', contentType: 'application/json' },
      { payload: 'code,name\n990000,伪造\n', contentType: 'text/plain' },
      { payload: 'code,name\n\u0000,x\n', contentType: 'text/csv' },
      { payload: 'xx', contentType: 'multipart/form-data' },
      { payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\n\u007fELF\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b' },
      { payload: '<xml/>', contentType: 'application/xml' },
      { payload: '', contentType: 'application/json' },
      {},
    ) },
  );
};

const paramsArb = (r: RouteSpec) =>
  r.params
    ? fc.oneof({ weight: 2, arbitrary: arbitraryOf(r.params, true) }, { weight: 1, arbitrary: fc.record(Object.fromEntries(Object.keys(r.params.properties ?? {}).map((k) => [k, fc.oneof(fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS))]))) })
    : fc.constant({});

export async function fuzz(h: Pick<Harness, 'app' | 'db'>, principals: FuzzPrincipal[], opts: { cases: number; seed: number; skip?: (r: RouteSpec, p: FuzzPrincipal) => boolean; onProgress?: (done: number, report: FuzzReport) => void }): Promise<FuzzReport> {
  const routes = routeSpecs(h);
  const footprint = await footprintQuery(h);
  const snapshot = async () => JSON.stringify((await h.db.query(footprint))[0]);
  const report: FuzzReport = { cases: 0, byStatus: {}, fiveHundreds: [], badShape: [], partialWrites: [], refusedWrites: 0 };
  const caseArb = fc.tuple(fc.nat(routes.length - 1), fc.nat(principals.length - 1)).chain(([ri, pi]) => {
    const r = routes[ri];
    return fc.record({ r: fc.constant(r), p: fc.constant(principals[pi]), params: paramsArb(r), query: r.query ? arbitraryOf(r.query, true) : fc.constant(undefined), body: payloadArb(r), evil: fc.integer({ min: 0, max: 19 }).map((n) => n === 0) });
  });
  const batch = 500;
  // the footprint after the last write is the one before the next, unless a read came between (reads may log views)
  let known: string | null = null;
  for (let done = 0; done < opts.cases; done += batch) {
    const samples = fc.sample(caseArb, { numRuns: Math.min(batch, opts.cases - done), seed: opts.seed + done });
    for (const c of samples) {
      if (opts.skip?.(c.r, c.p)) continue;
      const url = fillUrl(c.r.url, { ...(c.params as object) }) + queryString(c.query as any);
      const writes = STATE_CHANGING.has(c.r.method);
      const before: string = writes ? (known ?? (await snapshot())) : '';
      if (!writes) known = null;
      const res = await h.app.inject({
        method: c.r.method as any,
        url,
        payload: writes ? c.body.payload : undefined,
        headers: {
          'x-tongban-client': 'fuzz',
          ...(c.evil ? { origin: 'https://evil.example' } : {}),
          ...(writes && c.body.contentType ? { 'content-type': c.body.contentType } : {}),
          ...(c.p.cookie ? { cookie: c.p.cookie } : {}),
          ...(c.p.bearer ? { authorization: `Bearer ${c.p.bearer}` } : {}),
        },
        remoteAddress: someAddress(),
      });
      report.cases++;
      const status = res.statusCode;
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      const finding = { key: c.r.key, principal: c.p.name, status, url: url.slice(0, 300), body: res.body.slice(0, 300) };
      if (status >= 500) report.fiveHundreds.push(finding);
      if (status >= 400) {
        let body: any = null;
        try { body = JSON.parse(res.body); } catch {}
        if (!(body?.error && typeof body.error.code === 'string' && body.error.zh && body.error.en)) report.badShape.push(finding);
        if (writes) {
          report.refusedWrites++;
          known = await snapshot();
          if (known !== before) report.partialWrites.push(finding);
        }
      } else if (writes) {
        known = null; // it changed the database, as it may: the next write takes a fresh footprint
      }
    }
    opts.onProgress?.(Math.min(done + batch, opts.cases), report);
  }
  return report;
}

/** Principals for a fuzz run: nobody, an applicant, staff in several roles, a partner with a made-up token. */
export async function fuzzPrincipals(h: Pick<Harness, 'app' | 'ctx'>, login: (username: string) => Promise<{ cookie?: string }>): Promise<FuzzPrincipal[]> {
  const applicant = (await registerApplicant(h, { phone: freshPhone('136'), name: '模糊测试', client: 'fuzz' })).cookie;
  const staff = await Promise.all(['xihu.clerk', 'xihu.approver', 'xihu.doctor', 'hangzhou.supervisor', 'admin'].map(async (u) => ({ name: u, cookie: (await login(u)).cookie })));
  return [{ name: 'anonymous' }, { name: 'applicant', cookie: applicant }, ...staff, { name: 'partner', bearer: randomUUID().replaceAll('-', '') }];
}

/**
 * Routes a fuzz run on the shared test database leaves alone as an authorised caller: ones whose
 * success would change what other tests rely on (a year's calendar, the division tree, hukou-move
 * data) or end the caller's session. The soak, on a database of its own, fuzzes them too.
 */
export const sharedDatabaseSkip = (r: RouteSpec, p: FuzzPrincipal) =>
  Boolean(p.cookie) && (['PUT /api/calendar/:year', 'POST /api/admin/divisions/import', 'POST /api/admin/hukou-moves', 'POST /api/auth/logout'].includes(r.key) || r.key.startsWith('POST /api/auth/totp/'));

export function summary(r: FuzzReport): string {
  const statuses = Object.entries(r.byStatus).sort().map(([s, n]) => `${s}: ${n}`).join(', ');
  return `${r.cases} cases; 5xx: ${r.fiveHundreds.length}; errors outside the bilingual shape: ${r.badShape.length}; partial writes: ${r.partialWrites.length} of ${r.refusedWrites} refused writes; statuses ${statuses}`;
}
