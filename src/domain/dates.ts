/** Dates in messages: Chinese as 2026年11月23日 (national convention), English as ISO 2026-11-23. */
/** 'YYYY-MM-DD' plus n calendar days, in UTC so no time zone can shift the date. */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(date.slice(0, 10) + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * 'YYYY-MM-DD' plus n calendar years. A day the target year does not have (29 February) becomes the
 * month's last day, as the Civil Code counts periods in years (民法典 第二百零二条).
 */
export function addCalendarYears(date: string, years: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const out = new Date(Date.UTC(y + years, m - 1, d));
  if (out.getUTCMonth() !== m - 1) out.setUTCDate(0);
  return out.toISOString().slice(0, 10);
}

/**
 * 'YYYY-MM-DD' plus n calendar months (n may be negative). A day the target month lacks falls back
 * to its last day: 31 August + 6 months is 28 (or 29) February, as people count "six months later".
 */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const end = new Date(Date.UTC(y, m - 1 + months + 1, 0)); // the target month's last day
  end.setUTCDate(Math.min(d, end.getUTCDate()));
  return end.toISOString().slice(0, 10);
}

export function zhDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
