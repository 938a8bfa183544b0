/**
 * A retried request (double click, network retry) with the same Idempotency-Key takes effect once:
 * the first run's answer is stored in the same transaction as its effects, and replayed after.
 * The key row is inserted first, so a concurrent duplicate waits on it and then replays the answer.
 */
import { invalid } from '../domain/errors.js';
import { sha256Hex } from './crypto.js';
import type { Db, Queryable } from './db.js';

export type Outcome<T> = { status: number; body: T; replayed: boolean };

export async function once<T>(
  db: Db,
  principal: string,
  key: string | undefined,
  request: unknown,
  work: (q: Queryable) => Promise<{ status: number; body: T }>,
): Promise<Outcome<T>> {
  if (!key) return { ...(await db.tx(work)), replayed: false };
  if (!/^[\w.:-]{8,100}$/.test(key)) {
    throw invalid('idempotency.key', 'Idempotency-Key 须为8至100位字母、数字或 ._:- 字符。', 'Idempotency-Key must be 8 to 100 letters, digits or ._:- characters.', 'Idempotency-Key');
  }
  const requestHash = sha256Hex(JSON.stringify(request));
  return db.tx(async (q) => {
    const inserted = await q.query(
      `INSERT INTO idempotency_record (principal, key, request_hash, status, body) VALUES ($1, $2, $3, 0, 'null')
       ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
      [principal, key, requestHash],
    );
    if (inserted.length === 0) {
      const [prior] = await q.query('SELECT request_hash, status, body FROM idempotency_record WHERE principal = $1 AND key = $2', [principal, key]);
      if (prior.request_hash !== requestHash) {
        throw invalid('idempotency.reused', '该 Idempotency-Key 已用于另一个不同的请求，请为新请求生成新的键。', 'This Idempotency-Key was already used for a different request; use a new key for a new request.', 'Idempotency-Key');
      }
      return { status: prior.status, body: prior.body as T, replayed: true };
    }
    const result = await work(q);
    await q.query('UPDATE idempotency_record SET status = $3, body = $4 WHERE principal = $1 AND key = $2', [principal, key, result.status, JSON.stringify(result.body)]);
    return { ...result, replayed: false };
  });
}
