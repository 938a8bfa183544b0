import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import { publishedHolidayEntries, publishedYears } from './holiday-seed.js';
import { addWorkingDays, calendarFromEntries, isWorkingDay, workingDaysBetween } from './working-days.js';

const entries2026 = publishedHolidayEntries([2026]);
const cal = calendarFromEntries(publishedHolidayEntries([2025, 2026]), [2025, 2026]);

test('SLA-1 seed: 2026-10-01 is a published holiday with a bilingual name', () => {
  const oct1 = entries2026.find((e) => e.date === '2026-10-01');
  assert.deepEqual(oct1, { date: '2026-10-01', kind: 'holiday', name: '国庆节 National Day' });
  assert.equal(isWorkingDay(cal, '2026-10-01'), false);
  assert.ok(entries2026.every((e) => e.date.startsWith('2026-')));
});

test('SLA-1 seed: 2026 make-up working days fall on weekends and count as working days', () => {
  const makeups = entries2026.filter((e) => e.kind === 'workday').map((e) => e.date);
  assert.ok(makeups.length > 0);
  assert.ok(makeups.includes('2026-09-20') && makeups.includes('2026-10-10'));
  for (const date of makeups) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    assert.ok(weekday === 0 || weekday === 6, `${date} is a weekend day`);
    assert.equal(isWorkingDay(cal, date), true, date);
  }
});

test('SLA-1 seed: in-lieu days are not mistaken for make-up working days', () => {
  // 2026-10-07 is listed under inLieuDays in the package; it is a day off, not a working day.
  assert.equal(isWorkingDay(cal, '2026-10-07'), false);
  assert.equal(entries2026.filter((e) => e.date === '2026-10-07').length, 1);
});

test('SLA-1 seed: addWorkingDays across the 2026 National Day holiday', () => {
  assert.equal(addWorkingDays(cal, '2026-09-30', 1), '2026-10-08');
  assert.equal(addWorkingDays(cal, '2026-09-30', 3), '2026-10-10');
  // National "跨省通办" hukou-county stage: 7 WD from the last day before the holiday.
  assert.equal(addWorkingDays(cal, '2026-09-30', 7), '2026-10-15');
  // Sun 9-20 (make-up), 21–24, 28–30, 10-08, 10-09, Sat 10-10 (make-up), 10-12; Fri 9-25 is Mid-Autumn.
  assert.equal(workingDaysBetween(cal, '2026-09-18', '2026-10-12'), 12);
});

test('SLA-1 seed: the 2025 Spring Festival (28 Jan – 4 Feb) with make-up days 26 Jan and 8 Feb', () => {
  assert.equal(isWorkingDay(cal, '2025-01-26'), true); // Sunday, make-up
  assert.equal(isWorkingDay(cal, '2025-01-28'), false);
  assert.equal(isWorkingDay(cal, '2025-02-04'), false); // Tuesday, still holiday
  assert.equal(isWorkingDay(cal, '2025-02-08'), true); // Saturday, make-up
  assert.equal(addWorkingDays(cal, '2025-01-27', 1), '2025-02-05');
  assert.equal(addWorkingDays(cal, '2025-01-24', 3), '2025-02-05'); // Sun 26, Mon 27, Wed 5 Feb
  assert.equal(workingDaysBetween(cal, '2025-01-27', '2025-02-10'), 5); // 5, 6, 7, 8 Feb, 10 Feb
});

test('SLA-1 seed: a year the package has not published yet is refused, not invented', () => {
  const next = Math.max(...publishedYears()) + 1;
  assert.throws(
    () => publishedHolidayEntries([next]),
    (e: unknown) =>
      e instanceof DomainError &&
      e.code === 'calendar.unpublished_year' &&
      e.text.zh.includes(String(next)) &&
      e.text.en.includes(String(next)),
  );
  assert.ok(publishedYears().includes(2025) && publishedYears().includes(2026));
});
