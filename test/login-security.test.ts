/** SEC-3 login security: backoff that holds under parallel guesses, equal work for unknown users, sessions, TOTP. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate } from 'otplib';
import { buildApp } from '../src/app.js';
import { passwordVerifications } from '../src/modules/auth/passwords.js';
import { CLIENT_HEADER, Client, harness, login, sessionCookie, type Harness } from './harness.js';
import { ok } from './fixtures.js';

const PG_ONLY = process.env.DATABASE_URL ? undefined : 'PostgreSQL only: PGlite runs one statement at a time, so a race there proves nothing';

let seq = 0;
/** A fresh reviewer account in 金水区 and a random client address, so no other test's counters touch it. */
async function account(h: Harness, role = 'reviewer', county = '410105') {
  const admin = await login(h, 'admin');
  const [org] = await ok(admin.get(`/api/org-units?kind=federation&under=${county}`));
  const username = `sec3.${process.pid}.${Date.now() % 1e7}.${++seq}`;
  const created = await ok(admin.post('/api/admin/users', { username, displayName: '登录测试', password: 'Right12345', grants: [{ role, orgUnitId: org.id }] }), 201);
  return { username, id: created.id as string, orgUnitId: org.id as string, address: `198.51.${seq % 250}.${Math.floor(Math.random() * 250) + 1}` };
}

const attempt = (h: Harness, username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { ...CLIENT_HEADER, ...headers }, remoteAddress });

test('SEC-3 200 parallel wrong guesses check at most the allowed number of passwords', { skip: PG_ONLY }, async () => {
  const h = await harness();
  const a = await account(h);
  const before = passwordVerifications();
  const answers = await Promise.all(Array.from({ length: 200 }, () => attempt(h, a.username, 'Wrong12345', a.address)));
  const checked = passwordVerifications() - before;
  assert.equal(checked, 5, 'five free failures per account and address, then a wait');
  const count = (status: number) => answers.filter((r) => r.statusCode === status).length;
  assert.deepEqual([count(401), count(429)], [5, 195]);
});

test('SEC-3 59 wrong guesses and the right one in parallel cannot beat the limit', { skip: PG_ONLY }, async () => {
  const h = await harness();
  const a = await account(h);
  const before = passwordVerifications();
  const guesses = Array.from({ length: 60 }, (_, i) => (i === 30 ? 'Right12345' : 'Wrong12345'));
  const answers = await Promise.all(guesses.map((p) => attempt(h, a.username, p, a.address)));
  const checked = passwordVerifications() - before;
  assert.ok(checked <= 5, `at most 5 passwords checked, not ${checked}`);
  const wins = answers.filter((r) => r.statusCode === 200).length;
  const refused = answers.filter((r) => r.statusCode === 429).length;
  assert.equal(refused, 60 - checked, 'every attempt beyond the free ones is refused unchecked');
  assert.ok(wins <= 1 && wins + answers.filter((r) => r.statusCode === 401).length === checked);
});

test('SEC-3 an unknown user costs one argon2 verification and gets the same answer as a wrong password', async () => {
  const h = await harness();
  const a = await account(h);
  const n0 = passwordVerifications();
  const unknown = await attempt(h, `nobody.${Date.now()}`, 'Wrong12345', a.address);
  const n1 = passwordVerifications();
  const known = await attempt(h, a.username, 'Wrong12345', a.address);
  const n2 = passwordVerifications();
  assert.equal(n1 - n0, 1, 'the unknown name is checked against a dummy hash');
  assert.equal(n2 - n1, 1);
  assert.equal(unknown.statusCode, 401);
  assert.equal(unknown.body, known.body, 'byte-identical answers');
  // and an unknown name is held back exactly like a known one
  for (let i = 0; i < 5; i++) await attempt(h, `nobody.${a.username}`, 'Wrong12345', a.address);
  const n3 = passwordVerifications();
  const held = await attempt(h, `nobody.${a.username}`, 'Wrong12345', a.address);
  assert.equal(held.statusCode, 429);
  assert.equal(passwordVerifications(), n3, 'a held-back attempt checks no password');
});

test('SEC-3 a guesser from many addresses cannot keep the real user out: their known browser still logs in', async () => {
  const h = await harness();
  const a = await account(h);
  // the real user logged in once from their desk: the browser is known from now on
  const first = await attempt(h, a.username, 'Right12345', '203.0.113.10');
  assert.equal(first.statusCode, 200);
  const device = [first.headers['set-cookie']].flat().find((c) => String(c).startsWith('tb_device_'))!.split(';')[0];
  // 20 wrong guesses from 20 addresses: each pair is within its free failures, the account's are spent
  for (let i = 0; i < 20; i++) assert.equal((await attempt(h, a.username, 'Wrong12345', `192.0.2.${i + 1}`)).statusCode, 401);
  const stranger = await attempt(h, a.username, 'Right12345', '192.0.2.200');
  assert.equal(stranger.statusCode, 429, 'a new address waits while the account is under attack');
  const desk = await attempt(h, a.username, 'Right12345', '203.0.113.99', { cookie: device });
  assert.equal(desk.statusCode, 200, 'the known browser passes, from any address');
});

