/**
 * Issue 15 (staff console), the API side: forms start from the case's facts (the doctor's date and
 * categories, the photos taken in at the window), actions that do not apply are not offered, a case
 * that only waits for a date says until when, and a case the hukou county returned has a clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileSettingsSchema, SEED_PROFILES } from '../src/domain/profiles.js';
import { addWorkingDays } from '../src/domain/working-days.js';
import { addDays, ALL_ADULT_MATERIALS, apply, institutionOf, ok, recordResult, toResultReview, XIHU_LOCAL, XIHU_VILLAGE } from './fixtures.js';
import { type Client, harness, login, makeCitizenId } from './harness.js';
import { formDefaults } from '../src/domain/workflow/engine.js';
import { NEW_MATTER } from '../src/domain/workflow/matters/new.js';

const guardian = () => ({ idNumber: makeCitizenId({ division: '410105' }), name: '监护人', phone: '13700000000', relation: '母子' });

const defaultsOf = (view: any, code: string) => view.availableActions.find((a: any) => a.code === code)?.defaults;

/** Every page of a worklist, filtered by state, until the case is found. */
async function worklistItem(who: Client, caseId: string, state: string) {
  for (let page = 1; ; page++) {
    const list = await ok(who.get(`/api/worklist?state=${state}&pageSize=100&page=${page}`));
    const item = list.items.find((i: any) => i.id === caseId);
    if (item || page * 100 >= list.total) return item;
  }
}

test('ASMT-2 the doctor\'s form starts at today\'s China date with one row per category applied for; the date can neither precede acceptance nor lie ahead', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const accepted = h.clock.today();
  const c = await apply(clerk, { categories: [4, 1] });
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const view = await ok(doctor.get(`/api/cases/${c.id}`));
  assert.deepEqual(defaultsOf(view, 'record_assessment'), { assessedOn: accepted, disabilities: [{ category: 1 }, { category: 4 }] });

  const input = { qualified: true, disabilities: [{ category: 1, level: 2 }, { category: 4, level: 3 }] };
  const early = await recordResult(doctor, c.id, { ...input, assessedOn: addDays(accepted, -1) });
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'workflow.guard');
  assert.match(early.body.error.zh, /评定日期.*早于受理日期/);
  assert.match(early.body.error.en, /before the case was accepted/);
  const ahead = await doctor.act(c.id, 'record_assessment', { ...input, assessedOn: addDays(accepted, 1) });
  assert.equal(ahead.status, 409);
  assert.match(ahead.body.error.zh, /不能填写将来的日期/);
  assert.match(ahead.body.error.en, /cannot be in the future/);
  await ok(doctor.act(c.id, 'record_assessment', { ...input, assessedOn: accepted }));
});

test('SLA-1 HOME-3 national profile: no attendance limit, so neither 登记申请人到场 (doctor) nor 逾期未到场 (clerk) is offered or listed as blocked; nor a visit outcome without a visit', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const c = await apply(clerk); // residence Zhejiang, hukou Henan: national
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const forDoctor = await ok(doctor.get(`/api/cases/${c.id}`));
  const forClerk = await ok(clerk.get(`/api/cases/${c.id}`));
  const codes = (v: any) => [...v.availableActions, ...v.blockedActions].map((a: any) => a.code);
  assert.ok(!codes(forDoctor).includes('record_attendance'), JSON.stringify(codes(forDoctor)));
  assert.ok(codes(forDoctor).includes('record_assessment'));
  assert.ok(!codes(forDoctor).includes('record_visit_outcome'), 'no visit was planned: nothing to report about one');
  assert.ok(!codes(forClerk).includes('abandon_no_attendance'), JSON.stringify(codes(forClerk)));
  const refused = await doctor.act(c.id, 'record_attendance', {});
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.en, /no attendance limit/);

  // Zhejiang: the limit applies, so the doctor records attendance and the clerk sees when abandoning becomes possible
  const local = await apply(clerk, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, materialsProvided: XIHU_LOCAL });
  await ok(clerk.act(local.id, 'accept', { institutionId: await institutionOf(clerk) }));
  assert.ok((await ok(doctor.get(`/api/cases/${local.id}`))).availableActions.some((a: any) => a.code === 'record_attendance'));
  const blocked = (await ok(clerk.get(`/api/cases/${local.id}`))).blockedActions.find((a: any) => a.code === 'abandon_no_attendance');
  assert.match(blocked.reason.zh, /^申请人到场期限为\d{4}年\d{1,2}月\d{1,2}日，期限未过不能视为放弃。$/);
});

