/** The NEW matter's special rules: NEW-1, NEW-5, NEW-6, NEW-8, NEW-9, MAT-3. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zhDate } from '../src/domain/dates.js';
import { harness, login, makeCitizenId } from './harness.js';
import { addDays, apply, institutionOf, ok, recordResult, toResultReview, XIHU_VILLAGE } from './fixtures.js';

/** A case in hukou review: residence 西湖区, hukou 金水区, forwarded without publicity (a minor). */
async function inHukouReview(h: Awaited<ReturnType<typeof harness>>) {
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const birth = `${Number(h.clock.today().slice(0, 4)) - 12}0601`;
  const guardian = { idNumber: makeCitizenId({ division: '410105', birth: '19800101' }), name: '监护人', phone: '13900139000', relation: '父亲' };
  const c = await toResultReview(h, clerk, doctor, {
    idNumber: makeCitizenId({ division: '410105', birth }),
    guardian,
    materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit'],
  });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  return { clerk, doctor, c };
}

test('NEW-1 a person whose certificate was cancelled less than a year ago cannot re-apply; a live certificate blocks NEW too', async () => {
  const h = await harness();
  const { c } = await inHukouReview(h);
  const approver = await login(h, 'jinshui.approver');
  await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
  const clerk = await login(h, 'xihu.clerk');
  const again = await clerk.post('/api/cases', c.form);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'application.has_certificate');

  // the certificate is cancelled today (the CANCEL matter will do this; here the row is set directly)
  await h.db.query(`UPDATE certificate SET state = 'cancelled', state_changed_at = now() WHERE case_id = $1`, [c.id]);
  await h.db.query(`UPDATE case_file SET closed_at = now() WHERE id = $1`, [c.id]);
  const blocked = await clerk.post('/api/cases', c.form);
  assert.equal(blocked.status, 409);
  assert.equal(blocked.body.error.code, 'application.recently_cancelled');
  assert.match(blocked.body.error.zh, /注销未满一年/);
  assert.match(blocked.body.error.en, /possible from \d{4}-\d{2}-\d{2}/);

  // a supervisor may allow it earlier, with a reason that is kept; a clerk may not
  const personId = (await ok(clerk.get(`/api/persons?idNumber=${c.form.applicant.idNumber}`))).items[0].id;
  assert.equal((await clerk.post(`/api/persons/${personId}/reapply-override`, { reason: '病情加重，需尽快评定' })).status, 403);
  const supervisor = await login(h, 'zhengzhou.supervisor');
  const allowed = await ok(supervisor.post(`/api/persons/${personId}/reapply-override`, { reason: '病情加重，需尽快重新评定' }), 201);
  assert.match(allowed.validUntil, /^\d{4}-\d{2}-\d{2}$/);
  const [logged] = await h.db.query(`SELECT detail FROM audit_entry WHERE action = 'person.allow_reapply' AND object_id = $1`, [personId]);
  assert.equal(logged.detail.reason, '病情加重，需尽快重新评定');
  await ok(clerk.post('/api/cases', c.form), 201);
});

test('NEW-5 the hukou county returns a case outside its jurisdiction; the residence county re-routes it', async () => {
  const h = await harness();
  const { clerk, c } = await inHukouReview(h);
  const hukouReviewer = await login(h, 'jinshui.reviewer');
  const returned = await ok(hukouReviewer.act(c.id, 'return_not_ours', { reason: '经核查，申请人户籍不在本区' }));
  assert.equal(returned.case.state.code, 'rerouting');
  assert.equal(returned.case.waitingOn.side, 'residence');
  const same = await clerk.act(c.id, 'reroute', { hukouCode: '410105001' });
  assert.equal(same.status, 422, 'the same county again is refused');
  const rerouted = await ok(clerk.act(c.id, 'reroute', { hukouCode: XIHU_VILLAGE }));
  assert.equal(rerouted.case.state.code, 'hukou_review');
  assert.equal(rerouted.case.hukou.code, XIHU_VILLAGE);
  const gone = await hukouReviewer.get(`/api/cases/${c.id}`);
  assert.equal(gone.status, 404, 'the old hukou county no longer sees the case');
  const newHukou = await login(h, 'xihu.approver');
  assert.ok((await ok(newHukou.get('/api/worklist'))).items.some((i: any) => i.id === c.id));
});

test('NEW-6 the hukou county rejects with a reason; the case ends without a certificate', async () => {
  const h = await harness();
  const { clerk, c } = await inHukouReview(h);
  const approver = await login(h, 'jinshui.approver');
  const noReason = await approver.act(c.id, 'reject', {});
  assert.equal(noReason.status, 422);
  const rejected = await ok(approver.act(c.id, 'reject', { reason: '监护关系证明与户口簿不一致' }));
  assert.equal(rejected.case.state.code, 'rejected');
  assert.equal(rejected.case.data.rejection.reason, '监护关系证明与户口簿不一致');
  assert.equal(rejected.case.data.certificate, undefined);
  assert.deepEqual((await ok(clerk.get(`/api/cases/${c.id}`))).availableActions, []);
});

test('NEW-8 a result below the standard is told to the applicant with its reason', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const c = await apply(clerk);
  const inst = await institutionOf(clerk);
  await ok(clerk.act(c.id, 'accept', { institutionId: inst }));
  const noReason = await doctor.act(c.id, 'record_assessment', { qualified: false, assessedOn: h.clock.today() });
  assert.equal(noReason.status, 422, 'a result below the standard needs its reason');
  await ok(recordResult(doctor, c.id, { qualified: false, notQualifiedReason: '双眼矫正视力0.5，未达视力残疾标准', assessedOn: h.clock.today() }));
  const pub = await clerk.act(c.id, 'start_publicity', { place: '公示栏' });
  assert.equal(pub.status, 409);
  const told = await ok(clerk.act(c.id, 'notify_not_qualified', { reason: '评定结果未达到残疾标准', channel: 'sms' }));
  assert.equal(told.case.state.code, 'not_qualified');
  assert.equal(told.case.data.notQualifiedNotice.channel, 'sms');
});

