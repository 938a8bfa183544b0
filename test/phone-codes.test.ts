/**
 * SEC-3 (issue 10 item 10, issue 15 item 4): applicant registration and password reset confirmed by
 * a code texted to the phone, answering alike whether or not the number has an account.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { passwordHashes } from '../src/modules/auth/passwords.js';
import { HttpSmsSender, LogSmsSender, SmsGatewayError, smsSenderFor, type SmsSender } from '../src/modules/notifications/sms.js';
import { freshPhone, registerApplicant, smsCode } from './applicants.js';
import { CLIENT_HEADER, Client, harness, sessionCookie, type Harness } from './harness.js';

const REGISTERED_NOTE = '【通办】本手机号已注册残疾人证网上办理账号，请直接登录；如忘记密码，请在登录页点“忘记密码”重设。如非本人操作，请忽略本短信。';
const UNREGISTERED_NOTE = '【通办】本手机号尚未注册残疾人证网上办理账号，无法重设密码；如需网上办理，请在登录页注册。如非本人操作，请忽略本短信。';
const REGISTER_CODE = /^【通办】您正在注册残疾人证网上办理账号，验证码 \d{6}，10分钟内有效。如非本人操作，请忽略本短信。$/;
const RESET_CODE = /^【通办】您正在重设残疾人证网上办理账号的密码，验证码 \d{6}，10分钟内有效。如非本人操作，请忽略本短信，您的密码不会改变。$/;
const SENT_BODY = {
  sent: true,
  expiresInMinutes: 10,
  message: { zh: '短信已发送到该手机号，请按短信提示操作（验证码10分钟内有效）。', en: 'A text message has been sent to this number; follow what it says (a code is valid for 10 minutes).' },
};

let seq = 0;
/** A client address of its own per test, so the per-address send limit of one test never touches another. */
const address = () => `198.18.${process.pid % 250}.${++seq}`;

const post = (h: Harness, url: string, payload: object, remoteAddress: string, cookie?: string) =>
  h.app.inject({ method: 'POST', url, payload, remoteAddress, headers: { ...CLIENT_HEADER, ...(cookie ? { cookie } : {}) } });

const sms = (h: Harness) => h.ctx.sms as LogSmsSender;
/** A code that is certainly not the one sent: the sent one shifted by `by` (1…999999). */
const wrong = (code: string, by = 1) => String((Number(code) + by) % 1e6).padStart(6, '0');

test('SEC-3 registration answers the same for a registered and a new phone number; only the SMS differs', async () => {
  const h = await harness();
  const from = address();
  const taken = await registerApplicant(h);
  const fresh = freshPhone();

  const askTaken = await post(h, '/api/applicant/register/code', { phone: taken.phone }, from);
  const askFresh = await post(h, '/api/applicant/register/code', { phone: fresh }, from);
  assert.deepEqual([askTaken.statusCode, askFresh.statusCode], [202, 202]);
  assert.equal(askTaken.body, askFresh.body, 'byte-identical answers');
  assert.deepEqual(JSON.parse(askFresh.body), SENT_BODY);
  // only the phone's holder learns the difference
  assert.equal(sms(h).last(taken.phone)!.text, REGISTERED_NOTE);
  assert.match(sms(h).last(fresh)!.text, REGISTER_CODE);

  // any code for the registered number gets the wrong-code answer, with the same argon2 work as a new number's wrong code
  const n0 = passwordHashes();
  const tryTaken = await post(h, '/api/applicant/register', { phone: taken.phone, code: '123456', name: '冒名者', password: 'Other2026' }, from);
  const n1 = passwordHashes();
  const tryFresh = await post(h, '/api/applicant/register', { phone: fresh, code: wrong(smsCode(h.ctx, fresh)!), name: '新用户', password: 'Other2026' }, from);
  const n2 = passwordHashes();
  assert.deepEqual([tryTaken.statusCode, tryFresh.statusCode], [422, 422]);
  assert.equal(tryTaken.body, tryFresh.body, 'byte-identical answers');
  assert.deepEqual([n1 - n0, n2 - n1], [1, 1], 'one password hash each');
  assert.deepEqual(JSON.parse(tryFresh.body).error, {
    code: 'applicant.bad_code',
    field: 'code',
    zh: '验证码不正确或已失效。请核对短信中的6位验证码；验证码10分钟内有效，输错5次后失效，失效后请重新获取。',
    en: 'The code is wrong or no longer valid. Check the 6 digits in the text message; a code is valid for 10 minutes and is void after 5 wrong tries — then ask for a new one.',
  });

  // the right code registers and logs in; the code is used up
  const code = smsCode(h.ctx, fresh)!;
  const reg = await post(h, '/api/applicant/register', { phone: fresh, code, name: '新用户', password: 'Fresh2026' }, from);
  assert.equal(reg.statusCode, 201, reg.body);
  const me = await new Client(h.app, sessionCookie(reg.headers['set-cookie'])).get('/api/auth/me');
  assert.deepEqual(me.body, { kind: 'applicant', id: JSON.parse(reg.body).applicant.id });
  const again = await post(h, '/api/applicant/register', { phone: fresh, code, name: '新用户', password: 'Fresh2026' }, from);
  assert.equal(again.body, tryFresh.body, 'a used code gets the same wrong-code answer');
});

