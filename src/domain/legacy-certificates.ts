/**
 * Existing certificate holders from a county's old system (issue 5 item 8): one CSV row per holder,
 * checked here without touching the database. Every column of every row is checked, so one run of
 * the import tells the operator everything to fix in the file; a row comes out either as a clean
 * certificate or as its list of bilingual problems, each with the file's line number.
 *
 * Columns, in this order (a header line is allowed): ID number, name, categories/levels ("4-2", or
 * "1-3;4-2" for a multiple disability), issue date, validity end, visual assessment (目测: 是/否),
 * hukou division code, then optionally phone and address.
 */
import { certificateNumber, maskCertificateNumber } from './certificate-number.js';
import { CERTIFICATE_STATES, validityEnd, type CertificateState } from './certificates.js';
import { parseCitizenId } from './citizen-id.js';
import { certificateCategoryAndLevel, validateDisabilities, type CertificateCategory, type Disability, type Level } from './disability.js';
import { DomainError, type Bilingual } from './errors.js';
import { isIsoDate } from './working-days.js';

export const LEGACY_COLUMNS = {
  idNumber: { zh: '身份证号码', en: 'ID number' },
  name: { zh: '姓名', en: 'name' },
  disabilities: { zh: '残疾类别等级', en: 'categories/levels' },
  issuedOn: { zh: '发证日期', en: 'issue date' },
  validUntil: { zh: '有效期至', en: 'validity end' },
  visualAssessment: { zh: '目测', en: 'visual assessment' },
  hukouCode: { zh: '户籍地区划代码', en: 'hukou division code' },
  phone: { zh: '电话', en: 'phone' },
  address: { zh: '地址', en: 'address' },
} as const satisfies Record<string, Bilingual>;
export type LegacyColumn = keyof typeof LEGACY_COLUMNS;
const ORDER = Object.keys(LEGACY_COLUMNS) as LegacyColumn[];
const REQUIRED = 7;

/** `column` is null when the problem is the row as a whole (its number of columns). */
export type LegacyProblem = { line: number; column: LegacyColumn | null } & Bilingual;

export type LegacyRow = {
  line: number;
  idNumber: string; // always the 18-character form
  birthDate: string;
  sex: 'M' | 'F';
  name: string;
  disabilities: Disability[];
  number: string;
  category: CertificateCategory;
  level: Level;
  issuedOn: string;
  validUntil: string;
  /** expired when the validity ended before the import day */
  state: 'active' | 'expired';
  visualAssessment: boolean;
  hukouCode: string;
  phone?: string;
  address?: string;
};

/** Visual assessment was given up in 2018 (RENEW-2, TRF-3): a later certificate cannot carry the flag. */
export const VISUAL_ASSESSMENT_ENDED = '2018-01-01';
const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0']);

/**
 * Dates as spreadsheets export them: 2016-05-20, 2016/5/20, 2016.5.20, 2016年5月20日 or 20160520.
 * Returns 'YYYY-MM-DD', or null when the text is no real date.
 */
export function parseLegacyDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * A header line, when a file has one, must name the columns in order (Chinese or English titles,
 * as the documentation lists them): a file whose columns are in another order would otherwise load
 * values into the wrong fields, or be refused row by row with puzzling messages.
 */
/**
 * A header cell names its column by the documented title in either language, or by the start of the
 * Chinese one (迁出地 for 迁出地区划代码, 身份证号 for 身份证号码) — the short forms offices write.
 */
const headerMatches = (cell: string, zh: string, en: string) => cell === zh || cell === en || (cell.length >= 2 && zh.startsWith(cell));

