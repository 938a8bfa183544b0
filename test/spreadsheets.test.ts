/**
 * Issue 11 item 6: batch imports read .xlsx as well as CSV (through one reader, so both meet the same
 * row checks), a refused file's problems come back as a workbook to download, and every worklist and
 * report downloads as .xlsx with Chinese headers and masked values only. Workbooks are built and read
 * back with exceljs, the library the service reads them with (docs/decisions/0009-xlsx-import.md).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { DomainError } from '../src/domain/errors.js';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { idIndex } from '../src/modules/persons/persons.js';
import { readTable } from '../src/platform/spreadsheet.js';
import { XLSX_MIME } from '../src/platform/xlsx.js';
import { cli, cliDatabase } from './cli.js';
import { addDays, apply, JINSHUI_VILLAGE, legacyHolder, legacyName, ok, XIHU_VILLAGE } from './fixtures.js';
import { harness, login, makeCitizenId, type Harness } from './harness.js';

type CellIn = string | number | Date | boolean | null | ExcelJS.CellValue;

/** An .xlsx with one sheet of the rows given (null: an empty cell). */
async function workbook(rows: CellIn[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  rows.forEach((r, i) => r.forEach((v, j) => v !== null && (ws.getCell(i + 1, j + 1).value = v as ExcelJS.CellValue)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook's first sheet as plain values, row by row (Excel numbering, from 1). */
async function sheetValues(bytes: Buffer | Uint8Array): Promise<{ names: string[]; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as any);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow({ includeEmpty: true }, (row, n) => {
    rows[n - 1] = (row.values as unknown[]).slice(1).map((v) => (v === undefined ? null : v));
  });
  return { names: wb.worksheets.map((w) => w.name), rows };
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return { kind: e.kind, code: e.code, zh: e.text.zh, en: e.text.en };
  }
  assert.fail('not refused');
};

test('the table reader reads an .xlsx as the CSV path would: text cells, dates as YYYY-MM-DD, whole numbers without decimals, empty rows dropped, rows padded to the widest', async () => {
  const xlsx = await workbook([
    ['身份证号码', '日期', '代码'],
    ['11010519491231002X', day('2016-05-20'), 330106002052],
    [null, null, null],
    [{ richText: [{ text: '周' }, { text: '建国' }] }, { formula: 'A1', result: 'x' }, 1.5],
    [true, null, null, null],
  ]);
  const table = await readTable(xlsx, 'a.xlsx');
  assert.equal(table.kind, 'xlsx');
  assert.deepEqual(table.rows, [
    { line: 1, cells: ['身份证号码', '日期', '代码'] },
    { line: 2, cells: ['11010519491231002X', '2016-05-20', '330106002052'] },
    { line: 4, cells: ['周建国', 'x', '1.5'] },
    { line: 5, cells: ['TRUE', '', ''] },
  ]);
  const csv = await readTable(Buffer.from('身份证号码,日期,代码\r\n11010519491231002X,2016-05-20,330106002052\r\n'), 'a.csv');
  assert.deepEqual(csv, { kind: 'csv', rows: table.rows.slice(0, 2) });
});

test('the table reader refuses, with a bilingual 4xx and no row read: an ID number stored as a number, an error cell, an old .xls, a ZIP that is no workbook, a zip bomb, a binary file', async () => {
  const idAsNumber = await refusal(readTable(await workbook([['身份证号码'], [330106195804120031]])));
  assert.equal(idAsNumber.kind, 'invalid');
  assert.equal(idAsNumber.code, 'spreadsheet.cell');
  assert.match(idAsNumber.zh, /A2：长数字（如身份证号码）被存成了数值.*请将该列设为“文本”格式/);
  assert.match(idAsNumber.en, /A2: a long number \(such as an ID number\) was stored as a number.*Format the column as Text/);

  const errorCell = await refusal(readTable(await workbook([['a', 'b'], ['x', { error: '#N/A' } as ExcelJS.CellErrorValue]])));
  assert.deepEqual([errorCell.code, errorCell.en], ['spreadsheet.cell', 'The workbook has cells that cannot be read; nothing was imported: B2: the cell holds the error #N/A; put the actual value in it.']);

  const xls = await refusal(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])));
  assert.deepEqual([xls.kind, xls.code], ['invalid', 'spreadsheet.xls']);
  assert.match(xls.zh, /旧版 Excel（\.xls）.*另存为/);

  const notWorkbook = await refusal(readTable(zipSync({ 'readme.txt': strToU8('hello') })));
  assert.deepEqual([notWorkbook.kind, notWorkbook.code], ['invalid', 'spreadsheet.not_xlsx']);
  const brokenZip = await refusal(readTable(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40, 7)])));
  assert.deepEqual([brokenZip.kind, brokenZip.code], ['invalid', 'spreadsheet.not_xlsx']);

  // 20 MB of one byte deflates to a few kilobytes: refused from the ZIP's directory, nothing inflated
  const bomb = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>'), 'xl/worksheets/sheet1.xml': new Uint8Array(20 * 1024 * 1024).fill(0x41) }, { level: 9 });
  assert.ok(bomb.length < 100_000);
  const bombed = await refusal(readTable(bomb));
  assert.deepEqual([bombed.kind, bombed.code], ['too_large', 'spreadsheet.too_large']);
  assert.match(bombed.zh, /工作簿解压后过大/);

  const pdf = await refusal(readTable(Buffer.from('%PDF-1.4\n\u0000\u0001binary')));
  assert.deepEqual([pdf.kind, pdf.code], ['invalid', 'spreadsheet.not_a_table']);
});