test('NEW-9 without a photo in 5 working days the case is deemed abandoned, not before', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  const { c } = await inHukouReview(h);
  const approver = await login(h, 'jinshui.approver');
  const approved = await ok(approver.act(c.id, 'approve', { photoOnFile: false }));
  const due = approved.case.clocks.photo.dueOn;
  let hukouClerk = await login(h, 'jinshui.clerk');
  const early = await hukouClerk.act(c.id, 'abandon_no_photo');
  assert.equal(early.status, 409);
  assert.match(early.body.error.zh, new RegExp(zhDate(due)));
  assert.match(early.body.error.en, new RegExp(due));
  h.clock.setToday(addDays(due, 1));
  hukouClerk = await login(h, 'jinshui.clerk');
  const list = await ok(hukouClerk.get('/api/worklist?overdue=true'));
  assert.ok(list.items.some((i: any) => i.id === c.id && i.sla.overdue));
  const abandoned = await ok(hukouClerk.act(c.id, 'abandon_no_photo'));
  assert.equal(abandoned.case.state.code, 'abandoned');
});

test('MAT-3 non-conforming materials: the application is returned with its reason', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk);
  const returned = await ok(clerk.act(c.id, 'return_application', { reason: '居住证已过期，请更新后重新申请' }));
  assert.equal(returned.case.state.code, 'returned');
  assert.equal(returned.case.data.returnReason, '居住证已过期，请更新后重新申请');
  // the applicant may apply again once the case is closed
  await apply(clerk, { idNumber: c.form.applicant.idNumber });
});

test('MAT-1 MAT-2 the checklist depends on the case: guardian proof for mental disability, residence permit across counties', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const guardian = { idNumber: makeCitizenId({ division: '410105' }), name: '家属', phone: '13700137000', relation: '配偶' };
  const c = await apply(clerk, { categories: [6], guardian, materialsProvided: [] });
  assert.deepEqual(c.body.missingMaterials.map((m: any) => m.code), ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit']);
  const notice = await ok(clerk.act(c.id, 'request_materials'));
  assert.equal(notice.case.data.notices[0].items.length, 4, 'ALL missing items in one notice');
  const nothingMissing = await apply(clerk);
  const refused = await clerk.act(nothingMissing.id, 'request_materials');
  assert.equal(refused.status, 409, 'no notice when nothing is missing');
});

test('NEW-4 an objection during publicity stops the case for review; a dismissed objection resumes publicity, an upheld one sends it back to assessment', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const c = await toResultReview(h, clerk, doctor);
  await ok(clerk.act(c.id, 'start_publicity', { place: '北山街道公示栏' }));
  const stopped = await ok(clerk.act(c.id, 'record_objection', { summary: '群众反映其可正常行走' }));
  assert.equal(stopped.case.state.code, 'objection_review');
  assert.equal((await clerk.act(c.id, 'finish_publicity')).status, 409, 'publicity cannot finish while an objection is open');
  const resumed = await ok(clerk.act(c.id, 'resolve_objection', { outcome: 'dismissed', finding: '经核实，反映情况不属实' }));
  assert.equal(resumed.case.state.code, 'in_publicity');
  await ok(clerk.act(c.id, 'record_objection', { summary: '再次反映' }));
  const back = await ok(clerk.act(c.id, 'resolve_objection', { outcome: 'reassess', finding: '需重新评定' }));
  assert.equal(back.case.state.code, 'assessing');
  assert.equal(back.case.data.publicity.objections.length, 2);
});

test('NEW-3 only the named institution’s doctor records the result: category + level per disability, with the doctor and the date in the history', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const c = await apply(clerk);
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const otherDoctor = await login(h, 'jinshui.doctor');
  assert.equal((await otherDoctor.act(c.id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: h.clock.today() })).status, 404);
  const multipleCode = await doctor.act(c.id, 'record_assessment', { qualified: true, disabilities: [{ category: 7, level: 1 }], assessedOn: h.clock.today() });
  assert.equal(multipleCode.status, 422, 'category 7 is not a disability of its own: list each category');
  const twice = await doctor.act(c.id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 1 }, { category: 4, level: 2 }], assessedOn: h.clock.today() });
  assert.equal(twice.status, 422);
  const badDate = await doctor.act(c.id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: '27/11/2026' });
  assert.equal(badDate.status, 422);
  assert.equal(badDate.body.error.field, 'assessedOn');
  assert.match(badDate.body.error.zh, /评定日期：日期格式为 YYYY-MM-DD/);
  await ok(recordResult(doctor, c.id, { qualified: true, disabilities: [{ category: 5, level: 3 }, { category: 4, level: 1 }], assessedOn: h.clock.today() }));
  const history = await ok(clerk.get(`/api/cases/${c.id}/history`));
  const recorded = history.find((e: any) => e.action === 'record_assessment');
  assert.equal(recorded.actor.name, '评定医生 周明（西湖）');
  assert.equal(recorded.actor.role, 'doctor');
  assert.equal(recorded.payload.assessedOn, h.clock.today());
  assert.deepEqual(recorded.payload.disabilities, [{ category: 5, level: 3 }, { category: 4, level: 1 }]);
});
