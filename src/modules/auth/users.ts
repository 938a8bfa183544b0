/**
 * ORG-2/ORG-4 administration: staff accounts with roles bound to org units. Admins manage accounts
 * inside their own subtree; deactivation ends every session of the account at once.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { STAFF_ROLES, type StaffRole } from '../../domain/workflow/types.js';
import type { Queryable } from '../../platform/db.js';
import type { HttpServer } from '../../platform/http.js';
import { appendAudit } from '../audit/audit-chain.js';
import { hashPassword, checkPasswordRule } from './passwords.js';
import { covers, scopePatterns, type StaffPrincipal } from './principal.js';
import { requireRole } from './sessions.js';
import { clearAccountThrottle } from './throttle.js';

/** Which kind of org unit (and division level) each role may be bound to. */
const ROLE_PLACEMENT: Record<StaffRole, { kinds: string[]; levels?: number[] }> = {
  clerk: { kinds: ['federation'], levels: [3] },
  reviewer: { kinds: ['federation'], levels: [3] },
  approver: { kinds: ['federation'], levels: [3] },
  institution_staff: { kinds: ['institution'] },
  doctor: { kinds: ['institution'] },
  village_worker: { kinds: ['village'] },
  township_worker: { kinds: ['township'] },
  supervisor: { kinds: ['federation'], levels: [0, 1, 2] },
  auditor: { kinds: ['federation'] },
  admin: { kinds: ['federation'] },
};

export type NewUser = { username: string; displayName: string; password: string; grants: { role: StaffRole; orgUnitId: string }[] };

async function checkPlacement(q: Queryable, grants: NewUser['grants']) {
  for (const g of grants) {
    const [org] = await q.query('SELECT o.kind, d.level FROM org_unit o JOIN division d ON d.code = o.division_code WHERE o.id = $1', [g.orgUnitId]);
    const rule = ROLE_PLACEMENT[g.role];
    if (!org || !rule.kinds.includes(org.kind) || (rule.levels && !rule.levels.includes(org.level))) {
      throw invalid('user.role_placement', `角色“${g.role}”不能设在该单位（办证、初审、审批须在县级残联；医生在评定机构；督导在市级及以上）。`, `Role "${g.role}" cannot be bound to that org unit (desk roles at county federations, doctors at institutions, supervisors at city level or above).`, 'grants');
    }
  }
}

