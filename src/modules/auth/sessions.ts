/**
 * Server-side sessions (ORG-4: ending a staff member's sessions takes effect on their next request).
 * SEC-3: a session ends at its absolute limit or after an idle spell, whichever comes first; it is
 * valid only under the rights it was opened with (a change of grants bumps the user's rights
 * version, migrations/0030); the cookie is Secure whenever the request came over HTTPS.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import type { Principal, StaffGrant, StaffPrincipal } from './principal.js';

export const COOKIE = 'tb_session';
export const DEVICE_COOKIE = 'tb_device';
const STAFF_HOURS = 12;
const APPLICANT_HOURS = 2;
/** last_seen_at is written at most this often, so a busy page does not write on every request */
const TOUCH_EVERY_MS = 60_000;

type Who = { staffId?: string; applicantId?: string; enrolmentOnly?: boolean };

export async function createSession(q: Queryable, who: Who, now: Date) {
  const token = randomToken();
  const hours = who.staffId ? STAFF_HOURS : APPLICANT_HOURS;
  await q.query(
    `INSERT INTO auth_session (token_hash, staff_id, applicant_id, created_at, last_seen_at, expires_at, rights_version, enrolment_only)
     VALUES ($1, $2, $3, $4, $4, $5, COALESCE((SELECT rights_version FROM staff_user WHERE id = $2), 0), $6)`,
    [sha256Hex(token), who.staffId ?? null, who.applicantId ?? null, now.toISOString(), new Date(now.getTime() + hours * 3600_000).toISOString(), who.enrolmentOnly ?? false],
  );
  return { token, maxAge: hours * 3600 };
}

/** Ends the session the request came with, if any: a login never continues an earlier session id (no fixation). */
export async function endRequestSession(q: Queryable, req: FastifyRequest) {
  const token = sessionToken(req);
  if (token) await q.query('DELETE FROM auth_session WHERE token_hash = $1', [sha256Hex(token)]);
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAge: number, secure: boolean) {
  reply.header('set-cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`);
}

/** Secure whenever the request reached us over HTTPS (directly or through the trusted proxy), or when forced. */
export const cookieSecure = (req: FastifyRequest, always: boolean) => always || req.protocol === 'https';

export function cookieValue(req: FastifyRequest, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=') || null;
  }
  return null;
}

export const sessionToken = (req: FastifyRequest) => cookieValue(req, COOKIE);

// --- known devices (login-backoff.ts: a browser the user logged in from before) --------------------

const DEVICE_DAYS = 180;
/** One cookie per account, so a shared desk PC stays known to each clerk who works at it. */
const deviceCookie = (accountKey: string) => `${DEVICE_COOKIE}_${sha256Hex(accountKey).slice(0, 12)}`;

/** The device token's hash when this browser has logged in to `accountKey` before, else null. */
export async function knownDevice(q: Queryable, req: FastifyRequest, accountKey: string): Promise<string | null> {
  const token = cookieValue(req, deviceCookie(accountKey));
  if (!token || token.length > 100) return null;
  const [row] = await q.query('SELECT token_hash FROM known_device WHERE token_hash = $1 AND account_key = $2', [sha256Hex(token), accountKey]);
  return row ? row.token_hash : null;
}

/** After a successful login: this browser is known to the account from now on. */
export async function rememberDevice(q: Queryable, req: FastifyRequest, reply: FastifyReply, accountKey: string, now: Date, secure: boolean) {
  const known = await knownDevice(q, req, accountKey);
  if (known) {
    await q.query('UPDATE known_device SET last_used_at = $2 WHERE token_hash = $1', [known, now.toISOString()]);
    return;
  }
  const token = randomToken();
  await q.query('INSERT INTO known_device (token_hash, account_key, created_at, last_used_at) VALUES ($1, $2, $3, $3)', [sha256Hex(token), accountKey, now.toISOString()]);
  reply.header('set-cookie', `${deviceCookie(accountKey)}=${token}; Path=/api/; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_DAYS * 86400}${secure ? '; Secure' : ''}`);
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

export async function principalFromToken(q: Queryable, token: string, now: Date, idleMinutes: number): Promise<Principal | null> {
  if (token.length > 100) return null;
  const idleSince = new Date(now.getTime() - idleMinutes * 60_000).toISOString();
  const [s] = await q.query(
    `SELECT s.token_hash, s.staff_id, s.applicant_id, s.last_seen_at, s.enrolment_only, u.username, u.display_name, u.active
     FROM auth_session s LEFT JOIN staff_user u ON u.id = s.staff_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND (s.staff_id IS NULL OR s.rights_version = u.rights_version)`,
    [sha256Hex(token), now.toISOString(), idleSince],
  );
  if (!s) return null;
  if (now.getTime() - new Date(s.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await q.query('UPDATE auth_session SET last_seen_at = $2 WHERE token_hash = $1', [s.token_hash, now.toISOString()]);
  }
  if (s.applicant_id) return { kind: 'applicant', id: s.applicant_id };
  if (!s.active) return null;
  return { kind: 'staff', id: s.staff_id, username: s.username, displayName: s.display_name, grants: await loadGrants(q, s.staff_id), ...(s.enrolment_only ? { enrolmentOnly: true } : {}) };
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
