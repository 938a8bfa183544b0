/** NEW end to end through the API: residence 西湖区 (Zhejiang), hukou 金水区 (Henan) — the national profile. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login } from './harness.js';
import { addDays, apply, institutionOf, ok, recordResult } from './fixtures.js';
import { verifyAuditChains } from '../src/modules/audit/audit-chain.js';

test('NEW-2 NEW-3 NEW-4 NEW-6 NEW-7 NEW-9 a case crosses two provinces to a delivered certificate, every step in the history', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  let clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const start = h.clock.today();

  // MAT-2: the clerk files with the residence permit missing; the answer names every missing item
  const c = await apply(clerk, { materialsProvided: ['photos', 'id_and_hukou'] });
  assert.deepEqual(c.body.missingMaterials.map((m: any) => m.code), ['residence_permit']);
  assert.equal(c.body.case.profile, 'national', 'a case across provinces follows the national profile');
  assert.equal(c.body.case.state.code, 'submitted');

  const early = await clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) });
  assert.equal(early.status, 409, 'cannot accept with materials missing');
  assert.match(early.body.error.zh, /一次性告知/);

  await ok(clerk.act(c.id, 'request_materials', { note: '请补居住证' }));
  const notice = await ok(clerk.get(`/api/cases/${c.id}/notices/missing-materials`));
  assert.deepEqual(notice.issued.items.map((i: any) => i.code), ['residence_permit']);
  assert.match(notice.text.zh, /居住证/);
  assert.equal(notice.issuedBy, '杭州市西湖区残疾人联合会');
  await ok(clerk.act(c.id, 'supplement_materials', { provided: ['residence_permit'] }));

  // NEW-2: accept and name the institution; the case now waits on the doctor
  const accepted = await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  assert.equal(accepted.case.state.code, 'assessing');
  const docList = await ok(doctor.get('/api/worklist'));
  assert.ok(docList.items.some((i: any) => i.id === c.id), 'the doctor sees the case in their worklist');

  // NEW-3: the doctor records category + level per disability
  await ok(recordResult(doctor, c.id, { qualified: true, disabilities: [{ category: 4, level: 2 }], assessedOn: start }));

  // NEW-4: an adult under the national profile is publicised; it cannot close before its end date
  await ok(clerk.act(c.id, 'start_publicity', { place: '北山街道公示栏' }));
  const tooEarly = await clerk.act(c.id, 'finish_publicity');
  assert.equal(tooEarly.status, 409);
  h.clock.setToday(addDays(start, 8));
  // a week later: everyone logs in again (sessions last a working day)
  clerk = await login(h, 'xihu.clerk');
  const hukouReviewer = await login(h, 'jinshui.reviewer');
  const hukouApprover = await login(h, 'jinshui.approver');
  const hukouClerk = await login(h, 'jinshui.clerk');
  const sent = await ok(clerk.act(c.id, 'finish_publicity'));
  assert.equal(sent.case.state.code, 'hukou_review');
  assert.equal(sent.case.sla.clock, 'hukou_issue');

  // the hukou county (another province) finds it on its worklist
  const hukouList = await ok(hukouReviewer.get('/api/worklist'));
  assert.ok(hukouList.items.some((i: any) => i.id === c.id));

  // NEW-6 + NEW-9: only the approver approves; no photo on file → 5 WD photo clock
  const notApprover = await hukouReviewer.act(c.id, 'approve', { photoOnFile: false });
  assert.equal(notApprover.status, 403);
  const approved = await ok(hukouApprover.act(c.id, 'approve', { photoOnFile: false }));
  assert.equal(approved.case.state.code, 'awaiting_photo');
  assert.equal(approved.case.sla.clock, 'photo');
  assert.equal(approved.case.clocks.photo.limitWd, 5);
  const issued = approved.case.data.certificate;
  assert.equal(issued.validFrom, addDays(start, 8), 'validity starts on the hukou county issue date');
  assert.equal(issued.validUntil, `${Number(issued.validFrom.slice(0, 4)) + 10}${issued.validFrom.slice(4)}`);
  assert.match(issued.numberMasked, /^\d{3}\*+[\dX]{4}42$/, 'number = ID + category 4 + level 2, masked');

  await ok(hukouClerk.act(c.id, 'receive_photo', { source: 'mailed' }));
  await ok(hukouClerk.act(c.id, 'print'));
  const badShip = await hukouClerk.act(c.id, 'ship', { method: 'courier', courier: 'EMS', trackingNo: '#' });
  assert.equal(badShip.status, 422);
  await ok(hukouClerk.act(c.id, 'ship', { method: 'courier', courier: 'EMS', trackingNo: 'EMS1234567890' }));
  const done = await ok(hukouClerk.act(c.id, 'mark_delivered', { receivedBy: '本人' }));
  assert.equal(done.case.state.code, 'delivered');
  assert.ok(done.case.closedAt);
  assert.deepEqual(done.case.availableActions, []);
  // SLA-1: every stage's clock is stopped with the working days it used on record
  assert.equal(done.case.clocks.acceptance.stopped, true);
  assert.equal(done.case.clocks.hukou_issue.stopped, true);
  assert.ok(done.case.clocks.hukou_issue.usedWd <= 7);
  assert.equal(done.case.residence.fullName, '浙江省 杭州市 西湖区 北山街道 宝石社区');
  assert.equal(done.case.profileName.zh, '跨省通办（全国）');

  // CARD-2: the person now exists with an active certificate and its history
  const found = await ok(hukouClerk.get(`/api/persons?idNumber=${c.form.applicant.idNumber}`));
  assert.equal(found.items.length, 1);
  const person = await ok(hukouClerk.get(`/api/persons/${found.items[0].id}`));
  assert.equal(person.certificates[0].state, 'active');
  assert.equal(person.certificates[0].history[0].to, 'active');
  assert.equal(person.certificates[0].history[0].reason, 'new_certificate');
  assert.equal(person.hukouName, '河南省 郑州市 金水区 经八路街道 体育社区居民居委会');
  assert.ok(person.cases.some((x: any) => x.id === c.id));

  // every step is in the history, by the right people
  const history = await ok(clerk.get(`/api/cases/${c.id}/history`));
  assert.deepEqual(history.map((e: any) => e.action), [
    'apply', 'request_materials', 'supplement_materials', 'accept', 'record_assessment', 'start_publicity',
    'finish_publicity', 'approve', 'receive_photo', 'print', 'ship', 'mark_delivered',
  ]);
  assert.equal(history.find((e: any) => e.action === 'approve').actor.name, '金水区审批人 赵刚');

  // SEC-2: the audit chains verify
  const report = await verifyAuditChains(h.db);
  assert.deepEqual(report.broken, []);
  assert.ok(report.entries >= 12);
});