test('SEC-3 password reset: the same answer for any number; the right code sets the password and ends the account’s other sessions', async () => {
  const h = await harness();
  const from = address();
  const acct = await registerApplicant(h, { password: 'Before2026' });
  const elsewhere = await post(h, '/api/applicant/login', { phone: acct.phone, password: 'Before2026' }, address());
  assert.equal(elsewhere.statusCode, 200);
  const otherSession = sessionCookie(elsewhere.headers['set-cookie'])!;
  const stranger = freshPhone();

  const askAcct = await post(h, '/api/applicant/password-reset/code', { phone: acct.phone }, from);
  const askStranger = await post(h, '/api/applicant/password-reset/code', { phone: stranger }, from);
  assert.deepEqual([askAcct.statusCode, askStranger.statusCode], [202, 202]);
  assert.equal(askAcct.body, askStranger.body, 'byte-identical answers');
  assert.match(sms(h).last(acct.phone)!.text, RESET_CODE);
  assert.equal(sms(h).last(stranger)!.text, UNREGISTERED_NOTE);

  const n0 = passwordHashes();
  const tryStranger = await post(h, '/api/applicant/password-reset', { phone: stranger, code: '123456', password: 'After2026' }, from);
  const tryAcct = await post(h, '/api/applicant/password-reset', { phone: acct.phone, code: wrong(smsCode(h.ctx, acct.phone)!), password: 'After2026' }, from);
  assert.deepEqual([tryStranger.statusCode, tryAcct.statusCode], [422, 422]);
  assert.equal(tryStranger.body, tryAcct.body, 'byte-identical answers');
  assert.equal(passwordHashes() - n0, 2, 'one password hash each');

  const reset = await post(h, '/api/applicant/password-reset', { phone: acct.phone, code: smsCode(h.ctx, acct.phone)!, password: 'After2026' }, from, acct.cookie);
  assert.equal(reset.statusCode, 200, reset.body);
  assert.deepEqual(JSON.parse(reset.body), { applicant: { id: acct.id } });
  const fresh = sessionCookie(reset.headers['set-cookie'])!;
  assert.equal((await new Client(h.app, fresh).get('/api/auth/me')).status, 200, 'the browser that reset is logged in');
  assert.equal((await new Client(h.app, otherSession).get('/api/auth/me')).status, 401, 'the session elsewhere ended');
  assert.equal((await new Client(h.app, acct.cookie).get('/api/auth/me')).status, 401, 'the session the reset came with ended too (a new id)');
  assert.equal((await post(h, '/api/applicant/login', { phone: acct.phone, password: 'Before2026' }, address())).statusCode, 401, 'the old password no longer works');
  assert.equal((await post(h, '/api/applicant/login', { phone: acct.phone, password: 'After2026' }, address())).statusCode, 200);
});

