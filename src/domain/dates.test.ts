import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zhDate } from './dates.js';

test('SLA-1 dates in Chinese messages read 2026年11月23日, without leading zeros', () => {
  assert.equal(zhDate('2026-11-23'), '2026年11月23日');
  assert.equal(zhDate('2027-01-05T08:00:00Z'), '2027年1月5日');
  assert.equal(zhDate(null), '—');
});
