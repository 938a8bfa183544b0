/** NEW under the zhejiang profile (one county), minors, and the regional profiles as data (SLA-4). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login, makeCitizenId } from './harness.js';
import { apply, institutionOf, ok, recordResult, toResultReview, XIHU_VILLAGE } from './fixtures.js';

test('SLA-4 profiles are data: each province points to one, Zhejiang to zhejiang with 1/19/10 WD', async () => {
  const h = await harness();
  const anon = await login(h, 'xihu.clerk');
  const profiles = await ok(anon.get('/api/profiles'));
  const zj = profiles.find((p: any) => p.code === 'zhejiang');
  const nat = profiles.find((p: any) => p.code === 'national');
  assert.deepEqual(zj.provinces, ['33']);
  assert.ok(nat.provinces.includes('41'));
  assert.equal(zj.settings.commitmentLetter, true);
  assert.equal(zj.settings.publicity, false);
  assert.deepEqual([zj.settings.sla.acceptance, zj.settings.sla.assessment, zj.settings.sla.hukou_issue], [1, 19, 10]);
  assert.deepEqual([nat.settings.sla.acceptance, nat.settings.sla.result_entry, nat.settings.sla.hukou_issue], [3, 10, 7]);
  assert.equal(zj.settings.staffLoginsPerDay, 2);
});

test('NEW-4 MAT-1 within one Zhejiang county: commitment letter instead of publicity, 1 WD acceptance, hand delivery', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const approver = await login(h, 'xihu.approver');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(clerk, { idNumber, hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou'] });
  assert.equal(c.body.case.profile, 'zhejiang');
  // MAT-1: no residence permit needed in one county, but the commitment letter is
  assert.deepEqual(c.body.missingMaterials.map((m: any) => m.code), ['commitment_letter']);
  assert.equal(c.body.case.sla.remainingWd, 1, 'zhejiang: acceptance within 1 working day');
  await ok(clerk.act(c.id, 'supplement_materials', { provided: ['commitment_letter'] }));
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const assessing = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(assessing.clocks.assessment.limitWd, 19, 'zhejiang: 19 WD for the assessment');
  await ok(recordResult(doctor, c.id, { qualified: true, disabilities: [{ category: 1, level: 3 }, { category: 4, level: 2 }], assessedOn: h.clock.today() }));
  const pub = await clerk.act(c.id, 'start_publicity', { place: '街道公示栏' });
  assert.equal(pub.status, 409);
  assert.match(pub.body.error.zh, /承诺书/);
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const approved = await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
  assert.equal(approved.case.state.code, 'printing', 'photo on file (data sharing): straight to printing');
  assert.equal(approved.case.clocks.hukou_issue.limitWd, 10);
  assert.match(approved.case.data.certificate.numberMasked, /72$/, 'multiple disability: category 7, most severe level 2');
  await ok(clerk.act(c.id, 'print'));
  await ok(clerk.act(c.id, 'ship', { method: 'hand', deliverer: '社区专职委员' }));
  const done = await ok(clerk.act(c.id, 'mark_delivered'));
  assert.equal(done.case.state.code, 'delivered');
});

test('NEW-4 a minor is never publicised: publicity refused, forwarded straight to the hukou county', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const birth = `${Number(h.clock.today().slice(0, 4)) - 10}0315`;
  const withoutGuardian = await clerk.post('/api/cases', {
    matter: 'new',
    applicant: { idNumber: makeCitizenId({ division: '410105', birth }), name: '小明', phone: '13800138001' },
    residenceCode: XIHU_VILLAGE, hukouCode: '410105001003', categories: [2], materialsProvided: [],
  });
  assert.equal(withoutGuardian.status, 422);
  assert.equal(withoutGuardian.body.error.field, 'guardian');
  const guardian = { idNumber: makeCitizenId({ division: '410105', birth: '19850101', sex: 'F' }), name: '小明妈妈', phone: '13800138002', relation: '母亲' };
  const c = await toResultReview(h, clerk, doctor, {
    idNumber: makeCitizenId({ division: '410105', birth }),
    guardian,
    materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit'],
    categories: [2],
  }, [{ category: 2, level: 1 }]);
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  const offered = view.availableActions.map((a: any) => a.code);
  assert.ok(offered.includes('forward_to_hukou'));
  assert.ok(!offered.includes('start_publicity') && !offered.includes('notify_not_qualified'), 'the page offers only what the rules allow');
  const blocked = view.blockedActions.find((a: any) => a.code === 'start_publicity');
  assert.match(blocked.reason.zh, /未满18周岁/);
  const pub = await clerk.act(c.id, 'start_publicity', { place: '公示栏' });
  assert.equal(pub.status, 409);
  assert.match(pub.body.error.en, /under 18/);
  const fwd = await ok(clerk.act(c.id, 'forward_to_hukou'));
  assert.equal(fwd.case.state.code, 'hukou_review');
});
