/**
 * The five matters on an existing certificate through the API: renewal (RENEW-1…4), transfer
 * (TRF-1…3), loss and reissue (REISSUE-1), cancellation (CANCEL-1/2) and category/level change
 * (CHANGE-1) — within one county (Zhejiang profile) and across two provinces (national profile),
 * with the refusals that must change nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Client, type Harness, harness, login, makeCitizenId } from './harness.js';
import { certificateRow, guardian, type Holder, holder, legacyHolder, ok, recordResult, uploadScan, XIHU_LOCAL, XIHU_VILLAGE } from './fixtures.js';

const certificate = async (h: Harness, id: string) => certificateRow(h, id);
const successor = async (h: Harness, id: string) => certificate(h, (await certificate(h, id)).replaced_by);

/** A certificate-matter application as the 西湖区 window takes it. */
async function applyFor(clerk: Client, who: Holder, matter: string, over: Record<string, unknown> = {}) {
  return clerk.post('/api/cases', { matter, idNumber: who.idNumber, residenceCode: XIHU_VILLAGE, materialsProvided: [], ...over });
}

/** Takes the case through print, ship and delivery at the hukou county. */
async function deliver(hukouClerk: Client, caseId: string) {
  await ok(hukouClerk.act(caseId, 'print'));
  await ok(hukouClerk.act(caseId, 'ship', { method: 'courier', courier: 'EMS', trackingNo: 'EMS1234567890' }));
  await ok(hukouClerk.act(caseId, 'mark_delivered', {}));
}

