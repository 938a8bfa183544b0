/**
 * Reading an uploaded table — .xlsx or CSV — as rows of text, so every batch import checks one kind
 * of row whatever file the user saved. An .xlsx is told by its ZIP signature, not by its name, and is
 * read with exceljs (docs/decisions/0010-xlsx-import.md): the first sheet, each cell as the text the
 * CSV path would carry (dates as YYYY-MM-DD, whole numbers without a decimal point), rows numbered as
 * Excel numbers them, empty rows dropped, every row as wide as the widest (as Excel's own CSV export).
 * Files that are too big, ZIPs that would inflate beyond reason, old .xls files and other binaries are
 * refused with a bilingual 4xx before any row is looked at.
 */
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { DomainError, invalid, type Bilingual } from '../domain/errors.js';
import { csvRows, decodeCsv } from './csv.js';
import { columnName, xlsx, type Cell } from './xlsx.js';

export type TableRow = { line: number; cells: string[] };
export type Table = { kind: 'xlsx' | 'csv'; rows: TableRow[] };

/** Upload limits: the file itself, and what its ZIP parts may inflate to (a zip bomb is refused unread). */
export const MAX_TABLE_BYTES = 64 * 1024 * 1024;
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
const MAX_RATIO = 200;

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
// the Compound File signature of the old binary .xls (and .doc)
const isOle = (b: Uint8Array) => b.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((v, i) => b[i] === v);

const tooLarge = (zh: string, en: string) => new DomainError('too_large', 'spreadsheet.too_large', { zh, en }, 'file');
const SAVE_AS = { zh: '请在 Excel 或 WPS 中“另存为” .xlsx 工作簿或 CSV（逗号分隔）文件后重新提交。', en: 'Save it from Excel or WPS as an .xlsx workbook or a CSV (comma-separated) file and send that.' };

/** The rows of a table file; `fileName` only words the messages. Throws a bilingual 4xx for a file that is no table. */
export async function readTable(bytes: Uint8Array, fileName = ''): Promise<Table> {
  if (bytes.length > MAX_TABLE_BYTES) {
    throw tooLarge(`文件${fileName ? `“${fileName}”` : ''}超过${MAX_TABLE_BYTES / 1024 / 1024} MB。请拆分为多个文件分别导入。`, `The file${fileName ? ` "${fileName}"` : ''} is over ${MAX_TABLE_BYTES / 1024 / 1024} MB. Split it into several files and import each.`);
  }
  if (isZip(bytes)) return { kind: 'xlsx', rows: await readXlsx(bytes) };
  if (isOle(bytes)) {
    throw invalid('spreadsheet.xls', `这是旧版 Excel（.xls）文件，无法读取。${SAVE_AS.zh}`, `This is an old Excel (.xls) file, which cannot be read. ${SAVE_AS.en}`, 'file');
  }
  // text never holds NUL bytes: anything else binary (a PDF, an image, a Word file) is no CSV
  if (bytes.subarray(0, 8192).includes(0)) {
    throw invalid('spreadsheet.not_a_table', `文件不是 CSV 或 .xlsx 表格。${SAVE_AS.zh}`, `The file is neither a CSV file nor an .xlsx workbook. ${SAVE_AS.en}`, 'file');
  }
  return { kind: 'csv', rows: [...csvRows(decodeCsv(bytes))] };
}

const notXlsx = () =>
  invalid('spreadsheet.not_xlsx', `文件是压缩包，但不是可读取的 .xlsx 工作簿。${SAVE_AS.zh}`, `The file is a ZIP archive but no readable .xlsx workbook. ${SAVE_AS.en}`, 'file');

/** The ZIP's parts as its directory declares them, read without inflating anything. */
function checkZip(bytes: Uint8Array) {
  const parts: { name: string; size: number; originalSize: number }[] = [];
  try {
    unzipSync(bytes, { filter: (f) => (parts.push({ name: f.name, size: f.size, originalSize: f.originalSize }), false) });
  } catch {
    throw notXlsx();
  }
  if (!parts.some((p) => p.name === 'xl/workbook.xml')) throw notXlsx();
  const inflated = parts.reduce((n, p) => n + p.originalSize, 0);
  if (inflated > MAX_INFLATED_BYTES || parts.some((p) => p.originalSize > 1024 * 1024 && p.originalSize > p.size * MAX_RATIO)) {
    throw tooLarge(
      `工作簿解压后过大（约${Math.round(inflated / 1024 / 1024)} MB），无法导入。请删除多余的工作表、格式或空行，或拆分为多个文件。`,
      `The workbook inflates to too much (about ${Math.round(inflated / 1024 / 1024)} MB) to import. Remove extra sheets, formatting or blank rows, or split it into several files.`,
    );
  }
}

