import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doctorRefusal, institutionRefusal, trainingExpired, validityOn } from './qualification.js';

const designation = { categories: [1, 2, 4], validFrom: '2026-01-01', validUntil: '2028-12-31' };
const doctor = { categories: [4], trainingExpires: '2027-06-30', status: 'active' as const };

test('ASMT-1 an institution assesses only the categories it is designated for, within the designation dates', () => {
  assert.equal(institutionRefusal(designation, [1, 4], '2026-11-27'), null);
  assert.match(institutionRefusal(designation, [4, 5], '2026-11-27')!.zh, /智力/);
  assert.match(institutionRefusal(designation, [4], '2029-01-01')!.en, /not valid today/);
  assert.match(institutionRefusal(designation, [4], '2025-12-31')!.zh, /2026年1月1日/);
  assert.equal(institutionRefusal(designation, [4], '2028-12-31'), null, 'the last day still counts');
  assert.match(institutionRefusal(null, [4], '2026-11-27')!.zh, /尚未被指定/);
});

test('ASMT-1 a doctor assesses only their own categories, with training in date, and never once retired', () => {
  assert.equal(doctorRefusal(doctor, [4], '2026-11-27'), null);
  assert.match(doctorRefusal(doctor, [4, 6], '2026-11-27')!.zh, /不得跨类别评定.*精神/);
  assert.match(doctorRefusal(doctor, [4], '2027-07-01')!.en, /expired on 2027-06-30/);
  assert.equal(doctorRefusal(doctor, [4], '2027-06-30'), null);
  assert.match(doctorRefusal({ ...doctor, status: 'retired' }, [4], '2026-11-27')!.zh, /退休/);
  assert.match(doctorRefusal(null, [4], '2026-11-27')!.en, /no registered/);
});

test('ASMT-1 the screens say whether a designation is in force today and whether training has expired, end days included', () => {
  assert.equal(validityOn('2026-01-01', '2028-12-31', '2025-12-31'), 'not_yet');
  assert.equal(validityOn('2026-01-01', '2028-12-31', '2026-01-01'), 'valid');
  assert.equal(validityOn('2026-01-01', '2028-12-31', '2028-12-31'), 'valid');
  assert.equal(validityOn('2026-01-01', '2028-12-31', '2029-01-01'), 'expired');
  assert.equal(trainingExpired(doctor, '2027-06-30'), false);
  assert.equal(trainingExpired(doctor, '2027-07-01'), true);
});