const LEGACY_HEADER = ['身份证号码', '姓名', '残疾类别等级', '发证日期', '有效期至', '目测', '户籍地区划代码'];

test('LEGACY ID-1 a legacy certificate import from .xlsx loads like the CSV; a wrong header or a malformed cell is refused with a bilingual 422 and nothing is written', async () => {
  const h = await harness();
  const idNumber = makeCitizenId({ division: '330106', birth: '19700304' });
  const countOf = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, idNumber)]))[0].n;
  const load = (bytes: Buffer, fileName = 'xihu.xlsx') => importLegacyCertificates(h.ctx, { fileName, bytes, countyCode: '330106', operator: 'test' });
  const row: CellIn[] = [idNumber, legacyName(idNumber), '4-2', day('2019-06-18'), day('2029-06-18'), '否', Number(XIHU_VILLAGE)];

  // the columns in another order: every header problem named, nothing loaded
  const swapped = await load(await workbook([['姓名', '身份证号码', ...LEGACY_HEADER.slice(2)], row]));
  assert.equal(swapped.ok, false);
  assert.deepEqual(!swapped.ok && swapped.problems, [
    { line: 1, column: 'idNumber', zh: '表头第1列应为“身份证号码”，实为“姓名”。请按此顺序排列各列：身份证号码、姓名、残疾类别等级、发证日期、有效期至、目测、户籍地区划代码、电话、地址。', en: 'Header column 1 must be "ID number" (身份证号码), not "姓名". Put the columns in this order: ID number, name, categories/levels, issue date, validity end, visual assessment, hukou division code, phone, address.' },
    { line: 1, column: 'name', zh: '表头第2列应为“姓名”，实为“身份证号码”。请按此顺序排列各列：身份证号码、姓名、残疾类别等级、发证日期、有效期至、目测、户籍地区划代码、电话、地址。', en: 'Header column 2 must be "name" (姓名), not "身份证号码". Put the columns in this order: ID number, name, categories/levels, issue date, validity end, visual assessment, hukou division code, phone, address.' },
  ]);
  // the ID number typed as a number has lost its last digits: refused before any row is checked
  const numeric = await refusal(load(await workbook([LEGACY_HEADER, [Number(idNumber.slice(0, 17)) * 10, ...row.slice(1)]])));
  assert.deepEqual([numeric.kind, numeric.code], ['invalid', 'spreadsheet.cell']);
  assert.match(numeric.zh, /^工作簿中有无法读取的单元格，未导入任何数据：A2：/);
  // a bad date in a text cell is a row problem, as in a CSV
  const badDate = await load(await workbook([LEGACY_HEADER, [...row.slice(0, 3), '2019-02-30', ...row.slice(4)]]));
  assert.deepEqual(!badDate.ok && badDate.problems.map((p) => [p.line, p.column, p.en]), [[2, 'issuedOn', 'The issue date "2019-02-30" is not a real date; write it as YYYY-MM-DD, e.g. 2016-05-20.']]);
  assert.equal(await countOf(), 0, 'nothing was written');

  // the same holder from a workbook with date cells and a numeric place code loads as the CSV would
  const loaded = await load(await workbook([LEGACY_HEADER, row]));
  assert.deepEqual(loaded, { ok: true, rows: 1, imported: 1, skipped: 0, active: 1, expired: 0, visualAssessment: 0, newPersons: 1, duplicates: 0 });
  const [cert] = await h.db.query(
    `SELECT c.valid_from::text AS valid_from, c.valid_until::text AS valid_until, c.category, c.level, p.hukou_code FROM certificate c JOIN person p ON p.id = c.person_id WHERE p.id_bidx = $1`,
    [idIndex(h.ctx.crypto, idNumber)],
  );
  assert.deepEqual({ ...cert }, { valid_from: '2019-06-18', valid_until: '2029-06-18', category: 4, level: 2, hukou_code: XIHU_VILLAGE });
  // and a CSV of the same row is the same certificate: skipped
  const csv = `${LEGACY_HEADER.join(',')}\n${idNumber},${legacyName(idNumber)},4-2,2019-06-18,2029-06-18,否,${XIHU_VILLAGE}\n`;
  assert.deepEqual(await load(Buffer.from(csv), 'xihu.csv'), { ok: true, rows: 1, imported: 0, skipped: 1, active: 0, expired: 0, visualAssessment: 0, newPersons: 0, duplicates: 0 });
});

