/**
 * Working days (WD) and SLA clocks (SLA-1).
 *
 * The official calendar changes every year by State Council notice, so holidays and make-up
 * working days (调休) are DATA passed in; the only rule coded here is "Mon–Fri work, Sat–Sun rest".
 * A year that is not in the data is refused rather than guessed: a wrong due date on a legal
 * time limit is worse than an error that tells an admin to load the calendar.
 *
 * Dates are 'YYYY-MM-DD' strings handled as UTC day numbers, so the server's timezone can never
 * shift a date by one.
 */
import { invalid } from './errors.js';

export type IsoDate = string;

export type CalendarData = {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
  knownYears: ReadonlySet<number>;
};

export type CalendarEntry = { date: string; kind: 'holiday' | 'workday'; name?: string };

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999, so compare the year too.
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function assertIsoDate(date: string): void {
  if (!isIsoDate(date)) {
    throw invalid(
      'date.format',
      `日期“${date}”无效，请使用“年-月-日”格式（如 2026-03-02），并确认该日期存在。`,
      `The date "${date}" is not valid. Use the YYYY-MM-DD form (e.g. 2026-03-02) and make sure the date exists.`,
    );
  }
}

function toDay(date: string): number {
  assertIsoDate(date);
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

function fromDay(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const yearOf = (day: number) => new Date(day * MS_PER_DAY).getUTCFullYear();

/** Refuses when any year in the span has no official calendar loaded. */
function assertYearsKnown(cal: CalendarData, a: number, b: number): void {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  for (let y = yearOf(lo); y <= yearOf(hi); y++) {
    if (!cal.knownYears.has(y)) {
      throw invalid(
        'calendar.unknown_year',
        `系统中没有 ${y} 年的节假日安排，无法计算工作日。请管理员先录入 ${y} 年的法定节假日和调休上班日。`,
        `The holiday calendar for ${y} is not loaded, so working days cannot be computed. ` +
          `An administrator must first enter the ${y} public holidays and make-up working days.`,
      );
    }
  }
}

// Limits come from admin-edited regional profiles (SLA-4), so a bad one must explain itself.
function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw invalid(
      'calendar.bad_count',
      `工作日数必须是 0 或正整数，收到的是“${n}”。请检查时限设置。`,
      `A number of working days must be a whole number, zero or more; got "${n}". Check the time-limit settings.`,
    );
  }
}

/**
 * SLA-1: the holidays whose solar dates the law fixes (《全国年节及纪念日放假办法》 as revised by State
 * Council Decree No. 795, in force from 2025-01-01: 元旦 1 January; 劳动节 1–2 May; 国庆节 1–3 October).
 * They are holidays in every year, before the State Council's yearly notice says which weekends are
 * swapped, so a due date guessed for an unpublished year never lands on one of them. The lunar holidays
 * (春节, 清明, 端午, 中秋) and the make-up working days only come with the notice.
 */
export const FIXED_DATE_HOLIDAYS: readonly { monthDay: string; zh: string; en: string }[] = [
  { monthDay: '01-01', zh: '元旦', en: "New Year's Day" },
  { monthDay: '05-01', zh: '劳动节', en: 'Labour Day' },
  { monthDay: '05-02', zh: '劳动节', en: 'Labour Day' },
  { monthDay: '10-01', zh: '国庆节', en: 'National Day' },
  { monthDay: '10-02', zh: '国庆节', en: 'National Day' },
  { monthDay: '10-03', zh: '国庆节', en: 'National Day' },
];

/** The fixed-date holidays of a year not yet published, as calendar entries (their dates are provisional only in being incomplete). */
export const fixedDateHolidays = (year: number): CalendarEntry[] =>
  FIXED_DATE_HOLIDAYS.map((h) => ({ date: `${year}-${h.monthDay}`, kind: 'holiday', name: `${h.zh} ${h.en}（法定，待国务院通知）` }));

export function calendarFromEntries(entries: CalendarEntry[], knownYears: number[]): CalendarData {
  const holidays = new Set<string>();
  const makeupWorkdays = new Set<string>();
  for (const e of entries) {
    toDay(e.date);
    (e.kind === 'holiday' ? holidays : makeupWorkdays).add(e.date);
  }
  // A day that is both would make the answer depend on which rule we check first.
  for (const d of holidays) {
    if (makeupWorkdays.has(d)) {
      throw invalid(
        'calendar.conflict',
        `${d} 同时被登记为节假日和调休上班日，请删除其中一条。`,
        `${d} is entered both as a holiday and as a make-up working day. Remove one of the two entries.`,
      );
    }
  }
  return { holidays, makeupWorkdays, knownYears: new Set(knownYears) };
}

