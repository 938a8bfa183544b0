/** The workflow engine's guarantees: version check, idempotency, concurrent clicks, clear bilingual errors that change nothing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login, makeCitizenId, uniqueKey } from './harness.js';
import { apply, institutionOf, newApplication, ok } from './fixtures.js';

const eventsOf = async (h: Awaited<ReturnType<typeof harness>>, caseId: string) =>
  (await h.db.query('SELECT count(*)::int AS n FROM case_event WHERE case_id = $1', [caseId]))[0].n;

test('ORG-3 a stale version gets 409 and changes nothing', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { materialsProvided: ['photos'] });
  await ok(clerk.act(c.id, 'request_materials'));
  const before = await ok(clerk.get(`/api/cases/${c.id}`));
  const stale = await clerk.post(`/api/cases/${c.id}/actions/supplement_materials`, { expectedVersion: 1, input: { provided: ['id_and_hukou'] } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'case.stale_version');
  assert.match(stale.body.error.zh, /刷新/);
  assert.match(stale.body.error.en, /Reload/);
  const after = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.deepEqual(after, before);
});

test('ORG-3 a retried request with the same Idempotency-Key takes effect once and returns the same answer', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { materialsProvided: ['photos'] });
  const key = uniqueKey();
  const body = { expectedVersion: 1, input: { note: '一次' } };
  const first = await ok(clerk.post(`/api/cases/${c.id}/actions/request_materials`, body, { 'idempotency-key': key }));
  const retry = await clerk.post(`/api/cases/${c.id}/actions/request_materials`, body, { 'idempotency-key': key });
  assert.equal(retry.status, 200);
  assert.equal(retry.headers['idempotent-replay'], 'true');
  assert.deepEqual({ ...retry.body, case: undefined }, { ...first, case: undefined });
  assert.equal(await eventsOf(h, c.id), 2, 'apply + one request_materials');
  const reused = await clerk.post(`/api/cases/${c.id}/actions/request_materials`, { expectedVersion: 2, input: {} }, { 'idempotency-key': key });
  assert.equal(reused.status, 422, 'the same key for a different request is refused');

  // the same for filing an application: a double-submitted form makes one case
  const form = newApplication();
  const k2 = uniqueKey();
  const a = await clerk.post('/api/cases', form, { 'idempotency-key': k2 });
  const b = await clerk.post('/api/cases', form, { 'idempotency-key': k2 });
  assert.equal(a.status, 201);
  assert.equal(b.body.id, a.body.id);
});

test('ORG-3 two clicks at once on the same version: exactly one wins, the other gets 409', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const other = await login(h, 'xihu.reviewer');
  const c = await apply(clerk, { materialsProvided: ['photos'] });
  const [r1, r2] = await Promise.all([
    clerk.post(`/api/cases/${c.id}/actions/request_materials`, { expectedVersion: 1, input: {} }),
    other.post(`/api/cases/${c.id}/actions/return_application`, { expectedVersion: 1, input: { reason: '材料不实' } }),
  ]);
  assert.deepEqual([r1.status, r2.status].sort(), [200, 409]);
  assert.equal(await eventsOf(h, c.id), 2);
});

test('ID-1 a wrong ID checksum gets a bilingual 422 naming the check digit, and nothing is created', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const good = makeCitizenId({ division: '410105' });
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const before = (await h.db.query('SELECT count(*)::int AS n FROM case_file'))[0].n;
  const res = await clerk.post('/api/cases', newApplication({ applicant: { idNumber: bad, name: '甲', phone: '13800138000' } }));
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'id.checksum');
  assert.equal(res.body.error.field, 'idNumber');
  assert.ok(res.body.error.zh && res.body.error.en);
  const birth = await clerk.post('/api/cases', newApplication({ applicant: { idNumber: '410105199902300013', name: '甲', phone: '13800138000' } }));
  assert.equal(birth.body.error.code, 'id.birthdate');
  assert.equal((await h.db.query('SELECT count(*)::int AS n FROM case_file'))[0].n, before);
});

test('ORG-1 an unknown division code, a too-coarse place and missing fields get 422 with the field named', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const unknown = await clerk.post('/api/cases', newApplication({ hukouCode: '410199999999' }));
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.code, 'division.unknown');
  assert.equal(unknown.body.error.field, 'hukouCode');
  const coarse = await clerk.post('/api/cases', newApplication({ hukouCode: '41' }));
  assert.equal(coarse.body.error.code, 'division.too_coarse');
  const { categories, ...missing } = newApplication();
  const res = await clerk.post('/api/cases', missing);
  assert.equal(res.status, 422);
  assert.equal(res.body.error.field, 'body.categories');
  assert.ok(categories);
});

test('SLA-1 an action the state does not allow gets 409; an unknown action 422; an unknown case 404', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk);
  const illegal = await clerk.act(c.id, 'mark_delivered');
  assert.equal(illegal.status, 409);
  assert.equal(illegal.body.error.code, 'workflow.illegal_action');
  assert.match(illegal.body.error.zh, /待受理/);
  const unknown = await clerk.act(c.id, 'fly_to_moon');
  assert.equal(unknown.status, 422);
  const missing = await clerk.get('/api/cases/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assert.ok(missing.body.error.zh && missing.body.error.en);
});

test('ORG-2 an oversized body gets 413 and invalid JSON 400, both bilingual', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const big = await clerk.call('POST', '/api/cases', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), { 'content-type': 'application/json' });
  assert.equal(big.status, 413);
  assert.match(big.body.error.zh, /过大/);
  const broken = await clerk.call('POST', '/api/cases', '{"matter": ', { 'content-type': 'application/json' });
  assert.equal(broken.status, 400);
  assert.ok(broken.body.error.zh && broken.body.error.en);
});

test('ORG-2 a doctor cannot accept an application: the action belongs to the county desk', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk);
  const doctor = await login(h, 'xihu.doctor');
  const res = await doctor.act(c.id, 'accept', { institutionId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(res.status, 404, 'before acceptance the institution has no part in the case: it does not exist for it');
  const inst = await institutionOf(clerk);
  await ok(clerk.act(c.id, 'accept', { institutionId: inst }));
  const late = await doctor.act(c.id, 'return_application', { reason: '不合格材料' });
  assert.equal(late.status, 409);
  const wrongRole = await clerk.act(c.id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: h.clock.today() });
  assert.equal(wrongRole.status, 403);
  assert.match(wrongRole.body.error.zh, /评定机构/);
});