const MOVE_HEADER = ['身份证号码', '迁出地区划代码', '迁入地区划代码', '迁移日期'];
const postXlsx = async (h: Harness, url: string, bytes: Buffer, fileName: string) =>
  (await login(h, 'admin')).call('POST', url, bytes, { 'content-type': XLSX_MIME, 'x-file-name': fileName });

test('TRF-4 hukou moves import from .xlsx; a refused file answers a bilingual 422 with its problems and the same list as a downloadable .xlsx, and nothing is written', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-01-10', false);
  const moved = addDays(h.clock.today(), -3);
  const movesOf = async () => (await h.db.query('SELECT from_code, to_code, moved_on::text AS moved_on, source FROM hukou_move WHERE person_id = $1', [holder.personId])).map((r) => ({ ...r }));

  const wrongHeader = await postXlsx(h, '/api/admin/hukou-moves', await workbook([['身份证号码', '迁入地区划代码', '迁出地区划代码', '迁移日期'], [holder.idNumber, XIHU_VILLAGE, JINSHUI_VILLAGE, day(moved)]]), 'police.xlsx');
  assert.equal(wrongHeader.status, 422);
  assert.deepEqual(wrongHeader.body.error, { code: 'hukou_move.rows', zh: '1行有问题（共2行），未导入任何数据。请改正后重新提交整个文件。', en: '1 of 2 rows have problems; nothing was imported. Fix them and send the whole file again.' });
  assert.deepEqual(wrongHeader.body.problems.map((p: any) => [p.line, p.column]), [[1, 'fromCode'], [1, 'toCode']]);
  assert.match(wrongHeader.body.problems[0].zh, /^表头第2列应为“迁出地区划代码”，实为“迁入地区划代码”。/);

  const badRows = await postXlsx(h, '/api/admin/hukou-moves', await workbook([MOVE_HEADER, [holder.idNumber, XIHU_VILLAGE, JINSHUI_VILLAGE, '2026-13-01'], [holder.idNumber.slice(0, 17), 330106, 330106, day(moved)]]), 'police-share.xlsx');
  assert.equal(badRows.status, 422);
  const expected = [
    [2, '迁移日期', 'date of the move', '迁移日期“2026-13-01”不是有效日期，请写作“年-月-日”，如 2026-05-20。', 'The date of the move "2026-13-01" is not a real date; write it as YYYY-MM-DD, e.g. 2026-05-20.'],
    [3, '身份证号码', 'ID number'],
    [3, '迁入地区划代码', 'moved-to division code', '迁入地与迁出地相同（330106），不是一次迁移。请核对两列。', 'The moved-to place is the moved-from place (330106), so this is no move. Check both columns.'],
  ];
  assert.deepEqual(badRows.body.problems.map((p: any) => [p.line, p.column]), [[2, 'movedOn'], [3, 'idNumber'], [3, 'toCode']]);
  const report = badRows.body.problemReport;
  assert.deepEqual([report.fileName, report.contentType], ['police-share.problems.xlsx', XLSX_MIME]);
  const sheet = await sheetValues(Buffer.from(report.base64, 'base64'));
  assert.deepEqual(sheet.names, ['问题清单 Problems']);
  assert.deepEqual(sheet.rows[0], ['行号 Line', '列 Column', 'Column', '问题 Problem', 'Problem (English)']);
  assert.deepEqual(sheet.rows.slice(1).map((r) => r.slice(0, 3)), expected.map((e) => e.slice(0, 3)));
  assert.deepEqual(sheet.rows[1].slice(3), expected[0].slice(3));
  assert.deepEqual(sheet.rows[3].slice(3), expected[2].slice(3));
  assert.deepEqual(sheet.rows[2].slice(3), [badRows.body.problems[1].zh, badRows.body.problems[1].en]);

  const numericId = await postXlsx(h, '/api/admin/hukou-moves', await workbook([MOVE_HEADER, [Number(holder.idNumber.slice(0, 17)), XIHU_VILLAGE, JINSHUI_VILLAGE, day(moved)]]), 'police.xlsx');
  assert.equal(numericId.status, 422);
  assert.equal(numericId.body.error.code, 'spreadsheet.cell');
  assert.match(numericId.body.error.en, /A2: a long number/);
  assert.deepEqual(await movesOf(), [], 'nothing was written');

  const good = await postXlsx(h, '/api/admin/hukou-moves', await workbook([MOVE_HEADER, [holder.idNumber, Number(XIHU_VILLAGE), JINSHUI_VILLAGE, day(moved)], [makeCitizenId({ division: '330106' }), '330106', '410105', day(moved)]]), 'police.xlsx');
  assert.deepEqual(await ok(Promise.resolve(good)), { ok: true, rows: 2, imported: 1, skipped: 0, notOnFile: 1, freezeCandidates: 0, cancelCandidates: 0 });
  assert.deepEqual(await movesOf(), [{ from_code: XIHU_VILLAGE, to_code: JINSHUI_VILLAGE, moved_on: moved, source: 'police.xlsx' }]);
});

