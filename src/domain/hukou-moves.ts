/**
 * TRF-4's data: hukou moves shared by the police (公安户籍迁移数据), one CSV row per move, checked here
 * without touching the database. Like the legacy certificate import, every column of every row is
 * checked so one run names everything to fix, each problem with its line number, in both languages.
 *
 * Columns, in this order (a header line is allowed): ID number, moved-from division code, moved-to
 * division code, date of the move.
 */
import { parseCitizenId } from './citizen-id.js';
import { DomainError, type Bilingual } from './errors.js';
import { headerProblems, isHeaderLine, parseLegacyDate } from './legacy-certificates.js';

export const MOVE_COLUMNS = {
  idNumber: { zh: '身份证号码', en: 'ID number' },
  fromCode: { zh: '迁出地区划代码', en: 'moved-from division code' },
  toCode: { zh: '迁入地区划代码', en: 'moved-to division code' },
  movedOn: { zh: '迁移日期', en: 'date of the move' },
} as const satisfies Record<string, Bilingual>;
export type MoveColumn = keyof typeof MOVE_COLUMNS;
const ORDER = Object.keys(MOVE_COLUMNS) as MoveColumn[];

/** `column` is null when the problem is the row as a whole (its number of columns). */
export type MoveProblem = { line: number; column: MoveColumn | null } & Bilingual;
export type MoveRow = { line: number; idNumber: string; fromCode: string; toCode: string; movedOn: string };

const DIVISION = /^(\d{6}|\d{9}|\d{12})$/;

/** Checks one data row; `today` is the import day in China (a move cannot lie in the future). */
export function parseMoveRow(cells: string[], line: number, today: string): { row: MoveRow } | { problems: MoveProblem[]; idNumber?: string; movedOn?: string } {
  const problems: MoveProblem[] = [];
  const problem = (column: MoveColumn | null, zh: string, en: string) => problems.push({ line, column, zh, en });
  if (cells.length !== ORDER.length) {
    problem(
      null,
      `本行有${cells.length}列，应为${ORDER.length}列（${ORDER.map((c) => MOVE_COLUMNS[c].zh).join('、')}）。`,
      `This row has ${cells.length} columns; it needs ${ORDER.length} (${ORDER.map((c) => MOVE_COLUMNS[c].en).join(', ')}).`,
    );
    return { problems };
  }
  // NFKC: full-width digits typed with a Chinese input method become ASCII
  const cell = Object.fromEntries(ORDER.map((c, i) => [c, cells[i].normalize('NFKC').trim()])) as Record<MoveColumn, string>;

  let id: ReturnType<typeof parseCitizenId> | null = null;
  try {
    id = parseCitizenId(cell.idNumber, { today });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    problem('idNumber', e.text.zh, e.text.en);
  }
  for (const column of ['fromCode', 'toCode'] as const) {
    if (!DIVISION.test(cell[column])) {
      const name = MOVE_COLUMNS[column];
      problem(
        column,
        `${name.zh}“${cell[column]}”应为6位（县）、9位（乡镇街道）或12位（村社区）数字。`,
        `The ${name.en} "${cell[column]}" must have 6 (county), 9 (township) or 12 (village) digits.`,
      );
    }
  }
  if (cell.fromCode && cell.fromCode === cell.toCode) {
    problem('toCode', `迁入地与迁出地相同（${cell.toCode}），不是一次迁移。请核对两列。`, `The moved-to place is the moved-from place (${cell.toCode}), so this is no move. Check both columns.`);
  }

  const movedOn = parseLegacyDate(cell.movedOn);
  if (!movedOn) {
    problem('movedOn', `迁移日期“${cell.movedOn}”不是有效日期，请写作“年-月-日”，如 2026-05-20。`, `The date of the move "${cell.movedOn}" is not a real date; write it as YYYY-MM-DD, e.g. 2026-05-20.`);
  } else if (movedOn > today) {
    problem('movedOn', `迁移日期${movedOn}晚于今天。`, `The date of the move ${movedOn} is in the future.`);
  } else if (id && movedOn < id.birthDate) {
    problem('movedOn', `迁移日期${movedOn}早于此人的出生日期${id.birthDate}（见身份证号码）。`, `The date of the move ${movedOn} is before the person's birth date ${id.birthDate} (from the ID number).`);
  }

  if (problems.length) return { problems, idNumber: id?.id, movedOn: movedOn ?? undefined };
  return { row: { line, idNumber: id!.id, fromCode: cell.fromCode, toCode: cell.toCode, movedOn: movedOn! } };
}

/**
 * Every row of a file: the clean rows, or — if any row is wrong — all the problems, so a file loads
 * whole or not at all. One person moves at most once a day: a second row for the same person and
 * day is a problem naming both lines.
 */
export function validateMoveRows(lines: Iterable<{ line: number; cells: string[] }>, today: string) {
  const rows: MoveRow[] = [];
  const problems: MoveProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of lines) {
    if (line === 1 && isHeaderLine(cells)) {
      problems.push(...headerProblems(cells, MOVE_COLUMNS, line));
      continue;
    }
    const r = parseMoveRow(cells, line, today);
    const key = 'row' in r ? `${r.row.idNumber} ${r.row.movedOn}` : r.idNumber && r.movedOn ? `${r.idNumber} ${r.movedOn}` : null;
    const first = key === null ? undefined : firstLine.get(key);
    if (first !== undefined) {
      problems.push({
        line,
        column: 'idNumber',
        zh: `与第${first}行是同一人同一天的迁移：每次迁移只能出现一次。请删除或合并第${first}行和第${line}行。`,
        en: `Same person and day as line ${first}: each move may appear only once. Remove or merge lines ${first} and ${line}.`,
      });
    } else if (key !== null) firstLine.set(key, line);
    if ('problems' in r) problems.push(...r.problems);
    else if (first === undefined) rows.push(r.row);
  }
  return { rows, problems };
}

/** Problems the database finds, worded like the row checks. */
export const moveDbProblems = {
  unknownDivision: (line: number, column: 'fromCode' | 'toCode', code: string): MoveProblem => ({
    line,
    column,
    zh: `${MOVE_COLUMNS[column].zh}“${code}”不存在。请核对代码，或先导入该区划（import-divisions）。`,
    en: `The ${MOVE_COLUMNS[column].en} "${code}" does not exist. Check the code, or import the division first (import-divisions).`,
  }),
  outsideJurisdiction: (line: number): MoveProblem => ({
    line,
    column: 'fromCode',
    zh: '迁出地和迁入地都不在您的管辖范围内，不能导入此行。',
    en: 'Neither the moved-from nor the moved-to place is in your jurisdiction, so this row cannot be imported.',
  }),
};
