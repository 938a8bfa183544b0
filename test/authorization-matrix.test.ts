/**
 * ORG-3 / SEC: the authorization matrix, generated from the route table — every /api route × every
 * role × inside and outside the jurisdiction. Invariants asserted on every cell: never a 5xx; 401 for
 * every non-public route without a session; a record outside the caller's jurisdiction answers
 * byte-for-byte what a random id answers. The whole table of statuses is committed beside the test
 * (test/expected/authorization-matrix.txt, PostgreSQL-regression style): a new route, or a change of
 * who may do what, shows as a diff to review. `UPDATE_EXPECTED=1 npm test -- authorization-matrix` rewrites it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLIENT_HEADER, harness, login, type Harness } from './harness.js';
import { freshPhone, registerApplicant } from './applicants.js';
import { apply, JINSHUI_VILLAGE, legacyHolder, ok } from './fixtures.js';
import { fillUrl, queryString, routeSpecs, sampleOf, someAddress } from './route-table.js';

const root = new URL('..', import.meta.url).pathname;
const EXPECTED = join(root, 'test', 'expected', 'authorization-matrix.txt');
const STAFF = ['xihu.clerk', 'xihu.reviewer', 'xihu.approver', 'xihu.doctor', 'xihu.village', 'xihu.township', 'hangzhou.supervisor', 'admin'];

/** The principals of the matrix: nobody, an applicant, each demo staff role, an auditor. */
async function principals(h: Harness): Promise<[string, string | undefined][]> {
  const reg = await registerApplicant(h, { phone: freshPhone('135'), name: '矩阵申请人' });
  const admin = await login(h, 'admin');
  const [org] = await ok(admin.get('/api/org-units?kind=federation&under=3301'));
  const auditor = `matrix.auditor.${Date.now() % 1e7}`;
  await ok(admin.post('/api/admin/users', { username: auditor, displayName: '矩阵审计员', password: 'Right12345', grants: [{ role: 'auditor', orgUnitId: org.id }] }), 201);
  return [
    ['anonymous', undefined],
    ['applicant', reg.cookie],
    ...(await Promise.all(STAFF.map(async (u) => [u, (await login(h, u)).cookie] as [string, string | undefined]))),
    ['auditor', (await login(h, auditor, 'Right12345')).cookie],
  ];
}

/** Records of 金水区 / 郑州市, outside every principal's jurisdiction (admin reads no personal data either). */
async function outsideRecords(h: Harness) {
  const jinshui = await login(h, 'jinshui.clerk');
  const c = await apply(jinshui, { residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE, materialsProvided: ['photos', 'id_and_hukou'] });
  const person = await legacyHolder(h, '2020-05-01', false, '4-2', JINSHUI_VILLAGE);
  const zz = await login(h, 'zhengzhou.supervisor');
  const agreement = await ok(zz.post('/api/agreements', { party: '郑州市民政局', partyKind: 'civil_affairs', legalBasis: '矩阵测试依据', purpose: '矩阵测试用途', fields: ['name'], channels: ['api'], validFrom: h.clock.today(), validUntil: h.clock.today() }), 201);
  return { case: c.id, person: person.personId, agreement: agreement.id as string };
}

/**
 * Routes that text a phone number are limited per number (auth/phone-codes.ts): each call gets a
 * number of its own, so the matrix shows who may call the route rather than the limit.
 */
const withOwnPhone = (body: any) => (body && typeof body === 'object' && typeof body.phone === 'string' ? { ...body, phone: freshPhone('134') } : body);

/** Which outside record fills a route's `:id`, by the collection the route belongs to. */
const outsideKind = (url: string): 'case' | 'person' | 'agreement' | null =>
  url.startsWith('/api/cases/:id') ? 'case' : url.startsWith('/api/persons/:id') ? 'person' : url.startsWith('/api/agreements/:id') ? 'agreement' : null;

test('ORG-3 authorization matrix: every route × every role × inside/outside the jurisdiction — 401 without a session, 404 outside byte-identical to a random id, never a 5xx', { timeout: 600_000 }, async () => {
  const h = await harness();
  const who = await principals(h);
  const outside = await outsideRecords(h);
  const lines: string[] = [];
  const problems: string[] = [];
  for (const r of routeSpecs(h).sort((a, b) => a.key.localeCompare(b.key))) {
    // logging out would end the principal's session for the rest of the matrix: only nobody tries it
    const cells: string[] = [];
    for (const [name, cookie] of who) {
      if (r.url === '/api/auth/logout' && cookie) {
        cells.push(`${name}=-`);
        continue;
      }
      const params = (sampleOf(r.params) ?? {}) as Record<string, unknown>;
      const call = async (id?: string) => {
        const p = { ...params, ...(id && 'id' in params ? { id } : {}) };
        const res = await h.app.inject({
          method: r.method as any,
          url: fillUrl(r.url, p) + queryString(sampleOf(r.query) as any),
          payload: r.body ? withOwnPhone((sampleOf(r.body) as any) ?? {}) : undefined,
          headers: { ...CLIENT_HEADER, ...(cookie ? { cookie } : {}) },
          remoteAddress: someAddress(),
        });
        return { status: res.statusCode, body: res.body };
      };
      const random = await call(randomUUID());
      if (random.status >= 500) problems.push(`${r.key} as ${name}: ${random.status} ${random.body.slice(0, 200)}`);
      if (!cookie && !r.public && !r.partner && random.status !== 401) problems.push(`${r.key} without a session answered ${random.status}, not 401`);
      const kind = outsideKind(r.url);
      // the national administrator's subtree is the whole country: an agreement anywhere is inside it (persons and cases are not: admins read no personal data)
      if (kind && 'id' in params && !(kind === 'agreement' && name === 'admin')) {
        const theirs = await call(outside[kind]);
        if (theirs.status !== random.status || theirs.body !== random.body) {
          problems.push(`${r.key} as ${name}: outside the jurisdiction ${theirs.status} ${theirs.body.slice(0, 120)} ≠ random id ${random.status} ${random.body.slice(0, 120)}`);
        }
      }
      cells.push(`${name}=${random.status < 300 ? '2xx' : random.status}`);
    }
    lines.push(`${r.key.padEnd(62)} ${cells.join(' ')}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  const actual = `# route × principal → status with a valid sample request and a random id (generated by test/authorization-matrix.test.ts)\n${lines.join('\n')}\n`;
  if (process.env.UPDATE_EXPECTED) writeFileSync(EXPECTED, actual);
  const expected = readFileSync(EXPECTED, 'utf8');
  if (actual !== expected) {
    mkdirSync(join(root, 'test-results'), { recursive: true });
    writeFileSync(join(root, 'test-results', 'authorization-matrix.actual.txt'), actual);
  }
  assert.equal(actual, expected, 'the matrix changed: compare test-results/authorization-matrix.actual.txt with test/expected/authorization-matrix.txt; if the change is meant, run with UPDATE_EXPECTED=1');
  // the 403s are there: a wrong role is refused, not shown a 404 or let through
  assert.match(expected, /^GET \/api\/admin\/users\s.*xihu\.clerk=403/m);
  assert.match(expected, /^GET \/api\/data-views\s.*xihu\.clerk=403.*hangzhou\.supervisor=2xx/m);
});
