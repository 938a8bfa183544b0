import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import {
  addWorkingDays,
  calendarFromEntries,
  clockStatus,
  isWorkingDay,
  pauseClock,
  resumeClock,
  startClock,
  workingDaysBetween,
  type SlaClock,
} from './working-days.js';

// Hand-written from the State Council's 2026 holiday notice, Mid-Autumn and National Day only, so these tests do not depend on the seed package. 2026-09-20 (Sun) and 2026-10-10 (Sat)
// are make-up working days.
const entries = [
  ...['09-25', '09-26', '09-27'].map((d) => ({ date: `2026-${d}`, kind: 'holiday' as const, name: '中秋节' })),
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const })),
  { date: '2026-09-20', kind: 'workday' as const },
  { date: '2026-10-10', kind: 'workday' as const },
];
const cal = calendarFromEntries(entries, [2026]);

function assertCode(fn: () => unknown, code: string, zh?: RegExp, en?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, code);
    if (zh) assert.match(e.text.zh, zh);
    if (en) assert.match(e.text.en, en);
    return true;
  });
}

test('SLA-1 Mon–Fri are working days, weekends are not', () => {
  // 2026-03-02 is a Monday.
  const week = ['02', '03', '04', '05', '06', '07', '08'].map((d) => isWorkingDay(cal, `2026-03-${d}`));
  assert.deepEqual(week, [true, true, true, true, true, false, false]);
});

test('SLA-1 holidays are not working days and make-up weekend days are', () => {
  assert.equal(isWorkingDay(cal, '2026-10-01'), false); // Thursday, National Day
  assert.equal(isWorkingDay(cal, '2026-09-25'), false); // Friday, Mid-Autumn
  assert.equal(isWorkingDay(cal, '2026-09-20'), true); // Sunday, make-up
  assert.equal(isWorkingDay(cal, '2026-10-10'), true); // Saturday, make-up
  assert.equal(isWorkingDay(cal, '2026-10-11'), false); // ordinary Sunday
});

test('SLA-1 addWorkingDays skips weekends; the start day never counts', () => {
  assert.equal(addWorkingDays(cal, '2026-03-02', 0), '2026-03-02');
  assert.equal(addWorkingDays(cal, '2026-03-07', 0), '2026-03-07'); // a Saturday stays as given
  assert.equal(addWorkingDays(cal, '2026-03-06', 1), '2026-03-09'); // Fri → Mon
  assert.equal(addWorkingDays(cal, '2026-03-07', 1), '2026-03-09'); // Sat → Mon
  assert.equal(addWorkingDays(cal, '2026-03-05', 3), '2026-03-10');
  assert.equal(addWorkingDays(cal, '2026-03-02', 10), '2026-03-16');
  assert.equal(addWorkingDays(cal, '2026-02-27', 1), '2026-03-02'); // across a month end
});

test('SLA-1 addWorkingDays crosses the National Day holiday and counts make-up days', () => {
  assert.equal(addWorkingDays(cal, '2026-09-30', 1), '2026-10-08');
  assert.equal(addWorkingDays(cal, '2026-09-30', 3), '2026-10-10'); // Sat 10-10 is a make-up day
  assert.equal(addWorkingDays(cal, '2026-09-18', 1), '2026-09-20'); // Fri → make-up Sunday
  assert.equal(addWorkingDays(cal, '2026-09-24', 1), '2026-09-28'); // Mid-Autumn Fri–Sun skipped
  // Acceptance (3 WD) starting the day before the holiday ends after it, not inside it.
  assert.equal(addWorkingDays(cal, '2026-09-29', 3), '2026-10-09');
});

test('SLA-1 workingDaysBetween counts (from, to] and is negative backwards', () => {
  assert.equal(workingDaysBetween(cal, '2026-03-02', '2026-03-02'), 0);
  assert.equal(workingDaysBetween(cal, '2026-03-02', '2026-03-09'), 5);
  assert.equal(workingDaysBetween(cal, '2026-03-09', '2026-03-02'), -5);
  assert.equal(workingDaysBetween(cal, '2026-03-06', '2026-03-08'), 0); // only a weekend
  assert.equal(workingDaysBetween(cal, '2026-09-30', '2026-10-10'), 3);
  assert.equal(workingDaysBetween(cal, '2026-09-19', '2026-09-20'), 1);
});