test('RENEW-1 an expiry renewal is refused before 9 years with the date it becomes possible; after, the new card is valid from the hukou county’s issue date', async () => {
  const h = await harness();
  const [clerk, approver] = [await login(h, 'xihu.clerk'), await login(h, 'xihu.approver')];
  const recent = await legacyHolder(h, '2018-03-15', false);
  const early = await applyFor(clerk, recent, 'renew', { variant: 'expiry', materialsProvided: ['photos', 'id_and_hukou', 'old_card'] });
  assert.equal(early.status, 409);
  assert.match(early.body.error.zh, /2027年3月15日起/);
  assert.match(early.body.error.en, /from 2027-03-15/);
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM case_file WHERE certificate_id = $1`, [recent.certificateId]))[0].n, 0, 'nothing was opened');

  const who = await legacyHolder(h, '2017-06-01', false);
  const c = await ok(applyFor(clerk, who, 'renew', { variant: 'expiry', materialsProvided: ['photos', 'id_and_hukou', 'old_card'], oldCardCollected: true }), 201);
  assert.equal(c.case.matter.code, 'renew');
  assert.equal(c.case.profile, 'zhejiang');
  const held = await ok(clerk.get('/api/old-cards?status=held'));
  assert.ok(held.items.some((card: any) => card.case?.caseNo === c.case.caseNo), 'CARD-1: the card handed in is on the county’s register, with its case');
  await ok(clerk.act(c.id, 'forward_renewal', {}));
  await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
  const renewed = await successor(h, who.certificateId);
  const today = h.clock.today();
  assert.equal(renewed.valid_from, today, 'validity starts on the issue date');
  assert.equal(renewed.valid_until, today.replace(/^(\d{4})/, (y) => String(Number(y) + 10)));
  assert.equal(renewed.number, who.number, 'same category and level: same number');
  assert.equal(renewed.card_no, 2);
  assert.equal((await certificate(h, who.certificateId)).state, 'cancelled', 'the old card is closed');
  await deliver(clerk, c.id);
});

test('RENEW-2 a pre-2018 visually assessed certificate is reassessed at renewal; met → new card at the new level, not met → the hukou county cancels it', async () => {
  const h = await harness();
  const [clerk, doctor, approver] = [await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor'), await login(h, 'xihu.approver')];
  const institutionId = (await ok(clerk.get('/api/org-units?kind=institution'))).find((o: any) => o.name.endsWith('（演示）')).id;
  for (const qualified of [true, false]) {
    const who = await legacyHolder(h, '2017-03-01', true);
    const c = await ok(applyFor(clerk, who, 'renew', { variant: 'expiry', materialsProvided: ['photos', 'id_and_hukou', 'old_card'] }), 201);
    const direct = await clerk.act(c.id, 'forward_renewal', {});
    assert.equal(direct.status, 409);
    assert.match(direct.body.error.zh, /目测评定/);
    await ok(clerk.act(c.id, 'accept', { institutionId }));
    await ok(recordResult(doctor, c.id, qualified
      ? { qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn: h.clock.today() }
      : { qualified: false, notQualifiedReason: '肢体功能已恢复', assessedOn: h.clock.today() }));
    await ok(clerk.act(c.id, 'forward_to_hukou'));
    if (qualified) {
      assert.equal((await approver.act(c.id, 'cancel_certificate', {})).status, 409, 'a result that meets the standard is not cancelled');
      await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
      const renewed = await successor(h, who.certificateId);
      assert.equal(renewed.level, 3);
      assert.equal(renewed.visual_assessment, false, 'the new card rests on the new assessment');
    } else {
      assert.equal((await approver.act(c.id, 'approve', { photoOnFile: true })).status, 409);
      await ok(approver.act(c.id, 'cancel_certificate', { note: '重新评定未达标准' }));
      assert.equal((await certificate(h, who.certificateId)).state, 'cancelled');
      assert.equal((await ok(clerk.get(`/api/cases/${c.id}`))).state.code, 'cancelled');
    }
  }
});

test('RENEW-3 a damaged card across two provinces: Xihu checks the papers, Jinshui approves and prints a new card with the original validity', async () => {
  const h = await harness();
  const who = await holder(h, 'jinshui');
  const clerk = await login(h, 'xihu.clerk');
  const c = await ok(applyFor(clerk, who, 'renew', { variant: 'damaged', guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof', 'residence_permit'] }), 201);
  assert.equal(c.case.profile, 'national');
  assert.equal((await clerk.act(c.id, 'accept', { institutionId: '00000000-0000-0000-0000-000000000000' })).status, 409, 'only an expiry renewal is reassessed');
  await ok(clerk.act(c.id, 'forward_renewal', {}));
  const jinshui = await login(h, 'jinshui.clerk');
  assert.ok((await ok(jinshui.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'on the hukou county’s list');
  await ok((await login(h, 'jinshui.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const old = await certificate(h, who.certificateId);
  const renewed = await successor(h, who.certificateId);
  assert.deepEqual([renewed.valid_from, renewed.valid_until], [old.valid_from, old.valid_until]);
  await deliver(jinshui, c.id);
  assert.equal((await ok(jinshui.get(`/api/cases/${c.id}`))).state.code, 'delivered');
});

test('RENEW-4 an information update changes the name on a new card with the same validity; a category change through it is refused and opens nothing', async () => {
  const h = await harness();
  const who = await holder(h);
  const clerk = await login(h, 'xihu.clerk');
  const sneaky = await applyFor(clerk, who, 'renew', { variant: 'info_update', updates: { categories: [1] }, materialsProvided: ['photos', 'id_and_hukou', 'old_card'] });
  assert.equal(sneaky.status, 422);
  assert.match(sneaky.body.error.zh, /残疾类别\/等级变更/);
  assert.match(sneaky.body.error.en, /category\/level change/);
  const empty = await applyFor(clerk, who, 'renew', { variant: 'info_update', updates: {}, materialsProvided: ['photos', 'id_and_hukou', 'old_card'] });
  assert.equal(empty.body.error.code, 'application.updates');
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM case_file WHERE certificate_id = $1`, [who.certificateId]))[0].n, 0);

  const c = await ok(applyFor(clerk, who, 'renew', { variant: 'info_update', updates: { name: '改名后' }, materialsProvided: ['photos', 'id_and_hukou', 'old_card'] }), 201);
  const [stored] = await h.db.query('SELECT data::text AS data FROM case_file WHERE id = $1', [c.id]);
  assert.ok(!stored.data.includes('改名后'), 'the new details are encrypted at rest');
  await ok(clerk.act(c.id, 'forward_renewal', {}));
  await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const renewed = await successor(h, who.certificateId);
  assert.equal(renewed.valid_from, (await certificate(h, who.certificateId)).valid_from);
  const full = await ok(clerk.post(`/api/persons/${who.personId}/reveal`, { purpose: '核对换证信息' }));
  assert.equal(full.name, '改名后');
});

