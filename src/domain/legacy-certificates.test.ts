import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskCertificateNumber } from './certificate-number.js';
import { checkDigit } from './citizen-id.js';
import {
  formatLegacyProblems,
  legacyDbProblems,
  parseLegacyDate,
  parseLegacyRow,
  validateLegacyRows,
  type LegacyColumn,
  type LegacyProblem,
  type LegacyRow,
} from './legacy-certificates.js';

const TODAY = '2026-03-02';
const withCheck = (first17: string) => first17 + checkDigit(first17);
const ID = withCheck('33010619700101001'); // born 1970-01-01, male
const ID2 = withCheck('33010619820315002'); // born 1982-03-15, female
// ID, name, categories/levels, issue date, validity end, visual flag, hukou code, phone, address
const GOOD = [ID, '张三', '4-2', '2016-05-20', '2026-05-20', '否', '330106002052', '13812345678', '北山街道宝石山下一弄1号'];
const row = (over: Record<number, string> = {}) => GOOD.map((v, i) => over[i] ?? v);

function clean(cells: string[], line = 2): LegacyRow {
  const r = parseLegacyRow(cells, line, TODAY);
  assert.ok('row' in r, JSON.stringify(r));
  return r.row;
}

/** The row fails on exactly the given columns, each with a Chinese and an English reason. */
function problems(cells: string[], columns: (LegacyColumn | null)[], zh?: RegExp, en?: RegExp): LegacyProblem[] {
  const r = parseLegacyRow(cells, 7, TODAY);
  assert.ok('problems' in r, `expected problems for ${JSON.stringify(cells)}`);
  assert.deepEqual(r.problems.map((p) => p.column), columns);
  for (const p of r.problems) {
    assert.equal(p.line, 7);
    assert.match(p.zh, /[\u4e00-\u9fff]/);
    // the English text may quote the cell as typed (Chinese), but its own words are English
    assert.match(p.en, /^[A-Z"].*[a-z]{3}/);
  }
  if (zh) assert.match(r.problems[0].zh, zh);
  if (en) assert.match(r.problems[0].en, en);
  return r.problems;
}

test('LEGACY ID-2 CARD-2 a good row becomes a certificate: 18-digit ID, number, state, flag, optional contact', () => {
  const r = clean(row());
  assert.deepEqual(r, {
    line: 2, idNumber: ID, birthDate: '1970-01-01', sex: 'M', name: '张三', disabilities: [{ category: 4, level: 2 }],
    number: `${ID}42`, category: 4, level: 2, issuedOn: '2016-05-20', validUntil: '2026-05-20', state: 'active',
    visualAssessment: false, hukouCode: '330106002052', phone: '13812345678', address: '北山街道宝石山下一弄1号',
  });
  // a multiple disability: category 7 with the most severe level; phone and address may be left out
  const multi = clean([ID, '李四', '1-3;4-2', '2016-05-20', '2026-05-20', '否', '330106']);
  assert.equal(multi.number, `${ID}72`);
  assert.deepEqual(multi.disabilities, [{ category: 1, level: 3 }, { category: 4, level: 2 }]);
  assert.equal(multi.phone, undefined);
  assert.equal(multi.address, undefined);
  // full-width characters typed with a Chinese input method, a full-width semicolon and spaces
  const wide = clean(row({ 0: ID.replace('3301', '３３０１'), 2: '１－３； 4-2', 7: '138 1234 5678' }));
  assert.equal(wide.idNumber, ID);
  assert.equal(wide.number, `${ID}72`);
  assert.equal(wide.phone, '13812345678');
});

test('LEGACY ID-1 a legacy 15-digit ID is converted to 18 digits; a wrong ID says which part is wrong', () => {
  const r = clean(row({ 0: '330106700101001' }));
  assert.equal(r.idNumber, withCheck('33010619700101001'));
  problems(row({ 0: ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0') }), ['idNumber'], /校验码/, /check digit/);
  problems(row({ 0: '3301061970' }), ['idNumber'], /18位/, /18 characters/);
  problems(row({ 0: withCheck('33010620300101001') }), ['idNumber'], /晚于今天/, /future/);
});

test('LEGACY a name must be there, without digits (shifted columns), at most 50 characters', () => {
  problems(row({ 1: ' ' }), ['name'], /姓名为空/, /empty/);
  const [shifted] = problems(row({ 1: '张三1' }), ['name'], /列的顺序/, /out of order/);
  assert.ok(!shifted.zh.includes('张三') && !shifted.en.includes('张三'), 'the report does not repeat the name (SEC-1)');
  problems(row({ 1: '张'.repeat(51) }), ['name'], /50/, /50 characters/);
  assert.equal(clean(row({ 1: '阿依古丽·买买提' })).name, '阿依古丽·买买提');
});

test('LEGACY ID-2 categories/levels are category-level pairs; each category once, multiple never given directly', () => {
  problems(row({ 2: '' }), ['disabilities'], /类别-等级/, /category-level/);
  problems(row({ 2: '4/2' }), ['disabilities'], /类别-等级/, /category-level/);
  problems(row({ 2: '肢体二级' }), ['disabilities']);
  problems(row({ 2: '7-2' }), ['disabilities'], /多重残疾/, /multiple/);
  problems(row({ 2: '9-1' }), ['disabilities'], /类别无效/, /no valid category/);
  problems(row({ 2: '4-5' }), ['disabilities'], /等级无效/, /no valid level/);
  problems(row({ 2: '4-2;4-3' }), ['disabilities'], /不止一次/, /more than once/);
});

test('LEGACY CARD-2 issue date and validity end: real dates, in order, at most ten years apart; expired before today', () => {
  for (const d of ['2016/5/20', '2016.5.20', '2016年5月20日', '20160520']) assert.equal(parseLegacyDate(d), '2016-05-20');
  for (const d of ['2016-02-30', '16-05-20', '2016-5', '']) assert.equal(parseLegacyDate(d), null);
  problems(row({ 3: '2016-02-30' }), ['issuedOn'], /不是有效日期/, /not a real date/);
  problems(row({ 3: '2026-03-03', 4: '2036-03-03' }), ['issuedOn'], /晚于今天/, /future/);
  problems(row({ 0: ID2, 3: '1981-05-20', 4: '1991-05-20' }), ['issuedOn'], /出生日期1982-03-15/, /birth date 1982-03-15/);
  problems(row({ 4: '2026-13-01' }), ['validUntil'], /不是有效日期/, /not a real date/);
  problems(row({ 4: '2016-05-20' }), ['validUntil'], /不晚于发证日期/, /not after the issue date/);
  problems(row({ 4: '2026-05-21' }), ['validUntil'], /10年（2026-05-20）/, /ten years after the issue date \(2026-05-20\)/);
  assert.equal(clean(row({ 3: '2016-03-03', 4: '2026-03-03' })).state, 'active');
  assert.equal(clean(row({ 3: '2016-03-02', 4: '2026-03-02' })).state, 'active', 'valid through its last day');
  assert.equal(clean(row({ 3: '2016-03-01', 4: '2026-03-01' })).state, 'expired', 'ended yesterday');
  assert.equal(clean(row({ 3: '2021-06-01', 4: '2026-03-01' })).state, 'expired', 'a shorter validity is kept as given');
});

test('LEGACY RENEW-2 TRF-3 the visual-assessment flag is required, and only a pre-2018 certificate can carry it', () => {
  for (const yes of ['是', 'Y', 'yes', 'TRUE', '1']) assert.equal(clean(row({ 3: '2015-01-10', 4: '2025-01-10', 5: yes })).visualAssessment, true);
  for (const no of ['否', 'n', 'No', 'false', '0']) assert.equal(clean(row({ 5: no })).visualAssessment, false);
  problems(row({ 5: '' }), ['visualAssessment'], /是/, /visual-assessment flag/);
  problems(row({ 5: '不详' }), ['visualAssessment'], /无法识别/, /not understood/);
  problems(row({ 3: '2018-01-01', 4: '2028-01-01', 5: '是' }), ['visualAssessment'], /2018年以前/, /before 2018/);
  assert.equal(clean(row({ 3: '2017-12-31', 4: '2027-12-31', 5: '是' })).visualAssessment, true);
});

test('LEGACY the hukou code is a county, township or village code; phone and address are checked when given', () => {
  for (const bad of ['33010', '3301', '3301060020', 'abc', '']) problems(row({ 6: bad }), ['hukouCode'], /6位/, /6 \(county\)/);
  for (const ok of ['330106', '330106002', '330106002052']) assert.equal(clean(row({ 6: ok })).hukouCode, ok);
  problems(row({ 7: '12345' }), ['phone'], /手机号/, /mobile/);
  assert.ok(!problems(row({ 7: '1381234567x' }), ['phone'])[0].zh.includes('1381234567'), 'nor the phone');
  assert.equal(clean(row({ 7: '0571-87654321' })).phone, '057187654321');
  problems(row({ 8: '路'.repeat(201) }), ['address'], /200/, /200 characters/);
});

test('LEGACY every column of a row is checked at once, and a row with the wrong number of columns says so', () => {
  problems(['1234', '', 'x', 'y', 'z', '?', '1'], ['idNumber', 'name', 'disabilities', 'issuedOn', 'validUntil', 'visualAssessment', 'hukouCode']);
  problems(GOOD.slice(0, 6), [null], /本行有6列，应为7至9列/, /6 columns; it needs 7 to 9/);
  problems([...GOOD, '多余'], [null], /双引号/, /double quotes/);
});

test('LEGACY a file: the header is skipped, a person appears once (both lines named), problems are reported in line order', () => {
  const lines = [
    { line: 1, cells: ['身份证号码', '姓名', '残疾类别等级', '发证日期', '有效期至', '目测', '户籍地区划代码'] },
    { line: 2, cells: row() },
    { line: 3, cells: row({ 0: withCheck('33010619700101027'), 1: '' }) },
    { line: 5, cells: row({ 0: ID2, 1: '王五' }) },
    { line: 6, cells: row({ 0: ID.toLowerCase(), 1: '张三（重复）' }) },
  ];
  const { rows, problems: found } = validateLegacyRows(lines, TODAY);
  assert.deepEqual(rows.map((r) => r.line), [2, 5]);
  assert.deepEqual(found.map((p) => [p.line, p.column]), [[3, 'name'], [6, 'idNumber']]);
  assert.match(found[1].zh, /与第2行的身份证号码相同.*第2行和第6行/);
  assert.match(found[1].en, /Same ID number as line 2.*lines 2 and 6/);
  // a duplicate is found whichever of the two rows has other problems too
  const both = validateLegacyRows([{ line: 2, cells: row({ 1: '' }) }, { line: 3, cells: row({ 5: '?' }) }], TODAY);
  assert.deepEqual(both.rows, []);
  assert.deepEqual(both.problems.map((p) => [p.line, p.column]), [[2, 'name'], [3, 'idNumber'], [3, 'visualAssessment']]);
  assert.match(both.problems[1].en, /Same ID number as line 2/);
  // without a header the first line is data
  assert.deepEqual(validateLegacyRows([{ line: 1, cells: row() }], TODAY).rows.map((r) => r.line), [1]);

  const report = formatLegacyProblems([...found].reverse());
  assert.deepEqual(report.map((l) => l.match(/^(第\d+行|  line \d+)/)?.[1]), ['第3行', '  line 3', '第6行', '  line 6']);
  assert.match(report[0], /^第3行【姓名】姓名为空。$/);
  assert.match(report[1], /^ {2}line 3 \[name\] The name is empty\.$/);
  assert.match(formatLegacyProblems(problems(GOOD.slice(0, 3), [null]))[0], /^第7行【整行】/);
});

test('LEGACY SEC-1 problems found in the database are bilingual and never show a full ID number', () => {
  // the database keeps only the masked number (SEC-1), and that is what the problem shows
  const other = legacyDbProblems.holdsOtherCertificate(4, maskCertificateNumber(`${ID}41`), 'frozen');
  assert.equal(other.column, 'idNumber');
  assert.ok(!other.zh.includes(ID) && !other.en.includes(ID));
  assert.match(other.zh, /冻结.*330\*{11}\d{3}[\dX]41/);
  assert.match(other.en, /frozen/);
  assert.match(legacyDbProblems.unknownDivision(3, '330199').zh, /“330199”不存在/);
  const outside = legacyDbProblems.outsideCounty(3, '330102001', { zh: '西湖区', en: '西湖区 (330106)' });
  assert.match(outside.zh, /不在西湖区/);
  assert.match(outside.en, /not in 西湖区 \(330106\)/);
});