test('SEC-3 five wrong codes burn the code: the right one is refused after them, and a new code works', async () => {
  const h = await harness();
  const from = address();
  const phone = freshPhone();
  assert.equal((await post(h, '/api/applicant/register/code', { phone }, from)).statusCode, 202);
  const code = smsCode(h.ctx, phone)!;
  const answers = [];
  for (let i = 1; i <= 5; i++) answers.push((await post(h, '/api/applicant/register', { phone, code: wrong(code, i), name: '申请人', password: 'Secret123' }, from)).statusCode);
  assert.deepEqual(answers, [422, 422, 422, 422, 422]);
  const late = await post(h, '/api/applicant/register', { phone, code, name: '申请人', password: 'Secret123' }, from);
  assert.equal(late.statusCode, 422, 'the sixth try, right or not, is refused');
  assert.equal(JSON.parse(late.body).error.code, 'applicant.bad_code');
  assert.equal((await post(h, '/api/applicant/register/code', { phone }, from)).statusCode, 202);
  const reg = await post(h, '/api/applicant/register', { phone, code: smsCode(h.ctx, phone)!, name: '申请人', password: 'Secret123' }, from);
  assert.equal(reg.statusCode, 201, reg.body);
});

test('SEC-3 a code is valid for 10 minutes', async (t) => {
  const h = await harness();
  const from = address();
  const [early, late] = [freshPhone(), freshPhone()];
  for (const phone of [early, late]) assert.equal((await post(h, '/api/applicant/register/code', { phone }, from)).statusCode, 202);
  t.after(() => h.clock.reset());
  h.clock.advance(9 * 60_000 + 50_000);
  const inTime = await post(h, '/api/applicant/register', { phone: early, code: smsCode(h.ctx, early)!, name: '申请人', password: 'Secret123' }, from);
  assert.equal(inTime.statusCode, 201, inTime.body);
  h.clock.advance(20_000);
  const tooLate = await post(h, '/api/applicant/register', { phone: late, code: smsCode(h.ctx, late)!, name: '申请人', password: 'Secret123' }, from);
  assert.equal(tooLate.statusCode, 422);
  assert.equal(JSON.parse(tooLate.body).error.code, 'applicant.bad_code');
});

test('SEC-3 codes are rate-limited per phone number (3, then waits) and per client address (20, then waits), in the bilingual shape', async () => {
  const h = await harness();
  const phone = freshPhone();
  const perPhone = [];
  // from four addresses: the number's own limit holds wherever the requests come from
  for (let i = 0; i < 4; i++) perPhone.push(await post(h, i % 2 ? '/api/applicant/password-reset/code' : '/api/applicant/register/code', { phone }, address()));
  assert.deepEqual(perPhone.map((r) => r.statusCode), [202, 202, 202, 429]);
  const refused = JSON.parse(perPhone[3].body).error;
  assert.equal(refused.code, 'auth.throttled');
  assert.match(refused.zh, /^获取验证码过于频繁，请于北京时间 \d\d:\d\d 之后再试。$/);
  assert.match(refused.en, /^Too many codes asked for; try again after \d\d:\d\d China time\.$/);
  assert.equal(perPhone[3].headers['retry-after'], '60');

  const from = address();
  const perAddress = [];
  for (let i = 0; i < 21; i++) perAddress.push((await post(h, '/api/applicant/register/code', { phone: freshPhone() }, from)).statusCode);
  assert.deepEqual(perAddress, [...Array(20).fill(202), 429]);
});

test('SEC-3 a failing SMS gateway answers 503 in the bilingual shape', async (t) => {
  const h = await harness();
  const original = h.ctx.sms;
  t.after(() => { h.ctx.sms = original; });
  h.ctx.sms = { send: async () => { throw new SmsGatewayError('down'); } } satisfies SmsSender;
  const res = await post(h, '/api/applicant/register/code', { phone: freshPhone() }, address());
  assert.equal(res.statusCode, 503);
  assert.deepEqual(JSON.parse(res.body), { error: { code: 'sms.unavailable', zh: '短信暂时发送失败，请稍后重试。', en: 'The text message could not be sent just now; try again later.' } });
});

test('SEC-1 the log SMS adapter never writes the whole phone number', async () => {
  const logged: object[] = [];
  const sender = new LogSmsSender({ info: (obj) => logged.push(obj) }, 2);
  await sender.send('13812345678', '验证码 123456');
  await sender.send('13812345678', 'second');
  await sender.send('13900001111', 'third');
  assert.deepEqual(logged[0], { sms: { to: '138****5678', text: '验证码 123456' } });
  assert.ok(!JSON.stringify(logged).includes('13812345678'));
  assert.deepEqual(sender.sent.map((m) => m.text), ['second', 'third'], 'keeps the last messages only');
  assert.equal(sender.last('13812345678')!.text, 'second');
});

