import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import {
  CATEGORIES,
  categoryName,
  certificateCategoryAndLevel,
  levelName,
  needsGuardian,
  validateDisabilities,
} from './disability.js';

function assertDisabilityError(list: unknown, code: string, zh: RegExp, en: RegExp) {
  assert.throws(
    () => validateDisabilities(list),
    (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, code);
      assert.equal(e.field, 'disabilities');
      assert.match(e.text.zh, zh);
      assert.match(e.text.en, en);
      return true;
    },
  );
}

test('ASMT-2 the seven GB/T 26341-2010 categories have Chinese and English names', () => {
  assert.deepEqual(Object.keys(CATEGORIES), ['1', '2', '3', '4', '5', '6', '7']);
  assert.equal(categoryName(1, 'zh'), '视力残疾');
  assert.equal(categoryName(4, 'en'), 'Physical disability');
  assert.equal(categoryName(7, 'zh'), '多重残疾');
  assert.deepEqual([1, 2, 3, 4].map((l) => levelName(l as 1 | 2 | 3 | 4, 'zh')), ['一级', '二级', '三级', '四级']);
  assert.equal(levelName(2, 'en'), 'Level 2');
  assert.throws(() => levelName(5 as 1, 'zh'), RangeError);
  assert.throws(() => categoryName(8 as 1, 'zh'), RangeError);
});

test('ASMT-2 accepts one clear category and level per disability and returns a clean copy', () => {
  const input = [
    { category: 4, level: 2, note: 'dropped' },
    { category: 1, level: 4 },
  ];
  assert.deepEqual(validateDisabilities(input), [
    { category: 4, level: 2 },
    { category: 1, level: 4 },
  ]);
});

test('ASMT-2 rejects an empty or missing list', () => {
  assertDisabilityError([], 'disabilities.empty', /至少/, /at least one/);
  assertDisabilityError(undefined, 'disabilities.empty', /至少/, /at least one/);
  assertDisabilityError({ category: 1, level: 1 }, 'disabilities.empty', /至少/, /at least one/);
});

test('ASMT-2 rejects unknown categories, and "multiple" chosen directly, naming the entry', () => {
  assertDisabilityError([{ category: 1, level: 1 }, { category: 0, level: 1 }], 'disabilities.category', /第2项/, /Entry 2/);
  assertDisabilityError([{ category: '1', level: 1 }], 'disabilities.category', /第1项/, /Entry 1/);
  assertDisabilityError([{ category: 1.5, level: 1 }], 'disabilities.category', /第1项/, /Entry 1/);
  assertDisabilityError([null], 'disabilities.category', /第1项/, /Entry 1/);
  assertDisabilityError([{ category: 7, level: 1 }], 'disabilities.category', /多重残疾.*分别填写/, /each category/);
});

test('ASMT-2 rejects a category listed twice', () => {
  assertDisabilityError(
    [{ category: 2, level: 1 }, { category: 2, level: 3 }],
    'disabilities.duplicate',
    /第2项.*听力残疾/,
    /Entry 2: hearing disability is listed more than once/,
  );
});

test('ASMT-2 rejects a level outside 1–4 and says 1 is the most severe', () => {
  for (const level of [0, 5, '2', 2.5, undefined]) {
    assertDisabilityError([{ category: 5, level }], 'disabilities.level', /第1项（智力残疾）.*一级最重/, /level 1 to 4/);
  }
});

test('ID-2 a single disability keeps its own category and level on the certificate', () => {
  assert.deepEqual(certificateCategoryAndLevel([{ category: 4, level: 3 }]), { category: 4, level: 3 });
});

test('ID-2 a multiple disability shows category 7 with the most severe level', () => {
  assert.deepEqual(
    certificateCategoryAndLevel([
      { category: 1, level: 3 },
      { category: 2, level: 2 },
      { category: 4, level: 4 },
    ]),
    { category: 7, level: 2 },
  );
  assert.deepEqual(
    certificateCategoryAndLevel([
      { category: 5, level: 4 },
      { category: 6, level: 4 },
    ]),
    { category: 7, level: 4 },
  );
  assert.throws(() => certificateCategoryAndLevel([]), (e: unknown) => (e as DomainError).code === 'disabilities.empty');
});

test('MAT-1 guardian proof is needed for intellectual or mental disability and for minors', () => {
  assert.equal(needsGuardian([5], 40), true);
  assert.equal(needsGuardian([6], 40), true);
  assert.equal(needsGuardian([1, 6], 40), true);
  assert.equal(needsGuardian([1], 17), true);
  assert.equal(needsGuardian([1], 18), false);
  assert.equal(needsGuardian([1, 2, 3, 4], 70), false);
});
