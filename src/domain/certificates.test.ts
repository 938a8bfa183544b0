import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validityEnd } from './certificates.js';

test('CARD-2 a certificate is valid ten years from its issue date; 29 February ends on 28 February', () => {
  assert.equal(validityEnd('2016-05-20'), '2026-05-20');
  assert.equal(validityEnd('2016-02-29'), '2026-02-28');
  assert.equal(validityEnd('2020-02-29'), '2030-02-28');
  assert.equal(validityEnd('2012-12-31'), '2022-12-31');
});
