import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCalendarDays, zhDate } from './dates.js';

test('SLA-1 dates in Chinese messages read 2026年11月23日, without leading zeros', () => {
  assert.equal(zhDate('2026-11-23'), '2026年11月23日');
  assert.equal(zhDate('2027-01-05T08:00:00Z'), '2027年1月5日');
  assert.equal(zhDate(null), '—');
});

test('SLA-1 calendar-day arithmetic crosses month, leap-day and year ends on plain dates', () => {
  assert.equal(addCalendarDays('2026-11-27', 8), '2026-12-05');
  assert.equal(addCalendarDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addCalendarDays('2026-12-29', 3), '2027-01-01');
  assert.equal(addCalendarDays('2026-11-27', 0), '2026-11-27');
});
