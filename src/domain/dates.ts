/** Dates in messages: Chinese as 2026年11月23日 (national convention), English as ISO 2026-11-23. */
/** 'YYYY-MM-DD' plus n calendar days, in UTC so no time zone can shift the date. */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(date.slice(0, 10) + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function zhDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
