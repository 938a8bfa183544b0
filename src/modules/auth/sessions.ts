/** Server-side sessions (ORG-4: ending a staff member's sessions takes effect on their next request). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import type { Principal, StaffGrant, StaffPrincipal } from './principal.js';

export const COOKIE = 'tb_session';
const STAFF_HOURS = 12;
const APPLICANT_HOURS = 2;

export async function createSession(q: Queryable, who: { staffId?: string; applicantId?: string }, now: Date) {
  const token = randomToken();
  const hours = who.staffId ? STAFF_HOURS : APPLICANT_HOURS;
  await q.query('INSERT INTO auth_session (token_hash, staff_id, applicant_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    sha256Hex(token),
    who.staffId ?? null,
    who.applicantId ?? null,
    now.toISOString(),
    new Date(now.getTime() + hours * 3600_000).toISOString(),
  ]);
  return { token, maxAge: hours * 3600 };
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAge: number, secure: boolean) {
  reply.header('set-cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}

export function sessionToken(req: FastifyRequest): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=') || null;
  }
  return null;
}

export async function loadGrants(q: Queryable, staffId: string): Promise<StaffGrant[]> {
  const rows = await q.query(
    `SELECT g.role, o.id, o.kind, o.name, o.path, o.division_code, d.level
     FROM role_grant g JOIN org_unit o ON o.id = g.org_unit_id JOIN division d ON d.code = o.division_code
     WHERE g.user_id = $1 AND o.active ORDER BY g.role, o.path`,
    [staffId],
  );
  return rows.map((r) => ({ role: r.role, orgUnitId: r.id, orgKind: r.kind, orgName: r.name, orgPath: r.path, divisionCode: r.division_code, divisionLevel: r.level }));
}

export async function principalFromToken(q: Queryable, token: string, now: Date): Promise<Principal | null> {
  const [s] = await q.query(
    `SELECT s.staff_id, s.applicant_id, u.username, u.display_name, u.active
     FROM auth_session s LEFT JOIN staff_user u ON u.id = s.staff_id
     WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [sha256Hex(token), now.toISOString()],
  );
  if (!s) return null;
  if (s.applicant_id) return { kind: 'applicant', id: s.applicant_id };
  if (!s.active) return null;
  return { kind: 'staff', id: s.staff_id, username: s.username, displayName: s.display_name, grants: await loadGrants(q, s.staff_id) };
}

export const unauthenticated = () =>
  new DomainError('unauthenticated', 'auth.required', { zh: '请先登录（会话不存在或已过期）。', en: 'Please log in (no session, or it has expired).' });

export function requireStaff(p: Principal | null): StaffPrincipal {
  if (!p) throw unauthenticated();
  if (p.kind !== 'staff') {
    throw new DomainError('forbidden', 'auth.staff_only', { zh: '此功能仅限工作人员使用。', en: 'This is for staff only.' });
  }
  return p;
}

export function requireRole(p: Principal | null, roles: readonly string[]): StaffPrincipal {
  const staff = requireStaff(p);
  if (!staff.grants.some((g) => roles.includes(g.role))) {
    throw new DomainError('forbidden', 'auth.role', {
      zh: `此功能需要以下角色之一：${roles.join('、')}。`,
      en: `This needs one of these roles: ${roles.join(', ')}.`,
    });
  }
  return staff;
}
