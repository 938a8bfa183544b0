/**
 * HOME-5 as a spreadsheet: one sheet of figures per county (with city subtotals and the total), one
 * of qualified persons per category and level. Headers carry both languages, as printed forms do.
 */
import { CATEGORIES, LEVELS, levelName } from '../../domain/disability.js';
import type { Bilingual } from '../../domain/errors.js';
import { HOME_REPORT_LABELS as L, HOME_REVIEW_LEVELS, REPORT_CATEGORIES, VISIT_MODES, VISIT_OUTCOMES, type HomeReportFigures } from '../../domain/home-report.js';
import { chinaDate } from '../../platform/clock.js';
import { xlsx, type Cell, type Sheet } from '../../platform/xlsx.js';
import type { CountyReport, HomeReport } from './queries.js';

const both = (b: Bilingual) => `${b.zh} ${b.en}`;
const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

const FIGURE_HEADERS = [
  both(L.requests),
  ...HOME_REVIEW_LEVELS.flatMap((l) => [L.approved, L.refused].map((d) => `${L.levels[l].zh}${d.zh} ${L.levels[l].en} ${d.en}`)),
  ...VISIT_MODES.flatMap((m) => VISIT_OUTCOMES.map((o) => `${L.modes[m].zh}${L.outcomes[o].zh} ${L.modes[m].en}: ${L.outcomes[o].en}`)),
  both(L.assessments),
  both(L.qualified),
  both(L.delivered),
  both(L.avgDays),
];

const figureCells = (f: HomeReportFigures): Cell[] => [
  f.requests,
  ...HOME_REVIEW_LEVELS.flatMap((l) => [f.reviews[l].approved, f.reviews[l].refused]),
  ...VISIT_MODES.flatMap((m) => VISIT_OUTCOMES.map((o) => f.visits[m][o])),
  f.assessments.total,
  f.assessments.qualified,
  f.delivered,
  oneDecimal(f.avgDaysToDelivery),
];

function status(c: CountyReport): string {
  if (c.submitted) return `已报送 Submitted ${chinaDate(new Date(c.submitted.at))}`;
  return c.overdue ? '逾期未报 Overdue' : '未报送 Not yet submitted';
}

function summary(r: HomeReport): Sheet {
  const header = ['县（区） County', '代码 Code', '地市 City', '统计期 Period', '截止日期 Due', '报送状态 Status', ...FIGURE_HEADERS];
  const rows: Cell[][] = r.counties.map((c) => [c.name, c.code, c.city.name, `${c.period.from} – ${c.period.to}`, c.period.dueOn, status(c), ...figureCells(c.figures)]);
  if (r.cities.length > 1) {
    for (const city of r.cities) rows.push([`${city.name} 小计 Subtotal`, city.code, city.name, null, null, `${city.submitted}/${city.counties} 已报送 submitted`, ...figureCells(city.figures)]);
  }
  if (r.counties.length > 1) {
    rows.push([both(L.total), null, null, null, null, `${r.counties.filter((c) => c.submitted).length}/${r.counties.length} 已报送 submitted`, ...figureCells(r.total)]);
  }
  return { name: '汇总 Summary', rows: [header, ...rows], widths: [20, 9, 14, 25, 12, 24, ...FIGURE_HEADERS.map(() => 14)] };
}

function byCategory(r: HomeReport): Sheet {
  const header = ['县（区） County', '类别 Category', ...LEVELS.map((l) => `${levelName(l, 'zh')} ${levelName(l, 'en')}`), both(L.total)];
  const lines = (name: string, f: HomeReportFigures): Cell[][] =>
    REPORT_CATEGORIES.map((c) => {
      const counts = f.assessments.byCategory[String(c)];
      return [name, both(CATEGORIES[c]), ...counts, counts.reduce((a, b) => a + b, 0)];
    });
  const rows = r.counties.flatMap((c) => lines(c.name, c.figures));
  if (r.counties.length > 1) rows.push(...lines(both(L.total), r.total));
  return { name: '类别等级 By category', rows: [header, ...rows], widths: [20, 28, 12, 12, 12, 12, 10] };
}

export const homeReportWorkbook = (r: HomeReport) => xlsx([summary(r), byCategory(r)]);