test('REISSUE-1 a loss is reported at once; the new card keeps number and validity; the lost card is never active again, even if the reissue is refused', async () => {
  const h = await harness();
  for (const where of ['xihu', 'jinshui'] as const) {
    const who = await holder(h, where);
    const clerk = await login(h, 'xihu.clerk');
    const extra = where === 'jinshui' ? { guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'loss_statement', 'guardian_proof', 'residence_permit'] } : { materialsProvided: ['photos', 'id_and_hukou', 'loss_statement'] };
    const c = await ok(applyFor(clerk, who, 'reissue', extra), 201);
    assert.equal((await certificate(h, who.certificateId)).state, 'reported_lost', 'reported lost the moment the application is taken');
    const found = await ok(clerk.get(`/api/persons?certificateNumber=${who.number}`));
    assert.equal(found.items[0].certificate.state, 'reported_lost');
    await ok(clerk.act(c.id, 'forward_reissue', {}));
    const approver = await login(h, `${where}.approver`);
    if (where === 'xihu') {
      await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
      const card = await successor(h, who.certificateId);
      const lost = await certificate(h, who.certificateId);
      assert.deepEqual([card.number, card.valid_from, card.valid_until, card.card_no, card.state], [lost.number, lost.valid_from, lost.valid_until, 2, 'active']);
      assert.equal(lost.state, 'reported_lost', 'the lost card stays reported lost');
    } else {
      await ok(approver.act(c.id, 'reject', { reason: '材料存疑，请重新申请' }));
      assert.equal((await certificate(h, who.certificateId)).state, 'reported_lost', 'a refused reissue does not bring the lost card back');
      assert.equal((await applyFor(clerk, who, 'renew', { variant: 'damaged', guardian: guardian() })).status, 409, 'nor can it be renewed');
    }
  }
});

test('CANCEL-1 a whole cancellation needs its reason and proof; once approved the certificate is cancelled and a new application waits a year (NEW-1)', async () => {
  const h = await harness();
  const who = await holder(h);
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await applyFor(clerk, who, 'cancel', { variant: 'whole' })).body.error.code, 'application.cancel_reason');
  const c = await ok(applyFor(clerk, who, 'cancel', { variant: 'whole', reason: 'death', materialsProvided: ['id_and_hukou'] }), 201);
  assert.deepEqual(c.missingMaterials.map((m: any) => m.code), ['death_proof'], 'a death needs its proof');
  assert.equal((await clerk.act(c.id, 'forward_cancellation', {})).status, 409);
  await ok(clerk.act(c.id, 'supplement_materials', { provided: ['death_proof'] }));
  await ok(clerk.act(c.id, 'forward_cancellation', {}));
  const approver = await login(h, 'xihu.approver');
  assert.equal((await approver.act(c.id, 'approve', { photoOnFile: true })).status, 409, 'a whole cancellation issues no card');
  await ok(approver.act(c.id, 'approve_cancellation', {}));
  const cert = await certificate(h, who.certificateId);
  assert.equal(cert.state, 'cancelled');
  const [event] = await h.db.query(`SELECT reason FROM certificate_event WHERE certificate_id = $1 AND to_state = 'cancelled'`, [who.certificateId]);
  assert.equal(event.reason, 'death');
  const again = await clerk.post('/api/cases', { matter: 'new', applicant: { idNumber: who.idNumber, name: '再申请', phone: '13800138000' }, residenceCode: XIHU_VILLAGE, hukouCode: XIHU_VILLAGE, categories: [4], materialsProvided: XIHU_LOCAL });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'application.recently_cancelled');
});

