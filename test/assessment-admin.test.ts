/** ASMT-1 administration screens' API: the lists of institutions and doctors, scoped to the admin, and safe edits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login } from './harness.js';
import { ok } from './fixtures.js';

const stamp = () => `${Date.now() % 1e6}${Math.floor(Math.random() * 100)}`;

test('ASMT-1 an admin lists the institutions and doctors of their own subtree only, with designation validity and training expiry', async () => {
  const h = await harness();
  const national = await login(h, 'admin');
  const n = stamp();
  // a city administrator for 杭州市, made the way an administrator would
  const hangzhou = (await ok(national.get('/api/org-units?kind=federation'))).find((o: any) => o.name === '杭州市残疾人联合会');
  await ok(national.post('/api/admin/users', { username: `hz.admin.${n}`, displayName: '杭州市管理员', password: 'Admin12345', grants: [{ role: 'admin', orgUnitId: hangzhou.id }] }), 201);
  const city = await login(h, `hz.admin.${n}`, 'Admin12345');

  const lapsed = await ok(national.post('/api/admin/org-units', { kind: 'institution', name: `过期指定医院${n}`, divisionCode: '330106' }), 201);
  await ok(national.call('PUT', `/api/admin/institutions/${lapsed.id}/designation`, { categories: [1, 2], validFrom: '2020-01-01', validUntil: '2021-12-31' }));
  await ok(national.post('/api/admin/org-units', { kind: 'institution', name: `未指定医院${n}`, divisionCode: '330106' }), 201);
  const elsewhere = await ok(national.post('/api/admin/org-units', { kind: 'institution', name: `金水医院${n}`, divisionCode: '410105' }), 201);
  const doctor = await ok(national.post('/api/admin/users', { username: `dr.lapsed.${n}`, displayName: '培训过期医生', password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: lapsed.id }] }), 201);
  await ok(national.call('PUT', `/api/admin/doctors/${doctor.id}/qualification`, { title: '主治医师', trainingCertNo: `PX-${n}`, trainingDate: '2019-03-01', trainingExpires: '2021-02-28', categories: [1], status: 'active' }));

  const institutions = await ok(city.get('/api/admin/institutions'));
  const byName = (name: string) => institutions.find((i: any) => i.name === name);
  const demo = byName('西湖区残疾评定定点医院（演示）');
  assert.equal(demo.place, '浙江省 杭州市 西湖区');
  assert.equal(demo.validToday, true);
  assert.deepEqual(demo.designation.categories, [1, 2, 3, 4, 5, 6]);
  assert.equal(demo.designation.validity, 'valid');
  assert.equal(byName(`过期指定医院${n}`).validToday, false);
  assert.equal(byName(`过期指定医院${n}`).designation.validity, 'expired');
  assert.equal(byName(`未指定医院${n}`).designation, null);
  assert.equal(byName(`未指定医院${n}`).validToday, false);
  assert.ok(institutions.every((i: any) => i.place.startsWith('浙江省 杭州市')), 'nothing outside 杭州市');
  assert.ok(!byName(`金水医院${n}`) && !byName('金水区残疾评定定点医院（演示）'));

  const doctors = await ok(city.get('/api/admin/doctors'));
  const lapsedDoctor = doctors.find((d: any) => d.id === doctor.id);
  assert.equal(lapsedDoctor.trainingExpired, true);
  assert.deepEqual(lapsedDoctor.institutions, [{ id: lapsed.id, name: `过期指定医院${n}` }]);
  assert.equal(lapsedDoctor.qualification.trainingCertNo, `PX-${n}`);
  const xihu = doctors.find((d: any) => d.username === 'xihu.doctor');
  assert.equal(xihu.trainingExpired, false);
  assert.equal(xihu.qualification.status, 'active');
  assert.ok(!doctors.some((d: any) => d.username === 'jinshui.doctor'));

  // the national administrator sees both provinces; outside the city admin's subtree edits are "not found"
  const everywhere = await ok(national.get('/api/admin/doctors'));
  const jinshuiDoctor = everywhere.find((d: any) => d.username === 'jinshui.doctor');
  assert.ok(jinshuiDoctor);
  assert.ok((await ok(national.get('/api/admin/institutions'))).some((i: any) => i.id === elsewhere.id));
  assert.equal((await city.call('PUT', `/api/admin/institutions/${elsewhere.id}/designation`, { categories: [1], validFrom: '2026-01-01', validUntil: '2099-12-31' })).status, 404);
  assert.equal((await city.call('PUT', `/api/admin/doctors/${jinshuiDoctor.id}/qualification`, { ...jinshuiDoctor.qualification, status: 'retired' })).status, 404);
  assert.equal((await ok(national.get('/api/admin/doctors'))).find((d: any) => d.id === jinshuiDoctor.id).qualification.status, 'active');

  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.get('/api/admin/institutions')).status, 403);
  assert.equal((await clerk.get('/api/admin/doctors')).status, 403);
});

test('ASMT-1 a designation or qualification saved from a stale screen is refused and changes nothing; dates out of order are refused', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const n = stamp();
  const inst = await ok(admin.post('/api/admin/org-units', { kind: 'institution', name: `版本测试医院${n}`, divisionCode: '330106' }), 201);
  const listed = async () => (await ok(admin.get('/api/admin/institutions'))).find((i: any) => i.id === inst.id);
  const designation = { categories: [4], validFrom: '2026-01-01', validUntil: '2099-12-31' };
  assert.equal((await listed()).version, null);

  await ok(admin.call('PUT', `/api/admin/institutions/${inst.id}/designation`, { ...designation, expectedVersion: null }));
  const first = await listed();
  const twice = await admin.call('PUT', `/api/admin/institutions/${inst.id}/designation`, { ...designation, categories: [1], expectedVersion: null });
  assert.equal(twice.status, 409, 'a second "new" designation from a screen that saw none');
  assert.equal(twice.body.error.code, 'admin.stale_version');
  assert.match(twice.body.error.zh, /已被他人修改/);
  await ok(admin.call('PUT', `/api/admin/institutions/${inst.id}/designation`, { ...designation, categories: [4, 5], expectedVersion: first.version }));
  const stale = await admin.call('PUT', `/api/admin/institutions/${inst.id}/designation`, { ...designation, categories: [6], expectedVersion: first.version });
  assert.equal(stale.status, 409);
  assert.deepEqual((await listed()).designation.categories, [4, 5], 'the stale save changed nothing');

  const backwards = await admin.call('PUT', `/api/admin/institutions/${inst.id}/designation`, { ...designation, validFrom: '2027-01-01', validUntil: '2026-12-31' });
  assert.equal(backwards.status, 422);
  assert.equal(backwards.body.error.field, 'validUntil');

  const doctor = await ok(admin.post('/api/admin/users', { username: `dr.ver.${n}`, displayName: '版本医生', password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: inst.id }] }), 201);
  const qualification = { title: '主治医师', trainingCertNo: `PX-V-${n}`, trainingDate: '2025-03-01', trainingExpires: '2029-12-31', categories: [4], status: 'active' };
  const inverted = await admin.call('PUT', `/api/admin/doctors/${doctor.id}/qualification`, { ...qualification, trainingExpires: '2025-02-28', expectedVersion: null });
  assert.equal(inverted.status, 422);
  assert.equal(inverted.body.error.field, 'trainingExpires');
  assert.match(inverted.body.error.zh, /早于培训日期/);
  const none = (await ok(admin.get('/api/admin/doctors'))).find((d: any) => d.id === doctor.id);
  assert.equal(none.qualification, null, 'the refused save recorded nothing');
  await ok(admin.call('PUT', `/api/admin/doctors/${doctor.id}/qualification`, { ...qualification, expectedVersion: null }));
  const again = await admin.call('PUT', `/api/admin/doctors/${doctor.id}/qualification`, { ...qualification, status: 'retired', expectedVersion: null });
  assert.equal(again.status, 409);
  assert.equal((await ok(admin.get('/api/admin/doctors'))).find((d: any) => d.id === doctor.id).qualification.status, 'active');
});
