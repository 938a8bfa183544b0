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

test('ops: logged URLs mask phone numbers and certificate numbers (category and level included) wherever they appear', () => {
  assert.equal(maskUrl('/api/persons?certificateNumber=11010519491231002X11'), '/api/persons?certificateNumber=***');
  assert.equal(maskUrl('/api/x?phone=13812345678&mobile=13912345678'), '/api/x?phone=***&mobile=***');
  assert.equal(maskUrl('/api/certificates/11010519491231002X11/card'), '/api/certificates/110*****************/card');
  assert.equal(maskUrl('/api/certificates/11010519491231002742/card'), '/api/certificates/110*****************/card');
  assert.equal(maskUrl('/api/portal/13812345678/x'), '/api/portal/138********/x');
  assert.equal(maskUrl('/api/portal/+8613812345678'), '/api/portal/+86138********');
  assert.equal(maskUrl('/api/portal/%2B8619912345678?x=1'), '/api/portal/%2B86199********?x=1');
  assert.equal(maskUrl('/api/portal/8613812345678'), '/api/portal/86138********');
  // not personal: a case id whose last group happens to be digits, a 12-digit division code, a date
  assert.equal(maskUrl('/api/cases/2f1c6a1e-0000-4000-8000-a13812345678'), '/api/cases/2f1c6a1e-0000-4000-8000-a13812345678');
  assert.equal(maskUrl('/api/divisions/330106001001'), '/api/divisions/330106001001');
  assert.equal(maskUrl('/api/login-report?date=2026-12-08'), '/api/login-report?date=2026-12-08');
});
