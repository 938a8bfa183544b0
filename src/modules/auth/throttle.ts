/**
 * SEC-3: login attempts counted in the database before the password is checked (login-backoff.ts
 * holds the rule). The rows are locked in key order inside one short transaction, so 200 parallel
 * guesses are admitted one after another and only the free ones reach argon2; the lock is released
 * before the (slow) hash is checked.
 */
import { admit, type ThrottleRow, type ThrottleScope } from '../../domain/login-backoff.js';
import { DomainError, type Bilingual } from '../../domain/errors.js';
import type { Db } from '../../platform/db.js';

export type ThrottleKeys = { key: string; scope: ThrottleScope }[];

/** The keys an attempt counts against: a known device only its own pair; anyone else pair, address and account. */
export function throttleKeys(accountKey: string, address: string, knownDevice: string | null): ThrottleKeys {
  if (knownDevice) return [{ key: `pair:${accountKey}:device:${knownDevice}`, scope: 'pair' }];
  return [
    { key: `pair:${accountKey}:${address}`, scope: 'pair' },
    { key: `address:${address}`, scope: 'address' },
    { key: `account:${accountKey}`, scope: 'account' },
  ];
}

/** String.prototype.toWellFormed (ES2024): each lone surrogate becomes U+FFFD, as UTF-8 encoding makes it. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Counts the attempt, or refuses it (429, told as `refusal` says) while any of its keys waits. */
export async function admitAttempt(db: Db, keys: ThrottleKeys, now: Date, refusal: (retryAtChina: string) => Bilingual = loginRefusal): Promise<void> {
  // keys carry what the client typed: a lone surrogate reaches the database as U+FFFD, so compare the
  // well-formed form (the fuzzer found a 500 when the stored key no longer matched the one in hand)
  const sorted = keys.map((k) => ({ ...k, key: wellFormed(k.key) })).sort((a, b) => a.key.localeCompare(b.key));
  const verdict = await db.tx(async (q) => {
    await q.query(`INSERT INTO login_throttle (key, updated_at) SELECT unnest($1::text[]), $2 ON CONFLICT (key) DO NOTHING`, [sorted.map((k) => k.key), now.toISOString()]);
    const rows = await q.query(`SELECT key, failures, blocked_until, updated_at FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`, [sorted.map((k) => k.key)]);
    const current: ThrottleRow[] = sorted.map((k) => {
      const r = rows.find((x) => x.key === k.key)!;
      return { key: k.key, scope: k.scope, failures: r.failures, blockedUntil: r.blocked_until ? new Date(r.blocked_until) : null, updatedAt: r.failures ? new Date(r.updated_at) : null };
    });
    const v = admit(current, now);
    if (v.admitted) {
      await q.query(
        `UPDATE login_throttle t SET failures = n.failures, blocked_until = n.blocked_until, updated_at = $4
         FROM unnest($1::text[], $2::int[], $3::timestamptz[]) AS n(key, failures, blocked_until) WHERE t.key = n.key`,
        [v.next.map((r) => r.key), v.next.map((r) => r.failures), v.next.map((r) => r.blockedUntil?.toISOString() ?? null), now.toISOString()],
      );
    }
    return v;
  });
  if (!verdict.admitted) throw throttled(verdict.retryAt, now, refusal);
}

/** The password was right: the pair starts afresh, and this attempt no longer counts against address or account. */
export async function attemptSucceeded(db: Db, keys: ThrottleKeys) {
  const [pair, ...others] = keys;
  await db.query(`UPDATE login_throttle SET failures = 0, blocked_until = NULL WHERE key = $1`, [pair.key]);
  if (others.length) await db.query(`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ANY($1)`, [others.map((k) => k.key)]);
}

/** Clears an account's pair and account counters (an administrator reset its password). */
export async function clearAccountThrottle(db: Pick<Db, 'query'>, accountKey: string) {
  await db.query(`DELETE FROM login_throttle WHERE key = $1 OR key LIKE $2`, [`account:${accountKey}`, `pair:${accountKey.replace(/[\\%_]/g, (c) => '\\' + c)}:%`]);
}

const loginRefusal = (china: string): Bilingual => ({
  zh: `登录尝试过于频繁，请于北京时间 ${china} 之后再试。在您常用的电脑上登录不受此限制；如忘记密码请联系管理员。`,
  en: `Too many login attempts; try again after ${china} China time. Logging in from a computer you used before is not held back; if you forgot the password, ask an administrator.`,
});

const throttled = (retryAt: Date, now: Date, refusal: (retryAtChina: string) => Bilingual) => {
  const china = new Date(retryAt.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
  const err = new DomainError('rate_limited', 'auth.throttled', refusal(china));
  (err as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  return err;
};
