import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFileName, formatSize, groupByContent, shortLabel } from './archive.js';

test('ARCH-1 the same content attached twice is one document with both references, kept where it was first filed', () => {
  const docs = groupByContent([
    { sha256: 'a', ref: 1 },
    { sha256: 'b', ref: 2 },
    { sha256: 'a', ref: 3 },
    { sha256: 'c', ref: 4 },
  ]);
  assert.deepEqual(docs.map((d) => [d.no, d.sha256, d.references.map((r) => r.ref)]), [
    [1, 'a', [1, 3]],
    [2, 'b', [2]],
    [3, 'c', [4]],
  ]);
  assert.deepEqual(groupByContent([]), []);
});

test('ARCH-1 export file names sort in filing order and carry date, short label and case number', () => {
  const filed = { date: '2026-11-27', labelZh: '残疾评定表（医生签字、机构盖章后的扫描件）', caseNo: 'NEW-330106-20261127-000042', mime: 'image/png' };
  assert.equal(exportFileName(1, 9, filed), '01_2026-11-27_残疾评定表_NEW-330106-20261127-000042.png');
  assert.equal(exportFileName(7, 120, { ...filed, mime: 'application/pdf' }), '007_2026-11-27_残疾评定表_NEW-330106-20261127-000042.pdf', 'wide enough for the count');
  assert.equal(exportFileName(3, 3, { ...filed, mime: 'image/jpeg' }).slice(-4), '.jpg');
  assert.equal(shortLabel('申请人居民身份证及户口簿'), '申请人居民身份证及户口簿');
  assert.equal(shortLabel('a/b: "c"?'), 'a_b__c__', 'nothing a file system refuses');
  assert.equal(shortLabel('（只有说明）'), '材料', 'never empty');
});

test('ARCH-1 sizes read as B, KB or MB', () => {
  assert.deepEqual([formatSize(812), formatSize(12_595), formatSize(4 * 1024 * 1024)], ['812 B', '12.3 KB', '4.0 MB']);
});
