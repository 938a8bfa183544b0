/**
 * The five matters on an existing certificate through the API, beyond their happy paths
 * (test/certificate-matters.test.ts): the SLA clocks of every matter under both profiles on a fake
 * clock (SLA-1, SLA-4), a matter taken at the hukou county that never leaves it (ORG-3), each
 * matter's materials checklist (MAT-1), and the bad input that must be refused in both languages
 * without changing anything.
 *
 * The SLA walks run in March 2026, whose working days are plain: apply on Monday 2 March with one
 * item missing, the one-time notice the same day, the item on Wednesday 4 March, on to the hukou
 * county that day, the card shipped on Friday 6 March.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DEMO_PASSWORD } from '../src/cli/seed-demo.js';
import { type Client, type Harness, harness, login } from './harness.js';
import { certificateRow, guardian, holder, type Holder, institutionOf, JINSHUI_VILLAGE, legacyHolder, ok, recordResult, uploadScan, XIHU_VILLAGE } from './fixtures.js';

type Profile = 'zhejiang' | 'national';

// ---------------------------------------------------------------------------------------------
// Clock and sessions: a session lasts 12 hours of clock time, so moving the clock logs everyone in again.

let sessions = new Map<string, Promise<Client>>();
const as = (h: Harness, user: string) => sessions.get(user) ?? sessions.set(user, login(h, user)).get(user)!;
function onDay(h: Harness, day: string) {
  h.clock.setToday(day);
  sessions = new Map();
}
function onFakeClock(t: TestContext, h: Harness, day: string) {
  t.after(() => {
    h.clock.reset();
    sessions = new Map();
  });
  onDay(h, day);
}

const [MON, WED, FRI] = ['2026-03-02', '2026-03-04', '2026-03-06'];
/** SPEC §3: acceptance 3 WD national, 1 WD Zhejiang; hukou county 7 WD national, 10 WD Zhejiang. */
const LIMIT = { zhejiang: { acceptance: 1, hukou_issue: 10 }, national: { acceptance: 3, hukou_issue: 7 } } as const;
const DUE = {
  zhejiang: { applied: '2026-03-03', resumed: '2026-03-05', hukou: '2026-03-18' },
  national: { applied: '2026-03-05', resumed: '2026-03-09', hukou: '2026-03-13' },
} as const;

const slaOf = (view: any) => view.sla && { clock: view.sla.clock, dueOn: view.sla.dueOn, remainingWd: view.sla.remainingWd, overdue: view.sla.overdue, provisional: view.sla.provisional };
const clockOf = (view: any, name: string) => {
  const c = view.clocks[name];
  return c && { limitWd: c.limitWd, dueOn: c.dueOn, remainingWd: c.remainingWd, paused: c.paused, stopped: c.stopped };
};
/** a clock just started (or resumed with nothing used): the whole limit left */
const running = (limitWd: number, dueOn: string) => ({ limitWd, dueOn, remainingWd: limitWd, paused: false, stopped: false });
const view = async (h: Harness, user: string, caseId: string) => ok((await as(h, user)).get(`/api/cases/${caseId}`));
const act = async (h: Harness, user: string, caseId: string, action: string, input: Record<string, unknown> = {}) =>
  (await ok((await as(h, user)).act(caseId, action, input))).case;

type Walk = {
  profile: Profile;
  /** the accepting county's clerk, e.g. 'xihu.clerk' */
  desk: string;
  application: Record<string, unknown>;
  /** the one material held back at application, supplied two days later */
  held: string;
  /** Wednesday: from the complete application to the hukou county's stage; returns the case view */
  forward: (caseId: string) => Promise<any>;
  /** Friday: the hukou county's stage ends (card shipped, or the certificate cancelled); returns the case view */
  finish: (caseId: string) => Promise<any>;
};

/**
 * SLA-1: one matter's clocks as its case page shows them — the acceptance clock from the
 * application, paused while the applicant owes a material, resumed when it arrives, stopped when
 * the papers go on; the hukou county's clock from then until the card is shipped.
 */
