/** ASMT-3 audit sampling through the API: reproducible draws, jurisdiction, findings, per-doctor statistics. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Client, type Harness, harness, login, makeCitizenId } from './harness.js';
import { apply, institutionOf, JINSHUI_VILLAGE, ok, recordResult, toResultReview, XIHU_VILLAGE } from './fixtures.js';

/** A doctor of its own at the Xihu demo institution, so the test knows exactly which assessments are theirs. */
async function newDoctor(h: Harness, displayName: string) {
  const admin = await login(h, 'admin');
  const institution = await institutionOf(await login(h, 'xihu.clerk'));
  const username = `dr.sample.${Date.now() % 1e7}.${Math.floor(Math.random() * 1000)}`;
  const user = await ok(admin.post('/api/admin/users', { username, displayName, password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: institution }] }), 201);
  await ok(admin.call('PUT', `/api/admin/doctors/${user.id}/qualification`, { title: '主治医师', trainingCertNo: `PX-${username}`, trainingDate: '2025-01-10', trainingExpires: '2099-01-09', categories: [1, 2, 3, 4, 5, 6], status: 'active' }));
  return { id: user.id as string, client: await login(h, username, 'Doctor123') };
}

// better ear 85 dB HL implies level 2 (ASMT-2)
const hearing = { category: 2, averageLossLeftDb: 95, averageLossRightDb: 85, ageYears: 40 };

/**
 * A Xihu case (hukou and residence in 西湖区) assessed by `doctor` for hearing: level 2 as the
 * measurements imply, or, when `departs`, level 1 with a justification.
 */
