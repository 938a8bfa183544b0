/**
 * NEW-2 / MSG-1: at acceptance the applicant is told which institution, its address, phone and
 * opening hours, and by when to attend; the admin keeps those details on the institution.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply, ok, XIHU_VILLAGE } from './fixtures.js';
import { registerApplicant } from './applicants.js';
import { Client, harness, login, makeCitizenId } from './harness.js';

test('NEW-2 MSG-1 the institution named at acceptance, with address, phone and opening hours, and the attendance deadline, are on the applicant’s and the clerk’s case view', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const name = `西湖区联系信息测试医院${Date.now()}`;
  const { id: institutionId } = await ok(admin.post('/api/admin/org-units', { kind: 'institution', name, divisionCode: '330106' }), 201);
  await ok(admin.call('PUT', `/api/admin/institutions/${institutionId}/designation`, { categories: [4], validFrom: '2026-01-01', validUntil: '2030-12-31' }));

  // plain words when the admin's entry is wrong
  const bad = await admin.call('PUT', `/api/admin/institutions/${institutionId}/contact`, { address: '西湖', phone: '12', hours: '' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.zh, '地址至少需要4个字符。手机号码：手机号11位或区号加座机号。办公时间至少需要2个字符。');

  const contact = { address: '杭州市西湖区文一路88号 2号楼1楼', phone: '0571-81234567', hours: '工作日 8:30–11:30，13:30–16:30' };
  const saved = await ok(admin.call('PUT', `/api/admin/institutions/${institutionId}/contact`, contact));
  assert.deepEqual(saved, { id: institutionId, name, contact });
  const listed = (await ok(admin.get('/api/admin/institutions'))).find((i: any) => i.id === institutionId);
  assert.deepEqual(listed.contact, contact);

  // an applicant applies online; the clerk accepts and names the institution
  const reg = await registerApplicant(h, { name: '联系信息测试' });
  const phone = reg.phone;
  const applicant = new Client(h.app, reg.cookie);
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(applicant, { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name: '联系信息测试人', phone }, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await ok(applicant.get(`/api/cases/${c.id}`))).institution, null, 'no institution before acceptance');
  await ok(clerk.act(c.id, 'accept', { institutionId }));

  for (const who of [applicant, clerk]) {
    const view = await ok(who.get(`/api/cases/${c.id}`));
    assert.deepEqual(view.institution, { id: institutionId, name, contact });
    // Zhejiang profile: attend within 14 working days of acceptance (003)
    assert.equal(view.clocks.attendance.limitWd, 14);
    assert.match(view.clocks.attendance.dueOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(view.progress.map((s: any) => s.status), ['done', 'done', 'current', 'todo', 'todo', 'todo', 'todo']);
  }
});
