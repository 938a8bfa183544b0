/** SEC-3: a staff member enrols TOTP (QR code, then a first code), sees the recovery codes once, or turns it off. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { DomainError, invalid } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { StaffPrincipal } from './principal.js';
import { verifyPassword } from './passwords.js';
import { cookieSecure, createSession, endRequestSession, requireStaff, setSessionCookie } from './sessions.js';
import { acceptSecondFactor, codeStep, enrolmentPicture, issueRecoveryCodes, newTotpSecret, totpRequired } from './totp.js';

const code = z.string().trim().min(6).max(20);

export function totpRoutes(app: HttpServer, ctx: AppContext) {
  const audit = (q: Queryable, staff: StaffPrincipal, action: string) =>
    appendAudit(q, { chain: staff.grants[0]?.orgUnitId ?? 'staff', actor: `staff:${staff.id}`, action, objectType: 'staff_user', objectId: staff.id, detail: {}, at: ctx.clock.now() });

  /** A change of the account's security gets a new session id (the old one ends). */
  async function reissue(q: Queryable, req: FastifyRequest, reply: any, staff: StaffPrincipal) {
    await endRequestSession(q, req);
    const s = await createSession(q, { staffId: staff.id }, ctx.clock.now());
    setSessionCookie(reply, s.token, s.maxAge, cookieSecure(req, ctx.config.cookieSecureAlways));
  }

  app.post('/api/auth/totp/enrol', {
    schema: {
      tags: ['auth'],
      summary: '开始绑定身份验证器（返回二维码） Start TOTP enrolment: the QR code to scan',
      operationId: 'totpEnrol',
      response: { 200: z.object({ secret: z.string(), uri: z.string(), qrSvgDataUrl: z.string() }), ...errorResponses(401, 403, 409) },
    },
  }, async (req) => {
    const staff = requireStaff(req.principal);
    const [u] = await ctx.db.query('SELECT totp_enabled_at FROM staff_user WHERE id = $1', [staff.id]);
    if (u.totp_enabled_at) throw new DomainError('conflict', 'totp.already_enabled', { zh: '已绑定身份验证器。如需更换，请先停用再重新绑定。', en: 'TOTP is already on. To change the device, turn it off first, then enrol again.' });
    const secret = newTotpSecret();
    await ctx.db.query('UPDATE staff_user SET totp_secret_enc = $2, totp_last_step = NULL WHERE id = $1', [staff.id, ctx.crypto.encrypt(secret)]);
    return { secret, ...(await enrolmentPicture(staff.username, secret)) };
  });

  app.post('/api/auth/totp/confirm', {
    schema: {
      tags: ['auth'],
      summary: '输入第一个验证码完成绑定，获得一次性恢复码 Confirm with a first code; get the one-time recovery codes (shown once)',
      body: z.object({ code }),
      operationId: 'totpConfirm',
      response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errorResponses(401, 403, 409, 422) },
    },
  }, async (req, reply) => {
    const staff = requireStaff(req.principal);
    return ctx.db.tx(async (q) => {
      const [u] = await q.query('SELECT totp_secret_enc, totp_enabled_at FROM staff_user WHERE id = $1 FOR UPDATE', [staff.id]);
      if (u.totp_enabled_at || !u.totp_secret_enc) throw new DomainError('conflict', 'totp.not_enrolling', { zh: '没有待完成的绑定，请先点击“绑定身份验证器”。', en: 'No enrolment in progress; start one first.' });
      const step = await codeStep(ctx.crypto.decrypt(u.totp_secret_enc), req.body.code, ctx.clock.now());
      if (step === null) throw invalid('totp.bad_code', '验证码不正确。请确认手机时间准确，输入身份验证器上当前显示的6位数字。', 'The code is wrong. Check that the phone’s clock is right and enter the 6 digits the app shows now.', 'code');
      await q.query('UPDATE staff_user SET totp_enabled_at = $2, totp_last_step = $3 WHERE id = $1', [staff.id, ctx.clock.now().toISOString(), step]);
      const recoveryCodes = await issueRecoveryCodes(q, staff.id);
      await audit(q, staff, 'staff.totp_enable');
      await reissue(q, req, reply, staff);
      return { recoveryCodes };
    });
  });

  app.post('/api/auth/totp/disable', {
    schema: {
      tags: ['auth'],
      summary: '停用身份验证器（须密码和验证码） Turn TOTP off (password and a code)',
      body: z.object({ password: z.string().min(1).max(200), code }),
      operationId: 'totpDisable',
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(401, 403, 422) },
    },
  }, async (req, reply) => {
    const staff = requireStaff(req.principal);
    if (await totpRequired(ctx.db, staff.grants)) {
      throw new DomainError('forbidden', 'totp.required', { zh: '按本地政策，您的岗位必须使用身份验证器，不能停用。更换手机请联系管理员重置。', en: 'Local policy requires TOTP for your role; it cannot be turned off. To change phones, ask an administrator to reset it.' });
    }
    const [u] = await ctx.db.query('SELECT password_hash FROM staff_user WHERE id = $1', [staff.id]);
    const ok = (await verifyPassword(u.password_hash, req.body.password)) && (await acceptSecondFactor(ctx, ctx.db, staff.id, req.body.code));
    if (!ok) throw invalid('totp.reauth', '密码或验证码不正确。', 'The password or the code is wrong.', 'code');
    await ctx.db.tx(async (q) => {
      await q.query('UPDATE staff_user SET totp_secret_enc = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1', [staff.id]);
      await q.query('DELETE FROM staff_recovery_code WHERE staff_id = $1', [staff.id]);
      await audit(q, staff, 'staff.totp_disable');
      await reissue(q, req, reply, staff);
    });
    return { ok: true as const };
  });
}