async function readXlsx(bytes: Uint8Array): Promise<TableRow[]> {
  checkZip(bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as any);
  } catch {
    throw notXlsx();
  }
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const rows: TableRow[] = [];
  const bad: string[] = [];
  const badEn: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const text = cellText(cell.value, wb.properties.date1904);
      if (typeof text === 'object') {
        if (bad.length < 20) bad.push(`${columnName(col - 1)}${line}：${text.zh}`), badEn.push(`${columnName(col - 1)}${line}: ${text.en}`);
        cells[col - 1] = '';
      } else cells[col - 1] = text;
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    // a row whose cells hold only formatting or blanks is no row, as a blank CSV line is none
    if (cells.some((c) => c !== '')) rows.push({ line, cells: trimEnd(cells) });
  });
  if (bad.length) {
    throw invalid(
      'spreadsheet.cell',
      `工作簿中有无法读取的单元格，未导入任何数据：${bad.join('；')}。`,
      `The workbook has cells that cannot be read; nothing was imported: ${badEn.join('; ')}.`,
      'file',
    );
  }
  // every row as wide as the widest, as Excel writes a sheet out as CSV
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  for (const r of rows) while (r.cells.length < width) r.cells.push('');
  return rows;
}

function trimEnd(cells: string[]) {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  return cells.slice(0, n);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as CSV text, or what is wrong with it. */
function cellText(v: ExcelJS.CellValue, date1904: boolean | undefined): string | Bilingual {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    // Excel keeps 15 significant digits: an 18-digit ID number typed as a number has lost its last ones
    if (Number.isInteger(v) && Math.abs(v) >= 1e15) {
      return {
        zh: '长数字（如身份证号码）被存成了数值，末几位已丢失。请将该列设为“文本”格式，重新输入或粘贴后再导入',
        en: 'a long number (such as an ID number) was stored as a number and has lost its last digits. Format the column as Text, type or paste the values again, then import',
      };
    }
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { zh: '日期无效', en: 'the date is not valid' };
    const day = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const time = v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() ? ` ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}` : '';
    return day + time;
  }
  if ('error' in v) return { zh: `单元格为错误值 ${v.error}，请改为实际内容`, en: `the cell holds the error ${v.error}; put the actual value in it` };
  if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as ExcelJS.CellFormulaValue).result;
    if (result === undefined) return { zh: '公式没有计算结果，请将该列“复制—选择性粘贴为数值”后再导入', en: 'the formula has no computed value; copy the column and paste it as values, then import' };
    return cellText(result as ExcelJS.CellValue, date1904);
  }
  if ('text' in v) return cellText((v as ExcelJS.CellHyperlinkValue).text, date1904);
  return { zh: '无法识别的单元格内容', en: 'the cell content is not understood' };
}

/** A row problem as imports report it: a line, a column key (null: the whole row), both languages. */
export type RowProblem<C extends string = string> = { line: number; column: C | null } & Bilingual;

/** The problems as a workbook the user downloads: one line per problem, in file order, Chinese headers first. */
export function problemWorkbook<C extends string>(problems: RowProblem<C>[], columns: Record<C, Bilingual>): Uint8Array {
  const rows: Cell[][] = [...problems]
    .sort((a, b) => a.line - b.line)
    .map((p) => {
      const col = p.column ? columns[p.column] : { zh: '整行', en: 'whole row' };
      return [p.line, col.zh, col.en, p.zh, p.en];
    });
  return xlsx([{ name: '问题清单 Problems', rows: [['行号 Line', '列 Column', 'Column', '问题 Problem', 'Problem (English)'], ...rows], widths: [10, 16, 18, 60, 60] }]);
}

/** The problem workbook as an API answer carries it: small, so inline as base64 (docs/decisions/0010-xlsx-import.md). */
export function problemReport<C extends string>(fileName: string, problems: RowProblem<C>[], columns: Record<C, Bilingual>) {
  const base = fileName.replace(/\.[^.]*$/, '') || 'import';
  return {
    fileName: `${base}.problems.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: Buffer.from(problemWorkbook(problems, columns)).toString('base64'),
  };
}

