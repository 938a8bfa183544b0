/**
 * SEC-3: TOTP for staff (otplib; RFC 6238, the authenticator apps' defaults). The secret is
 * encrypted at rest; each accepted code's time step is stored so a code works once; ten one-time
 * recovery codes are shown once at enrolment and kept hashed. Whether a staff member must use it is
 * a policy-profile setting (`totpRequiredRoles`) of the province their grant is in.
 */
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context.js';
import { profileSettingsSchema } from '../../domain/profiles.js';
import { sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import type { StaffGrant } from './principal.js';

export const ISSUER = '通办 Tongban';
const RECOVERY_CODES = 10;

export const newTotpSecret = () => generateSecret();

/** The otpauth:// URI and its QR code (an SVG the enrolment page shows as an image). */
export async function enrolmentPicture(username: string, secret: string) {
  const uri = generateURI({ issuer: ISSUER, label: username, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { uri, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The time step of a valid 6-digit code at the service's clock (±1 step for clock drift), or null. */
export async function codeStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const r = await verify({ secret, token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: 30 });
  return r.valid ? (r as { timeStep: number }).timeStep : null;
}

/** Ten fresh recovery codes (xxxx-xxxx, no look-alike characters), returned once, stored hashed. */
export async function issueRecoveryCodes(q: Queryable, staffId: string): Promise<string[]> {
  const alphabet = '23456789abcdefghjkmnpqrstuvwxyz';
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const bytes = randomBytes(8);
    const s = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${s.slice(0, 4)}-${s.slice(4)}`;
  });
  await q.query('DELETE FROM staff_recovery_code WHERE staff_id = $1', [staffId]);
  await q.query('INSERT INTO staff_recovery_code (staff_id, code_hash) SELECT $1, unnest($2::text[])', [staffId, codes.map(recoveryHash)]);
  return codes;
}

const recoveryHash = (code: string) => sha256Hex(`recovery:${code.trim().toLowerCase()}`);

/** Uses up a recovery code, once: true when it was unused. */
export async function useRecoveryCode(q: Queryable, staffId: string, code: string, now: Date): Promise<boolean> {
  if (!/^[0-9a-z]{4}-[0-9a-z]{4}$/i.test(code.trim())) return false;
  const rows = await q.query('UPDATE staff_recovery_code SET used_at = $3 WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING staff_id', [staffId, recoveryHash(code), now.toISOString()]);
  return rows.length === 1;
}

/**
 * Accepts a TOTP code (once per time step) or a recovery code for an enrolled staff member.
 * The step is recorded with a compare-and-set, so the same code sent twice at once passes once.
 */
export async function acceptSecondFactor(ctx: AppContext, q: Queryable, staffId: string, code: string): Promise<boolean> {
  const [u] = await q.query('SELECT totp_secret_enc FROM staff_user WHERE id = $1 AND totp_enabled_at IS NOT NULL', [staffId]);
  if (!u) return false;
  const now = ctx.clock.now();
  const step = await codeStep(ctx.crypto.decrypt(u.totp_secret_enc), code.trim(), now);
  if (step !== null) {
    const rows = await q.query('UPDATE staff_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id', [staffId, step]);
    return rows.length === 1;
  }
  return useRecoveryCode(q, staffId, code, now);
}

/** Does the policy profile of any of these grants' provinces require TOTP for the grant's role? */
export async function totpRequired(q: Queryable, grants: StaffGrant[]): Promise<boolean> {
  if (!grants.length) return false;
  const rows = await q.query(
    `SELECT p.code, p.settings, pp.province_code FROM policy_profile p LEFT JOIN province_profile pp ON pp.profile_code = p.code`,
  );
  const settingsOf = (code: string) => profileSettingsSchema.parse(rows.find((r) => r.code === code)!.settings);
  return grants.some((g) => {
    const province = g.orgPath.split('.')[0];
    const profile = rows.find((r) => r.province_code === province)?.code ?? 'national';
    return settingsOf(profile).totpRequiredRoles.includes(g.role);
  });
}
