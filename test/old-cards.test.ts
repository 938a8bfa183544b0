/** CARD-1: old cards collected by the county are logged, kept a year and destroyed in a confirmed batch. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCalendarDays, addCalendarYears } from '../src/domain/dates.js';
import { DomainError } from '../src/domain/errors.js';
import { logOldCard } from '../src/modules/old-cards/old-cards.js';
import { harness, login } from './harness.js';
import { certifiedHolder, ok } from './fixtures.js';

const XIHU = '33.3301.330106.';

const listed = async (who: Awaited<ReturnType<typeof login>>, status: string) => (await ok(who.get(`/api/old-cards?status=${status}`))).items as any[];
const ids = (items: any[]) => items.map((c) => c.certificateId);

test('CARD-1 a card handed in at the desk is logged once, masked, audited; a second log is refused and another county gets 404', async () => {
  const h = await harness();
  const holder = await certifiedHolder(h, '旧证持有人');
  const clerk = await login(h, 'xihu.clerk');
  const jinshui = await login(h, 'jinshui.clerk');
  const today = h.clock.today();

  // outside the holder's county the certificate does not exist, and nothing is logged
  assert.equal((await jinshui.post('/api/old-cards', { certificateNumber: holder.number })).status, 404);
  assert.equal((await clerk.post('/api/old-cards', { certificateNumber: holder.number, cardNo: 2 })).status, 404, 'the certificate has no second card');
  assert.equal((await (await login(h, 'xihu.doctor')).post('/api/old-cards', { certificateNumber: holder.number })).status, 403);
  const short = await clerk.post('/api/old-cards', { certificateNumber: holder.number.slice(0, 19) });
  assert.equal(short.status, 422);
  assert.equal(short.body.error.code, 'certificate.length');
  assert.ok(!ids(await listed(clerk, 'held')).includes(holder.certificateId));

  const logged = await ok(clerk.post('/api/old-cards', { certificateNumber: holder.number.toLowerCase(), note: '持证人去世，家属交回' }), 201);
  assert.equal(logged.certificateId, holder.certificateId);
  assert.equal(logged.numberMasked, `${holder.idNumber.slice(0, 3)}${'*'.repeat(11)}${holder.idNumber.slice(14)}42`);
  assert.equal(logged.holderNameMasked, '旧****');
  assert.equal(logged.cardNo, 1);
  assert.equal(logged.collectedOn, today);
  assert.equal(logged.dueFrom, addCalendarDays(addCalendarYears(today, 1), 1));
  assert.equal(logged.status, 'held');
  assert.equal(logged.case, null);
  assert.equal(logged.note, '持证人去世，家属交回');
  assert.equal(logged.collectedBy, (await ok(clerk.get('/api/auth/me'))).displayName);
  assert.ok(!JSON.stringify(logged).includes(holder.idNumber) && !JSON.stringify(logged).includes('旧证持有人'));

  const again = await clerk.post('/api/old-cards', { certificateNumber: holder.number });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'old_card.already_logged');
  assert.match(again.body.error.zh, /已于\d{4}年\d{1,2}月\d{1,2}日由杭州市西湖区残疾人联合会回收登记，不能重复登记/);
  assert.match(again.body.error.en, /cannot be logged twice/);
  assert.equal((await h.db.query('SELECT count(*)::int AS n FROM old_card WHERE certificate_id = $1', [holder.certificateId]))[0].n, 1);

  const [audit] = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'old_card.log' AND object_id = $1`, [holder.certificateId]);
  assert.equal(audit.detail.county, '330106');
  assert.equal(audit.detail.collectedOn, today);
  assert.ok(ids(await listed(clerk, 'held')).includes(holder.certificateId));
  assert.ok(!ids(await listed(jinshui, 'held')).includes(holder.certificateId), 'another county’s register does not show it');
});

test('CARD-1 a matter logs the card it collects in its own transaction, with its case number; twice is a conflict', async () => {
  const h = await harness();
  const holder = await certifiedHolder(h, '旧证持有人');
  const clerk = await login(h, 'xihu.clerk');
  const me = await ok(clerk.get('/api/auth/me'));
  const input = { certificateId: holder.certificateId, caseId: holder.caseId, countyPath: XIHU, collectedOn: h.clock.today(), actorId: me.id };

  await assert.rejects(h.db.tx((q) => logOldCard(q, h.ctx, { ...input, countyPath: '33.3301.' })), (e: DomainError) => e.code === 'old_card.county');
  await assert.rejects(h.db.tx((q) => logOldCard(q, h.ctx, { ...input, collectedOn: addCalendarDays(h.clock.today(), 1) })), (e: DomainError) => e.code === 'old_card.collected_in_future');
  await h.db.tx((q) => logOldCard(q, h.ctx, { ...input, note: '换领新证时收回' }));
  await assert.rejects(h.db.tx((q) => logOldCard(q, h.ctx, input)), (e: DomainError) => e.kind === 'conflict' && e.code === 'old_card.already_logged');

  const line = (await listed(clerk, 'held')).find((c) => c.certificateId === holder.certificateId);
  assert.deepEqual(line.case, { id: holder.caseId, caseNo: holder.caseNo });
  assert.equal(line.note, '换领新证时收回');
});

test('CARD-1 cards are due only after a full year; a batch with one not due is refused whole; the record lists the cards', async () => {
  const h = await harness();
  const first = await certifiedHolder(h, '先收回');
  const second = await certifiedHolder(h, '后收回');
  const t0 = h.clock.today();
  await ok((await login(h, 'xihu.clerk')).post('/api/old-cards', { certificateNumber: first.number }), 201);
  try {
    h.clock.setToday(addCalendarDays(t0, 180));
    await ok((await login(h, 'xihu.clerk')).post('/api/old-cards', { certificateNumber: second.number }), 201);

    // on the anniversary the first card has been kept exactly a year: not yet due
    h.clock.setToday(addCalendarYears(t0, 1));
    let clerk = await login(h, 'xihu.clerk');
    assert.ok(ids(await listed(clerk, 'held')).includes(first.certificateId));
    assert.ok(!ids(await listed(clerk, 'due')).includes(first.certificateId));
    const early = await clerk.post('/api/card-destructions', { certificateIds: [first.certificateId] });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'card_destruction.not_due');

    h.clock.setToday(addCalendarDays(addCalendarYears(t0, 1), 1));
    clerk = await login(h, 'xihu.clerk');
    const due = await listed(clerk, 'due');
    assert.ok(ids(due).includes(first.certificateId));
    assert.ok(!ids(due).includes(second.certificateId));
    assert.equal(due.find((c) => c.certificateId === first.certificateId).status, 'due');
    assert.ok(ids(await listed(clerk, 'held')).includes(second.certificateId));

    // a batch holding a card not yet due is refused, naming it, and changes nothing
    const mixed = await clerk.post('/api/card-destructions', { certificateIds: [first.certificateId, second.certificateId], note: '年度集中销毁' });
    assert.equal(mixed.status, 422);
    assert.equal(mixed.body.error.field, 'certificateIds');
    const secondMasked = `${second.idNumber.slice(0, 3)}${'*'.repeat(11)}${second.idNumber.slice(14)}42`;
    assert.match(mixed.body.error.zh, new RegExp(`${secondMasked.replaceAll('*', '\\*')}（回收未满一年，\\d{4}年\\d{1,2}月\\d{1,2}日起可销毁）`));
    assert.ok(!mixed.body.error.zh.includes(first.idNumber.slice(0, 3) + '*'.repeat(11) + first.idNumber.slice(14) + '42（'), 'the due card is not named');
    const [{ n: kept }] = await h.db.query('SELECT count(*)::int AS n FROM old_card WHERE certificate_id = ANY($1) AND destruction_id IS NULL', [[first.certificateId, second.certificateId]]);
    assert.equal(kept, 2);

    // another county can neither destroy these cards nor read the record
    const jinshui = await login(h, 'jinshui.clerk');
    assert.equal((await jinshui.post('/api/card-destructions', { certificateIds: [first.certificateId] })).status, 404);

    const record = await ok(clerk.post('/api/card-destructions', { certificateIds: [first.certificateId], note: '年度集中销毁' }), 201);
    assert.match(record.recordNo, new RegExp(`^CD-330106-${h.clock.today().slice(0, 4)}-\\d{4}$`));
    assert.equal(record.county.name, '杭州市西湖区残疾人联合会');
    assert.equal(record.confirmedBy, (await ok(clerk.get('/api/auth/me'))).displayName);
    assert.equal(record.cardCount, 1);
    assert.equal(record.note, '年度集中销毁');
    assert.deepEqual(record.cards.map((c: any) => [c.certificateId, c.holderNameMasked, c.collectedOn, c.status]), [[first.certificateId, '先**', t0, 'destroyed']]);
    assert.deepEqual(await ok(clerk.get(`/api/card-destructions/${record.id}`)), record);
    assert.equal((await jinshui.get(`/api/card-destructions/${record.id}`)).status, 404);
    assert.equal((await clerk.get('/api/card-destructions/not-an-id')).status, 404);

    const destroyed = (await listed(clerk, 'destroyed')).find((c) => c.certificateId === first.certificateId);
    assert.deepEqual(destroyed.destruction, { id: record.id, recordNo: record.recordNo, confirmedAt: record.confirmedAt });
    assert.ok(!ids(await listed(clerk, 'due')).includes(first.certificateId));
    const twice = await clerk.post('/api/card-destructions', { certificateIds: [first.certificateId] });
    assert.equal(twice.status, 422);
    assert.match(twice.body.error.zh, /已于\d{4}年\d{1,2}月\d{1,2}日销毁/);
    const [audit] = await h.db.query(`SELECT detail FROM audit_entry WHERE action = 'card_destruction.confirm' AND object_id = $1`, [record.id]);
    assert.deepEqual(audit.detail.certificateIds, [first.certificateId]);
  } finally {
    h.clock.reset();
  }
});