test('CANCEL-2 a partial cancellation removes a category of a multiple disability: the new card shows the rest, level recomputed, validity kept', async () => {
  const h = await harness();
  const single = await holder(h);
  const clerk = await login(h, 'xihu.clerk');
  const refused = await applyFor(clerk, single, 'cancel', { variant: 'partial', reason: 'recovery', removeCategories: [4] });
  assert.equal(refused.status, 422, 'decision 0008: the request asks for what the card cannot have');
  assert.equal(refused.body.error.field, 'variant');
  assert.match(refused.body.error.zh, /只适用于多重残疾/);

  const who = await holder(h, 'xihu', [{ category: 1, level: 1 }, { category: 4, level: 3 }]);
  assert.match(who.number, /71$/, 'multiple disability, most severe level 1');
  assert.equal((await applyFor(clerk, who, 'cancel', { variant: 'partial', reason: 'recovery', removeCategories: [1, 4] })).status, 422, 'at least one category stays');
  const c = await ok(applyFor(clerk, who, 'cancel', { variant: 'partial', reason: 'recovery', removeCategories: [1], materialsProvided: ['id_and_hukou'] }), 201);
  await ok(clerk.act(c.id, 'forward_cancellation', {}));
  const approver = await login(h, 'xihu.approver');
  assert.equal((await approver.act(c.id, 'approve_cancellation', {})).status, 409, 'a partial cancellation is not a whole one');
  await ok(approver.act(c.id, 'approve', { photoOnFile: true }));
  const card = await successor(h, who.certificateId);
  assert.deepEqual([card.category, card.level, card.number.slice(18)], [4, 3, '43']);
  assert.equal(card.valid_until, (await certificate(h, who.certificateId)).valid_until);
  const found = await ok(clerk.get(`/api/persons?certificateNumber=${who.number}`));
  assert.equal(found.items[0].certificate.replacedBy.numberMasked.slice(-2), '43', 'the old number leads to the new card');
});