async function slaWalk(h: Harness, w: Walk) {
  const limit = LIMIT[w.profile];
  const due = DUE[w.profile];
  const applied = await ok((await as(h, w.desk)).post('/api/cases', w.application), 201);
  const id = applied.id as string;
  assert.equal(applied.case.profile, w.profile);
  assert.deepEqual(applied.missingMaterials.map((m: any) => m.code), [w.held]);
  assert.deepEqual(slaOf(applied.case), { clock: 'acceptance', dueOn: due.applied, remainingWd: limit.acceptance, overdue: false, provisional: false });
  assert.deepEqual(clockOf(applied.case, 'acceptance'), running(limit.acceptance, due.applied));

  let v = await act(h, w.desk, id, 'request_materials', { note: '请补交' });
  assert.equal(v.sla, null, 'waiting for the applicant: no due date for the county');
  assert.deepEqual(clockOf(v, 'acceptance'), { limitWd: limit.acceptance, dueOn: null, remainingWd: limit.acceptance, paused: true, stopped: false });

  onDay(h, WED);
  v = await view(h, w.desk, id);
  assert.deepEqual(clockOf(v, 'acceptance'), { limitWd: limit.acceptance, dueOn: null, remainingWd: limit.acceptance, paused: true, stopped: false }, 'the two days waited are not counted');
  v = await act(h, w.desk, id, 'supplement_materials', { provided: [w.held] });
  assert.deepEqual(slaOf(v), { clock: 'acceptance', dueOn: due.resumed, remainingWd: limit.acceptance, overdue: false, provisional: false }, 'resumed where it stopped');

  v = await w.forward(id);
  assert.deepEqual(clockOf(v, 'acceptance'), { limitWd: limit.acceptance, dueOn: null, remainingWd: limit.acceptance, paused: true, stopped: true });
  assert.deepEqual(slaOf(v), { clock: 'hukou_issue', dueOn: due.hukou, remainingWd: limit.hukou_issue, overdue: false, provisional: false });
  assert.deepEqual(clockOf(v, 'hukou_issue'), running(limit.hukou_issue, due.hukou));

  onDay(h, FRI);
  v = await view(h, w.desk, id);
  assert.deepEqual(slaOf(v), { clock: 'hukou_issue', dueOn: due.hukou, remainingWd: limit.hukou_issue - 2, overdue: false, provisional: false }, 'two working days used');
  v = await w.finish(id);
  assert.equal(v.sla, null, 'the stage is over');
  assert.deepEqual(clockOf(v, 'hukou_issue'), { limitWd: limit.hukou_issue, dueOn: null, remainingWd: limit.hukou_issue - 2, paused: true, stopped: true });
  return id;
}

/** The hukou county approves a replacement card, prints and ships it (the clock stops at shipping). */
const approvePrintShip = (h: Harness, county: 'xihu' | 'jinshui') => async (id: string) => {
  const approved = await act(h, `${county}.approver`, id, 'approve', { photoOnFile: true });
  assert.equal(slaOf(approved)?.clock, 'hukou_issue', 'still the hukou county’s clock while the card is made');
  await act(h, `${county}.clerk`, id, 'print');
  const shipped = await act(h, `${county}.clerk`, id, 'ship', { method: 'courier', courier: 'EMS', trackingNo: 'EMS2026030601' });
  assert.equal(shipped.state.code, 'in_delivery');
  return shipped;
};
const forwardBy = (h: Harness, action: string) => async (id: string) => act(h, 'xihu.clerk', id, action);

/** An application at the 西湖区 window for a holder living in 西湖区. */
const atXihu = (who: Holder, matter: string, over: Record<string, unknown>) => ({ matter, idNumber: who.idNumber, residenceCode: XIHU_VILLAGE, ...over });

// ---------------------------------------------------------------------------------------------
// 1. SLA per matter and profile

