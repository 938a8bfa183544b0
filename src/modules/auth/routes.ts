/**
 * Login, logout and "who am I" for staff (ORG-2/4, SEC-3) and for applicants applying online.
 * SEC-3: an attempt is counted before its password is checked (throttle.ts), unknown accounts cost
 * the same argon2 work as known ones, a login always starts a new session id, and staff with TOTP
 * finish the login with a code (or a recovery code) in a second step. Applicants register and reset
 * their password with a code texted to their phone (phone-codes.ts), and neither step reveals
 * whether a number has an account.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { DomainError, type Bilingual } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { checkPasswordRule, dummyHash, hashPassword, verifyPassword } from './passwords.js';
import {
  clearSessionCookie, cookieSecure, createSession, endRequestSession, knownDevice, loadGrants, rememberDevice, sessionToken, setSessionCookie, unauthenticated,
} from './sessions.js';
import { badPhoneCode, checkPhoneCode, CODE_MINUTES, CODE_SENT, phoneConfirmed, sendPhoneCode, usePhoneCode, type CodePurpose } from './phone-codes.js';
import { admitAttempt, attemptSucceeded, clearAccountThrottle, throttleKeys } from './throttle.js';
import { acceptSecondFactor, totpRequired } from './totp.js';
import { totpRoutes } from './totp-routes.js';

const CHALLENGE_MINUTES = 5;
const CHALLENGE_ATTEMPTS = 5;

const badLogin = () =>
  new DomainError('unauthenticated', 'auth.bad_credentials', { zh: '用户名或密码错误。', en: 'Wrong username or password.' });
const badCode = () =>
  new DomainError('unauthenticated', 'auth.bad_code', { zh: '验证码不正确或已使用，请输入身份验证器上的最新6位数字，或一个未用过的恢复码。', en: 'The code is wrong or already used. Enter the current 6 digits from your authenticator app, or an unused recovery code.' });
/** Applicants are told about 忘记密码 (they reset with a texted code) instead of being sent to an administrator. */
const applicantLoginRefusal = (china: string): Bilingual => ({
  zh: `登录尝试过于频繁，请于北京时间 ${china} 之后再试。在您常用的电脑或手机上登录不受此限制；如忘记密码，请点“忘记密码？”用短信验证码重设。`,
  en: `Too many login attempts; try again after ${china} China time. Logging in from a computer or phone you used before is not held back; if you forgot the password, use “Forgot the password?” to reset it with a texted code.`,
});
const challengeGone = () =>
  new DomainError('unauthenticated', 'auth.challenge_expired', { zh: '登录已超时或验证码错误次数过多，请重新输入用户名和密码。', en: 'The login timed out or the code was wrong too often; enter your username and password again.' });

/**
 * The password step, shared by staff and applicants: the attempt is admitted (or refused while its
 * keys wait), then the password is checked against the account's hash — or a dummy hash when there
 * is no such account, so both cost one argon2 verification and answer alike.
 */
async function passwordStep(ctx: AppContext, req: FastifyRequest, accountKey: string, row: Record<string, any> | undefined, password: string, refusal?: (retryAtChina: string) => Bilingual) {
  const keys = throttleKeys(accountKey, req.ip, await knownDevice(ctx.db, req, accountKey));
  await admitAttempt(ctx.db, keys, ctx.clock.now(), refusal);
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
  if (!row || !ok) throw badLogin();
  await attemptSucceeded(ctx.db, keys);
}