test('SEC-3 a login starts a new session id; the one the browser came with ends', async () => {
  const h = await harness();
  const a = await account(h);
  const one = sessionCookie((await attempt(h, a.username, 'Right12345', a.address)).headers['set-cookie'])!;
  const two = sessionCookie((await attempt(h, a.username, 'Right12345', a.address, { cookie: one })).headers['set-cookie'])!;
  assert.notEqual(one, two);
  assert.equal((await new Client(h.app, one).get('/api/auth/me')).status, 401, 'a fixed session id dies at login');
  assert.equal((await new Client(h.app, two).get('/api/auth/me')).status, 200);
});

test('SEC-3 a session ends after 30 idle minutes beside its 12-hour limit; activity keeps it alive', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  const a = await account(h);
  const me = new Client(h.app, sessionCookie((await attempt(h, a.username, 'Right12345', a.address)).headers['set-cookie']));
  const start = h.clock.now().getTime();
  const at = (minutes: number) => h.clock.setToday(h.clock.today()) ?? shift(h, start + minutes * 60_000);
  at(25);
  assert.equal((await me.get('/api/auth/me')).status, 200, '25 minutes idle: still there');
  at(50);
  assert.equal((await me.get('/api/auth/me')).status, 200, 'the request at 25 minutes reset the idle clock');
  at(81);
  assert.equal((await me.get('/api/auth/me')).status, 401, '31 minutes without a request: ended');
});

/** Moves the settable clock to an exact instant. */
function shift(h: Harness, epochMs: number) {
  (h.clock as any).offsetMs = epochMs - Date.now();
}

test('SEC-3 a change of grants ends the user’s open sessions (new rights need a new login)', async () => {
  const h = await harness();
  const a = await account(h);
  const me = new Client(h.app, sessionCookie((await attempt(h, a.username, 'Right12345', a.address)).headers['set-cookie']));
  assert.equal((await me.get('/api/auth/me')).status, 200);
  const admin = await login(h, 'admin');
  await ok(admin.call('PUT', `/api/admin/users/${a.id}/grants`, { grants: [{ role: 'clerk', orgUnitId: a.orgUnitId }], reason: '岗位调整' }));
  assert.equal((await me.get('/api/auth/me')).status, 401);
  const again = await login(h, a.username, 'Right12345');
  assert.deepEqual((await ok(again.get('/api/auth/me'))).grants.map((g: any) => g.role), ['clerk']);
  // the database does it, whatever code changes the grants
  await h.db.query('DELETE FROM role_grant WHERE user_id = $1', [a.id]);
  assert.equal((await again.get('/api/auth/me')).status, 401);
});

test('SEC-3 cookies are Secure when the request came over HTTPS through the trusted proxy, and only then', async (t) => {
  const h = await harness();
  const a = await account(h);
  const proxied = await buildApp({ ...h.ctx, config: { ...h.ctx.config, trustProxy: '10.0.0.1' } });
  t.after(() => proxied.close());
  const via = (remoteAddress: string, app = proxied) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: a.username, password: 'Right12345' }, headers: { ...CLIENT_HEADER, 'x-forwarded-proto': 'https', 'x-forwarded-for': a.address }, remoteAddress });
  const trusted = await via('10.0.0.1');
  assert.match(String([trusted.headers['set-cookie']].flat()[0]), /; Secure$/);
  assert.match(String(trusted.headers['strict-transport-security']), /max-age=31536000/);
  const spoofed = await via('10.0.0.2');
  assert.doesNotMatch(String([spoofed.headers['set-cookie']].flat()[0]), /Secure/, 'anyone else’s X-Forwarded-Proto is ignored');
  assert.equal(spoofed.headers['strict-transport-security'], undefined);
  const direct = await via('10.0.0.9', h.app);
  assert.doesNotMatch(String([direct.headers['set-cookie']].flat()[0]), /Secure/, 'the default trusts no proxy');
});