test('SLA-1 SLA-4 RENEW-3 RENEW-4 renewal: acceptance 1 WD (Zhejiang) / 3 WD (national) paused for missing materials, hukou county 10 / 7 WD, stopped when shipped', async (t) => {
  const h = await harness();
  onFakeClock(t, h, MON);
  const local = await holder(h);
  await slaWalk(h, {
    profile: 'zhejiang', desk: 'xihu.clerk', held: 'photos',
    application: atXihu(local, 'renew', { variant: 'info_update', updates: { address: '北山街道新址2号' }, materialsProvided: ['id_and_hukou', 'old_card'] }),
    forward: forwardBy(h, 'forward_renewal'),
    finish: approvePrintShip(h, 'xihu'),
  });
  onDay(h, MON);
  const away = await holder(h, 'jinshui');
  await slaWalk(h, {
    profile: 'national', desk: 'xihu.clerk', held: 'residence_permit',
    application: atXihu(away, 'renew', { variant: 'damaged', guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof'] }),
    forward: forwardBy(h, 'forward_renewal'),
    finish: approvePrintShip(h, 'jinshui'),
  });
});

test('SLA-1 SLA-4 REISSUE-1 reissue: the same clocks under both profiles, the card reported lost from the first day', async (t) => {
  const h = await harness();
  onFakeClock(t, h, MON);
  const local = await holder(h);
  await slaWalk(h, {
    profile: 'zhejiang', desk: 'xihu.clerk', held: 'loss_statement',
    application: atXihu(local, 'reissue', { materialsProvided: ['photos', 'id_and_hukou'] }),
    forward: forwardBy(h, 'forward_reissue'),
    finish: approvePrintShip(h, 'xihu'),
  });
  onDay(h, MON);
  const away = await holder(h, 'jinshui');
  await slaWalk(h, {
    profile: 'national', desk: 'xihu.clerk', held: 'guardian_proof',
    application: atXihu(away, 'reissue', { guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'loss_statement', 'residence_permit'] }),
    forward: async (id) => {
      const [cert] = await h.db.query('SELECT state FROM certificate WHERE id = $1', [away.certificateId]);
      assert.equal(cert.state, 'reported_lost', 'lost from the application on, whatever the clocks');
      return act(h, 'xihu.clerk', id, 'forward_reissue');
    },
    finish: approvePrintShip(h, 'jinshui'),
  });
});

test('SLA-1 SLA-4 CANCEL-1 CANCEL-2 cancellation: a whole one stops the hukou clock at approval (Zhejiang), a partial one when the new card ships (national)', async (t) => {
  const h = await harness();
  onFakeClock(t, h, MON);
  const local = await holder(h);
  const whole = await slaWalk(h, {
    profile: 'zhejiang', desk: 'xihu.clerk', held: 'death_proof',
    application: atXihu(local, 'cancel', { variant: 'whole', reason: 'death', materialsProvided: ['id_and_hukou'] }),
    forward: forwardBy(h, 'forward_cancellation'),
    finish: async (id) => act(h, 'xihu.approver', id, 'approve_cancellation', { note: '死亡证明已核' }),
  });
  assert.equal((await view(h, 'xihu.clerk', whole)).state.code, 'cancelled');
  onDay(h, MON);
  const away = await holder(h, 'jinshui', [{ category: 1, level: 1 }, { category: 4, level: 3 }]);
  await slaWalk(h, {
    profile: 'national', desk: 'xihu.clerk', held: 'id_and_hukou',
    application: atXihu(away, 'cancel', { variant: 'partial', reason: 'recovery', removeCategories: [1], materialsProvided: [] }),
    forward: forwardBy(h, 'forward_cancellation'),
    finish: approvePrintShip(h, 'jinshui'),
  });
});

test('SLA-1 SLA-4 CHANGE-1 change: acceptance, then the assessment clocks (Zhejiang 19 WD, attendance 14; none nationally), result entry 5 / 10 WD, then the hukou county', async (t) => {
  const h = await harness();
  onFakeClock(t, h, MON);
  type Running = ReturnType<typeof running>;
  const assess = async (id: string, expect: { assessment?: Running; attendance?: Running; resultDue: string; resultWd: number }) => {
    let v = await act(h, 'xihu.clerk', id, 'accept', { institutionId: await institutionOf(await as(h, 'xihu.clerk')) });
    assert.equal(clockOf(v, 'acceptance')?.stopped, true);
    assert.deepEqual(clockOf(v, 'assessment'), expect.assessment);
    assert.deepEqual(clockOf(v, 'attendance'), expect.attendance);
    assert.equal(slaOf(v)?.dueOn ?? null, expect.assessment?.dueOn ?? null, 'the assessment’s due date, where the profile sets one');
    await ok(recordResult(await as(h, 'xihu.doctor'), id, { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: WED }));
    v = await view(h, 'xihu.clerk', id);
    assert.deepEqual(slaOf(v), { clock: 'result_entry', dueOn: expect.resultDue, remainingWd: expect.resultWd, overdue: false, provisional: false });
    v = await act(h, 'xihu.clerk', id, 'forward_to_hukou'); // Zhejiang: commitment letter; nationally: a minor, never publicised
    assert.equal(clockOf(v, 'result_entry')?.stopped, true);
    assert.equal(v.waitingOn.side, 'hukou');
    return v;
  };
  const local = await holder(h);
  await slaWalk(h, {
    profile: 'zhejiang', desk: 'xihu.clerk', held: 'commitment_letter',
    application: atXihu(local, 'change', { categories: [4], materialsProvided: ['photos', 'id_and_hukou', 'old_card'] }),
    forward: (id) => assess(id, { assessment: running(19, '2026-03-31'), attendance: running(14, '2026-03-24'), resultDue: '2026-03-11', resultWd: 5 }),
    finish: approvePrintShip(h, 'xihu'),
  });
  onDay(h, MON);
  const away = await holder(h, 'jinshui');
  await slaWalk(h, {
    profile: 'national', desk: 'xihu.clerk', held: 'old_card',
    application: atXihu(away, 'change', { categories: [4], guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit'] }),
    forward: (id) => assess(id, { resultDue: '2026-03-18', resultWd: 10 }),
    finish: approvePrintShip(h, 'jinshui'),
  });
});

/**
 * 滨江区 (Zhejiang) gets a federation and a clerk, so that a holder from its old system can move
 * from there to 西湖区 within the province.
 */
let binjiang: Promise<void> | null = null;
async function binjiangHolder(h: Harness): Promise<Holder> {
  binjiang ??= (async () => {
    const admin = await login(h, 'admin');
    const org = await ok(admin.post('/api/admin/org-units', { kind: 'federation', name: '杭州市滨江区残疾人联合会', divisionCode: '330108' }), 201);
    await ok(admin.post('/api/admin/users', { username: 'binjiang.clerk', displayName: '滨江区办证员', password: DEMO_PASSWORD, grants: [{ role: 'clerk', orgUnitId: org.id }] }), 201);
  })();
  await binjiang;
  return legacyHolder(h, '2020-05-01', false, '4-2', '330108');
}

test('SLA-1 SLA-4 TRF-1 TRF-2 transfer: acceptance at the new hukou county until it approves, no clock while the former county hands over, then the hukou county’s 10 / 7 WD', async (t) => {
  const h = await harness();
  onFakeClock(t, h, MON);
  const handOver = (origin: string) => async (id: string) => {
    let v = await act(h, 'xihu.approver', id, 'approve_transfer', { note: '户口已迁入西湖区' });
    assert.equal(v.state.code, 'awaiting_archive');
    assert.equal(v.sla, null, 'the former county’s hand-over runs on no clock of the new county');
    assert.equal(clockOf(v, 'acceptance')?.stopped, true);
    assert.equal(v.clocks.hukou_issue, undefined);
    await ok(uploadScan(await as(h, origin), id, 'archive_file', '档案电子材料.png'), 201);
    v = await act(h, origin, id, 'send_archive', { paperKeptAt: '原户籍地残联档案室' });
    assert.equal(v.state.code, 'printing');
    return v;
  };
  const shipAtXihu = async (id: string) => {
    await act(h, 'xihu.clerk', id, 'print');
    return act(h, 'xihu.clerk', id, 'ship', { method: 'hand', deliverer: '宝石社区专职委员' });
  };
  const transferTo = (who: Holder, materials: string[]) => ({ matter: 'transfer', idNumber: who.idNumber, residenceCode: XIHU_VILLAGE, hukouCode: XIHU_VILLAGE, materialsProvided: materials });

  const withinZhejiang = await binjiangHolder(h);
  await slaWalk(h, {
    profile: 'zhejiang', desk: 'xihu.clerk', held: 'hukou_transfer_proof',
    application: transferTo(withinZhejiang, ['photos', 'id_and_hukou', 'old_card']),
    forward: handOver('binjiang.clerk'),
    finish: shipAtXihu,
  });
  onDay(h, MON);
  const fromHenan = await holder(h, 'jinshui');
  await slaWalk(h, {
    profile: 'national', desk: 'xihu.clerk', held: 'photos',
    application: { ...transferTo(fromHenan, ['id_and_hukou', 'hukou_transfer_proof', 'old_card']), guardian: guardian() },
    forward: handOver('jinshui.clerk'),
    finish: shipAtXihu,
  });
});

// ---------------------------------------------------------------------------------------------
// 2. A matter taken at the hukou county: the same flow, and it never leaves that county

/** Every case of this matter waiting on the user, page by page (a shared database holds many). */
async function onWorklist(c: Client, caseId: string, matter: string) {
  for (let page = 1; ; page++) {
    const list = await ok(c.get(`/api/worklist?matter=${matter}&pageSize=100&page=${page}`));
    if (list.items.some((i: any) => i.id === caseId)) return true;
    if (page * 100 >= list.total) return false;
  }
}

const JINSHUI_PATH = '41.4101.410105.';

/**
 * ORG-3: the case waits on 金水区 — on the worklist of the 金水区 role it waits for — and 西湖区's
 * staff and supervisor can neither open it nor find it on their lists.
 */
async function onlyAtJinshui(h: Harness, caseId: string, matter: string) {
  const [row] = await h.db.query('SELECT waiting_path, closed_at FROM case_file WHERE id = $1', [caseId]);
  const v = await view(h, 'jinshui.clerk', caseId);
  if (!row.closed_at) {
    assert.ok(row.waiting_path.startsWith(JINSHUI_PATH), `${v.state.code} waits on ${row.waiting_path}`);
    const role = v.waitingOn.side === 'institution' ? 'doctor' : v.waitingOn.roles.includes('clerk') ? 'clerk' : v.waitingOn.roles[0];
    assert.ok(await onWorklist(await as(h, `jinshui.${role}`), caseId, matter), `${v.state.code}: on the list of jinshui.${role}`);
  }
  for (const user of ['xihu.clerk', 'xihu.reviewer', 'xihu.approver', 'hangzhou.supervisor']) {
    const other = await as(h, user);
    assert.equal((await other.get(`/api/cases/${caseId}`)).status, 404, `${user} cannot tell it exists (${v.state.code})`);
    assert.equal(await onWorklist(other, caseId, matter), false, `not on ${user}'s list (${v.state.code})`);
  }
  return v;
}

test('ORG-3 RENEW-3 CHANGE-1 REISSUE-1 CANCEL-1 a 金水区 holder living in 金水区 applies there: every matter runs its flow at 金水区 alone, without a residence permit or a hand-over', async () => {
  const h = await harness();
  const who = await holder(h, 'jinshui');
  const base = { idNumber: who.idNumber, residenceCode: JINSHUI_VILLAGE, guardian: guardian() };
  const steps: Record<string, [string, string, Record<string, unknown>?][]> = {
    renew: [['jinshui.clerk', 'forward_renewal'], ['jinshui.approver', 'approve', { photoOnFile: true }]],
    change: [
      ['jinshui.clerk', 'accept', { institutionId: await institutionOf(await as(h, 'jinshui.clerk')) }],
      ['jinshui.doctor', 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn: h.clock.today() }],
      ['jinshui.clerk', 'forward_to_hukou'], // a minor: never publicised
      ['jinshui.approver', 'approve', { photoOnFile: true }],
    ],
    reissue: [['jinshui.clerk', 'forward_reissue'], ['jinshui.approver', 'approve', { photoOnFile: true }]],
    cancel: [['jinshui.clerk', 'forward_cancellation'], ['jinshui.approver', 'approve_cancellation']],
  };
  const card: [string, string, Record<string, unknown>?][] = [['jinshui.clerk', 'print'], ['jinshui.clerk', 'ship', { method: 'hand', deliverer: '体育社区专职委员' }], ['jinshui.clerk', 'mark_delivered']];
  const applications: Record<string, Record<string, unknown>> = {
    renew: { variant: 'damaged', materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'old_card'] },
    change: { categories: [4], materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'old_card'] },
    reissue: { materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'loss_statement'] },
    cancel: { variant: 'whole', reason: 'own_request', materialsProvided: ['id_and_hukou'] },
  };
  for (const matter of ['renew', 'change', 'reissue', 'cancel']) {
    const c = await ok((await as(h, 'jinshui.clerk')).post('/api/cases', { matter, ...base, ...applications[matter] }), 201);
    assert.deepEqual(c.missingMaterials, [], `${matter}: complete without a residence permit`);
    assert.equal(c.case.profile, 'national');
    assert.deepEqual([c.case.acceptingCounty.code, c.case.residence.code, c.case.hukou.code], ['410105', JINSHUI_VILLAGE, JINSHUI_VILLAGE]);
    await onlyAtJinshui(h, c.id, matter);
    for (const [user, action, input] of [...steps[matter], ...(matter === 'cancel' ? [] : card)]) {
      if (action === 'record_assessment') await ok(uploadScan(await as(h, user), c.id, 'assessment_form', '残疾评定表.png'), 201);
      await ok((await as(h, user)).act(c.id, action, input ?? {}));
      await onlyAtJinshui(h, c.id, matter);
    }
    const done = await view(h, 'jinshui.clerk', c.id);
    assert.equal(done.state.code, matter === 'cancel' ? 'cancelled' : 'delivered');
    const history = (await ok((await as(h, 'jinshui.clerk')).get(`/api/cases/${c.id}/history`))).map((e: any) => e.actor.orgUnitId);
    const jinshuiOrgs = new Set((await h.db.query(`SELECT id FROM org_unit WHERE path LIKE $1`, [`${JINSHUI_PATH}%`])).map((o) => o.id));
    assert.ok(history.every((org: string) => jinshuiOrgs.has(org)), `${matter}: every step taken at 金水区`);
  }
  const [cert] = await h.db.query(`SELECT state FROM certificate WHERE person_id = $1 AND replaced_by IS NULL`, [who.personId]);
  assert.equal(cert.state, 'cancelled');
});