test('ORG-1 an admin imports divisions from .xlsx; a bad line answers 422 with the problems as .xlsx and loads nothing', async () => {
  const h = await harness();
  const codes = ['330106990', '330106990001'];
  const stored = async () => (await h.db.query('SELECT code, name, level FROM division WHERE code = ANY($1) ORDER BY code', [codes])).map((r) => ({ ...r }));
  const bad = await postXlsx(h, '/api/admin/divisions/import', await workbook([['区划代码', '名称'], [330106990, '表格街道'], ['33010699000', '表格社区'], [Number(codes[1]), null]]), 'towns.xlsx');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, 'division.csv');
  assert.match(bad.body.error.zh, /^区划文件有2行错误.*第3行：区划代码“33010699000”应为2、4、6、9或12位数字。；第4行：名称为空。$/);
  assert.deepEqual(bad.body.problems.map((p: any) => [p.line, p.column]), [[3, 'code'], [4, 'name']]);
  const sheet = await sheetValues(Buffer.from(bad.body.problemReport.base64, 'base64'));
  assert.deepEqual(sheet.rows, [
    ['行号 Line', '列 Column', 'Column', '问题 Problem', 'Problem (English)'],
    [3, '区划代码', 'code', '区划代码“33010699000”应为2、4、6、9或12位数字。', 'The code "33010699000" must have 2, 4, 6, 9 or 12 digits.'],
    [4, '名称', 'name', '名称为空。', 'The name is empty.'],
  ]);
  assert.deepEqual(await stored(), []);

  const good = await postXlsx(h, '/api/admin/divisions/import', await workbook([['区划代码', '名称'], [Number(codes[1]), '表格社区'], [330106990, '表格街道']]), 'towns.xlsx');
  assert.deepEqual(await ok(Promise.resolve(good)), { imported: 2 });
  assert.deepEqual(await stored(), [{ code: codes[0], name: '表格街道', level: 4 }, { code: codes[1], name: '表格社区', level: 5 }]);
});

