/**
 * SEC-3 backoff instead of lockout. Every login attempt is counted against three keys before the
 * password is checked: the (account, client address) pair, the address across accounts (password
 * spraying), and the account from everywhere (guessing from many addresses). Each key lets a few
 * failures pass freely, then waits double as long after each further failure, up to a cap — so a
 * guesser gets a handful of tries per hour, while nobody can lock the real user out for good:
 * the waits end by themselves, and a browser the user logged in from before (a known device)
 * is counted only on its own pair key.
 */
export type ThrottleScope = 'pair' | 'address' | 'account' | 'sms_phone' | 'sms_address';

export const THROTTLE: Record<ThrottleScope, { free: number; firstWaitMs: number; capMs: number }> = {
  pair: { free: 5, firstWaitMs: 60_000, capMs: 15 * 60_000 },
  address: { free: 50, firstWaitMs: 60_000, capMs: 15 * 60_000 },
  account: { free: 20, firstWaitMs: 60_000, capMs: 15 * 60_000 },
  // SMS confirmation codes (auth/phone-codes.ts) use the same rule with every send counted: a phone
  // number gets a few messages, then waits (so nobody can flood someone's phone or burn the SMS
  // budget); an address gets more, since a village office or a mobile carrier's NAT shares one.
  sms_phone: { free: 3, firstWaitMs: 60_000, capMs: 60 * 60_000 },
  sms_address: { free: 20, firstWaitMs: 60_000, capMs: 60 * 60_000 },
};

/** Failures are forgotten a day after the last one. */
export const FAILURE_MEMORY_MS = 24 * 3600_000;

/** How long a key must wait after its `failures`-th failure (0 while still among the free ones). */
export function backoffMs(scope: ThrottleScope, failures: number): number {
  const { free, firstWaitMs, capMs } = THROTTLE[scope];
  if (failures < free) return 0;
  return Math.min(capMs, firstWaitMs * 2 ** Math.min(failures - free, 20));
}

export type ThrottleRow = { key: string; scope: ThrottleScope; failures: number; blockedUntil: Date | null; updatedAt: Date | null };

/**
 * Admits an attempt or not, and the rows as they are to be written when it is admitted: the attempt
 * counts as a failure from the start (it is undone on success), so parallel guesses all count.
 */
export function admit(rows: ThrottleRow[], now: Date): { admitted: true; next: ThrottleRow[] } | { admitted: false; retryAt: Date } {
  const blocked = rows.filter((r) => r.blockedUntil && r.blockedUntil > now && !stale(r, now));
  if (blocked.length) return { admitted: false, retryAt: new Date(Math.max(...blocked.map((r) => r.blockedUntil!.getTime()))) };
  const next = rows.map((r) => {
    const failures = (stale(r, now) ? 0 : r.failures) + 1;
    const wait = backoffMs(r.scope, failures);
    return { ...r, failures, blockedUntil: wait ? new Date(now.getTime() + wait) : null, updatedAt: now };
  });
  return { admitted: true, next };
}

const stale = (r: ThrottleRow, now: Date) => r.updatedAt !== null && now.getTime() - r.updatedAt.getTime() > FAILURE_MEMORY_MS;
