/** HOME-1…4: home-assessment requests, their three-level review, visit batches and outcomes; SLA-1 attendance and pauses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, type Harness, harness, login, makeCitizenId } from './harness.js';
import { freshPhone, registerApplicant } from './applicants.js';
import { addDays, apply, institutionOf, ok, recordResult, XIHU_VILLAGE } from './fixtures.js';

const XIHU_TOWNSHIP = XIHU_VILLAGE.slice(0, 9);
const OTHER_XIHU_VILLAGE = '330106002053';

/** A home-assessment request entered by the village worker for someone living (and registered) in 西湖区. */
async function homeRequest(village: Client, over: Record<string, any> = {}) {
  return apply(village, {
    idNumber: makeCitizenId({ division: '330106' }),
    hukouCode: XIHU_VILLAGE,
    materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    homeAssessment: { reason: '长期卧床，无法外出', channel: 'phone' },
    ...over,
  });
}

const me = async (c: Client) => (await ok(c.get('/api/auth/me'))).id as string;

async function people(h: Harness) {
  const [village, township, clerk, doctor] = await Promise.all(['xihu.village', 'xihu.township', 'xihu.clerk', 'xihu.doctor'].map((u) => login(h, u)));
  return { village, township, clerk, doctor };
}

/** Walks a request through the village, township and county reviews and the acceptance. */
async function approvedAndAccepted(h: Harness, ps: Awaited<ReturnType<typeof people>>) {
  const c = await homeRequest(ps.village);
  await ok(ps.village.act(c.id, 'approve_home_village', { opinion: '属实，长期卧床' }));
  await ok(ps.township.act(c.id, 'approve_home_township', {}));
  await ok(ps.clerk.act(c.id, 'approve_home_county', {}));
  await ok(ps.clerk.act(c.id, 'accept', { institutionId: await institutionOf(ps.clerk) }));
  return c;
}

async function planBatch(h: Harness, ps: Awaited<ReturnType<typeof people>>, over: Record<string, any> = {}) {
  return ok(ps.clerk.post('/api/visit-batches', {
    townshipCode: XIHU_TOWNSHIP,
    visitOn: addDays(h.clock.today(), 3),
    mode: 'home',
    institutionId: await institutionOf(ps.clerk),
    doctors: { 4: await me(ps.doctor) },
    ...over,
  }), 201);
}