test('SEC-3 TOTP: enrol by QR code, log in with a code (each code once), recovery codes work once, turn off with password and code', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  const a = await account(h, 'approver');
  const me = new Client(h.app, sessionCookie((await attempt(h, a.username, 'Right12345', a.address)).headers['set-cookie']));
  const enrol = await ok(me.post('/api/auth/totp/enrol'));
  assert.match(enrol.uri, /^otpauth:\/\/totp\/.*secret=/);
  assert.match(enrol.qrSvgDataUrl, /^data:image\/svg\+xml;base64,/);
  assert.match(Buffer.from(enrol.qrSvgDataUrl.split(',')[1], 'base64').toString(), /<svg/);
  const codeAt = (ms: number) => generate({ secret: enrol.secret, epoch: Math.floor(ms / 1000) });
  const wrong = await me.post('/api/auth/totp/confirm', { code: '000000' === (await codeAt(h.clock.now().getTime())) ? '111111' : '000000' });
  assert.equal(wrong.status, 422);
  const confirmed = await me.post('/api/auth/totp/confirm', { code: await codeAt(h.clock.now().getTime()) });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.recoveryCodes.length, 10);
  assert.equal((await me.get('/api/auth/me')).status, 401, 'enabling TOTP re-issues the session: the old id ends');
  const stored = (await h.db.query('SELECT totp_secret_enc FROM staff_user WHERE id = $1', [a.id]))[0].totp_secret_enc;
  assert.ok(!stored.includes(enrol.secret), 'the secret is encrypted at rest');

  // login: the password alone gives a challenge, not a session
  shift(h, h.clock.now().getTime() + 60_000);
  const step1 = await attempt(h, a.username, 'Right12345', a.address);
  assert.equal(step1.statusCode, 200);
  assert.equal(sessionCookie(step1.headers['set-cookie']), undefined);
  const { challenge } = JSON.parse(step1.body);
  const code = await codeAt(h.clock.now().getTime());
  const step2 = await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code }, headers: CLIENT_HEADER });
  assert.equal(step2.statusCode, 200, step2.body);
  const session = new Client(h.app, sessionCookie(step2.headers['set-cookie']));
  assert.equal((await ok(session.get('/api/auth/me'))).totp.enabled, true);
  // the same code again is refused (replay), a recovery code works once
  const again = JSON.parse((await attempt(h, a.username, 'Right12345', a.address)).body).challenge;
  const replay = await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: again, code }, headers: CLIENT_HEADER });
  assert.equal(replay.statusCode, 401);
  assert.equal(JSON.parse(replay.body).error.code, 'auth.bad_code');
  const recovery = confirmed.body.recoveryCodes[3];
  assert.equal((await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: again, code: recovery }, headers: CLIENT_HEADER })).statusCode, 200);
  const third = JSON.parse((await attempt(h, a.username, 'Right12345', a.address)).body).challenge;
  assert.equal((await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: third, code: recovery }, headers: CLIENT_HEADER })).statusCode, 401, 'a recovery code is one-time');
  // five wrong codes void the challenge
  for (let i = 0; i < 5; i++) await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: third, code: '12345' + i }, headers: CLIENT_HEADER });
  const voided = await h.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: third, code: await codeAt(h.clock.now().getTime() + 30_000) }, headers: CLIENT_HEADER });
  assert.equal(JSON.parse(voided.body).error.code, 'auth.challenge_expired');

  // turning it off needs the password and a code
  shift(h, h.clock.now().getTime() + 120_000);
  const off = await session.post('/api/auth/totp/disable', { password: 'Right12345', code: await codeAt(h.clock.now().getTime()) });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.equal((await attempt(h, a.username, 'Right12345', a.address)).statusCode, 200);
});

test('SEC-3 where the policy profile requires TOTP for approvers, an approver without it may only enrol', async (t) => {
  const h = await harness();
  const a = await account(h, 'approver');
  await h.db.query(`UPDATE policy_profile SET settings = jsonb_set(settings, '{totpRequiredRoles}', '["approver"]') WHERE code = 'national'`);
  t.after(() => h.db.query(`UPDATE policy_profile SET settings = settings - 'totpRequiredRoles' WHERE code = 'national'`));
  const first = await attempt(h, a.username, 'Right12345', a.address);
  assert.equal(JSON.parse(first.body).enrolmentRequired, true);
  const me = new Client(h.app, sessionCookie(first.headers['set-cookie']));
  const blocked = await me.get('/api/worklist');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.error.code, 'auth.totp_enrolment_required');
  assert.ok(blocked.body.error.zh && blocked.body.error.en);
  assert.equal((await ok(me.get('/api/auth/me'))).totp.required, true);
  const enrol = await ok(me.post('/api/auth/totp/enrol'));
  const confirmed = await me.post('/api/auth/totp/confirm', { code: await generate({ secret: enrol.secret, epoch: Math.floor(h.clock.now().getTime() / 1000) }) });
  assert.equal(confirmed.status, 200);
  const full = new Client(h.app, sessionCookie(confirmed.headers['set-cookie']));
  assert.equal((await full.get('/api/worklist')).status, 200, 'once enrolled, the re-issued session may work');
  const disable = await full.post('/api/auth/totp/disable', { password: 'Right12345', code: '123456' });
  assert.equal(disable.status, 403, 'the policy does not let it be turned off');
});

test('SEC-3 a user name holding a lone surrogate is counted and refused like any other (401, then 429), never a 500', async () => {
  const h = await harness();
  const address = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  // a browser sends U+FFFD for it; a hand-made request can send the bare surrogate
  const name = `nobody.${Date.now()}.\ud800x`;
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await attempt(h, name, 'Wrong12345', address)).statusCode);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
});
