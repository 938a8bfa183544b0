/** SEC-5 data-sharing agreements: nothing personal leaves the federation without one; with one, only the agreed fields, in its period, logged against it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { CLIENT_HEADER, harness, login, type Harness } from './harness.js';
import { addDays, holder, ok } from './fixtures.js';

let n = 0;
async function supervisors(h: Harness) {
  const admin = await login(h, 'admin');
  const [org] = await ok(admin.get('/api/org-units?kind=federation&under=3301'));
  const make = async (label: string) => {
    const username = `sharing.${label}.${Date.now() % 1e7}.${++n}`;
    await ok(admin.post('/api/admin/users', { username, displayName: `共享测试${label}`, password: 'Right12345', grants: [{ role: 'supervisor', orgUnitId: org.id }] }), 201);
    return login(h, username, 'Right12345');
  };
  return { drafter: await make('a'), approver: await make('b'), hangzhou: org.id as string };
}

const agreementBody = (h: Harness, over: Record<string, unknown> = {}) => ({
  party: '杭州市民政局',
  partyKind: 'civil_affairs',
  legalBasis: '《残疾人保障法》第四十八条；困难残疾人生活补贴和重度残疾人护理补贴制度',
  purpose: '核对两项补贴发放对象的持证情况',
  fields: ['name', 'certificate_state', 'category', 'level'],
  channels: ['api', 'spreadsheet'],
  validFrom: h.clock.today(),
  validUntil: addDays(h.clock.today(), 365),
  ...over,
});

test('SEC-5 an agreement is drafted, approved by another supervisor (never its author), and every transition is versioned, historied and audited', async () => {
  const h = await harness();
  const { drafter, approver } = await supervisors(h);
  const a = await ok(drafter.post('/api/agreements', agreementBody(h)), 201);
  assert.equal(a.state.code, 'draft');
  assert.match(a.agreementNo, /^SA-3301-\d{4}-[0-9A-F]{6}$/);
  const self = await drafter.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 1, reason: '同意' });
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'agreement.four_eyes');
  const stale = await approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 7, reason: '同意' });
  assert.equal(stale.status, 409);
  const approved = await ok(approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 1, reason: '经局务会审议同意' }, { 'idempotency-key': `agr-${a.id}` }));
  assert.equal(approved.agreement.state.code, 'approved');
  const replay = await approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 1, reason: '经局务会审议同意' }, { 'idempotency-key': `agr-${a.id}` });
  assert.equal(replay.status, 200);
  assert.equal(replay.headers['idempotent-replay'], 'true');
  const again = await approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 2, reason: '再次' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'agreement.illegal_action');
  const detail = await ok(approver.get(`/api/agreements/${a.id}`));
  assert.deepEqual(detail.history.map((e: any) => [e.action, e.from, e.to]), [['draft', null, 'draft'], ['approve', 'draft', 'approved']]);
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE object_id = $1 AND action LIKE 'agreement.%'`, [a.id]))[0].n, 2);
  // outside the jurisdiction an agreement does not exist; the database keeps four eyes too
  assert.equal((await (await login(h, 'zhengzhou.supervisor')).get(`/api/agreements/${a.id}`)).status, 404);
  await assert.rejects(h.db.query(`UPDATE sharing_agreement SET approved_by = created_by WHERE id = $1`, [a.id]), /check/i);
});

test('SEC-5 a partner agency with its own credentials sees only the agreed fields of holders in the federation, only while the agreement is in force, and each lookup is logged', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  const { drafter, approver } = await supervisors(h);
  const who = await holder(h, 'xihu');
  const a = await ok(drafter.post('/api/agreements', agreementBody(h, { validUntil: addDays(h.clock.today(), 30) })), 201);
  const partner = (path: string, init: { method?: string; payload?: unknown; token?: string } = {}) =>
    h.app.inject({ method: (init.method ?? 'GET') as any, url: path, payload: init.payload as any, headers: init.token ? { authorization: `Bearer ${init.token}` } : {} });
  // no credentials before approval
  assert.equal((await drafter.post(`/api/agreements/${a.id}/clients`, { name: '民政补贴系统' })).status, 409);
  await ok(approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 1, reason: '同意' }));
  const creds = await ok(drafter.post(`/api/agreements/${a.id}/clients`, { name: '民政补贴系统' }), 201);
  const stored = await h.db.query('SELECT secret_hash FROM partner_client WHERE client_id = $1', [creds.clientId]);
  assert.notEqual(stored[0].secret_hash, creds.clientSecret, 'the secret is kept hashed');

  assert.equal((await partner('/api/partner/token', { method: 'POST', payload: { clientId: creds.clientId, clientSecret: 'x'.repeat(43) } })).statusCode, 401);
  const token = JSON.parse((await partner('/api/partner/token', { method: 'POST', payload: { clientId: creds.clientId, clientSecret: creds.clientSecret } })).body);
  assert.equal(token.tokenType, 'Bearer');
  assert.equal((await partner(`/api/partner/certificates?idNumber=${who.idNumber}`)).statusCode, 401, 'no token, no data');
  const found = JSON.parse((await partner(`/api/partner/certificates?idNumber=${who.idNumber}`, { token: token.accessToken })).body);
  assert.deepEqual(found.items, [{ name: '测试申请人', certificate_state: 'active', category: 4, level: 2 }], 'the agreed fields and nothing else: no ID number, phone or address');
  const elsewhere = await holder(h, 'jinshui');
  assert.deepEqual(JSON.parse((await partner(`/api/partner/certificates?idNumber=${elsewhere.idNumber}`, { token: token.accessToken })).body).items, [], 'a holder of another province is not under this agreement');
  const [logged] = await h.db.query(`SELECT viewer_kind, what, agreement_id, purpose FROM personal_data_view WHERE person_id = $1 AND what = 'partner_disclosure'`, [who.personId]);
  assert.deepEqual({ ...logged }, { viewer_kind: 'partner', what: 'partner_disclosure', agreement_id: a.id, purpose: '杭州市民政局：核对两项补贴发放对象的持证情况' });
  // a session cookie is no key to the partner API, and a partner token no key to the staff API
  assert.equal((await partner('/api/worklist', { token: token.accessToken })).statusCode, 401);

  // after its last day the agreement is expired: no new token, and the old one has long lapsed
  h.clock.setToday(addDays(h.clock.today(), 31));
  const expired = await partner('/api/partner/token', { method: 'POST', payload: { clientId: creds.clientId, clientSecret: creds.clientSecret } });
  assert.equal(expired.statusCode, 409);
  assert.equal(JSON.parse(expired.body).error.code, 'sharing.not_in_force');
  assert.equal((await partner(`/api/partner/certificates?idNumber=${who.idNumber}`, { token: token.accessToken })).statusCode, 401);
});

test('SEC-5 spreadsheets with names and archive ZIPs leave the federation only under an agreement that provides for them; revoked means refused', async () => {
  const h = await harness();
  const { drafter, approver } = await supervisors(h);
  const who = await holder(h, 'xihu');
  const clerk = await login(h, 'xihu.clerk');
  // an archive ZIP for another authority without an agreement: refused, nothing logged as sent
  const bare = await clerk.get(`/api/persons/${who.personId}/archive.zip?recipient=external`);
  assert.equal(bare.status, 403);
  assert.equal(bare.body.error.code, 'sharing.agreement_required');
  assert.ok(bare.body.error.zh && bare.body.error.en);
  const a = await ok(drafter.post('/api/agreements', agreementBody(h, { party: '杭州市公安局西湖分局', partyKind: 'public_security', fields: ['name', 'id_number', 'archive_documents'], channels: ['archive', 'spreadsheet'] })), 201);
  const draft = await clerk.get(`/api/persons/${who.personId}/archive.zip?recipient=external&agreementId=${a.id}`);
  assert.equal(draft.status, 409, 'a draft is not in force');
  await ok(approver.post(`/api/agreements/${a.id}/approve`, { expectedVersion: 1, reason: '同意' }));
  const zip = await h.app.inject({ method: 'GET', url: `/api/persons/${who.personId}/archive.zip?recipient=external&agreementId=${a.id}`, headers: { cookie: clerk.cookie!, ...CLIENT_HEADER } });
  assert.equal(zip.statusCode, 200);
  assert.ok(Object.keys(unzipSync(new Uint8Array(zip.rawPayload))).includes('index.html'));
  const [sent] = await h.db.query(`SELECT agreement_id, purpose FROM personal_data_view WHERE person_id = $1 AND what = 'archive_export' AND agreement_id IS NOT NULL`, [who.personId]);
  assert.equal(sent.agreement_id, a.id);

  // the spreadsheet carries the agreed fields, named in both languages
  const xlsx = await h.app.inject({ method: 'GET', url: `/api/agreements/${a.id}/export.xlsx`, headers: { cookie: approver.cookie! } });
  assert.equal(xlsx.statusCode, 200);
  const sheet = new TextDecoder().decode(unzipSync(new Uint8Array(xlsx.rawPayload))['xl/worksheets/sheet1.xml']);
  assert.match(sheet, /姓名 Name/);
  assert.match(sheet, /身份证号 ID number/);
  assert.ok(sheet.includes(who.idNumber), 'the holder is in it, in full: that is what the agreement provides for');
  assert.doesNotMatch(sheet, /联系电话|住址/, 'fields the agreement does not name are not');
  const exported = (await h.db.query(`SELECT count(*)::int AS n FROM personal_data_view WHERE agreement_id = $1 AND what = 'agreement_export'`, [a.id]))[0].n;
  assert.ok(exported >= 1, 'each person in the spreadsheet is logged against the agreement');

  // an agreement without the spreadsheet channel does not give one; a revoked one gives nothing
  const apiOnly = await ok(drafter.post('/api/agreements', agreementBody(h, { channels: ['api'] })), 201);
  await ok(approver.post(`/api/agreements/${apiOnly.id}/approve`, { expectedVersion: 1, reason: '同意' }));
  const noSheet = await approver.get(`/api/agreements/${apiOnly.id}/export.xlsx`);
  assert.equal(noSheet.status, 403);
  assert.equal(noSheet.body.error.code, 'sharing.outside_agreement');
  await ok(approver.post(`/api/agreements/${a.id}/revoke`, { expectedVersion: 2, reason: '协议终止' }));
  assert.equal((await approver.get(`/api/agreements/${a.id}/export.xlsx`)).status, 409);
  assert.equal((await clerk.get(`/api/persons/${who.personId}/archive.zip?recipient=external&agreementId=${a.id}`)).status, 409);
});
