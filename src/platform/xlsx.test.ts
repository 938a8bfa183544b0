import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { columnName, xlsx } from './xlsx.js';

test('HOME-5 the .xlsx writer produces a zip with the workbook parts and the cells, the header row bold', () => {
  const bytes = xlsx([
    { name: '汇总 Summary', rows: [['县（区） County', '申请 Requests'], ['西湖区', 3], ['A & B <"x">', 12.5], [null, 0]], widths: [20, 12] },
    { name: 'Second', rows: [['only a header']] },
  ]);
  assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b], 'a zip file (PK)');
  const files = unzipSync(bytes);
  for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
    assert.ok(files[part], `${part} is in the package`);
  }
  const workbook = strFromU8(files['xl/workbook.xml']);
  assert.match(workbook, /<sheet name="汇总 Summary" sheetId="1" r:id="rId1"\/>/);
  assert.match(workbook, /<sheet name="Second" sheetId="2" r:id="rId2"\/>/);
  assert.match(strFromU8(files['[Content_Types].xml']), /\/xl\/worksheets\/sheet2\.xml/);
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
  assert.match(sheet, /<c r="A1" s="1" t="inlineStr"><is><t>县（区） County<\/t><\/is><\/c>/, 'header cells use the bold style');
  assert.match(sheet, /<c r="A2" t="inlineStr"><is><t>西湖区<\/t><\/is><\/c><c r="B2"><v>3<\/v><\/c>/, 'numbers are numbers, text is text');
  assert.match(sheet, /<t>A &amp; B &lt;&quot;x&quot;&gt;<\/t>/, 'XML specials are escaped');
  assert.match(sheet, /<c r="B3"><v>12.5<\/v><\/c>/);
  assert.match(sheet, /<row r="4"><c r="B4"><v>0<\/v><\/c><\/row>/, 'an empty cell is left out, a zero is kept');
  assert.match(sheet, /<col min="1" max="1" width="20" customWidth="1"\/>/);
  assert.match(strFromU8(files['xl/styles.xml']), /<cellXfs count="2">.*fontId="1".*<\/cellXfs>/);
});

test('HOME-5 the .xlsx writer names columns past Z and refuses what Excel would not open', () => {
  assert.deepEqual([0, 25, 26, 27, 51, 52, 701, 702].map(columnName), ['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  assert.throws(() => xlsx([]), RangeError);
  assert.throws(() => xlsx([{ name: 'a/b', rows: [] }]), RangeError);
  assert.throws(() => xlsx([{ name: 'x'.repeat(32), rows: [] }]), RangeError);
  assert.throws(() => xlsx([{ name: 'Same', rows: [] }, { name: 'same', rows: [] }]), RangeError);
  assert.throws(() => xlsx([{ name: 'NaN', rows: [[Number.NaN]] }]), RangeError);
});
