import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit, backoffMs, FAILURE_MEMORY_MS, THROTTLE, type ThrottleRow } from './login-backoff.js';

const row = (over: Partial<ThrottleRow> = {}): ThrottleRow => ({ key: 'pair:x', scope: 'pair', failures: 0, blockedUntil: null, updatedAt: null, ...over });
const now = new Date('2026-12-01T02:00:00Z');

test('SEC-3 backoff: free failures first, then doubling waits up to the cap', () => {
  const { free } = THROTTLE.pair;
  assert.equal(backoffMs('pair', free - 1), 0);
  assert.equal(backoffMs('pair', free), 60_000);
  assert.equal(backoffMs('pair', free + 1), 120_000);
  assert.equal(backoffMs('pair', free + 3), 480_000);
  assert.equal(backoffMs('pair', free + 10), 15 * 60_000, 'never more than the cap: nobody is locked out for good');
  assert.equal(backoffMs('account', 19), 0);
  assert.equal(backoffMs('account', 20), 60_000);
});

test('SEC-3 admit counts the attempt before the password is checked, and refuses while any key waits', () => {
  const first = admit([row({ failures: 4 })], now);
  assert.ok(first.admitted);
  assert.equal(first.next[0].failures, 5);
  assert.equal(first.next[0].blockedUntil?.getTime(), now.getTime() + 60_000);
  const blocked = admit([row({ failures: 5, blockedUntil: first.next[0].blockedUntil, updatedAt: now }), row({ key: 'addr:x', scope: 'address' })], new Date(now.getTime() + 1000));
  assert.deepEqual(blocked, { admitted: false, retryAt: first.next[0].blockedUntil });
  const later = admit([row({ failures: 5, blockedUntil: first.next[0].blockedUntil, updatedAt: now })], new Date(now.getTime() + 61_000));
  assert.ok(later.admitted, 'the wait ends by itself');
  assert.equal(later.admitted && later.next[0].blockedUntil?.getTime(), now.getTime() + 61_000 + 120_000);
});

test('SEC-3 failures are forgotten a day after the last one', () => {
  const old = new Date(now.getTime() - FAILURE_MEMORY_MS - 1);
  const r = admit([row({ failures: 9, blockedUntil: new Date(now.getTime() + 60_000), updatedAt: old })], now);
  assert.ok(r.admitted);
  assert.equal(r.admitted && r.next[0].failures, 1);
});