test('the CLI writes a refused import’s problems as an .xlsx next to the input file', async () => {
  const { dir, env } = cliDatabase(after);
  const file = join(dir, 'police.csv');
  const idNumber = makeCitizenId({ division: '330106' });
  writeFileSync(file, `${MOVE_HEADER.join(',')}\r\n${idNumber},330106,330106,2026-01-05\r\n`);
  const r = await cli(['import-hukou-moves', file], env);
  assert.equal(r.code, 1, r.out);
  const out = join(dir, 'police.problems.xlsx');
  assert.match(r.out, new RegExp(`The list of problems was written to ${out.replace(/[.\\/]/g, '\\$&')}`));
  assert.ok(existsSync(out));
  const sheet = await sheetValues(readFileSync(out));
  assert.deepEqual(sheet.rows, [
    ['行号 Line', '列 Column', 'Column', '问题 Problem', 'Problem (English)'],
    [2, '迁入地区划代码', 'moved-to division code', '迁入地与迁出地相同（330106），不是一次迁移。请核对两列。', 'The moved-to place is the moved-from place (330106), so this is no move. Check both columns.'],
  ]);
});

test('SLA-2 SEC-1 the worklist exports to .xlsx with Chinese headers and masked values only', async () => {
  const h = await harness();
  const clerk = await login(h, 'jinshui.clerk');
  const idNumber = makeCitizenId({ division: '410105' });
  const c = await apply(clerk, { residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE, idNumber });
  const list = await ok(clerk.get('/api/worklist?state=submitted&pageSize=100'));
  const res = await clerk.get('/api/worklist.xlsx?state=submitted');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], XLSX_MIME);
  assert.match(res.headers['content-disposition'], /^attachment; filename="worklist-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''%E6%88%91%E7%9A%84%E5%BE%85%E5%8A%9E-/);
  const bytes = (await h.app.inject({ method: 'GET', url: '/api/worklist.xlsx?state=submitted', headers: { 'x-tongban-client': 'test', cookie: clerk.cookie! } })).rawPayload;
  const sheet = await sheetValues(bytes);
  assert.deepEqual(sheet.names, ['待办 Worklist']);
  assert.deepEqual(sheet.rows[0], ['受理编号 Case no.', '事项 Matter', '当前环节 Stage', '申请人 Applicant', '身份证号码 ID number', '等待 Waiting on', '办理期限 Due', '剩余工作日 Working days left', '时限状态 Deadline', '受理日期 Filed']);
  assert.equal(sheet.rows.length - 1, list.items.length, 'the same cases as the list');
  const item = list.items.find((i: any) => i.id === c.id);
  const row = sheet.rows.find((r) => r[0] === item.caseNo)!;
  assert.deepEqual(row, [
    item.caseNo, item.matter.zh, item.state.zh, item.applicant.nameMasked, item.applicant.idNumberMasked, '受理地县级残联',
    item.sla.dueOn, item.sla.remainingWd, item.sla.overdue ? '已超期 Overdue' : item.sla.dueSoon ? '即将到期 Due soon' : '正常 On time', h.clock.today(),
  ]);
  assert.ok(!JSON.stringify(sheet.rows).includes(idNumber), 'no full ID number');
  assert.ok(!JSON.stringify(sheet.rows).includes(idNumber.slice(6, 14)), 'no birth date digits');
  assert.equal((await clerk.get('/api/worklist.xlsx?matter=nope')).status, 422);
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/worklist.xlsx' })).statusCode, 401);
});