export function authRoutes(app: HttpServer, ctx: AppContext) {
  const secure = (req: FastifyRequest) => cookieSecure(req, ctx.config.cookieSecureAlways);

  /** Opens the staff session (a new id; any session the request came with ends) and knows this browser from now on. */
  async function openStaffSession(q: Queryable, req: FastifyRequest, reply: FastifyReply, user: any, enrolmentOnly: boolean) {
    const now = ctx.clock.now();
    await endRequestSession(q, req);
    const s = await createSession(q, { staffId: user.id, enrolmentOnly }, now);
    await q.query('INSERT INTO staff_login (staff_id, at) VALUES ($1, $2)', [user.id, now.toISOString()]);
    setSessionCookie(reply, s.token, s.maxAge, secure(req));
    await rememberDevice(q, req, reply, `staff:${user.username}`, now, secure(req));
  }

  const loginAnswer = z.object({
    user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).optional(),
    totpRequired: z.boolean().optional(),
    challenge: z.string().optional(),
    enrolmentRequired: z.boolean().optional(),
  });

  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: '工作人员登录 Staff login (SEC-3: backoff on failures; TOTP second step when enrolled)',
      description: 'With TOTP enrolled the answer is `{ totpRequired: true, challenge }`: send the challenge and a code to /api/auth/login/totp within 5 minutes.',
      body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }),
      security: [],
      operationId: 'staffLogin',
      response: { 200: loginAnswer, ...errorResponses(401, 422, 429) },
    },
  }, async (req, reply) => {
    const username = req.body.username.toLowerCase();
    const [user] = await ctx.db.query('SELECT * FROM staff_user WHERE username = $1', [username]);
    await passwordStep(ctx, req, `staff:${username}`, user, req.body.password);
    if (!user.active) {
      throw new DomainError('unauthenticated', 'auth.deactivated', { zh: '该账号已停用，不能登录。如有疑问请联系管理员。', en: 'This account has been deactivated and cannot log in. Ask an administrator.' });
    }
    if (user.totp_enabled_at) {
      const challenge = randomToken();
      await ctx.db.query('INSERT INTO login_challenge (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)', [sha256Hex(challenge), user.id, new Date(ctx.clock.now().getTime() + CHALLENGE_MINUTES * 60_000).toISOString()]);
      return { totpRequired: true, challenge };
    }
    const enrolmentOnly = await totpRequired(ctx.db, await loadGrants(ctx.db, user.id));
    await ctx.db.tx((q) => openStaffSession(q, req, reply, user, enrolmentOnly));
    return { user: { id: user.id, username: user.username, displayName: user.display_name }, ...(enrolmentOnly ? { enrolmentRequired: true } : {}) };
  });

  app.post('/api/auth/login/totp', {
    schema: {
      tags: ['auth'],
      summary: '登录第二步：身份验证器验证码或恢复码 Login step two: the TOTP code or a recovery code',
      body: z.object({ challenge: z.string().min(20).max(100), code: z.string().trim().min(6).max(20) }),
      security: [],
      operationId: 'staffLoginTotp',
      response: { 200: loginAnswer, ...errorResponses(401, 422) },
    },
  }, async (req, reply) => {
    const now = ctx.clock.now();
    // each try at a challenge is counted before the code is checked; five wrong codes void it
    const [c] = await ctx.db.query(
      'UPDATE login_challenge SET attempts = attempts + 1 WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3 RETURNING staff_id',
      [sha256Hex(req.body.challenge), now.toISOString(), CHALLENGE_ATTEMPTS],
    );
    if (!c) throw challengeGone();
    const user = await ctx.db.tx(async (q) => {
      if (!(await acceptSecondFactor(ctx, q, c.staff_id, req.body.code))) return null;
      const [u] = await q.query('DELETE FROM login_challenge WHERE token_hash = $1 RETURNING staff_id', [sha256Hex(req.body.challenge)]);
      if (!u) return null; // the same challenge finished by a parallel request
      const [user] = await q.query('SELECT * FROM staff_user WHERE id = $1 AND active', [c.staff_id]);
      if (user) await openStaffSession(q, req, reply, user, false);
      return user ?? null;
    });
    if (!user) throw badCode();
    return { user: { id: user.id, username: user.username, displayName: user.display_name } };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录 Log out', security: [], operationId: 'logout' } }, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await ctx.db.query('DELETE FROM auth_session WHERE token_hash = $1', [sha256Hex(token)]);
    clearSessionCookie(reply, secure(req));
    return { ok: true };
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户 Who am I' } }, async (req) => {
    const p = req.principal;
    if (!p) throw unauthenticated();
    if (p.kind === 'applicant') return { kind: 'applicant', id: p.id };
    const [u] = await ctx.db.query('SELECT totp_enabled_at FROM staff_user WHERE id = $1', [p.id]);
    return {
      kind: 'staff', id: p.id, username: p.username, displayName: p.displayName, grants: p.grants,
      totp: { enabled: Boolean(u.totp_enabled_at), required: await totpRequired(ctx.db, p.grants) },
      enrolmentOnly: Boolean(p.enrolmentOnly),
    };
  });

  totpRoutes(app, ctx);

  const phoneField = z.string().trim().regex(/^1\d{10}$/, 'mobile number: 11 digits starting with 1 / 手机号为1开头的11位数字');
  const codeField = z.string().trim().regex(/^\d{6}$/, 'the 6-digit code from the text message / 短信中的6位验证码');
  const applicantBody = z.object({ phone: phoneField, password: z.string().min(8).max(200) });
  const codeSent = z.object({ sent: z.literal(true), expiresInMinutes: z.number(), message: z.object({ zh: z.string(), en: z.string() }) });
  const applicantAnswer = z.object({ applicant: z.object({ id: z.string() }) });

  /**
   * Asking for a code: 202 with the same body whatever the number (phone-codes.ts); the text message
   * alone says whether there is a code or why not.
   */
  const codeRoute = (url: string, purpose: CodePurpose, summary: string, operationId: string) =>
    app.post(url, {
      schema: { tags: ['applicant'], summary, body: z.object({ phone: phoneField }), security: [], operationId, response: { 202: codeSent, ...errorResponses(422, 429, 503) } },
    }, async (req, reply) => {
      await sendPhoneCode(ctx, req, purpose, req.body.phone);
      reply.status(202);
      return { sent: true as const, expiresInMinutes: CODE_MINUTES, message: CODE_SENT };
    });

  codeRoute('/api/applicant/register/code', 'register', '申请人注册：获取短信验证码 Registration: text me a code (the same answer for every number)', 'applicantRegisterCode');
  codeRoute('/api/applicant/password-reset/code', 'reset', '申请人重设密码：获取短信验证码 Password reset: text me a code (the same answer for every number)', 'applicantPasswordResetCode');

  /**
   * The password is hashed before the code is checked, so a right and a wrong code cost the same
   * argon2 work and the answer's timing tells nothing about the number.
   */
  async function confirmedStep(purpose: CodePurpose, phone: string, code: string, password: string) {
    checkPasswordRule(password);
    const bidx = ctx.crypto.blindIndex('phone', phone);
    const hash = await hashPassword(password);
    if (!(await checkPhoneCode(ctx, purpose, bidx, code))) throw badPhoneCode();
    return { bidx, hash };
  }

  app.post('/api/applicant/register', {
    schema: {
      tags: ['applicant'],
      summary: '申请人注册（凭短信验证码）Applicant registration, confirmed by the code texted to the phone',
      body: applicantBody.extend({ name: z.string().trim().min(1).max(50), code: codeField }),
      security: [],
      operationId: 'applicantRegister',
      response: { 201: applicantAnswer, ...errorResponses(422) },
    },
  }, async (req, reply) => {
    const { bidx, hash } = await confirmedStep('register', req.body.phone, req.body.code, req.body.password);
    const id = randomUUID();
    const session = await ctx.db.tx(async (q) => {
      if (!(await usePhoneCode(q, 'register', bidx, req.body.code))) throw badPhoneCode();
      const inserted = await q.query(
        `INSERT INTO applicant_account (id, phone_bidx, phone_enc, name_enc, password_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (phone_bidx) DO NOTHING RETURNING id`,
        [id, bidx, ctx.crypto.encrypt(req.body.phone), ctx.crypto.encrypt(req.body.name), hash],
      );
      // registered by a parallel request since the code was sent: the same answer as any wrong code
      if (!inserted.length) throw badPhoneCode();
      await appendAudit(q, { chain: 'applicants', actor: `applicant:${id}`, action: 'applicant.register', objectType: 'applicant', objectId: id, detail: {}, at: ctx.clock.now() });
      await endRequestSession(q, req);
      return createSession(q, { applicantId: id }, ctx.clock.now());
    });
    await phoneConfirmed(ctx, req, bidx);
    setSessionCookie(reply, session.token, session.maxAge, secure(req));
    reply.status(201);
    return { applicant: { id } };
  });

  app.post('/api/applicant/password-reset', {
    schema: {
      tags: ['applicant'],
      summary: '申请人重设密码（凭短信验证码）Applicant password reset, confirmed by the code texted to the phone; ends the account’s other sessions',
      body: applicantBody.extend({ code: codeField }),
      security: [],
      operationId: 'applicantPasswordReset',
      response: { 200: applicantAnswer, ...errorResponses(422) },
    },
  }, async (req, reply) => {
    const { bidx, hash } = await confirmedStep('reset', req.body.phone, req.body.code, req.body.password);
    const { id, session } = await ctx.db.tx(async (q) => {
      if (!(await usePhoneCode(q, 'reset', bidx, req.body.code))) throw badPhoneCode();
      const [acct] = await q.query('UPDATE applicant_account SET password_hash = $2 WHERE phone_bidx = $1 RETURNING id', [bidx, hash]);
      if (!acct) throw badPhoneCode(); // cannot happen (no usable code is sent to a number without an account); answered alike anyway
      // whoever knew the old password is logged out everywhere; this browser starts a new session
      await q.query('DELETE FROM auth_session WHERE applicant_id = $1', [acct.id]);
      await endRequestSession(q, req);
      await clearAccountThrottle(q, `applicant:${bidx}`);
      await appendAudit(q, { chain: 'applicants', actor: `applicant:${acct.id}`, action: 'applicant.password_reset', objectType: 'applicant', objectId: acct.id, detail: {}, at: ctx.clock.now() });
      return { id: acct.id as string, session: await createSession(q, { applicantId: acct.id }, ctx.clock.now()) };
    });
    await phoneConfirmed(ctx, req, bidx);
    setSessionCookie(reply, session.token, session.maxAge, secure(req));
    return { applicant: { id } };
  });

  app.post('/api/applicant/login', {
    schema: { tags: ['applicant'], summary: '申请人登录 Applicant login', body: applicantBody, security: [] },
  }, async (req, reply) => {
    const bidx = ctx.crypto.blindIndex('phone', req.body.phone);
    const [acct] = await ctx.db.query('SELECT * FROM applicant_account WHERE phone_bidx = $1', [bidx]);
    await passwordStep(ctx, req, `applicant:${bidx}`, acct, req.body.password, applicantLoginRefusal);
    await ctx.db.tx(async (q) => {
      await endRequestSession(q, req);
      const session = await createSession(q, { applicantId: acct.id }, ctx.clock.now());
      setSessionCookie(reply, session.token, session.maxAge, secure(req));
      await rememberDevice(q, req, reply, `applicant:${bidx}`, ctx.clock.now(), secure(req));
    });
    return { applicant: { id: acct.id } };
  });
}