test('HOME-2 a request taken by the village worker is reviewed by village, township and county in turn, each only at its own level', async () => {
  const h = await harness();
  const ps = await people(h);
  const c = await homeRequest(ps.village);
  let view = await ok(ps.village.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'home_village_review');
  assert.equal(view.channel, 'proxy');
  assert.equal(view.data.home.channel, 'phone');
  assert.equal(view.sla, null, 'no county clock runs while the request is reviewed locally');
  assert.ok((await ok(ps.village.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'on the village worker’s list');
  assert.ok(!(await ok(ps.township.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'not yet on the township’s');

  const early = await ps.township.act(c.id, 'approve_home_township', {});
  assert.equal(early.status, 409, 'the township cannot act before the village');
  const notTheirs = await ps.township.act(c.id, 'refuse_home', { reason: '不符合条件', toldVia: 'phone' });
  assert.equal(notTheirs.status, 403, 'nor refuse at the village level');
  assert.equal(notTheirs.body.error.code, 'workflow.not_permitted');

  await ok(ps.village.act(c.id, 'approve_home_village', { opinion: '属实' }));
  assert.ok((await ok(ps.township.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'now on the township’s list');
  await ok(ps.township.act(c.id, 'approve_home_township', {}));
  assert.equal((await ps.village.act(c.id, 'refuse_home', { reason: '不符合条件', toldVia: 'phone' })).status, 403);
  await ok(ps.clerk.act(c.id, 'approve_home_county', { opinion: '同意上门' }));
  view = await ok(ps.clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'submitted');
  assert.ok(view.clocks.acceptance, 'the county’s approval starts the acceptance clock');
  assert.deepEqual(view.data.home.reviews.map((r: any) => [r.level, r.decision]), [['village', 'approved'], ['township', 'approved'], ['county', 'approved']]);
  const history = await ok(ps.clerk.get(`/api/cases/${c.id}/history`));
  assert.deepEqual(history.map((e: any) => e.action).slice(0, 4), ['apply', 'approve_home_village', 'approve_home_township', 'approve_home_county']);
});

test('HOME-2 a refusal at the township ends the request and keeps the reason the family is told', async () => {
  const h = await harness();
  const ps = await people(h);
  const c = await homeRequest(ps.village);
  await ok(ps.village.act(c.id, 'approve_home_village', {}));
  const bad = await ps.township.act(c.id, 'refuse_home', { reason: '', toldVia: 'phone' });
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.zh, /原因/);
  await ok(ps.township.act(c.id, 'refuse_home', { reason: '本人可自行前往评定机构', toldVia: 'visit' }));
  const view = await ok(ps.clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'home_refused');
  assert.equal(view.closedAt !== null, true);
  assert.deepEqual({ level: view.data.homeRefusal.level, reason: view.data.homeRefusal.reason, toldVia: view.data.homeRefusal.toldVia }, { level: 'township', reason: '本人可自行前往评定机构', toldVia: 'visit' });
});

test('HOME-2 only the village or township of the person’s home, or the county, may enter a request, and only for a village address', async () => {
  const h = await harness();
  const ps = await people(h);
  const jinshuiVillage = await login(h, 'jinshui.village');
  const foreign = await jinshuiVillage.post('/api/cases', { ...(await homeForm()), residenceCode: XIHU_VILLAGE });
  assert.equal(foreign.status, 403);
  assert.match(foreign.body.error.en, /village and township workers/);
  const countyLevel = await ps.village.post('/api/cases', { ...(await homeForm()), residenceCode: '330106' });
  assert.equal(countyLevel.status, 422);
  assert.equal(countyLevel.body.error.code, 'application.home_place');
  const ordinary = await ps.village.post('/api/cases', { ...(await homeForm()), homeAssessment: undefined });
  assert.equal(ordinary.status, 403, 'a village worker files home requests only');
  const otherVillage = await ps.village.post('/api/cases', { ...(await homeForm()), residenceCode: OTHER_XIHU_VILLAGE });
  assert.equal(otherVillage.status, 403, 'not for a neighbouring village');
  assert.equal((await ps.township.post('/api/cases', { ...(await homeForm()), residenceCode: OTHER_XIHU_VILLAGE })).status, 201, 'the township covers all its villages');
});

test('HOME-2 the family may ask online; the request goes to the village first and the family sees its progress', async () => {
  const h = await harness();
  const ps = await people(h);
  const family = new Client(h.app, (await registerApplicant(h, { phone: freshPhone('136'), password: 'Family2026', name: '家属' })).cookie);
  const filed = await ok(family.post('/api/cases', { ...(await homeForm()), materialsProvided: [], homeAssessment: { reason: '老人瘫痪在床，无法出门', channel: 'online' } }), 201);
  assert.equal(filed.case.channel, 'online');
  assert.equal(filed.case.state.code, 'home_village_review');
  assert.ok((await ok(ps.village.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === filed.id), 'the village worker reviews it first');
  await ok(ps.village.act(filed.id, 'refuse_home', { reason: '经核实，老人可乘车前往评定机构', toldVia: 'phone' }));
  const seen = await ok(family.get(`/api/cases/${filed.id}`));
  assert.equal(seen.state.code, 'home_refused');
  assert.equal(seen.data.homeRefusal.reason, '经核实，老人可乘车前往评定机构', 'the family is told why');
});

async function homeForm() {
  return {
    matter: 'new',
    applicant: { idNumber: makeCitizenId({ division: '330106' }), name: '上门测试', phone: '13800138000', address: '宝石社区1号' },
    residenceCode: XIHU_VILLAGE,
    hukouCode: XIHU_VILLAGE,
    categories: [4],
    materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    homeAssessment: { reason: '长期卧床，无法外出', channel: 'written' },
  };
}

test('HOME-3 the county plans a batch, the visit list is ordered by village and its full view is logged, outcomes follow the case', async () => {
  const h = await harness();
  const ps = await people(h);
  const c = await approvedAndAccepted(h, ps);
  let view = await ok(ps.clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'awaiting_visit');
  assert.equal(view.sla, null, 'SLA-1: no clock runs while the visit is being arranged');
  assert.equal(view.data.fee, 'waived_home', 'HOME-4: no fee for a home assessment');
  assert.ok((await ok(ps.clerk.get('/api/visit-batches/candidates'))).items.some((i: any) => i.caseId === c.id));

  const batch = await planBatch(h, ps);
  assert.match(batch.batchNo, /^HV-330106-/);
  const stale = await ps.clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: batch.version + 5 });
  assert.equal(stale.status, 409);
  const added = await ok(ps.clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: batch.version }));
  assert.equal(added.visits.length, 1);
  assert.equal(added.visits[0].nameMasked, '测****', 'the batch view is masked');
  view = await ok(ps.clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'assessing');
  assert.equal(view.data.visit.batchNo, batch.batchNo);
  assert.ok(view.clocks.assessment, 'the county’s assessment time runs from the planned visit');

  // the doctor sees the batch; the township follows it masked; Jinshui does not see it at all
  assert.ok((await ok(ps.doctor.get('/api/visit-batches'))).items.some((b: any) => b.id === batch.id));
  assert.equal((await ps.township.get(`/api/visit-batches/${batch.id}/visit-list`)).status, 404);
  assert.equal((await (await login(h, 'jinshui.clerk')).get(`/api/visit-batches/${batch.id}`)).status, 404);
  const list = await ok(ps.doctor.get(`/api/visit-batches/${batch.id}/visit-list`));
  assert.equal(list.visits[0].name, '测试申请人');
  assert.equal(list.visits[0].phone, '13800138000');
  const [logged] = await h.db.query(`SELECT actor FROM audit_entry WHERE action = 'visit_list.view' AND object_id = $1`, [batch.id]);
  assert.equal(logged.actor, `staff:${await me(ps.doctor)}`);
  // SEC-1: one who-viewed-what row per person on the list, with the visit as its purpose
  const views = await h.db.query(`SELECT case_id, viewer_role, purpose FROM personal_data_view WHERE what = 'visit_list' AND detail->>'batch' = $1`, [batch.id]);
  assert.deepEqual(views.map((v) => [v.case_id, v.viewer_role]), list.visits.map((v: any) => [v.caseId, 'doctor']));
  assert.match(views[0].purpose, /上门评定走访/);

  // not at home: back to planning with the clock paused; planned again and assessed on the spot
  await ok(ps.doctor.act(c.id, 'record_visit_outcome', { outcome: 'not_home', note: '家中无人' }));
  view = await ok(ps.clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'awaiting_visit');
  assert.equal(view.data.visitHistory[0].outcome, 'not_home');
  let detail = await ok(ps.clerk.get(`/api/visit-batches/${batch.id}`));
  assert.equal(detail.visits[0].outcome, 'not_home');
  await ok(ps.clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: detail.version }));
  await ok(recordResult(ps.doctor, c.id, { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: h.clock.today() }));
  detail = await ok(ps.clerk.get(`/api/visit-batches/${batch.id}`));
  assert.equal(detail.visits[0].outcome, 'assessed');
  const [record] = await h.db.query('SELECT home, qualified FROM assessment_record WHERE case_id = $1', [c.id]);
  assert.deepEqual(record, { home: true, qualified: true });
});

