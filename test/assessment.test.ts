/** ASMT-1 designated institutions and qualified doctors; ASMT-2 the grading check on the doctor's conclusion. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login, makeCitizenId } from './harness.js';
import { apply, institutionOf, ok, recordResult, XIHU_VILLAGE } from './fixtures.js';

const xihuCase = (clerk: Awaited<ReturnType<typeof login>>, categories: number[]) =>
  apply(clerk, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, categories, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    ...(categories.some((c) => c >= 5) ? { guardian: { idNumber: makeCitizenId({ division: '330106' }), name: '家属', phone: '13700000000', relation: '配偶' }, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter', 'guardian_proof'] } : {}) });

test('ASMT-1 a clerk may only name an institution designated, today, for the categories applied for', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const clerk = await login(h, 'xihu.clerk');
  const created = await ok(admin.post('/api/admin/org-units', { kind: 'institution', name: `眼科医院（测试${Date.now() % 1e5}）`, divisionCode: '330106' }), 201);
  await ok(admin.call('PUT', `/api/admin/institutions/${created.id}/designation`, { categories: [1, 2], validFrom: '2026-01-01', validUntil: '2099-12-31' }));
  const offered = await ok(clerk.get('/api/org-units?kind=institution&categories=4'));
  assert.ok(!offered.some((o: any) => o.id === created.id), 'not offered for a physical disability');
  assert.ok((await ok(clerk.get('/api/org-units?kind=institution&categories=1'))).some((o: any) => o.id === created.id));

  const c = await xihuCase(clerk, [4]);
  const refused = await clerk.act(c.id, 'accept', { institutionId: created.id });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'case.institution_designation');
  assert.match(refused.body.error.zh, /肢体/);

  await ok(admin.call('PUT', `/api/admin/institutions/${created.id}/designation`, { categories: [1, 2, 4], validFrom: '2020-01-01', validUntil: '2021-12-31' }));
  const expired = await clerk.act(c.id, 'accept', { institutionId: created.id });
  assert.equal(expired.status, 422);
  assert.match(expired.body.error.en, /not valid today/);
  await ok(admin.call('PUT', `/api/admin/institutions/${created.id}/designation`, { categories: [1, 2, 4], validFrom: '2020-01-01', validUntil: '2099-12-31' }));
  await ok(clerk.act(c.id, 'accept', { institutionId: created.id }));
});

test('ASMT-1 a doctor records results only for categories they are qualified for, with training in date, and not once retired', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const clerk = await login(h, 'xihu.clerk');
  const institution = await institutionOf(clerk);
  const username = `dr.${Date.now() % 1e6}`;
  const user = await ok(admin.post('/api/admin/users', { username, displayName: '测试医生', password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: institution }] }), 201);
  const qualification = { title: '副主任医师', trainingCertNo: 'PX-2026-0001', trainingDate: '2025-01-10', trainingExpires: '2099-01-09', categories: [4], status: 'active' };
  const record = (doctor: Awaited<ReturnType<typeof login>>, caseId: string, category: number) =>
    doctor.act(caseId, 'record_assessment', { qualified: true, disabilities: [{ category, level: 3 }], assessedOn: h.clock.today() });

  const doctor = await login(h, username, 'Doctor123');
  const physical = await xihuCase(clerk, [4]);
  await ok(clerk.act(physical.id, 'accept', { institutionId: institution }));
  const unregistered = await record(doctor, physical.id, 4);
  assert.equal(unregistered.status, 403);
  assert.equal(unregistered.body.error.code, 'assessment.doctor_not_qualified');

  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, qualification));
  const mental = await xihuCase(clerk, [6]);
  await ok(clerk.act(mental.id, 'accept', { institutionId: institution }));
  const cross = await record(doctor, mental.id, 6);
  assert.equal(cross.status, 403);
  assert.match(cross.body.error.zh, /不得跨类别评定/);
  const crossInResult = await doctor.act(physical.id, 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 3 }, { category: 1, level: 2 }], assessedOn: h.clock.today() });
  assert.equal(crossInResult.status, 403, 'nor conclude on a category outside their qualification');

  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, { ...qualification, trainingDate: '2018-01-10', trainingExpires: '2020-01-09' }));
  assert.match((await record(doctor, physical.id, 4)).body.error.zh, /培训合格证已于2020年1月9日过期/);
  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, { ...qualification, status: 'retired' }));
  assert.match((await record(doctor, physical.id, 4)).body.error.en, /retired/);
  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, qualification));
  await ok(record(doctor, physical.id, 4));
});

test('ASMT-2 the measurements imply a level; a conclusion that differs needs a justification and is flagged for audit', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const institution = await institutionOf(clerk);
  // better ear 85 dB HL → level 2
  const hearing = { category: 2, averageLossLeftDb: 95, averageLossRightDb: 85, ageYears: 40 };
  const c1 = await xihuCase(clerk, [2]);
  await ok(clerk.act(c1.id, 'accept', { institutionId: institution }));
  const agreeing = await ok(recordResult(doctor, c1.id, { qualified: true, disabilities: [{ category: 2, level: 2 }], measurements: [hearing], assessedOn: h.clock.today() }));
  assert.equal(agreeing.case.data.assessment.flaggedForAudit, false);
  assert.deepEqual(agreeing.case.data.assessment.gradingCheck, [{ category: 2, implied: 2, concluded: 2, agrees: true }]);

  const c2 = await xihuCase(clerk, [2]);
  await ok(clerk.act(c2.id, 'accept', { institutionId: institution }));
  const lenient = { qualified: true, disabilities: [{ category: 2, level: 1 }], measurements: [hearing], assessedOn: h.clock.today() };
  const unexplained = await doctor.act(c2.id, 'record_assessment', lenient);
  assert.equal(unexplained.status, 409);
  assert.match(unexplained.body.error.zh, /须?填写理由/);
  const impossible = await doctor.act(c2.id, 'record_assessment', { ...lenient, measurements: [{ ...hearing, averageLossRightDb: 500 }] });
  assert.equal(impossible.status, 422);
  assert.equal(impossible.body.error.field, 'measurements');
  const explained = await ok(recordResult(doctor, c2.id, { ...lenient, justification: '复测言语识别率极差，结合临床综合判定为一级' }));
  assert.equal(explained.case.data.assessment.flaggedForAudit, true);

  // a result the measurements put below the standard cannot be passed as qualified without a word
  const c3 = await xihuCase(clerk, [2]);
  await ok(clerk.act(c3.id, 'accept', { institutionId: institution }));
  const mild = { category: 2, averageLossLeftDb: 35, averageLossRightDb: 30, ageYears: 40 };
  assert.equal((await doctor.act(c3.id, 'record_assessment', { qualified: true, disabilities: [{ category: 2, level: 4 }], measurements: [mild], assessedOn: h.clock.today() })).status, 409);
  const below = await ok(recordResult(doctor, c3.id, { qualified: false, notQualifiedReason: '双耳平均听力损失均不超过40 dB HL', measurements: [mild], assessedOn: h.clock.today() }));
  assert.equal(below.case.data.assessment.flaggedForAudit, false);
});

test('NEW-3 re-assessment: 复评 then 终评 at other institutions; the later conclusion replaces the earlier, all stay in the file, no third round', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const first = await institutionOf(clerk);
  const second = await ok(admin.post('/api/admin/org-units', { kind: 'institution', name: `复评医院（测试${Date.now() % 1e5}）`, divisionCode: '330106' }), 201);
  await ok(admin.call('PUT', `/api/admin/institutions/${second.id}/designation`, { categories: [1, 2, 3, 4, 5, 6], validFrom: '2026-01-01', validUntil: '2099-12-31' }));
  const username = `dr2.${Date.now() % 1e6}`;
  const user = await ok(admin.post('/api/admin/users', { username, displayName: '复评医生', password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: second.id }] }), 201);
  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, { title: '主任医师', trainingCertNo: 'PX-2026-0002', trainingDate: '2025-01-10', trainingExpires: '2099-01-09', categories: [4], status: 'active' }));
  const secondDoctor = await login(h, username, 'Doctor123');
  const result = (level: number) => ({ qualified: true, disabilities: [{ category: 4, level }], assessedOn: h.clock.today() });

  const c = await xihuCase(clerk, [4]);
  await ok(clerk.act(c.id, 'accept', { institutionId: first }));
  await ok(recordResult(doctor, c.id, result(4)));
  const same = await clerk.act(c.id, 'request_reassessment', { institutionId: first, reason: '申请人对评定等级有异议' });
  assert.equal(same.status, 422, 'not at the same institution');
  await ok(clerk.act(c.id, 'request_reassessment', { institutionId: second.id, reason: '申请人对评定等级有异议' }));
  assert.equal((await doctor.act(c.id, 'record_assessment', result(3))).status, 404, 'the first institution no longer has the case');
  await ok(recordResult(secondDoctor, c.id, result(3)));
  await ok(clerk.act(c.id, 'request_reassessment', { institutionId: first, reason: '申请人仍有异议，申请终评' }));
  const final = await ok(recordResult(doctor, c.id, result(2)));
  assert.deepEqual(final.case.data.assessment.disabilities, [{ category: 4, level: 2 }], 'the 终评 conclusion stands');
  assert.deepEqual(final.case.data.assessmentRounds.map((a: any) => a.disabilities[0].level), [4, 3], 'earlier conclusions stay in the file');
  assert.deepEqual(final.case.data.reassessments.map((r: any) => r.round), ['复评', '终评']);
  assert.ok(!final.case.availableActions.some((a: any) => a.code === 'request_reassessment'));
  const third = await clerk.act(c.id, 'request_reassessment', { institutionId: second.id, reason: '再次申请' });
  assert.equal(third.status, 409);
  assert.match(third.body.error.zh, /终评结论为最终结论/);
});

test('SLA-3 an intellectual/mental case may be assessed by an institution elsewhere in the city, under the published special limit; other cases may not', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const clerk = await login(h, 'xihu.clerk');
  // a city psychiatric hospital in 上城区, designated for intellectual and mental disabilities only
  const hospital = await ok(admin.post('/api/admin/org-units', { kind: 'institution', name: `杭州市精神卫生中心（测试${Date.now() % 1e5}）`, divisionCode: '330102' }), 201);
  await ok(admin.call('PUT', `/api/admin/institutions/${hospital.id}/designation`, { categories: [5, 6], validFrom: '2026-01-01', validUntil: '2099-12-31' }));
  const [profile] = await h.db.query(`SELECT settings FROM policy_profile WHERE code = 'zhejiang'`);
  await h.db.query(`UPDATE policy_profile SET settings = jsonb_set(settings, '{sla,assessmentOutOfCounty}', '30') WHERE code = 'zhejiang'`);
  try {
    const mental = await xihuCase(clerk, [6]);
    const accepted = await ok(clerk.act(mental.id, 'accept', { institutionId: hospital.id }));
    assert.equal(accepted.case.clocks.assessment.limitWd, 30, 'the special limit, not the usual 19 WD');
    assert.equal(accepted.case.data.outOfCountyInstitution, true);
    assert.equal((await ok(clerk.get(`/api/cases/${mental.id}`))).sla.dueOn, accepted.case.sla.dueOn);

    const inCounty = await xihuCase(clerk, [5]);
    const local = await ok(clerk.act(inCounty.id, 'accept', { institutionId: await institutionOf(clerk) }));
    assert.equal(local.case.clocks.assessment.limitWd, 19, 'an in-county institution keeps the usual limit');

    const physical = await xihuCase(clerk, [4, 6]);
    const refused = await clerk.act(physical.id, 'accept', { institutionId: hospital.id });
    assert.equal(refused.status, 422, 'a case with any other category stays in the county');
    assert.equal(refused.body.error.code, 'case.institution');
    assert.equal((await ok(clerk.get(`/api/cases/${physical.id}`))).state.code, 'submitted');
  } finally {
    await h.db.query(`UPDATE policy_profile SET settings = $1 WHERE code = 'zhejiang'`, [JSON.stringify(profile.settings)]);
  }
});
