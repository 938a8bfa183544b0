import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskUrl } from './http.js';

test('SEC-1 request URLs are logged without the ID numbers or names a user searched for', () => {
  assert.equal(maskUrl('/api/persons?idNumber=11010519491231002X'), '/api/persons?idNumber=***');
  assert.equal(maskUrl(`/api/cases?q=${encodeURIComponent('司马相如')}&x=1`), '/api/cases?q=***&x=1');
  const masked = maskUrl('/api/whatever/11010519491231002X/more');
  assert.ok(!masked.includes('11010519491231002X'));
  assert.match(masked, /110\*+002X/);
  assert.equal(maskUrl('/api/cases/2f1c6a1e-0000-4000-8000-000000000000'), '/api/cases/2f1c6a1e-0000-4000-8000-000000000000', 'case ids are not personal data');
});
