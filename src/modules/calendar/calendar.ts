/**
 * SLA-1: the working-day calendar lives in the database (calendar_year, calendar_day), seeded from
 * the State Council notices packaged by `chinese-days`, editable by an admin for later years.
 *
 * Years not yet published: due dates that reach into them are computed on weekdays less the holidays
 * the law fixes by date (元旦, 劳动节, 国庆节 — never a working day, notice or not) and flagged
 * provisional (`isProvisional`) rather than refused — a case must not stop on 20 December because
 * next year's notice is not out. When the year is published, open cases' due dates are recomputed
 * (`recomputeDueDates`).
 */
import { publishedHolidayEntries, publishedYears } from '../../domain/holiday-seed.js';
import { calendarFromEntries, clockStatus, fixedDateHolidays, type CalendarData, type CalendarEntry } from '../../domain/working-days.js';
import type { Db, Queryable } from '../../platform/db.js';

const PROVISIONAL_YEARS_AHEAD = 2;
const CACHE_MS = 60_000;

export type CalendarView = CalendarData & { publishedYears: number[] };

export class CalendarService {
  private cached: { at: number; cal: CalendarView } | null = null;
  constructor(private readonly db: Db) {}

  /** Inside a transaction pass its connection: PGlite has one connection, and waiting on it would deadlock. */
  async get(q: Queryable = this.db): Promise<CalendarView> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.cal;
    const years = (await q.query('SELECT year FROM calendar_year ORDER BY year')).map((r) => Number(r.year));
    const days = await q.query<{ day: string; kind: 'holiday' | 'workday'; name: string }>('SELECT day, kind, name FROM calendar_day');
    const last = years.length ? years[years.length - 1] : new Date().getUTCFullYear();
    // every unpublished year up to two years past the last published one (a gap left by publishing a
    // far year early stays computable too)
    const first = years.length ? years[0] : last;
    const provisional = Array.from({ length: last + PROVISIONAL_YEARS_AHEAD - first + 1 }, (_, i) => first + i).filter((y) => !years.includes(y));
    const cal = calendarFromEntries(
      [...days.map((d) => ({ date: d.day, kind: d.kind, name: d.name })), ...provisional.flatMap(fixedDateHolidays)],
      [...years, ...provisional],
    );
    const view = { ...cal, publishedYears: years };
    this.cached = { at: Date.now(), cal: view };
    return view;
  }

  invalidate() {
    this.cached = null;
  }
}

export const isProvisional = (cal: CalendarView, date: string | null) =>
  date != null && !cal.publishedYears.includes(Number(date.slice(0, 4)));

/** Replaces one year's entries (an admin publishing next year's notice, or the seed). */
export async function replaceYear(q: Queryable, year: number, entries: CalendarEntry[], source: string) {
  await q.query(`DELETE FROM calendar_day WHERE day >= $1 AND day <= $2`, [`${year}-01-01`, `${year}-12-31`]);
  if (entries.length) {
    await q.query(
      `INSERT INTO calendar_day (day, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])`,
      [entries.map((e) => e.date), entries.map((e) => e.kind), entries.map((e) => e.name ?? '')],
    );
  }
  await q.query(
    `INSERT INTO calendar_year (year, source, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, updated_at = now()`,
    [year, source],
  );
}

/** Seeds every year the State Council has published (as packaged), once. */
export async function seedPublishedCalendar(db: Db) {
  const have = new Set((await db.query('SELECT year FROM calendar_year')).map((r) => Number(r.year)));
  const years = publishedYears().filter((y) => !have.has(y));
  if (!years.length) return;
  const entries = publishedHolidayEntries(years);
  await db.tx(async (q) => {
    for (const y of years) await replaceYear(q, y, entries.filter((e) => e.date.startsWith(`${y}-`)), 'State Council notice via npm chinese-days');
  });
}

/**
 * SLA-1: after a year is published (or corrected), every open case's due date is computed again
 * from its running clock, so worklists and overdue counts follow the real holidays at once.
 */
export async function recomputeDueDates(q: Queryable, cal: CalendarData, today: string): Promise<number> {
  const open = await q.query<{ id: string; clocks: Record<string, any>; active_clock: string; due_on: string | null }>(
    `SELECT id, clocks, active_clock, due_on FROM case_file WHERE closed_at IS NULL AND active_clock IS NOT NULL AND due_on IS NOT NULL`,
  );
  const changed = open
    .map((c) => ({ id: c.id, dueOn: c.clocks[c.active_clock] ? clockStatus(cal, c.clocks[c.active_clock], today).dueOn : c.due_on }))
    .filter((c, i) => c.dueOn !== open[i].due_on);
  if (changed.length) {
    await q.query(`UPDATE case_file c SET due_on = t.due_on FROM unnest($1::uuid[], $2::date[]) AS t(id, due_on) WHERE c.id = t.id`, [changed.map((c) => c.id), changed.map((c) => c.dueOn)]);
  }
  return changed.length;
}
