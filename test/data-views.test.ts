/** SEC-1 who viewed what: every full view is listed for supervisors and auditors in their subtree, and for the applicant (PIPL). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, harness, login, makeCitizenId, type Harness } from './harness.js';
import { freshPhone, registerApplicant } from './applicants.js';
import { apply, ok, uploadScan, XIHU_VILLAGE } from './fixtures.js';

let n = 0;
async function staffAccount(h: Harness, role: string, division: string) {
  const admin = await login(h, 'admin');
  const [org] = await ok(admin.get(`/api/org-units?kind=federation&under=${division}`));
  const username = `views.${role}.${Date.now() % 1e7}.${++n}`;
  await ok(admin.post('/api/admin/users', { username, displayName: `查阅测试${role}`, password: 'Right12345', grants: [{ role, orgUnitId: org.id }] }), 201);
  return { username, client: await login(h, username, 'Right12345') };
}

test('SEC-1 the applicant sees which federation viewed their file and when; supervisors and auditors list every full view in their subtree, filtered by staff, person and period', async () => {
  const h = await harness();
  // an applicant applies online; the 西湖区 clerk opens the scan they uploaded
  const { phone, cookie } = await registerApplicant(h, { phone: freshPhone('137') });
  const applicant = new Client(h.app, cookie);
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(applicant, { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name: '查阅测试人', phone }, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const doc = await ok(uploadScan(applicant, c.id, 'id_and_hukou', '身份证.png'), 201);
  const own = await applicant.get(`/api/cases/${c.id}/documents/${doc.id}`);
  assert.equal(own.status, 200);
  assert.deepEqual((await ok(applicant.get('/api/applicant/data-views'))).items, [], 'their own look is not someone else’s view');

  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.get(`/api/cases/${c.id}/documents/${doc.id}?purpose=${encodeURIComponent('核对身份证件')}`)).status, 200);
  const mine = (await ok(applicant.get('/api/applicant/data-views'))).items;
  assert.equal(mine.length, 1);
  assert.deepEqual({ ...mine[0], at: undefined }, { at: undefined, what: 'case_document', purpose: '核对身份证件', by: '杭州市西湖区残疾人联合会', caseNo: c.body.case.caseNo });
  assert.ok(Math.abs(new Date(mine[0].at).getTime() - h.clock.now().getTime()) < 60_000);

  // the city supervisor and an auditor of the city see it; Zhengzhou's supervisor does not
  const supervisor = await login(h, 'hangzhou.supervisor');
  const auditor = (await staffAccount(h, 'auditor', '3301')).client;
  const today = h.clock.today();
  for (const reader of [supervisor, auditor]) {
    const list = await ok(reader.get(`/api/data-views?idNumber=${idNumber}&from=${today}&to=${today}`));
    assert.equal(list.total, 1);
    const [v] = list.items;
    assert.equal(v.viewer.username, 'xihu.clerk');
    assert.equal(v.viewer.role, 'clerk');
    assert.equal(v.federation.name, '杭州市西湖区残疾人联合会');
    assert.equal(v.purpose, '核对身份证件');
    assert.equal(v.subject.caseNo, c.body.case.caseNo);
    assert.match(v.subject.idNumberMasked, /^330\*+\d{3}[\dX]$/);
    assert.ok(!JSON.stringify(list).includes(idNumber), 'the list masks the ID number');
  }
  const byStaff = await ok(supervisor.get(`/api/data-views?staff=xihu.clerk&from=${today}&to=${today}`));
  assert.ok(byStaff.items.length >= 1 && byStaff.items.every((v: any) => v.viewer.username === 'xihu.clerk'));
  assert.equal((await ok(supervisor.get(`/api/data-views?idNumber=${idNumber}&to=2000-01-01`))).total, 0, 'the period filters');
  const zhengzhou = await login(h, 'zhengzhou.supervisor');
  assert.equal((await ok(zhengzhou.get(`/api/data-views?idNumber=${idNumber}`))).total, 0, 'outside the subtree: nothing');
  assert.equal((await clerk.get('/api/data-views')).status, 403, 'a clerk may not read who viewed what');
  assert.equal((await supervisor.get('/api/data-views?from=2026-02-30')).status, 422);
});

test('SEC-1 every full view is logged with its purpose: person record, archive file and export (the visit list: home-assessment test)', async () => {
  const h = await harness();
  const supervisor = await login(h, 'hangzhou.supervisor');
  const clerk = await login(h, 'xihu.clerk');
  const count = async (what: string, personId: string) => (await h.db.query('SELECT count(*)::int AS n, max(purpose) AS purpose FROM personal_data_view WHERE what = $1 AND person_id = $2', [what, personId]))[0];
  // a holder of 西湖区 (made through NEW) — the person exists
  const { holder } = await import('./fixtures.js');
  const who = await holder(h, 'xihu');
  await ok(clerk.post(`/api/persons/${who.personId}/reveal`, { purpose: '核实申请信息' }));
  assert.deepEqual(await count('person_record', who.personId), { n: 1, purpose: '核实申请信息' });
  const archive = await ok(clerk.get(`/api/persons/${who.personId}/archive`));
  assert.ok(archive.documents.length >= 1);
  assert.equal((await clerk.get(`/api/persons/${who.personId}/archive/${archive.documents[0].sha256}`)).status, 200);
  assert.equal((await count('archive_document', who.personId)).n, 1);
  assert.equal((await clerk.get(`/api/persons/${who.personId}/archive.zip?purpose=${encodeURIComponent('移交档案室')}`)).status, 200);
  assert.deepEqual(await count('archive_export', who.personId), { n: 1, purpose: '移交档案室' });
  const listed = await ok(supervisor.get(`/api/data-views?idNumber=${who.idNumber}`));
  assert.deepEqual(listed.items.map((v: any) => v.what).sort(), ['archive_document', 'archive_export', 'case_document', 'person_record'].filter((w) => listed.items.some((v: any) => v.what === w)).sort());
  assert.ok(listed.items.every((v: any) => v.purpose.length >= 2), 'every view has a purpose');
  // the views cannot be edited or deleted, by the service or anyone else
  await assert.rejects(h.db.query('DELETE FROM personal_data_view WHERE person_id = $1', [who.personId]), /append-only/);
});
