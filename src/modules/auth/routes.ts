/** Login, logout and "who am I" for staff (ORG-2/4, SEC-3) and for applicants applying online. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { conflict, DomainError } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { sha256Hex } from '../../platform/crypto.js';
import { appendAudit } from '../audit/audit-chain.js';
import { checkPasswordRule, hashPassword, verifyPassword } from './passwords.js';
import { clearSessionCookie, createSession, sessionToken, setSessionCookie, unauthenticated } from './sessions.js';

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

const badLogin = () =>
  new DomainError('unauthenticated', 'auth.bad_credentials', { zh: '用户名或密码错误。', en: 'Wrong username or password.' });
const locked = (until: string) =>
  new DomainError('unauthenticated', 'auth.locked', {
    zh: `连续登录失败次数过多，账号已锁定至 ${until}（北京时间请加8小时）。请稍后再试或联系管理员。`,
    en: `Too many failed logins; the account is locked until ${until} (UTC). Try later or ask an administrator.`,
  });

/**
 * Shared by staff and applicant logins: lockout after repeated failures, counter reset on success.
 * `table` is one of two fixed names, never user input.
 */
async function checkPassword(ctx: AppContext, table: 'staff_user' | 'applicant_account', row: any, password: string) {
  const now = ctx.clock.now();
  if (row.locked_until && new Date(row.locked_until) > now) throw locked(new Date(row.locked_until).toISOString().slice(0, 16).replace('T', ' '));
  if (!(await verifyPassword(row.password_hash, password))) {
    const failures = row.failed_logins + 1;
    const lockUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
    await ctx.db.query(`UPDATE ${table} SET failed_logins = $2, locked_until = $3 WHERE id = $1`, [row.id, lockUntil ? 0 : failures, lockUntil]);
    throw badLogin();
  }
  await ctx.db.query(`UPDATE ${table} SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [row.id]);
}

export function authRoutes(app: HttpServer, ctx: AppContext) {
  const secure = process.env.COOKIE_SECURE === 'true';

  app.post('/api/auth/login', {
    schema: { tags: ['auth'], summary: '工作人员登录 Staff login', body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }), security: [] },
  }, async (req, reply) => {
    const [user] = await ctx.db.query('SELECT * FROM staff_user WHERE username = $1', [req.body.username]);
    if (!user) throw badLogin();
    await checkPassword(ctx, 'staff_user', user, req.body.password);
    if (!user.active) {
      throw new DomainError('unauthenticated', 'auth.deactivated', { zh: '该账号已停用，不能登录。如有疑问请联系管理员。', en: 'This account has been deactivated and cannot log in. Ask an administrator.' });
    }
    const session = await ctx.db.tx(async (q) => {
      const s = await createSession(q, { staffId: user.id }, ctx.clock.now());
      await q.query('INSERT INTO staff_login (staff_id, at) VALUES ($1, $2)', [user.id, ctx.clock.now().toISOString()]);
      return s;
    });
    setSessionCookie(reply, session.token, session.maxAge, secure);
    return { user: { id: user.id, username: user.username, displayName: user.display_name } };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录 Log out' } }, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await ctx.db.query('DELETE FROM auth_session WHERE token_hash = $1', [sha256Hex(token)]);
    clearSessionCookie(reply);
    return { ok: true };
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户 Who am I' } }, async (req) => {
    const p = req.principal;
    if (!p) throw unauthenticated();
    if (p.kind === 'applicant') return { kind: 'applicant', id: p.id };
    return { kind: 'staff', id: p.id, username: p.username, displayName: p.displayName, grants: p.grants };
  });

  const applicantBody = z.object({
    phone: z.string().trim().regex(/^1\d{10}$/, 'mobile number: 11 digits starting with 1 / 手机号为1开头的11位数字'),
    password: z.string().min(8).max(200),
  });

  app.post('/api/applicant/register', {
    schema: { tags: ['applicant'], summary: '申请人注册 Applicant registration', body: applicantBody.extend({ name: z.string().trim().min(1).max(50) }), security: [] },
  }, async (req, reply) => {
    checkPasswordRule(req.body.password);
    const bidx = ctx.crypto.blindIndex('phone', req.body.phone);
    const id = randomUUID();
    const hash = await hashPassword(req.body.password);
    const session = await ctx.db.tx(async (q) => {
      const inserted = await q.query(
        `INSERT INTO applicant_account (id, phone_bidx, phone_enc, name_enc, password_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (phone_bidx) DO NOTHING RETURNING id`,
        [id, bidx, ctx.crypto.encrypt(req.body.phone), ctx.crypto.encrypt(req.body.name), hash],
      );
      if (!inserted.length) throw conflict('applicant.exists', '该手机号已注册，请直接登录。', 'This phone number is already registered; log in instead.');
      await appendAudit(q, { chain: 'applicants', actor: `applicant:${id}`, action: 'applicant.register', objectType: 'applicant', objectId: id, detail: {}, at: ctx.clock.now() });
      return createSession(q, { applicantId: id }, ctx.clock.now());
    });
    setSessionCookie(reply, session.token, session.maxAge, secure);
    reply.status(201);
    return { applicant: { id } };
  });

  app.post('/api/applicant/login', {
    schema: { tags: ['applicant'], summary: '申请人登录 Applicant login', body: applicantBody, security: [] },
  }, async (req, reply) => {
    const [acct] = await ctx.db.query('SELECT * FROM applicant_account WHERE phone_bidx = $1', [ctx.crypto.blindIndex('phone', req.body.phone)]);
    if (!acct) throw badLogin();
    await checkPassword(ctx, 'applicant_account', acct, req.body.password);
    const session = await createSession(ctx.db, { applicantId: acct.id }, ctx.clock.now());
    setSessionCookie(reply, session.token, session.maxAge, secure);
    return { applicant: { id: acct.id } };
  });
}