function isWorkingDayNumber(cal: CalendarData, day: number): boolean {
  const date = fromDay(day);
  if (cal.makeupWorkdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

export function isWorkingDay(cal: CalendarData, date: string): boolean {
  const day = toDay(date);
  assertYearsKnown(cal, day, day);
  return isWorkingDayNumber(cal, day);
}

/** The n-th working day after startDate; startDate itself never counts, so n = 0 gives startDate. */
export function addWorkingDays(cal: CalendarData, startDate: string, n: number): IsoDate {
  assertCount(n);
  let day = toDay(startDate);
  assertYearsKnown(cal, day, day);
  for (let found = 0; found < n; ) {
    day++;
    assertYearsKnown(cal, day, day);
    if (isWorkingDayNumber(cal, day)) found++;
  }
  return fromDay(day);
}

/** Working days in (from, to]; negative when to is before from, so the two directions agree. */
export function workingDaysBetween(cal: CalendarData, from: string, to: string): number {
  const a = toDay(from);
  const b = toDay(to);
  assertYearsKnown(cal, a, b);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day++) if (isWorkingDayNumber(cal, day)) count++;
  return sign * count;
}

// ---------------------------------------------------------------------------------------------
// SLA clock. Immutable so a case can store it in a column and every transition is auditable.

export type SlaClock = {
  startedOn: string;
  limitWd: number;
  usedWd: number;
  runningSince: string | null; // null = paused (waiting for the applicant)
};

export type ClockStatus = {
  dueOn: string | null;
  remainingWd: number;
  overdue: boolean;
  dueSoon: boolean;
  paused: boolean;
};

export function startClock(startedOn: string, limitWd: number): SlaClock {
  toDay(startedOn);
  assertCount(limitWd);
  return { startedOn, limitWd, usedWd: 0, runningSince: startedOn };
}

/**
 * Working days up to and including the pause day are used; the days after it are not, because
 * a pause is recorded when the office hands the case to the applicant at the end of that day.
 * Pausing a paused clock is a no-op so a repeated event cannot double-count.
 */
export function pauseClock(cal: CalendarData, clock: SlaClock, on: string): SlaClock {
  if (clock.runningSince === null) return clock;
  const elapsed = workingDaysBetween(cal, clock.runningSince, on);
  if (on < clock.runningSince) {
    throw invalid(
      'sla.pause_before_start',
      `暂停日期 ${on} 早于计时开始日期 ${clock.runningSince}，请核对日期。`,
      `The pause date ${on} is before the clock started running on ${clock.runningSince}. Check the date.`,
    );
  }
  return { ...clock, usedWd: clock.usedWd + elapsed, runningSince: null };
}

/** The resume day itself is not counted: the applicant's answer arrives during that day. */
export function resumeClock(clock: SlaClock, on: string): SlaClock {
  toDay(on);
  if (clock.runningSince !== null) return clock;
  return { ...clock, runningSince: on };
}

/**
 * Overdue means the due date has passed (a stage due on Friday is overdue on Saturday), or, for a
 * paused clock, that more working days were used than allowed. Paused clocks are never "due soon":
 * the office is waiting for the applicant and has nothing to hurry.
 */
export function clockStatus(cal: CalendarData, clock: SlaClock, today: string, dueSoonWd = 1): ClockStatus {
  const left = clock.limitWd - clock.usedWd;
  if (clock.runningSince === null) {
    return { dueOn: null, remainingWd: left, overdue: left < 0, dueSoon: false, paused: true };
  }
  // A clock started "tomorrow" (future-dated event) has used nothing yet.
  const elapsed = Math.max(0, workingDaysBetween(cal, clock.runningSince, today));
  const remainingWd = left - elapsed;
  // Past the limit already (used up before a pause): the due date is no later than the restart.
  const dueOn = addWorkingDays(cal, clock.runningSince, Math.max(0, left));
  const overdue = remainingWd < 0 || today > dueOn;
  return { dueOn, remainingWd, overdue, dueSoon: !overdue && remainingWd <= dueSoonWd, paused: false };
}
