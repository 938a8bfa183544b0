/** Dates in messages: Chinese as 2026年11月23日 (national convention), English as ISO 2026-11-23. */
export function zhDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