export async function createUser(q: Queryable, u: NewUser): Promise<string> {
  checkPasswordRule(u.password);
  await checkPlacement(q, u.grants);
  const id = randomUUID();
  const inserted = await q.query(
    `INSERT INTO staff_user (id, username, display_name, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [id, u.username, u.displayName, await hashPassword(u.password)],
  );
  if (!inserted.length) throw conflict('user.exists', `用户名“${u.username}”已被使用。`, `The username "${u.username}" is taken.`);
  for (const g of u.grants) await q.query('INSERT INTO role_grant (user_id, role, org_unit_id) VALUES ($1, $2, $3)', [id, g.role, g.orgUnitId]);
  return id;
}

async function userInScope(q: Queryable, admin: StaffPrincipal, userId: string) {
  const rows = /^[0-9a-f-]{36}$/i.test(userId)
    ? await q.query(
        `SELECT u.* FROM staff_user u WHERE u.id = $1 AND EXISTS (SELECT 1 FROM role_grant g JOIN org_unit o ON o.id = g.org_unit_id WHERE g.user_id = u.id AND o.path LIKE ANY($2))`,
        [userId, scopePatterns(admin.grants.filter((g) => g.role === 'admin'))],
      )
    : [];
  if (!rows[0]) throw notFound({ zh: '用户', en: 'user' });
  return rows[0];
}

/** The org units of new grants must lie in the admin's subtree (404 otherwise). */
async function placeGrants(q: Queryable, admin: StaffPrincipal, grants: NewUser['grants']) {
  for (const g of grants) {
    const [org] = await q.query('SELECT path FROM org_unit WHERE id = $1', [g.orgUnitId]);
    if (!org || !covers(admin.grants.filter((x) => x.role === 'admin'), org.path)) throw notFound({ zh: '单位', en: 'org unit' });
  }
}

export function userRoutes(app: HttpServer, ctx: AppContext) {
  const audit = (q: Queryable, admin: StaffPrincipal, action: string, userId: string, detail: Record<string, unknown> = {}) =>
    appendAudit(q, { chain: admin.grants.find((g) => g.role === 'admin')!.orgUnitId, actor: `staff:${admin.id}`, action, objectType: 'staff_user', objectId: userId, detail, at: ctx.clock.now() });

  app.get('/api/admin/users', { schema: { tags: ['admin'], summary: '用户列表 Staff accounts' } }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    const rows = await ctx.db.query(
      `SELECT u.id, u.username, u.display_name, u.active, json_agg(json_build_object('role', g.role, 'orgUnitId', o.id, 'orgName', o.name) ORDER BY g.role) AS grants
       FROM staff_user u JOIN role_grant g ON g.user_id = u.id JOIN org_unit o ON o.id = g.org_unit_id
       WHERE o.path LIKE ANY($1) GROUP BY u.id ORDER BY u.username`,
      [scopePatterns(admin.grants.filter((g) => g.role === 'admin'))],
    );
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, active: r.active, grants: r.grants }));
  });

  app.post('/api/admin/users', {
    schema: {
      tags: ['admin'],
      summary: '新建用户 Create a staff account',
      body: z.object({
        username: z.string().trim().regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3-32 lowercase letters, digits, _ . - / 用户名为3-32位小写字母、数字或 _ . -'),
        displayName: z.string().trim().min(1).max(50),
        password: z.string().min(8).max(200),
        grants: z.array(z.object({ role: z.enum(STAFF_ROLES), orgUnitId: z.string().uuid() })).min(1),
      }),
    },
  }, async (req, reply) => {
    const admin = requireRole(req.principal, ['admin']);
    const id = await ctx.db.tx(async (q) => {
      await placeGrants(q, admin, req.body.grants);
      const id = await createUser(q, req.body);
      await audit(q, admin, 'user.create', id, { username: req.body.username, grants: req.body.grants });
      return id;
    });
    reply.status(201);
    return { id };
  });

  app.post('/api/admin/users/:id/deactivate', {
    schema: { tags: ['admin'], summary: '停用账号并结束其会话 Deactivate (ORG-4)', params: z.object({ id: z.string() }), body: z.object({ reason: z.string().trim().min(2).max(200) }) },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    await ctx.db.tx(async (q) => {
      const user = await userInScope(q, admin, req.params.id);
      if (user.id === admin.id) {
        throw invalid('user.self_deactivate', '不能停用自己的账号，请由另一位管理员操作。', 'You cannot deactivate your own account; ask another administrator.');
      }
      await q.query('UPDATE staff_user SET active = false, deactivated_at = now() WHERE id = $1', [user.id]);
      await q.query('DELETE FROM auth_session WHERE staff_id = $1', [user.id]);
      await audit(q, admin, 'user.deactivate', user.id, { reason: req.body.reason });
    });
    return { ok: true };
  });

  app.post('/api/admin/users/:id/reset-password', {
    schema: { tags: ['admin'], summary: '重置密码 Reset password', params: z.object({ id: z.string() }), body: z.object({ password: z.string().min(8).max(200) }) },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    checkPasswordRule(req.body.password);
    const hash = await hashPassword(req.body.password);
    await ctx.db.tx(async (q) => {
      const user = await userInScope(q, admin, req.params.id);
      await q.query('UPDATE staff_user SET password_hash = $2 WHERE id = $1', [user.id, hash]);
      await q.query('DELETE FROM auth_session WHERE staff_id = $1', [user.id]);
      await clearAccountThrottle(q, `staff:${user.username}`);
      await audit(q, admin, 'user.reset_password', user.id);
    });
    return { ok: true };
  });

  app.put('/api/admin/users/:id/grants', {
    schema: {
      tags: ['admin'],
      summary: '调整岗位角色（该用户的会话随即结束） Change a staff member’s roles; their sessions end (SEC-3)',
      params: z.object({ id: z.string() }),
      body: z.object({ grants: z.array(z.object({ role: z.enum(STAFF_ROLES), orgUnitId: z.string().uuid() })).min(1).max(20), reason: z.string().trim().min(2).max(200) }),
      operationId: 'changeUserGrants',
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    await ctx.db.tx(async (q) => {
      const user = await userInScope(q, admin, req.params.id);
      await placeGrants(q, admin, req.body.grants);
      await checkPlacement(q, req.body.grants);
      await q.query('DELETE FROM role_grant WHERE user_id = $1', [user.id]);
      for (const g of req.body.grants) await q.query('INSERT INTO role_grant (user_id, role, org_unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [user.id, g.role, g.orgUnitId]);
      // the trigger on role_grant has bumped the rights version: every open session of the user is void
      await audit(q, admin, 'user.change_grants', user.id, { grants: req.body.grants, reason: req.body.reason });
    });
    return { ok: true as const };
  });

  app.post('/api/admin/users/:id/reset-totp', {
    schema: {
      tags: ['admin'],
      summary: '重置身份验证器（如手机丢失） Reset a staff member’s TOTP (lost phone)',
      params: z.object({ id: z.string() }),
      body: z.object({ reason: z.string().trim().min(2).max(200) }),
      operationId: 'resetUserTotp',
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    await ctx.db.tx(async (q) => {
      const user = await userInScope(q, admin, req.params.id);
      await q.query('UPDATE staff_user SET totp_secret_enc = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1', [user.id]);
      await q.query('DELETE FROM staff_recovery_code WHERE staff_id = $1', [user.id]);
      await q.query('DELETE FROM auth_session WHERE staff_id = $1', [user.id]);
      await audit(q, admin, 'user.reset_totp', user.id, { reason: req.body.reason });
    });
    return { ok: true as const };
  });
}