test('CHANGE-1 a level change goes through assessment, publicity and the hukou county; the new number replaces the old, which stays findable', async () => {
  const h = await harness();
  const who = await holder(h, 'jinshui');
  const clerk = await login(h, 'xihu.clerk');
  const none = await applyFor(clerk, who, 'change', { guardian: guardian() });
  assert.equal(none.status, 422, 'the categories to assess are needed (decision 0008: the request’s fault)');
  assert.equal(none.body.error.field, 'categories');
  const c = await ok(applyFor(clerk, who, 'change', { categories: [4], guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof', 'residence_permit'] }), 201);
  assert.equal(c.case.profile, 'national');
  const institutionId = (await ok(clerk.get('/api/org-units?kind=institution'))).find((o: any) => o.name.endsWith('（演示）')).id;
  await ok(clerk.act(c.id, 'accept', { institutionId }));
  await ok(recordResult(await login(h, 'xihu.doctor'), c.id, { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: h.clock.today() }));
  await ok(clerk.act(c.id, 'forward_to_hukou')); // a minor: never publicised (NEW-4)
  await ok((await login(h, 'jinshui.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const card = await successor(h, who.certificateId);
  assert.equal(card.number, who.number.slice(0, 18) + '41');
  assert.equal(card.valid_from, h.clock.today(), 'a change starts a new validity');
  const jinshui = await login(h, 'jinshui.clerk');
  const found = await ok(jinshui.get(`/api/persons?certificateNumber=${who.number}`));
  assert.equal(found.items[0].certificate.state, 'cancelled');
  assert.equal(found.items[0].certificate.replacedBy.state, 'active');
  await deliver(jinshui, c.id);
});

test('TRF-1 TRF-2 TRF-3 a transfer from Jinshui to Xihu: Xihu approves, Jinshui hands over the archive, Xihu prints; number, validity and archive follow the person', async () => {
  const h = await harness();
  const who = await holder(h, 'jinshui');
  await h.db.query(`UPDATE certificate SET visual_assessment = true WHERE id = $1`, [who.certificateId]);
  const clerk = await login(h, 'xihu.clerk');
  const base = { hukouCode: XIHU_VILLAGE, guardian: guardian(), materialsProvided: ['photos', 'id_and_hukou', 'hukou_transfer_proof', 'old_card'] };
  const same = await applyFor(clerk, who, 'transfer', { ...base, hukouCode: '410105001' });
  assert.equal(same.status, 422);
  assert.equal(same.body.error.code, 'application.transfer_same_county');
  const jinshuiClerk = await login(h, 'jinshui.clerk');
  assert.equal((await applyFor(jinshuiClerk, who, 'transfer', base)).status, 403, 'the new hukou county takes a transfer');

  const c = await ok(applyFor(clerk, who, 'transfer', base), 201);
  assert.equal(c.case.profile, 'national');
  await ok((await login(h, 'xihu.approver')).act(c.id, 'approve_transfer', { note: '户口已迁入' }));
  let view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'awaiting_archive');
  assert.ok(view.data.reassessmentDueBy > h.clock.today(), 'TRF-3: a visual assessment must be redone by a set date');
  assert.ok((await ok(jinshuiClerk.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'the transfer notice reaches the former county');
  assert.equal((await jinshuiClerk.act(c.id, 'send_archive', {})).status, 409, 'the files come first');
  await ok(uploadScan(jinshuiClerk, c.id, 'archive_file', '评定表存档.png'), 201);
  const [filed] = await h.db.query(`SELECT o.name FROM case_document d JOIN org_unit o ON o.id = d.origin_org_id WHERE d.case_id = $1 AND d.material_code = 'archive_file'`, [c.id]);
  assert.equal(filed?.name, '郑州市金水区残疾人联合会', 'ARCH-1: the archive files keep their origin county');
  await ok(jinshuiClerk.act(c.id, 'send_archive', { paperKeptAt: '金水区残联档案室' }));
  view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.state.code, 'printing');
  const card = await successor(h, who.certificateId);
  const old = await certificate(h, who.certificateId);
  assert.deepEqual([card.number, card.valid_from, card.valid_until], [old.number, old.valid_from, old.valid_until]);
  const [person] = await h.db.query('SELECT hukou_code FROM person WHERE id = $1', [who.personId]);
  assert.equal(person.hukou_code, XIHU_VILLAGE, 'the hukou moved with the certificate');
  await deliver(clerk, c.id);
  const history = (await ok(clerk.get(`/api/cases/${c.id}/history`))).map((e: any) => e.action);
  assert.deepEqual(history, ['apply', 'approve_transfer', 'send_archive', 'print', 'ship', 'mark_delivered']);
});

test('RENEW-1 REISSUE-1 CHANGE-1 the wrong state, a second open case, or no certificate at all are refused with a bilingual reason and open nothing', async () => {
  const h = await harness();
  const who = await holder(h);
  const clerk = await login(h, 'xihu.clerk');
  const nobody = await clerk.post('/api/cases', { matter: 'reissue', idNumber: makeCitizenId({ division: '330106' }), residenceCode: XIHU_VILLAGE });
  assert.equal(nobody.status, 422);
  assert.match(nobody.body.error.zh, /未找到/);
  assert.equal((await applyFor(clerk, who, 'renew', { variant: 'sometime' })).body.error.code, 'application.variant');
  await ok(applyFor(clerk, who, 'reissue', { materialsProvided: ['photos', 'id_and_hukou', 'loss_statement'] }), 201);
  const twice = await applyFor(clerk, who, 'reissue', {});
  assert.equal(twice.status, 409);
  const change = await applyFor(clerk, who, 'change', { categories: [1] });
  assert.equal(change.status, 409);
  assert.match(change.body.error.zh, /已挂失/);
  assert.match(change.body.error.en, /reported lost/);
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM case_file WHERE certificate_id = $1`, [who.certificateId]))[0].n, 1);
});