export function headerProblems<C extends string>(cells: string[], columns: Record<C, Bilingual>, line = 1, required = Object.keys(columns).length): ({ line: number; column: C | null } & Bilingual)[] {
  const keys = Object.keys(columns) as C[];
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const problems: ({ line: number; column: C | null } & Bilingual)[] = [];
  const order = { zh: keys.map((k) => columns[k].zh).join('、'), en: keys.map((k) => columns[k].en).join(', ') };
  cells.forEach((cell, i) => {
    if (cell.trim() === '' && i >= required) return;
    const want = keys[i];
    if (!want) {
      problems.push({ line, column: null, zh: `表头第${i + 1}列“${cell}”是多余的列。列的顺序应为：${order.zh}。`, en: `Header column ${i + 1} "${cell}" is one too many. The columns must be, in order: ${order.en}.` });
    } else if (!headerMatches(norm(cell), norm(columns[want].zh), norm(columns[want].en))) {
      problems.push({
        line,
        column: want,
        zh: `表头第${i + 1}列应为“${columns[want].zh}”，实为“${cell}”。请按此顺序排列各列：${order.zh}。`,
        en: `Header column ${i + 1} must be "${columns[want].en}" (${columns[want].zh}), not "${cell}". Put the columns in this order: ${order.en}.`,
      });
    }
  });
  const given = cells.reduce((n, c, i) => (c.trim() ? i + 1 : n), 0);
  if (given < required) {
    const missing = keys.slice(given, required);
    problems.push({
      line,
      column: null,
      zh: `表头缺少以下列：${missing.map((k) => columns[k].zh).join('、')}。列的顺序应为：${order.zh}。`,
      en: `The header lacks these columns: ${missing.map((k) => columns[k].en).join(', ')}. The columns must be, in order: ${order.en}.`,
    });
  }
  return problems;
}

/** A header line is told apart by its first cell: an ID number always has digits, a column title none. */
export const isHeaderLine = (cells: string[]) => !/\d/.test(cells[0] ?? '');

/**
 * Checks one data row; `today` is the import day in China (expiry, dates in the future). A row with
 * problems still gives its ID number when that is right, so duplicates are found among all rows.
 */