// ---------------------------------------------------------------------------------------------
// 3. Each matter's checklist (MAT-1), as the application reports what is missing

/** Applies with nothing brought, returns what is missing and closes the case again (returned). */
async function checklist(h: Harness, desk: string, application: Record<string, unknown>) {
  const c = await ok((await as(h, desk)).post('/api/cases', { materialsProvided: [], ...application }), 201);
  const missing = c.missingMaterials.map((m: any) => m.code);
  assert.deepEqual(c.case.materials.missing.map((m: any) => m.code), missing, 'the case page lists the same items');
  for (const m of c.missingMaterials) assert.ok(m.zh && m.en, 'each item in both languages');
  await ok((await as(h, desk)).act(c.id, 'return_application', { reason: '仅核对材料清单' }));
  return { missing, profile: c.case.profile as string };
}

test('MAT-1 each matter’s checklist: what every holder brings, death proof only for a death, guardian proof for a minor or an intellectual/mental holder, a residence permit only away from the hukou county', async () => {
  const h = await harness();
  const local = await holder(h);
  const xihu = (matter: string, over: Record<string, unknown> = {}) => checklist(h, 'xihu.clerk', atXihu(local, matter, over));
  // a 西湖区 adult at 西湖区 (Zhejiang: commitment letter for an assessment, no residence permit)
  assert.deepEqual((await xihu('renew', { variant: 'damaged' })).missing, ['photos', 'id_and_hukou', 'old_card']);
  assert.deepEqual((await xihu('change', { categories: [4] })).missing, ['photos', 'id_and_hukou', 'commitment_letter', 'old_card']);
  assert.deepEqual((await xihu('cancel', { variant: 'whole', reason: 'recovery' })).missing, ['id_and_hukou']);
  assert.deepEqual((await xihu('cancel', { variant: 'whole', reason: 'death' })).missing, ['id_and_hukou', 'death_proof']);
  assert.deepEqual((await checklist(h, 'jinshui.clerk', { matter: 'transfer', idNumber: local.idNumber, residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE })).missing,
    ['photos', 'id_and_hukou', 'old_card', 'hukou_transfer_proof']);
  assert.deepEqual((await xihu('reissue')).missing, ['photos', 'id_and_hukou', 'loss_statement']);

  // a child registered in 金水区 living in 西湖区: guardian proof, and a residence permit when applying in 西湖区
  const child = await holder(h, 'jinshui');
  const away = (matter: string, over: Record<string, unknown> = {}) => checklist(h, 'xihu.clerk', atXihu(child, matter, { guardian: guardian(), ...over }));
  assert.deepEqual(await away('renew', { variant: 'damaged' }), { profile: 'national', missing: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit', 'old_card'] });
  assert.deepEqual((await away('change', { categories: [4] })).missing, ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit', 'old_card']);
  assert.deepEqual((await away('cancel', { variant: 'whole', reason: 'own_request' })).missing, ['id_and_hukou']);
  assert.deepEqual((await away('transfer', { hukouCode: XIHU_VILLAGE })).missing, ['photos', 'id_and_hukou', 'old_card', 'hukou_transfer_proof']);
  // … but at 金水区, its hukou county, the application is not cross-region: no residence permit
  assert.deepEqual((await checklist(h, 'jinshui.clerk', atXihu(child, 'renew', { variant: 'damaged', acceptCode: '410105', guardian: guardian() }))).missing,
    ['photos', 'id_and_hukou', 'guardian_proof', 'old_card']);
  assert.deepEqual((await away('reissue')).missing, ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit', 'loss_statement']);

  // an adult with an intellectual disability: the guardian is required, and so is the proof
  const intellectual = await legacyHolder(h, '2020-01-01', false, '5-2');
  const noGuardian = await (await as(h, 'xihu.clerk')).post('/api/cases', atXihu(intellectual, 'renew', { variant: 'damaged', materialsProvided: [] }));
  assert.equal(noGuardian.status, 422);
  assert.equal(noGuardian.body.error.code, 'application.guardian');
  assert.match(noGuardian.body.error.zh, /监护人/);
  assert.match(noGuardian.body.error.en, /guardian/);
  assert.deepEqual((await checklist(h, 'xihu.clerk', atXihu(intellectual, 'renew', { variant: 'damaged', guardian: guardian() }))).missing, ['photos', 'id_and_hukou', 'guardian_proof', 'old_card']);

  // a 西湖区 holder living in 金水区 who comes back to 西湖区 to apply: a Zhejiang application, no residence permit
  assert.deepEqual(await checklist(h, 'xihu.clerk', { matter: 'renew', variant: 'damaged', idNumber: intellectual.idNumber, residenceCode: JINSHUI_VILLAGE, acceptCode: '330106', guardian: guardian() }),
    { profile: 'zhejiang', missing: ['photos', 'id_and_hukou', 'guardian_proof', 'old_card'] });
});

// ---------------------------------------------------------------------------------------------
// 4. Bad input per matter: a clear reason in both languages, and nothing changed

/**
 * Everything a refused request could have touched for this person: their cases (state, version),
 * certificates (state, successor), both histories, old cards on a register, and the case audit trail.
 */
async function footprint(h: Harness, personId: string) {
  const [row] = await h.db.query(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('id', id, 'state', state, 'version', version) ORDER BY id), '[]') FROM case_file WHERE person_id = $1) AS cases,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'state', state, 'replacedBy', replaced_by) ORDER BY id), '[]') FROM certificate WHERE person_id = $1) AS certificates,
       (SELECT count(*)::int FROM case_event e JOIN case_file c ON c.id = e.case_id WHERE c.person_id = $1) AS case_events,
       (SELECT count(*)::int FROM certificate_event e JOIN certificate c ON c.id = e.certificate_id WHERE c.person_id = $1) AS certificate_events,
       (SELECT count(*)::int FROM old_card o JOIN certificate c ON c.id = o.certificate_id WHERE c.person_id = $1) AS old_cards,
       (SELECT count(*)::int FROM audit_entry WHERE action LIKE 'case.%') AS case_audit`,
    [personId],
  );
  return row;
}

/** The request is refused with this status and code, says why in Chinese and in English, and changes nothing. */
async function refused(h: Harness, who: Holder, request: () => Promise<{ status: number; body: any }>, status: number, code: string, zh: RegExp, en: RegExp) {
  const before = await footprint(h, who.personId);
  const res = await request();
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.match(res.body.error.zh, zh);
  assert.match(res.body.error.en, en);
  assert.deepEqual(await footprint(h, who.personId), before, `${code}: nothing changed`);
  return res.body.error;
}

const applyAtXihu = (h: Harness, who: Holder, matter: string, over: Record<string, unknown>) => async () => (await as(h, 'xihu.clerk')).post('/api/cases', atXihu(who, matter, over));
/** Posts an action with the version the caller last saw (`stale` versions back). */
const actAt = (h: Harness, user: string, caseId: string, action: string, input: Record<string, unknown> = {}, stale = 0) => async () => {
  const c = await as(h, user);
  const current = await ok(c.get(`/api/cases/${caseId}`));
  return c.post(`/api/cases/${caseId}/actions/${action}`, { expectedVersion: current.version - stale, input });
};
const ILLEGAL = ['workflow.illegal_action', /案件当前状态为“.+”，不能执行“.+”。请刷新页面/, /The case is ".+"; ".+" is not possible in that state\. Reload the case/] as const;
const STALE = ['case.stale_version', /已被他人更新.*本次操作未生效/, /changed by someone else.*nothing was changed/] as const;

/** A 西湖区 holder whose certificate was cancelled as a whole (at their own request). */
async function cancelledHolder(h: Harness) {
  const who = await holder(h);
  const c = await ok((await as(h, 'xihu.clerk')).post('/api/cases', atXihu(who, 'cancel', { variant: 'whole', reason: 'own_request', materialsProvided: ['id_and_hukou'] })), 201);
  await act(h, 'xihu.clerk', c.id, 'forward_cancellation');
  await act(h, 'xihu.approver', c.id, 'approve_cancellation');
  return who;
}

test('RENEW-1 RENEW-4 bad renewals: too early, a category through an information update, an unknown variant, a reported-lost card, an action out of turn, a stale version', async () => {
  const h = await harness();
  const who = await holder(h);
  const materials = ['photos', 'id_and_hukou', 'old_card'];
  await refused(h, who, applyAtXihu(h, who, 'renew', { variant: 'expiry', materialsProvided: materials }), 409, 'application.certificate', /满9年方可办理，即\d{4}年\d{1,2}月\d{1,2}日起/, /from 9 years after the validity start, i\.e\. from \d{4}-\d{2}-\d{2}/);
  await refused(h, who, applyAtXihu(h, who, 'renew', { variant: 'info_update', updates: { level: 1 }, materialsProvided: materials }), 422, 'application.renew_category', /不能变更残疾类别或等级/, /cannot change the category or level/);
  await refused(h, who, applyAtXihu(h, who, 'renew', { variant: 'renewal', materialsProvided: materials }), 422, 'application.variant', /请选择办理类型：expiry、damaged、info_update/, /Choose the kind of renew: expiry, damaged, info_update/);

  const c = await ok(applyAtXihu(h, who, 'renew', { variant: 'damaged', materialsProvided: ['id_and_hukou', 'old_card'] })(), 201);
  await refused(h, who, actAt(h, 'xihu.approver', c.id, 'approve', { photoOnFile: true }), 409, ...ILLEGAL);
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'approve_transfer'), 422, 'workflow.unknown_action', /没有操作“approve_transfer”/, /has no action "approve_transfer"/);
  await act(h, 'xihu.clerk', c.id, 'request_materials');
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'supplement_materials', { provided: ['photos'] }, 1), 409, ...STALE);
  await act(h, 'xihu.clerk', c.id, 'return_application', { reason: '申请人改为挂失补办' });

  await ok(applyAtXihu(h, who, 'reissue', { materialsProvided: ['photos', 'id_and_hukou', 'loss_statement'] })(), 201);
  await refused(h, who, applyAtXihu(h, who, 'renew', { variant: 'damaged', materialsProvided: materials }), 409, 'application.certificate', /当前状态为“已挂失”，不能办理此事项/, /The certificate is reported lost; this matter cannot be opened on it/);
});

test('TRF-1 bad transfers: to the same county, a variant it does not have, a cancelled certificate, the hand-over out of turn, a stale approval', async () => {
  const h = await harness();
  const who = await holder(h, 'jinshui');
  const to = (over: Record<string, unknown>) => applyAtXihu(h, who, 'transfer', { hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'old_card', 'hukou_transfer_proof'], ...over });
  await refused(h, who, to({ hukouCode: '410105001' }), 422, 'application.transfer_same_county', /同一县（区），无需办理迁移/, /same county as before: no transfer is needed/);
  await refused(h, who, to({ variant: 'expiry' }), 422, 'application.variant', /不分办理类型/, /has no kinds/);

  const c = await ok(to({})(), 201);
  await refused(h, who, actAt(h, 'jinshui.clerk', c.id, 'send_archive'), 409, ...ILLEGAL);
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'print'), 409, ...ILLEGAL);
  await act(h, 'xihu.clerk', c.id, 'supplement_materials', { provided: ['photos'] }); // a photo brought again: version 2
  await refused(h, who, actAt(h, 'xihu.approver', c.id, 'approve_transfer', {}, 1), 409, ...STALE);
  await act(h, 'xihu.approver', c.id, 'approve_transfer');
  await refused(h, who, actAt(h, 'jinshui.clerk', c.id, 'send_archive'), 409, 'workflow.guard', /请先上传档案电子材料/, /upload the archive’s electronic files first/);

  const gone = await cancelledHolder(h);
  await refused(h, gone, async () => (await as(h, 'jinshui.clerk')).post('/api/cases', { matter: 'transfer', idNumber: gone.idNumber, residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE, materialsProvided: [] }),
    409, 'application.certificate', /当前状态为“注销”，不能办理此事项/, /The certificate is cancelled; this matter cannot be opened on it/);
});

test('REISSUE-1 bad reissues: a variant it does not have, a second one while the first is open, approval before the papers are checked', async () => {
  const h = await harness();
  const who = await holder(h);
  const materials = ['photos', 'id_and_hukou', 'loss_statement'];
  await refused(h, who, applyAtXihu(h, who, 'reissue', { variant: 'damaged', materialsProvided: materials }), 422, 'application.variant', /不分办理类型/, /has no kinds/);
  const c = await ok(applyAtXihu(h, who, 'reissue', { materialsProvided: materials })(), 201);
  await refused(h, who, applyAtXihu(h, who, 'reissue', { materialsProvided: materials }), 409, 'application.duplicate', /已有在办的同类申请，由杭州市西湖区残疾人联合会自\d{4}年\d{1,2}月\d{1,2}日起办理/, /held by 杭州市西湖区残疾人联合会 since \d{4}-\d{2}-\d{2}/);
  await refused(h, who, actAt(h, 'xihu.approver', c.id, 'approve', { photoOnFile: true }), 409, ...ILLEGAL);
  await act(h, 'xihu.clerk', c.id, 'supplement_materials', { provided: ['loss_statement'] }); // a signed copy again: version 2
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'forward_reissue', {}, 1), 409, ...STALE);
});

test('REISSUE-1 a reissue that was returned can be applied for again: the card stays reported lost and the second reissue replaces it', async () => {
  const h = await harness();
  const who = await holder(h);
  const first = await ok(applyAtXihu(h, who, 'reissue', { materialsProvided: ['photos', 'id_and_hukou'] })(), 201);
  await act(h, 'xihu.clerk', first.id, 'request_materials');
  await act(h, 'xihu.clerk', first.id, 'return_application', { reason: '申请人未补交遗失说明' });
  const lost = async () => (await h.db.query('SELECT state, replaced_by FROM certificate WHERE id = $1', [who.certificateId]))[0];
  assert.equal((await lost()).state, 'reported_lost', 'a returned reissue does not bring the lost card back');
  await refused(h, who, applyAtXihu(h, who, 'renew', { variant: 'damaged' }), 409, 'application.certificate', /已挂失的证件只能办理挂失补办或注销/, /A card reported lost can only be reissued or cancelled/);

  const second = await ok(applyAtXihu(h, who, 'reissue', { materialsProvided: ['photos', 'id_and_hukou', 'loss_statement'] })(), 201);
  await act(h, 'xihu.clerk', second.id, 'forward_reissue');
  await act(h, 'xihu.approver', second.id, 'approve', { photoOnFile: true });
  const card = await lost();
  assert.equal(card.state, 'reported_lost');
  const reissued = await certificateRow(h, card.replaced_by);
  assert.deepEqual([reissued.state, reissued.number, reissued.card_no], ['active', who.number, 2]);
  const history = await h.db.query(`SELECT to_state FROM certificate_event WHERE certificate_id = $1 ORDER BY id`, [who.certificateId]);
  assert.deepEqual(history.map((e) => e.to_state), ['active', 'reported_lost'], 'reported lost once');
});

test('CANCEL-1 CANCEL-2 bad cancellations: a category not on the card, an unknown variant or reason, a cancelled certificate, approval out of turn', async () => {
  const h = await harness();
  const who = await holder(h, 'xihu', [{ category: 1, level: 2 }, { category: 4, level: 3 }]);
  const cancel = (over: Record<string, unknown>) => applyAtXihu(h, who, 'cancel', { reason: 'recovery', materialsProvided: ['id_and_hukou'], ...over });
  const notOnCard = await refused(h, who, cancel({ variant: 'partial', removeCategories: [2] }), 422, 'application.certificate', /请选择证上已有的、要注销的残疾类别/, /Choose the categories to remove from those on the certificate/);
  assert.equal(notOnCard.field, 'removeCategories', 'decision 0008: the request’s fault, so 422 naming the field');
  await refused(h, who, cancel({ variant: 'some' }), 422, 'application.variant', /请选择办理类型：whole、partial/, /Choose the kind of cancel: whole, partial/);
  await refused(h, who, cancel({ variant: 'whole', reason: 'moved_away' }), 422, 'request.invalid', /^原因须从以下选择一项：death、/, /^Choose the reason from: death, /);
  const c = await ok(cancel({ variant: 'partial', removeCategories: [1] })(), 201);
  await refused(h, who, actAt(h, 'xihu.approver', c.id, 'approve_cancellation'), 409, ...ILLEGAL);
  await act(h, 'xihu.clerk', c.id, 'supplement_materials', { provided: ['id_and_hukou'] }); // version 2
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'forward_cancellation', {}, 1), 409, ...STALE);

  const gone = await cancelledHolder(h);
  await refused(h, gone, applyAtXihu(h, gone, 'cancel', { variant: 'whole', reason: 'death', materialsProvided: ['id_and_hukou', 'death_proof'] }), 409, 'application.certificate', /当前状态为“注销”/, /The certificate is cancelled/);
});

test('CHANGE-1 bad changes: a cancelled certificate, an unknown category, a step out of turn, a stale acceptance', async () => {
  const h = await harness();
  const gone = await cancelledHolder(h);
  await refused(h, gone, applyAtXihu(h, gone, 'change', { categories: [4] }), 409, 'application.certificate', /当前状态为“注销”，不能办理此事项/, /The certificate is cancelled; this matter cannot be opened on it/);

  const who = await holder(h);
  const materials = ['photos', 'id_and_hukou', 'old_card', 'commitment_letter'];
  await refused(h, who, applyAtXihu(h, who, 'change', { categories: [9], materialsProvided: materials }), 422, 'request.invalid', /^残疾类别不能大于6。$/, /^The disability categories must be at most 6\.$/);
  const c = await ok(applyAtXihu(h, who, 'change', { categories: [4], materialsProvided: materials })(), 201);
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'forward_to_hukou'), 409, ...ILLEGAL);
  await refused(h, who, actAt(h, 'xihu.approver', c.id, 'approve', { photoOnFile: true }), 409, ...ILLEGAL);
  const institutionId = await institutionOf(await as(h, 'xihu.clerk'));
  await act(h, 'xihu.clerk', c.id, 'supplement_materials', { provided: ['photos'] });
  await refused(h, who, actAt(h, 'xihu.clerk', c.id, 'accept', { institutionId }, 1), 409, ...STALE);
});