test('HOME-3 a batch needs a township of the county, a designated institution and a qualified doctor per category; cases must fit it', async () => {
  const h = await harness();
  const ps = await people(h);
  const clerkOf = async (over: Record<string, any>) => ps.clerk.post('/api/visit-batches', {
    townshipCode: XIHU_TOWNSHIP, visitOn: addDays(h.clock.today(), 3), mode: 'home', institutionId: await institutionOf(ps.clerk), doctors: { 4: await me(ps.doctor) }, ...over,
  });
  assert.equal((await clerkOf({ townshipCode: '410105001' })).status, 404, 'a township of another county does not exist for the clerk');
  assert.equal((await clerkOf({ visitOn: addDays(h.clock.today(), -1) })).body.error.code, 'visit_batch.date');
  assert.equal((await clerkOf({ mode: 'centralized' })).body.error.code, 'visit_batch.place');
  assert.equal((await clerkOf({ doctors: { 4: await me(ps.clerk) } })).body.error.code, 'visit_batch.doctor');
  const centralized = await clerkOf({ mode: 'centralized', place: '宝石社区居委会活动室', doctors: { 4: await me(ps.doctor), 1: await me(ps.doctor) } });
  assert.equal(centralized.status, 201);

  const batch = await planBatch(h, ps, { doctors: { 1: await me(ps.doctor) } });
  const c = await approvedAndAccepted(h, ps);
  const misfit = await ps.clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: batch.version });
  assert.equal(misfit.status, 422);
  assert.match(misfit.body.error.zh, /没有肢体残疾的医生/);
  assert.equal((await ok(ps.clerk.get(`/api/cases/${c.id}`))).state.code, 'awaiting_visit', 'nothing changed');
  const byHand = await ps.clerk.act(c.id, 'schedule_visit', { batchId: batch.id, batchNo: batch.batchNo, visitOn: batch.visitOn, mode: 'home', place: '' });
  assert.equal(byHand.status, 422, 'a case joins a batch only through the batch');
});

