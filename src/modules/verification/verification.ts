/**
 * SEC-4 public verification of a card: the token's signature is checked first (tokens.ts), then one
 * primary-key read of the card it names. The answer holds the status, the masked name, category and
 * level, and validity — nothing else (no ID number, no certificate number, no address).
 */
import type { AppContext } from '../../app-context.js';
import { unknownCard, VERIFICATION_STATUS, verificationStatus, type VerificationStatus } from '../../domain/cards.js';
import { categoryName, levelName, type CertificateCategory, type Level } from '../../domain/disability.js';
import { DomainError, type Bilingual } from '../../domain/errors.js';
import { maskName } from '../persons/persons.js';
import { checkCardToken } from './tokens.js';

export type Verification = {
  status: VerificationStatus;
  statusText: Bilingual;
  holder: string;
  category: { code: number; zh: string; en: string };
  level: { code: number; zh: string; en: string };
  validFrom: string;
  validUntil: string;
  checkedAt: string;
};

export async function verifyCard(ctx: AppContext, token: string): Promise<Verification> {
  const ref = checkCardToken(ctx.config.cardSigningKeyFile, token);
  const [c] = await ctx.db.query(
    `SELECT c.state, c.replaced_by, c.valid_from, c.valid_until, c.category, c.level, c.card_no, p.name_enc
     FROM certificate c JOIN person p ON p.id = c.person_id WHERE c.id = $1`,
    [ref.certificateId],
  );
  // a signed token for a card that is gone (or of another card number) is still no card of ours
  if (!c || c.card_no !== ref.cardNo) throw unknownCard();
  const validUntil = String(c.valid_until).slice(0, 10);
  const status = verificationStatus({ state: c.state, replacedBy: c.replaced_by, validUntil }, ctx.clock.today());
  return {
    status,
    statusText: VERIFICATION_STATUS[status],
    holder: maskName(ctx.crypto.decrypt(c.name_enc)),
    category: { code: c.category, zh: categoryName(c.category as CertificateCategory, 'zh'), en: categoryName(c.category as CertificateCategory, 'en') },
    level: { code: c.level, zh: levelName(c.level as Level, 'zh'), en: levelName(c.level as Level, 'en') },
    validFrom: String(c.valid_from).slice(0, 10),
    validUntil,
    checkedAt: ctx.clock.now().toISOString(),
  };
}

/**
 * Requests per client address: a token bucket of `burst` requests refilled at `perMinute`, in
 * process memory (each app copy counts its own; enough to make enumeration pointless, as the
 * signature already makes it hopeless). Buckets of quiet clients are dropped when the map grows.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly burst = 30, private readonly perMinute = 30, private readonly now = () => Date.now()) {}

  take(client: string): void {
    const t = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    if (b.tokens < 1) {
      const wait = Math.ceil(((1 - b.tokens) * 60) / this.perMinute);
      this.buckets.set(client, b);
      throw Object.assign(
        new DomainError('rate_limited', 'verify.rate_limited', {
          zh: `核验请求过于频繁，请${wait}秒后再试。`,
          en: `Too many verification requests; try again in ${wait} seconds.`,
        }),
        { retryAfterSeconds: wait },
      );
    }
    b.tokens -= 1;
    this.buckets.set(client, b);
    if (this.buckets.size > 100_000) this.prune(t);
  }

  private prune(t: number) {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 60_000) * this.perMinute >= this.burst) this.buckets.delete(k);
  }
}