async function assessed(h: Harness, doctor: Client, departs: boolean) {
  const clerk = await login(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(clerk, { idNumber, hukouCode: XIHU_VILLAGE, categories: [2], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(recordResult(doctor, c.id, {
    qualified: true, disabilities: [{ category: 2, level: departs ? 1 : 2 }], measurements: [hearing], assessedOn: h.clock.today(),
    ...(departs ? { justification: '结合言语识别率综合判定' } : {}),
  }));
  return { ...c, idNumber, clerk };
}

const refIds = (sample: any) => sample.items.map((i: any) => i.refId);

test('ASMT-3 a sample drawn twice with the same seed is the same; the stored seed reproduces a draw made without one', async () => {
  const h = await harness();
  const doctor = await newDoctor(h, '抽查医生甲');
  const cases = [];
  for (let i = 0; i < 6; i++) cases.push(await assessed(h, doctor.client, i === 0));
  const supervisor = await login(h, 'hangzhou.supervisor');
  const today = h.clock.today();
  const request = { kind: 'assessment', doctorId: doctor.id, from: today, to: today, size: 3, seed: '2026年第四季度抽查' };

  const first = await ok(supervisor.post('/api/samples', request), 201);
  assert.match(first.sampleNo, /^CC-3301-\d{8}-\d{6}$/);
  assert.equal(first.population, 6);
  assert.equal(first.items.length, 3);
  assert.equal(new Set(refIds(first)).size, 3, 'no item twice');
  assert.deepEqual(first.items.map((i: any) => i.seq), [1, 2, 3]);
  const second = await ok(supervisor.post('/api/samples', request), 201);
  assert.notEqual(second.id, first.id);
  assert.deepEqual(refIds(second), refIds(first), 'same seed, same items, same order');
  const others = await Promise.all(['a', 'b', 'c', 'd'].map(async (seed) => refIds(await ok(supervisor.post('/api/samples', { ...request, seed }), 201))));
  assert.ok(others.some((ids) => JSON.stringify(ids) !== JSON.stringify(refIds(first))), 'another seed draws differently');

  // what a reviewer sees: the case, the masked person, the doctor, the levels — not the measurements
  const item = first.items[0];
  const source = cases.find((c) => c.id === item.caseId)!;
  assert.ok(source, 'the item is one of the doctor’s cases');
  assert.equal(item.caseNo, source.body.case.caseNo);
  assert.equal(item.person.nameMasked, '测****');
  assert.equal(item.person.idNumberMasked, source.idNumber.slice(0, 3) + '*'.repeat(11) + source.idNumber.slice(14));
  assert.equal(item.doctor, '抽查医生甲');
  assert.match(item.institution, /西湖区残疾评定定点医院/);
  assert.equal(item.assessedOn, today);
  assert.ok([1, 2].includes(item.disabilities[0].level));
  assert.equal(item.finding, null);
  const text = JSON.stringify(first);
  assert.ok(!text.includes(source.idNumber) && !/averageLoss|measurements|justification/.test(text), 'no ID number, no health measurements');

  // drawn without a seed: one is made up, stored, and redraws the same items
  const unseeded = await ok(supervisor.post('/api/samples', { kind: 'assessment', doctorId: doctor.id, from: today, to: today, percent: 50 }), 201);
  assert.equal(unseeded.items.length, 3, '50% of 6');
  assert.match(unseeded.criteria.seed, /^[0-9a-f]{16}$/);
  const stored = await ok(supervisor.get(`/api/samples/${unseeded.id}`));
  const again = await ok(supervisor.post('/api/samples', { kind: 'assessment', doctorId: doctor.id, from: today, to: today, percent: 50, seed: stored.criteria.seed }), 201);
  assert.deepEqual(refIds(again), refIds(unseeded));
  assert.equal((await ok(supervisor.post('/api/samples', { ...request, size: 50 }), 201)).items.length, 6, 'capped at the population');

  const [entry] = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'sample.draw' AND object_id = $1`, [first.id]);
  assert.ok(entry, 'the draw is in the audit trail');
  assert.equal(entry.detail.criteria.seed, request.seed);
  const listed = await ok(supervisor.get('/api/samples'));
  assert.ok(listed.items.some((s: any) => s.id === first.id && s.items === 3 && s.reviewed === 0 && s.drawnBy === '杭州市残联督导 孙涛'));
});

test('ASMT-3 a sample request with both a size and a percentage, a reversed period or a percentage out of 1–100 is refused in both languages', async () => {
  const h = await harness();
  const supervisor = await login(h, 'hangzhou.supervisor');
  const before = (await ok(supervisor.get('/api/samples'))).items.length;
  const base = { kind: 'assessment', from: '2026-01-01', to: '2026-03-31' };
  for (const [body, code, field] of [
    [{ ...base, size: 10, percent: 5 }, 'sample.size_and_percent', 'size'],
    [{ ...base, from: '2026-04-01', size: 10 }, 'sample.period', 'to'],
    [{ ...base, percent: 0 }, 'sample.percent', 'percent'],
    [{ ...base, percent: 120 }, 'sample.percent', 'percent'],
    [{ ...base }, 'sample.size_missing', 'size'],
    [{ ...base, size: 5, to: '2026-02-30' }, 'request.invalid', 'body.to'], // refused by the route's date schema, naming the field
  ] as const) {
    const res = await supervisor.post('/api/samples', body);
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(res.body.error.code, code);
    assert.equal(res.body.error.field, field);
    assert.match(res.body.error.zh, /[\u4e00-\u9fff]/);
    assert.match(res.body.error.en, /[a-z]/);
  }
  assert.equal((await supervisor.post('/api/samples', { ...base, size: 1, countyCode: '339999' })).body.error.code, 'division.unknown');
  assert.equal((await ok(supervisor.get('/api/samples'))).items.length, before, 'nothing was stored');
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.post('/api/samples', { ...base, size: 1 })).status, 403, 'only supervisors and auditors sample');
  assert.equal((await clerk.get(`/api/doctor-statistics?from=${base.from}&to=${base.to}`)).status, 403);
});

test('ASMT-3 ORG-3 samples and statistics stay inside the supervisor’s subtree: Hangzhou never sees Jinshui', async () => {
  const h = await harness();
  const today = h.clock.today();
  const jinshuiDoctor = await login(h, 'jinshui.doctor');
  const jinshuiDoctorId = (await ok(jinshuiDoctor.get('/api/auth/me'))).id;
  const jinshui = await toResultReview(h, await login(h, 'jinshui.clerk'), jinshuiDoctor, { residenceCode: JINSHUI_VILLAGE });
  const xihu = await toResultReview(h, await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor'));
  const hangzhou = await login(h, 'hangzhou.supervisor');
  const zhengzhou = await login(h, 'zhengzhou.supervisor');
  const all = { kind: 'assessment', from: today, to: today, percent: 100 };
  const caseIds = (s: any) => s.items.map((i: any) => i.caseId);

  const zz = await ok(zhengzhou.post('/api/samples', all), 201);
  assert.ok(caseIds(zz).includes(jinshui.id));
  assert.ok(!caseIds(zz).includes(xihu.id));
  assert.match(zz.scope, /郑州市残疾人联合会/);
  const hz = await ok(hangzhou.post('/api/samples', all), 201);
  assert.ok(caseIds(hz).includes(xihu.id));
  assert.ok(!caseIds(hz).includes(jinshui.id), 'a Hangzhou draw never reaches Jinshui');
  assert.deepEqual(caseIds(await ok(hangzhou.post('/api/samples', { ...all, countyCode: '330106' }), 201)).includes(xihu.id), true);

  // Zhengzhou's sample does not exist for Hangzhou
  assert.equal((await hangzhou.get(`/api/samples/${zz.id}`)).status, 404);
  assert.equal((await hangzhou.call('PUT', `/api/samples/${zz.id}/items/1`, { finding: 'conforms', version: 1 })).status, 404);
  assert.ok(!(await ok(hangzhou.get('/api/samples'))).items.some((s: any) => s.id === zz.id));
  assert.ok((await ok(zhengzhou.get('/api/samples'))).items.some((s: any) => s.id === zz.id));
  assert.equal((await hangzhou.get('/api/samples/not-a-sample')).status, 404);
  // nor may Hangzhou aim a draw at Jinshui's county or doctor
  const countyRes = await hangzhou.post('/api/samples', { ...all, countyCode: '410105' });
  assert.equal(countyRes.status, 404);
  assert.equal((await hangzhou.post('/api/samples', { ...all, doctorId: jinshuiDoctorId })).status, 404);
  assert.equal((await hangzhou.post('/api/samples', { ...all, institutionId: await institutionOf(await login(h, 'jinshui.clerk')) })).status, 404);

  const hzStats = await ok(hangzhou.get(`/api/doctor-statistics?from=${today}&to=${today}`));
  assert.ok(!hzStats.doctors.some((d: any) => d.doctorId === jinshuiDoctorId));
  assert.ok(hzStats.doctors.some((d: any) => d.name === '评定医生 周明（西湖）'));
  const zzStats = await ok(zhengzhou.get(`/api/doctor-statistics?from=${today}&to=${today}`));
  assert.ok(zzStats.doctors.some((d: any) => d.doctorId === jinshuiDoctorId && d.institutions.some((n: string) => /金水区/.test(n))));
  assert.ok(!zzStats.doctors.some((d: any) => d.name === '评定医生 周明（西湖）'));
  assert.equal((await hangzhou.get(`/api/doctor-statistics?from=${today}&to=${today}&countyCode=410105`)).status, 404);
});

test('ASMT-3 a finding is recorded per item with a version check; a follow-up is a recorded decision only', async () => {
  const h = await harness();
  const doctor = await newDoctor(h, '抽查医生乙');
  const c = await assessed(h, doctor.client, false);
  await ok(c.clerk.act(c.id, 'forward_to_hukou'));
  await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const supervisor = await login(h, 'hangzhou.supervisor');
  const today = h.clock.today();

  const sample = await ok(supervisor.post('/api/samples', { kind: 'certificate', doctorId: doctor.id, from: today, to: today, size: 5 }), 201);
  assert.equal(sample.population, 1);
  const [item] = sample.items;
  assert.equal(item.caseId, c.id);
  assert.equal(item.doctor, '抽查医生乙');
  assert.equal(item.certificate.numberMasked, `${c.idNumber.slice(0, 3)}${'*'.repeat(11)}${c.idNumber.slice(14)}22`);
  assert.equal(item.certificate.state, 'active');
  assert.equal(item.issuedOn, today);
  assert.ok(!JSON.stringify(sample).includes(c.idNumber), 'the certificate number embeds the ID number and is masked');

  const url = `/api/samples/${sample.id}/items/1`;
  const finding = { finding: 'wrong_level', followUp: 'certificate_cancelled', note: '复核测量结果为三级，结论偏重', version: 1 };
  const recorded = await ok(supervisor.call('PUT', url, finding));
  assert.equal(recorded.finding, 'wrong_level');
  assert.equal(recorded.followUp, 'certificate_cancelled');
  assert.equal(recorded.note, finding.note);
  assert.equal(recorded.version, 2);
  assert.equal(recorded.recordedBy, '杭州市残联督导 孙涛');

  const stale = await supervisor.call('PUT', url, { ...finding, finding: 'conforms', followUp: 'none' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'sample.stale');
  assert.match(stale.body.error.zh, /已被他人更新/);
  const contradictory = await supervisor.call('PUT', url, { ...finding, finding: 'conforms', version: 2 });
  assert.equal(contradictory.status, 422);
  assert.equal(contradictory.body.error.code, 'sample.follow_up');
  assert.equal((await supervisor.call('PUT', url, { finding: 'doubtful', version: 2 })).body.error.code, 'sample.note');
  assert.equal((await supervisor.call('PUT', `/api/samples/${sample.id}/items/2`, { finding: 'conforms', version: 1 })).status, 404);

  const reread = await ok(supervisor.get(`/api/samples/${sample.id}`));
  assert.equal(reread.items[0].version, 2, 'refused changes left the item as it was');
  assert.equal(reread.items[0].finding, 'wrong_level');
  assert.equal(reread.items[0].certificate.state, 'active', 'recording "certificate cancelled" does not cancel it');
  assert.equal(reread.reviewed, 1);
  const [row] = await h.db.query(`SELECT note FROM audit_sample_item WHERE sample_id = $1 AND seq = 1`, [sample.id]);
  assert.match(row.note, /^v1:/, 'the note is stored encrypted');
  const entries = await h.db.query(`SELECT detail FROM audit_entry WHERE action = 'sample.finding' AND object_id = $1`, [`${sample.id}:1`]);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].detail.finding, 'wrong_level');
  await ok(supervisor.call('PUT', url, { finding: 'conforms', followUp: 'none', note: '', version: 2 }));
});

test('ASMT-3 per-doctor statistics flag a doctor whose conclusions keep departing from the measurements', async () => {
  const h = await harness();
  const lenient = await newDoctor(h, '抽查医生丙');
  for (let i = 0; i < 5; i++) await assessed(h, lenient.client, true);
  const xihuDoctor = await login(h, 'xihu.doctor');
  for (let i = 0; i < 2; i++) await assessed(h, xihuDoctor, false);
  const supervisor = await login(h, 'hangzhou.supervisor');
  const today = h.clock.today();

  for (const query of [`from=${today}&to=${today}`, `from=${today}&to=${today}&countyCode=330106`]) {
    const stats = await ok(supervisor.get(`/api/doctor-statistics?${query}`));
    const flagged = stats.doctors.find((d: any) => d.doctorId === lenient.id);
    assert.equal(flagged.count, 5);
    assert.equal(flagged.departs, 5);
    assert.equal(flagged.disagreementRate, 1);
    assert.deepEqual(flagged.levels, { 2: [5, 0, 0, 0] });
    assert.ok(flagged.flags.includes('disagreement'), JSON.stringify(flagged));
    assert.ok(flagged.peerDisagreementRate < 0.8);
    assert.deepEqual(flagged.institutions, ['西湖区残疾评定定点医院（演示）']);
    const ordinary = stats.doctors.find((d: any) => d.name === '评定医生 周明（西湖）');
    assert.ok(ordinary.count >= 2);
    assert.ok(!ordinary.flags.includes('disagreement'));
  }
  const yesterday = new Date(Date.parse(today) - 86400_000).toISOString().slice(0, 10);
  const before = await ok(supervisor.get(`/api/doctor-statistics?from=${yesterday}&to=${yesterday}`));
  assert.ok(!before.doctors.some((d: any) => d.doctorId === lenient.id), 'the period limits the statistics');
  const reversed = await supervisor.get(`/api/doctor-statistics?from=${today}&to=${yesterday}`);
  assert.equal(reversed.status, 422);
  assert.equal(reversed.body.error.code, 'sample.period');
});