test('HOME-3 a person who refuses the visit ends the case as abandoned', async () => {
  const h = await harness();
  const ps = await people(h);
  const c = await approvedAndAccepted(h, ps);
  const batch = await planBatch(h, ps);
  await ok(ps.clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: batch.version }));
  await ok(ps.doctor.act(c.id, 'record_visit_outcome', { outcome: 'refused', note: '本人拒绝评定' }));
  assert.equal((await ok(ps.clerk.get(`/api/cases/${c.id}`))).state.code, 'abandoned');
  assert.equal((await ok(ps.clerk.get(`/api/visit-batches/${batch.id}`))).visits[0].outcome, 'refused');
});

test('SLA-1 Zhejiang: an applicant who has not attended within 14 WD is deemed abandoned and told; attending stops that clock', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const institutionId = await institutionOf(clerk);
  const form = { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] };
  const late = await apply(clerk, form);
  await ok(clerk.act(late.id, 'accept', { institutionId }));
  const attended = await apply(clerk, { ...form, idNumber: makeCitizenId({ division: '330106' }) });
  await ok(clerk.act(attended.id, 'accept', { institutionId }));
  const view = await ok(clerk.get(`/api/cases/${late.id}`));
  assert.equal(view.clocks.attendance.limitWd, 14);

  const early = await clerk.act(late.id, 'abandon_no_attendance', { channel: 'sms' });
  assert.equal(early.status, 409);
  assert.match(early.body.error.zh, /到场期限为/);
  await ok(doctor.act(attended.id, 'record_attendance', {}));
  assert.equal((await doctor.act(attended.id, 'record_attendance', {})).status, 409, 'attendance is recorded once');

  const start = h.clock.today();
  try {
    h.clock.setToday(addDays(start, 30));
    const [c2, d2] = [await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor')];
    await ok(c2.act(late.id, 'abandon_no_attendance', { channel: 'sms' }));
    const ended = await ok(c2.get(`/api/cases/${late.id}`));
    assert.equal(ended.state.code, 'abandoned');
    assert.deepEqual({ reason: ended.data.abandonNotice.reason, channel: ended.data.abandonNotice.channel }, { reason: 'no_attendance', channel: 'sms' });
    const kept = await c2.act(attended.id, 'abandon_no_attendance', { channel: 'sms' });
    assert.equal(kept.status, 409, 'an applicant who attended is not abandoned');
    await ok(recordResult(d2, attended.id, { qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn: h.clock.today() }));
  } finally {
    h.clock.reset();
  }
});

test('SLA-1 national profile: no attendance limit, so a case is never abandoned for not attending', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk); // Zhejiang residence, Henan hukou: the national profile
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.clocks.attendance, undefined);
  // issue 15: an action that does not apply is not listed as blocked (its reason would not help), and is still refused
  assert.ok(!view.blockedActions.some((a: any) => a.code === 'abandon_no_attendance'));
  const refused = await clerk.act(c.id, 'abandon_no_attendance', { channel: 'sms' });
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.zh, /本地政策未规定到场期限/);
});

test('HOME-4 the fee on a case is a code the case page shows in words in both languages, never the raw code', async () => {
  const h = await harness();
  const ps = await people(h);
  const home = await ok(ps.clerk.get(`/api/cases/${(await approvedAndAccepted(h, ps)).id}`));
  const desk = await apply(ps.clerk, { hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(ps.clerk.act(desk.id, 'accept', { institutionId: await institutionOf(ps.clerk) }));
  const atDesk = await ok(ps.clerk.get(`/api/cases/${desk.id}`));
  // the case page (web/src/pages/CasePage.tsx) looks up `case.fee.<code>` in the web catalogues
  // (loaded by URL: they are built with the web app's module settings, not the server's)
  const catalogue = async (lang: string) => (await import(new URL(`../web/src/i18n/${lang}.ts`, import.meta.url).href))[lang] as Record<string, string>;
  const [zh, en] = [await catalogue('zh'), await catalogue('en')];
  const words = (code: string) => [zh[`case.fee.${code}`], en[`case.fee.${code}`]];
  assert.deepEqual(words(home.data.fee), ['上门评定不收取任何费用。', 'Home assessment: no fee of any kind is charged.']);
  assert.deepEqual(words(atDesk.data.fee), ['评定费用（如有）由申请人按当地规定承担。', 'The assessment fee, if any, is paid by the applicant under local rules.']);
});