export function parseLegacyRow(cells: string[], line: number, today: string): { row: LegacyRow } | { problems: LegacyProblem[]; idNumber?: string } {
  const problems: LegacyProblem[] = [];
  const problem = (column: LegacyColumn | null, zh: string, en: string) => problems.push({ line, column, zh, en });
  if (cells.length < REQUIRED || cells.length > ORDER.length) {
    problem(
      null,
      `本行有${cells.length}列，应为${REQUIRED}至${ORDER.length}列（${ORDER.map((c) => LEGACY_COLUMNS[c].zh).join('、')}，后两列可省略）。含逗号的内容（如地址）须用英文双引号括起。`,
      `This row has ${cells.length} columns; it needs ${REQUIRED} to ${ORDER.length} (${ORDER.map((c) => LEGACY_COLUMNS[c].en).join(', ')}; the last two may be left out). Put text containing a comma (e.g. an address) in double quotes.`,
    );
    return { problems };
  }
  // NFKC: full-width digits, letters and punctuation typed with a Chinese input method become ASCII
  const cell = Object.fromEntries(ORDER.map((c, i) => [c, (cells[i] ?? '').normalize('NFKC').trim()])) as Record<LegacyColumn, string>;

  let id: ReturnType<typeof parseCitizenId> | null = null;
  try {
    id = parseCitizenId(cell.idNumber, { today });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    problem('idNumber', e.text.zh, e.text.en);
  }

  const name = cell.name.replace(/\s+/g, ' ');
  if (!name) problem('name', '姓名为空。', 'The name is empty.');
  else if (/\d/.test(name)) {
    // names and phones are not repeated in the report (SEC-1): it may end up in a terminal log
    problem('name', '姓名中含有数字，可能是列的顺序错了。请核对本行各列。', "The name contains digits; the columns may be out of order. Check this row's columns.");
  } else if (name.length > 50) problem('name', `姓名超过50个字符（${name.length}个）。`, `The name is longer than 50 characters (${name.length}).`);

  let disabilities: Disability[] | null = null;
  const parts = cell.disabilities.split(';').map((p) => p.trim()).filter(Boolean);
  const pairs = parts.map((p) => /^(\d)\s*-\s*(\d)$/.exec(p));
  if (!parts.length || pairs.some((m) => !m)) {
    problem(
      'disabilities',
      `残疾类别等级“${cell.disabilities}”格式有误：每项写作“类别-等级”，如肢体二级写“4-2”；多重残疾逐项列出，用分号隔开，如“1-3;4-2”。`,
      `Categories/levels "${cell.disabilities}" are not in the expected form: write each as category-level, e.g. "4-2" for physical level 2; list each disability of a multiple one, separated by semicolons, e.g. "1-3;4-2".`,
    );
  } else {
    try {
      disabilities = validateDisabilities(pairs.map((m) => ({ category: Number(m![1]), level: Number(m![2]) })));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problem('disabilities', e.text.zh, e.text.en);
    }
  }

  const issuedOn = parseLegacyDate(cell.issuedOn);
  const dateForm = { zh: '请写作“年-月-日”，如 2016-05-20', en: 'write it as YYYY-MM-DD, e.g. 2016-05-20' };
  if (!issuedOn) problem('issuedOn', `发证日期“${cell.issuedOn}”不是有效日期，${dateForm.zh}。`, `The issue date "${cell.issuedOn}" is not a real date; ${dateForm.en}.`);
  else if (issuedOn > today) problem('issuedOn', `发证日期${issuedOn}晚于今天。`, `The issue date ${issuedOn} is in the future.`);
  else if (id && issuedOn < id.birthDate) {
    problem('issuedOn', `发证日期${issuedOn}早于持证人的出生日期${id.birthDate}（见身份证号码）。`, `The issue date ${issuedOn} is before the holder's birth date ${id.birthDate} (from the ID number).`);
  }

  const validUntil = parseLegacyDate(cell.validUntil);
  if (!validUntil) problem('validUntil', `有效期至“${cell.validUntil}”不是有效日期，${dateForm.zh}。`, `The validity end "${cell.validUntil}" is not a real date; ${dateForm.en}.`);
  else if (issuedOn && validUntil <= issuedOn) {
    problem('validUntil', `有效期至${validUntil}不晚于发证日期${issuedOn}。`, `The validity end ${validUntil} is not after the issue date ${issuedOn}.`);
  } else if (issuedOn && validUntil > validityEnd(issuedOn)) {
    problem(
      'validUntil',
      `有效期至${validUntil}超过了发证日期起10年（${validityEnd(issuedOn)}）：残疾人证有效期为10年。请核对两个日期。`,
      `The validity end ${validUntil} is more than ten years after the issue date (${validityEnd(issuedOn)}): a certificate is valid for ten years. Check both dates.`,
    );
  }

  const flag = cell.visualAssessment.toLowerCase();
  const visualAssessment = YES.has(flag) ? true : NO.has(flag) ? false : null;
  if (visualAssessment === null) {
    problem(
      'visualAssessment',
      `目测标记“${cell.visualAssessment}”无法识别：2018年以前以目测评定的证填“是”，其余填“否”。`,
      `The visual-assessment flag "${cell.visualAssessment}" is not understood: write 是 (yes) for a pre-2018 certificate assessed by sight, 否 (no) otherwise.`,
    );
  } else if (visualAssessment && issuedOn && issuedOn >= VISUAL_ASSESSMENT_ENDED) {
    problem(
      'visualAssessment',
      `本证发于${issuedOn}，但目测评定只见于2018年以前发放的证。请核对目测标记或发证日期。`,
      `This certificate was issued on ${issuedOn}, but only certificates issued before 2018 were assessed by sight. Check the flag or the issue date.`,
    );
  }

  if (!/^(\d{6}|\d{9}|\d{12})$/.test(cell.hukouCode)) {
    problem(
      'hukouCode',
      `户籍地区划代码“${cell.hukouCode}”应为6位（县）、9位（乡镇街道）或12位（村社区）数字。`,
      `The hukou division code "${cell.hukouCode}" must have 6 (county), 9 (township) or 12 (village) digits.`,
    );
  }

  const phone = cell.phone.replace(/[\s-]/g, '');
  if (phone && !/^(1[3-9]\d{9}|0\d{9,11})$/.test(phone)) {
    problem('phone', '电话不是有效的手机号（11位）或带区号的固定电话。', 'The phone is neither an 11-digit mobile number nor a landline with its area code.');
  }
  if (cell.address.length > 200) problem('address', `地址超过200个字符（${cell.address.length}个）。`, `The address is longer than 200 characters (${cell.address.length}).`);

  if (problems.length) return { problems, idNumber: id?.id };
  // every value below was checked above; the non-null assertions only restate that
  const { category, level } = certificateCategoryAndLevel(disabilities!);
  return {
    row: {
      line,
      idNumber: id!.id,
      birthDate: id!.birthDate,
      sex: id!.sex,
      name,
      disabilities: disabilities!,
      number: certificateNumber(id!.id, disabilities!),
      category,
      level,
      issuedOn: issuedOn!,
      validUntil: validUntil!,
      state: validUntil! < today ? 'expired' : 'active',
      visualAssessment: visualAssessment!,
      hukouCode: cell.hukouCode,
      ...(phone ? { phone } : {}),
      ...(cell.address ? { address: cell.address } : {}),
    },
  };
}

