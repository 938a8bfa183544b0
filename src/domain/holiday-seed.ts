/**
 * Seed data for the working-day calendar, taken from the State Council notices as packaged by
 * the npm package `chinese-days`. Only used to pre-fill the admin-editable calendar table; the
 * domain code never reads it directly. `inLieuDays` is skipped on purpose: those days are already
 * in `holidays`, the key only tells which of them were swapped for a weekend.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { invalid } from './errors.js';

export type PublishedEntry = { date: string; kind: 'holiday' | 'workday'; name: string };
type YearFile = { holidays?: Record<string, string>; workdays?: Record<string, string> };

const require = createRequire(import.meta.url);
const yearsDir = () => join(dirname(require.resolve('chinese-days/package.json')), 'dist', 'years');

/** Years the installed package has data for; next year usually appears only in November. */
export function publishedYears(): number[] {
  return readdirSync(yearsDir())
    .filter((f) => /^\d{4}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 4)))
    .sort((a, b) => a - b);
}

// Values look like "National Day,国庆节,3": English name, Chinese name, number of days off.
const displayName = (value: string) => {
  const [en, zh] = value.split(',');
  return zh ? `${zh} ${en}` : value;
};

export function publishedHolidayEntries(years: number[]): PublishedEntry[] {
  return years.flatMap((year) => {
    const file = join(yearsDir(), `${year}.json`);
    if (!existsSync(file)) {
      throw invalid(
        'calendar.unpublished_year',
        `尚无 ${year} 年的官方节假日安排数据。请在国务院办公厅发布通知后由管理员手工录入。`,
        `No official holiday schedule for ${year} is available yet. An administrator must enter it by hand once the State Council publishes it.`,
      );
    }
    const data = JSON.parse(readFileSync(file, 'utf8')) as YearFile;
    const pick = (days: Record<string, string> | undefined, kind: PublishedEntry['kind']) =>
      Object.entries(days ?? {})
        // The file for a year should only hold that year; guard so a seed never touches another year.
        .filter(([date]) => date.startsWith(`${year}-`))
        .map(([date, value]): PublishedEntry => ({ date, kind, name: displayName(value) }));
    return [...pick(data.holidays, 'holiday'), ...pick(data.workdays, 'workday')].sort((a, b) =>
      a.date.localeCompare(b.date),
    );
  });
}