test('ORG-4 ASMT-3 CARD-1 ID-3 the reports export to .xlsx with Chinese headers, the same rows as the page shows', async (t) => {
  const h = await harness();
  const fetchXlsx = async (user: string, url: string) => {
    const client = await login(h, user);
    const res = await h.app.inject({ method: 'GET', url, headers: { 'x-tongban-client': 'test', cookie: client.cookie! } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], XLSX_MIME);
    return { client, sheet: await sheetValues(res.rawPayload) };
  };
  const from = addDays(h.clock.today(), -365);
  const stats = await fetchXlsx('hangzhou.supervisor', `/api/doctor-statistics.xlsx?from=${from}&to=${h.clock.today()}`);
  const statsJson = await ok(stats.client.get(`/api/doctor-statistics?from=${from}&to=${h.clock.today()}`));
  assert.deepEqual(stats.sheet.rows[0], ['医生 Doctor', '评定机构 Institution', '评定人次 Assessments', '不符合评残 Not qualified', '结论偏离测量 Departed', '不一致率(%) Disagreement rate', '一二级占比(%) Share of levels 1–2', '同行不一致率(%) Peers', '同行一二级占比(%) Peers', '提示 Flags']);
  assert.deepEqual(stats.sheet.rows.slice(1).map((r) => [r[0], r[2], r[3]]), statsJson.doctors.map((d: any) => [d.name, d.count, d.notQualified]));

  const cards = await fetchXlsx('xihu.clerk', '/api/old-cards.xlsx?status=held');
  const cardsJson = await ok(cards.client.get('/api/old-cards?status=held'));
  assert.deepEqual(cards.sheet.names, ['旧证 Held']);
  assert.deepEqual(cards.sheet.rows[0], ['残疾人证号 Certificate no.', '卡号 Card no.', '持证人 Holder', '证状态 Certificate state', '回收日期 Collected on', '可销毁日期 Due from', '旧证状态 Status', '受理编号 Case no.', '销毁记录号 Destruction record']);
  assert.deepEqual(cards.sheet.rows.slice(1).map((r) => [r[0], r[2], r[6]]), cardsJson.items.map((c: any) => [c.numberMasked, c.holderNameMasked, '保管中']));

  // a legacy row for a person already on file goes on the duplicate list (ID-3)
  const holder = await legacyHolder(h, '2015-03-02', false);
  const again = `${LEGACY_HEADER.join(',')}\n${holder.idNumber},${legacyName(holder.idNumber)},1-3,2021-03-02,2031-03-02,否,${XIHU_VILLAGE}\n`;
  const held = await importLegacyCertificates(h.ctx, { fileName: 'again.csv', bytes: Buffer.from(again), countyCode: '330106', operator: 'test' });
  assert.equal(held.ok && held.duplicates, 1);
  const dups = await fetchXlsx('hangzhou.supervisor', '/api/duplicate-candidates.xlsx?status=open');
  const dupsJson = await ok(dups.client.get('/api/duplicate-candidates?status=open&pageSize=100'));
  assert.deepEqual(dups.sheet.rows[0], ['发现日期 Found', '类型 Kind', '状态 Status', '县（区） County', '来源 Source', '导入身份证号码 Incoming ID number', '导入姓名 Incoming name', '与在册姓名相同 Same name', '导入证号 Incoming certificate', '在册身份证号码 ID number on file', '在册姓名 Name on file']);
  assert.deepEqual(dups.sheet.rows.slice(1).map((r) => [r[4], r[5], r[6]]), dupsJson.items.map((d: any) => [d.source, d.incoming.idNumberMasked, d.incoming.nameMasked]));
  const mine = dups.sheet.rows.find((r) => r[4] === 'again.csv:2')!;
  assert.deepEqual(mine.slice(1, 3), ['存量导入身份证号已在册', '待核实']);
  assert.ok(!JSON.stringify(dups.sheet.rows).includes(holder.idNumber) && !JSON.stringify(dups.sheet.rows).includes(legacyName(holder.idNumber)), 'masked values only');

  // a coming working day, on which nobody has logged in yet: every desk clerk in the subtree is listed
  t.after(() => h.clock.reset());
  let date = h.clock.today();
  let supervisor;
  for (;;) {
    date = addDays(date, 1);
    h.clock.setToday(date);
    supervisor = await login(h, 'zhengzhou.supervisor');
    if ((await ok(supervisor.get(`/api/reports/missed-logins?date=${date}`))).workingDay) break;
  }
  const missed = await fetchXlsx('zhengzhou.supervisor', `/api/reports/missed-logins.xlsx?date=${date}`);
  const json = await ok(missed.client.get(`/api/reports/missed-logins?date=${date}`));
  assert.deepEqual(missed.sheet.rows[0], ['日期 Date', '单位 Office', '用户名 Username', '姓名 Name', '当日登录次数 Logins', '应登录次数 Required']);
  assert.ok(json.items.some((i: any) => i.username === 'jinshui.reviewer'));
  assert.deepEqual(missed.sheet.rows.slice(1), json.items.map((i: any) => [date, i.org, i.username, i.displayName, i.logins, i.required]));
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.get(`/api/reports/missed-logins.xlsx?date=${date}`)).status, 403);
});