/**
 * Every row of a file: the clean rows, or — if any row is wrong — all the problems, so that a file
 * loads whole or not at all. A person may appear once: a second row with the same ID number is a
 * problem that names both lines.
 */
export function validateLegacyRows(lines: Iterable<{ line: number; cells: string[] }>, today: string) {
  const rows: LegacyRow[] = [];
  const problems: LegacyProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of lines) {
    if (line === 1 && isHeaderLine(cells)) {
      problems.push(...headerProblems(cells, LEGACY_COLUMNS, line, REQUIRED));
      continue;
    }
    const r = parseLegacyRow(cells, line, today);
    const idNumber = 'row' in r ? r.row.idNumber : r.idNumber;
    const first = idNumber === undefined ? undefined : firstLine.get(idNumber);
    if (first !== undefined) {
      problems.push({
        line,
        column: 'idNumber',
        zh: `与第${first}行的身份证号码相同：每位持证人在文件中只能出现一次。请删除或合并第${first}行和第${line}行。`,
        en: `Same ID number as line ${first}: each holder may appear only once in the file. Remove or merge lines ${first} and ${line}.`,
      });
    } else if (idNumber !== undefined) firstLine.set(idNumber, line);
    if ('problems' in r) problems.push(...r.problems);
    else if (first === undefined) rows.push(r.row);
  }
  return { rows, problems };
}

/** Problems the database finds (the place, the person's other certificate), worded like the row checks. */
export const legacyDbProblems = {
  unknownDivision: (line: number, code: string): LegacyProblem => ({
    line,
    column: 'hukouCode',
    zh: `户籍地区划代码“${code}”不存在。请核对代码，或先导入该区划（import-divisions）。`,
    en: `The hukou division code "${code}" does not exist. Check the code, or import the division first (import-divisions).`,
  }),
  outsideCounty: (line: number, code: string, county: Bilingual): LegacyProblem => ({
    line,
    column: 'hukouCode',
    zh: `户籍地区划“${code}”不在${county.zh}。一个文件只能导入一个县（区）的持证人。`,
    en: `The hukou division "${code}" is not in ${county.en}. A file holds one county's certificate holders only.`,
  }),
  holdsOtherCertificate: (line: number, numberMasked: string, state: CertificateState): LegacyProblem => ({
    line,
    column: 'idNumber',
    zh: `此人已持有另一张状态为“${CERTIFICATE_STATES[state].zh}”的残疾人证（${numberMasked}），不能再导入一张有效证。请核对类别等级和有效期。`,
    en: `This person already holds another certificate (${numberMasked}) that is ${CERTIFICATE_STATES[state].en}, so a second valid one cannot be imported. Check the categories/levels and the validity dates.`,
  }),
};

/** The number embeds the ID number, so messages mask it like the ID (SEC-1). */

/** The report for the operator: two lines per problem, Chinese then English, in file order. */
export const formatLegacyProblems = (problems: LegacyProblem[]) => formatRowProblems(problems, LEGACY_COLUMNS);

/** The same report for any CSV import whose problems name a line and one of its columns (null: the whole row). */
export function formatRowProblems<C extends string>(problems: ({ line: number; column: C | null } & Bilingual)[], columns: Record<C, Bilingual>): string[] {
  return [...problems]
    .sort((a, b) => a.line - b.line)
    .flatMap((p) => {
      const col = p.column ? columns[p.column] : { zh: '整行', en: 'row' };
      return [`第${p.line}行【${col.zh}】${p.zh}`, `  line ${p.line} [${col.en}] ${p.en}`];
    });
}