test('NEW-9 the approve form\'s 已有照片 is ticked when the photos were taken in at the window, and not otherwise', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { idNumber: makeCitizenId({ division: '410105', birth: '20150704' }), guardian: guardian(), materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  assert.deepEqual(defaultsOf(await ok((await login(h, 'jinshui.approver')).get(`/api/cases/${c.id}`)), 'approve'), { photoOnFile: true });
  // the same definition on a case whose materials list no photos
  const cal = await h.ctx.calendar.get();
  const snap = { matter: 'new', state: 'hukou_review', version: 1, birthDate: '1980-01-01', categories: [4], crossRegion: false, profile: SEED_PROFILES[0].settings, data: { materials: { provided: ['id_and_hukou'] } }, clocks: {} };
  assert.deepEqual(formDefaults(NEW_MATTER, 'approve', snap, h.clock.today(), cal), { photoOnFile: false });
});

test('SLA-4 NEW-5 profiles saved before the re-routing limit existed get the default of 3 working days', () => {
  const { reroute, ...older } = SEED_PROFILES[0].settings.sla;
  assert.equal(reroute, 3);
  assert.equal(profileSettingsSchema.parse({ ...SEED_PROFILES[1].settings, sla: older }).sla.reroute, 3);
});

test('NEW-4 SLA-2 a case in publicity says until when it waits (the worklist sets it apart); it is work again on the last day', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor')); // an adult, national profile: publicised
  await ok(clerk.act(c.id, 'start_publicity', { place: '北山街道公示栏' }));
  const ends = addDays(h.clock.today(), 7);
  const item = await worklistItem(clerk, c.id, 'in_publicity');
  assert.equal(item.waitingUntil, ends);
  try {
    h.clock.setToday(ends);
    assert.equal((await worklistItem(await login(h, 'xihu.clerk'), c.id, 'in_publicity')).waitingUntil, null);
  } finally {
    h.clock.reset();
  }
});

test('NEW-5 SLA-2 a case the hukou county returned shows the reason on the worklist row and must be re-routed within 3 WD, or it is overdue and escalated', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { idNumber: makeCitizenId({ division: '410105', birth: '20150704' }), guardian: guardian(), materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const reason = '经核查申请人户籍已迁至金水区以外，请核实后改派';
  await ok((await login(h, 'jinshui.approver')).act(c.id, 'return_not_ours', { reason }));
  const today = h.clock.today();
  const due = addWorkingDays(await h.ctx.calendar.get(), today, 3);
  const item = await worklistItem(clerk, c.id, 'rerouting');
  assert.equal(item.note, reason);
  assert.deepEqual({ clock: item.sla.clock, dueOn: item.sla.dueOn, overdue: item.sla.overdue }, { clock: 'reroute', dueOn: due, overdue: false });
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.clocks.reroute.limitWd, 3);
  assert.equal(view.clocks.hukou_issue.stopped, true);
  try {
    h.clock.setToday(addDays(due, 1));
    const late = await worklistItem(await login(h, 'xihu.clerk'), c.id, 'rerouting');
    assert.equal(late.sla.overdue, true);
    assert.ok(await worklistItem(await login(h, 'hangzhou.supervisor'), c.id, 'rerouting'), 'the city supervisor sees the overdue case');
  } finally {
    h.clock.reset();
  }
  // re-routing stops that clock and starts the hukou county's again
  await ok(clerk.act(c.id, 'reroute', { hukouCode: XIHU_VILLAGE }));
  const rerouted = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.deepEqual({ state: rerouted.state.code, reroute: rerouted.clocks.reroute.stopped, hukou: rerouted.clocks.hukou_issue.stopped, clock: rerouted.sla.clock }, { state: 'hukou_review', reroute: true, hukou: false, clock: 'hukou_issue' });
});