test('SLA-1 property: workingDaysBetween undoes addWorkingDays for every start day of 2026', () => {
  for (let day = Date.UTC(2026, 0, 1); day <= Date.UTC(2026, 11, 1); day += 86_400_000) {
    const start = new Date(day).toISOString().slice(0, 10);
    for (const n of [0, 1, 3, 7, 10, 19]) {
      const due = addWorkingDays(cal, start, n);
      assert.equal(workingDaysBetween(cal, start, due), n, `${start} + ${n}`);
      if (n > 0) assert.equal(isWorkingDay(cal, due), true, `${start} + ${n} lands on a working day`);
    }
  }
});

test('SLA-1 dates are UTC calendar dates whatever the local timezone', () => {
  const saved = process.env.TZ;
  try {
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      assert.equal(addWorkingDays(cal, '2026-03-06', 1), '2026-03-09', tz);
      assert.equal(isWorkingDay(cal, '2026-03-07'), false, tz);
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test('SLA-1 refuses to compute with a year whose calendar is not loaded', () => {
  const unknown2027 = [/2027/, /2027/] as const;
  assertCode(() => addWorkingDays(cal, '2026-12-30', 5), 'calendar.unknown_year', ...unknown2027);
  assertCode(() => isWorkingDay(cal, '2025-06-02'), 'calendar.unknown_year', /2025 年.*请管理员/, /2025.*administrator/);
  assertCode(() => workingDaysBetween(cal, '2025-12-31', '2026-01-05'), 'calendar.unknown_year', /2025/);
  assertCode(() => workingDaysBetween(cal, '2026-06-01', '2028-01-05'), 'calendar.unknown_year', /2027/);
  assertCode(() => addWorkingDays(cal, '2025-12-31', 0), 'calendar.unknown_year');
  // Within the loaded year all is well, right up to 31 December.
  assert.equal(addWorkingDays(cal, '2026-12-28', 3), '2026-12-31');
  const twoYears = calendarFromEntries(entries, [2026, 2027]);
  assert.equal(addWorkingDays(twoYears, '2026-12-30', 3), '2027-01-04');
});

test('SLA-1 calendar data and counts are validated with bilingual messages', () => {
  assertCode(
    () => calendarFromEntries([...entries, { date: '2026-10-01', kind: 'workday' }], [2026]),
    'calendar.conflict',
    /2026-10-01.*同时/,
    /both as a holiday and as a make-up/,
  );
  assertCode(() => calendarFromEntries([{ date: '2026-02-30', kind: 'holiday' }], [2026]), 'date.format', /年-月-日/);
  assertCode(() => isWorkingDay(cal, '2026/03/02'), 'date.format', /2026\/03\/02/, /YYYY-MM-DD/);
  assertCode(() => addWorkingDays(cal, '2026-03-02', -1), 'calendar.bad_count');
  assertCode(() => addWorkingDays(cal, '2026-03-02', 1.5), 'calendar.bad_count');
  assertCode(() => startClock('2026-03-02', -3), 'calendar.bad_count', /时限/, /time-limit/);
});

test('SLA-1 a running clock counts down to its due date, then turns due-soon and overdue', () => {
  const clock = startClock('2026-03-02', 5);
  assert.deepEqual(clock, { startedOn: '2026-03-02', limitWd: 5, usedWd: 0, runningSince: '2026-03-02' });
  const at = (today: string) => clockStatus(cal, clock, today);
  assert.deepEqual(at('2026-03-02'), { dueOn: '2026-03-09', remainingWd: 5, overdue: false, dueSoon: false, paused: false });
  assert.deepEqual(at('2026-03-05'), { dueOn: '2026-03-09', remainingWd: 2, overdue: false, dueSoon: false, paused: false });
  assert.equal(at('2026-03-06').dueSoon, true);
  assert.equal(at('2026-03-06').remainingWd, 1);
  assert.equal(at('2026-03-09').remainingWd, 0);
  assert.deepEqual(at('2026-03-09'), { dueOn: '2026-03-09', remainingWd: 0, overdue: false, dueSoon: true, paused: false });
  assert.deepEqual(at('2026-03-10'), { dueOn: '2026-03-09', remainingWd: -1, overdue: true, dueSoon: false, paused: false });
  assert.equal(clockStatus(cal, clock, '2026-03-05', 3).dueSoon, true);
  // An event dated tomorrow has not used any time yet.
  assert.equal(at('2026-02-27').remainingWd, 5);
});

test('SLA-1 a stage due on Friday is overdue on the Saturday after', () => {
  const clock = startClock('2026-03-02', 4);
  assert.deepEqual(clockStatus(cal, clock, '2026-03-07'), {
    dueOn: '2026-03-06',
    remainingWd: 0,
    overdue: true,
    dueSoon: false,
    paused: false,
  });
});

test('SLA-1 pausing mid-week and resuming moves the due date by the paused working days', () => {
  const started = startClock('2026-03-02', 5); // due Mon 03-09
  const paused = pauseClock(cal, started, '2026-03-04'); // Tue and Wed used
  assert.deepEqual(paused, { startedOn: '2026-03-02', limitWd: 5, usedWd: 2, runningSince: null });
  assert.deepEqual(clockStatus(cal, paused, '2026-03-20'), {
    dueOn: null,
    remainingWd: 3,
    overdue: false,
    dueSoon: false,
    paused: true,
  });
  const resumed = resumeClock(paused, '2026-03-09'); // Thu, Fri, Mon were paused: 3 WD
  assert.deepEqual(resumed, { startedOn: '2026-03-02', limitWd: 5, usedWd: 2, runningSince: '2026-03-09' });
  const status = clockStatus(cal, resumed, '2026-03-09');
  assert.equal(status.dueOn, '2026-03-12');
  assert.equal(status.dueOn, addWorkingDays(cal, '2026-03-09', 3)); // original due date + 3 paused WD
  assert.equal(status.remainingWd, 3);
  assert.equal(clockStatus(cal, resumed, '2026-03-11').remainingWd, 1);
  assert.equal(clockStatus(cal, resumed, '2026-03-13').overdue, true);
});

test('SLA-1 clocks are immutable values and repeated pause or resume events are harmless', () => {
  const started = Object.freeze(startClock('2026-03-02', 5)) as SlaClock;
  const paused = Object.freeze(pauseClock(cal, started, '2026-03-04')) as SlaClock;
  assert.equal(started.usedWd, 0);
  assert.equal(pauseClock(cal, paused, '2026-03-06'), paused);
  const resumed = resumeClock(paused, '2026-03-09');
  assert.equal(resumeClock(resumed, '2026-03-10'), resumed);
  // Two pauses add up.
  const twice = pauseClock(cal, resumed, '2026-03-10');
  assert.equal(twice.usedWd, 3);
});

test('SLA-1 a pause over a holiday only moves the due date by the working days paused', () => {
  const clock = startClock('2026-09-28', 3); // counts 09-29, 09-30, then 10-08
  assert.equal(clockStatus(cal, clock, '2026-09-28').dueOn, '2026-10-08');
  const paused = pauseClock(cal, clock, '2026-09-29'); // one used
  const resumed = resumeClock(paused, '2026-10-09'); // paused 09-30, 10-08, 10-09
  assert.equal(clockStatus(cal, resumed, '2026-10-09').dueOn, '2026-10-12'); // 10-10 make-up, 10-12
});

test('SLA-1 pausing before the clock started is refused; overrun clocks stay overdue', () => {
  const clock = startClock('2026-03-04', 5);
  assertCode(() => pauseClock(cal, clock, '2026-03-02'), 'sla.pause_before_start', /暂停日期/, /pause date/);
  const overrun = pauseClock(cal, startClock('2026-03-02', 2), '2026-03-05'); // 3 WD used of 2
  assert.deepEqual(clockStatus(cal, overrun, '2026-03-05'), {
    dueOn: null,
    remainingWd: -1,
    overdue: true,
    dueSoon: false,
    paused: true,
  });
  const back = clockStatus(cal, resumeClock(overrun, '2026-03-09'), '2026-03-09');
  assert.equal(back.overdue, true);
  assert.equal(back.remainingWd, -1);
});