test('SEC-3 the HTTP SMS adapter POSTs {phone, text} with the bearer token to SMS_GATEWAY_URL; a refusal is an error naming the masked number', async (t) => {
  const received: { method?: string; url?: string; auth?: string; type?: string; body: unknown }[] = [];
  let status = 200;
  const stub = createServer(async (req: IncomingMessage, res) => {
    let data = '';
    for await (const chunk of req) data += chunk;
    received.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(data) });
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  stub.listen(0, '127.0.0.1');
  await once(stub, 'listening');
  t.after(() => stub.close());
  const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1/sms`;

  const sender = smsSenderFor({ smsGatewayUrl: url, smsGatewayToken: 'gw-secret', logLevel: 'silent' });
  assert.ok(sender instanceof HttpSmsSender, 'SMS_GATEWAY_URL selects the HTTP adapter');
  await sender.send('13812345678', '【通办】验证码 123456');
  assert.deepEqual(received, [{ method: 'POST', url: '/v1/sms', auth: 'Bearer gw-secret', type: 'application/json', body: { phone: '13812345678', text: '【通办】验证码 123456' } }]);

  status = 500;
  await assert.rejects(sender.send('13812345678', 'x'), (e: Error) => e instanceof SmsGatewayError && e.message === 'SMS gateway answered 500 for 138****5678');
  assert.ok(smsSenderFor({ logLevel: 'silent' }) instanceof LogSmsSender, 'no gateway configured: the log adapter');
});

test('SEC-3 an applicant held back at login is pointed to 忘记密码, not to an administrator', async () => {
  const h = await harness();
  const acct = await registerApplicant(h);
  const from = address();
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await post(h, '/api/applicant/login', { phone: acct.phone, password: 'Wrong12345' }, from));
  assert.deepEqual(answers.map((r) => r.statusCode), [401, 401, 401, 401, 401, 429]);
  const { error } = JSON.parse(answers[5].body);
  assert.match(error.zh, /^登录尝试过于频繁，请于北京时间 \d\d:\d\d 之后再试。在您常用的电脑或手机上登录不受此限制；如忘记密码，请点“忘记密码？”用短信验证码重设。$/);
  assert.match(error.en, /if you forgot the password, use “Forgot the password\?” to reset it with a texted code\.$/);
});

test('SEC-3 20 parallel wrong tries at one code count five and burn it; the right code sent twice at once registers one account', async () => {
  const h = await harness();
  const from = address();
  const [burnt, raced] = [freshPhone(), freshPhone()];
  for (const phone of [burnt, raced]) assert.equal((await post(h, '/api/applicant/register/code', { phone }, from)).statusCode, 202);

  const code = smsCode(h.ctx, burnt)!;
  const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => post(h, '/api/applicant/register', { phone: burnt, code: wrong(code, i + 1), name: '申请人', password: 'Secret123' }, from)));
  assert.deepEqual(new Set(tries.map((r) => r.statusCode)), new Set([422]));
  const [row] = await h.db.query(`SELECT attempts FROM phone_code WHERE purpose = 'register' AND phone_bidx = $1`, [h.ctx.crypto.blindIndex('phone', burnt)]);
  assert.equal(row.attempts, 5, 'tries beyond the fifth are not even counted');
  assert.equal((await post(h, '/api/applicant/register', { phone: burnt, code, name: '申请人', password: 'Secret123' }, from)).statusCode, 422);

  const right = smsCode(h.ctx, raced)!;
  const both = await Promise.all([0, 1].map(() => post(h, '/api/applicant/register', { phone: raced, code: right, name: '申请人', password: 'Secret123' }, from)));
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 422]);
  const [accounts] = await h.db.query('SELECT count(*)::int AS n FROM applicant_account WHERE phone_bidx = $1', [h.ctx.crypto.blindIndex('phone', raced)]);
  assert.equal(accounts.n, 1);
});
