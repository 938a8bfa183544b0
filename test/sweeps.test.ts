/**
 * The daily sweep: CARD-2 expiry by date, and TRF-4's candidates on the old county's list, decided
 * only by a person. Certificates come from the NEW flow (or, for the command line, the legacy import);
 * hukou moves through the admin API or the CLI; the days pass on the harness clock.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkDigit } from '../src/domain/citizen-id.js';
import { addCalendarMonths } from '../src/domain/dates.js';
import { runDailySweep } from '../src/modules/sweeps/sweep.js';
import { appOn, cli, cliDatabase } from './cli.js';
import { addDays, JINSHUI_VILLAGE, ok, toResultReview, uploadScan, XIHU_VILLAGE } from './fixtures.js';
import { Client, harness, login, makeCitizenId, type Harness } from './harness.js';

/**
 * Logged-in clients, kept while the clock stays on one day: a session lasts 12 hours, so a moved
 * clock (setDay) or its reset (resetClock) ends them and the next call logs in again.
 */
let sessions = new Map<string, Promise<Client>>();
const as = (h: Harness, user: string) => sessions.get(user) ?? sessions.set(user, login(h, user)).get(user)!;
const setDay = (h: Harness, day: string) => {
  h.clock.setToday(day);
  sessions = new Map();
};
const resetClock = (h: Harness) => {
  h.clock.reset();
  sessions = new Map();
};

const HEADER = '身份证号码,迁出地区划代码,迁入地区划代码,迁移日期';
const csv = (lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';
const postMoves = async (h: Harness, body: string | Buffer) => (await as(h, 'admin')).call('POST', '/api/admin/hukou-moves', body, { 'content-type': 'text/csv', 'x-file-name': 'police-share.csv' });

/** A person registered (hukou) in 西湖区 with a certificate issued there through the NEW flow. */
async function xihuHolder(h: Harness) {
  const clerk = await as(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await toResultReview(h, clerk, await as(h, 'xihu.doctor'), { idNumber, hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const approved = await ok((await as(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  return { idNumber, caseId: c.id, personId: approved.case.personId as string, certificateId: approved.case.data.certificate.id as string };
}

const reviewsOf = async (h: Harness, user: string) => (await ok((await as(h, user)).get('/api/certificate-reviews?pageSize=100'))).items as any[];
const reviewFor = async (h: Harness, user: string, certificateId: string, kind: string) =>
  (await reviewsOf(h, user)).find((r) => r.certificate.id === certificateId && r.kind === kind);
const certificateOf = async (h: Harness, personId: string, certificateId: string) =>
  (await ok((await as(h, 'xihu.clerk')).get(`/api/persons/${personId}`))).certificates.find((c: any) => c.id === certificateId);

test('TRF-4 a move over 6 months ago puts a freeze candidate on the OLD county’s list (not the new one’s), over a year a cancel candidate; nothing changes until a person confirms with a reason', async () => {
  const h = await harness();
  const moved = h.clock.today();
  const a = await xihuHolder(h);
  const b = await xihuHolder(h);
  const file = csv([`${a.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${moved}`, `${b.idNumber},330106,410105001003,${moved}`, `${makeCitizenId({ division: '330106' })},330106,410105,${moved}`]);
  assert.deepEqual(await ok(postMoves(h, file)), { ok: true, rows: 3, imported: 2, skipped: 0, notOnFile: 1, freezeCandidates: 0, cancelCandidates: 0 });
  assert.deepEqual(await ok(postMoves(h, file)), { ok: true, rows: 3, imported: 0, skipped: 2, notOnFile: 1, freezeCandidates: 0, cancelCandidates: 0 }, 'a file loads again without doubling');
  assert.equal((await (await as(h, 'xihu.clerk')).call('POST', '/api/admin/hukou-moves', file, { 'content-type': 'text/csv' })).status, 403);

  try {
    // exactly six months: not yet "more than six months"
    setDay(h, addCalendarMonths(moved, 6));
    await runDailySweep(h.ctx, h.clock.today());
    assert.equal(await reviewFor(h, 'xihu.clerk', a.certificateId, 'freeze'), undefined);

    setDay(h, addDays(addCalendarMonths(moved, 6), 1));
    const first = await runDailySweep(h.ctx, h.clock.today());
    assert.ok(first.freezeCandidates >= 2, JSON.stringify(first));
    const freezeA = await reviewFor(h, 'xihu.clerk', a.certificateId, 'freeze');
    assert.deepEqual(
      { ...freezeA, id: undefined, certificate: { ...freezeA.certificate, id: undefined }, holder: { ...freezeA.holder, personId: undefined } },
      {
        id: undefined, kind: 'freeze', version: 1, foundOn: h.clock.today(), movedOn: moved, movedTo: '河南省 郑州市 金水区', county: '浙江省 杭州市 西湖区',
        certificate: { id: undefined, numberMasked: `330***********${a.idNumber.slice(14)}42`, state: 'active', validUntil: freezeA.certificate.validUntil },
        holder: { personId: undefined, nameMasked: '测****', idNumberMasked: `330***********${a.idNumber.slice(14)}` }, canDecide: true,
      },
    );
    assert.equal(await reviewFor(h, 'xihu.clerk', a.certificateId, 'cancel'), undefined, 'not yet a year');
    // the new hukou county and other places cannot tell; the city supervisor reads, cannot decide
    assert.equal(await reviewFor(h, 'jinshui.clerk', a.certificateId, 'freeze'), undefined);
    assert.equal(await reviewFor(h, 'zhengzhou.supervisor', a.certificateId, 'freeze'), undefined);
    assert.equal((await reviewFor(h, 'hangzhou.supervisor', a.certificateId, 'freeze')).canDecide, false);
    const decide = async (user: string, id: string, body: Record<string, unknown>) => (await as(h, user)).post(`/api/certificate-reviews/${id}/decision`, body);
    const sound = { decision: 'confirmed', reason: '已电话核实，户口已迁往郑州', expectedVersion: 1 };
    assert.equal((await decide('jinshui.clerk', freezeA.id, sound)).status, 404);
    assert.equal((await decide('zhengzhou.supervisor', freezeA.id, sound)).status, 404);
    assert.equal((await decide('hangzhou.supervisor', freezeA.id, sound)).status, 403);

    // listed, not frozen; a second run the same day changes nothing
    assert.equal((await certificateOf(h, a.personId, a.certificateId)).state, 'active');
    const again = await runDailySweep(h.ctx, h.clock.today());
    assert.deepEqual([again.expired, again.freezeCandidates, again.cancelCandidates, again.withdrawn, again.failed], [0, 0, 0, 0, 0]);
    assert.deepEqual(await reviewFor(h, 'xihu.clerk', a.certificateId, 'freeze'), freezeA);

    // a person confirms: a reason is required, a stale version is refused
    const noReason = await decide('xihu.clerk', freezeA.id, { ...sound, reason: ' ' });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.body.error.field, 'body.reason');
    const stale = await decide('xihu.clerk', freezeA.id, { ...sound, expectedVersion: 2 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'review.stale');
    assert.equal((await certificateOf(h, a.personId, a.certificateId)).state, 'active', 'nothing changed');
    assert.deepEqual(await ok(decide('xihu.clerk', freezeA.id, sound)), { id: freezeA.id, kind: 'freeze', decision: 'confirmed', version: 2 });
    const frozen = await certificateOf(h, a.personId, a.certificateId);
    assert.equal(frozen.state, 'frozen');
    assert.deepEqual(frozen.history.map((e: any) => [e.from, e.to, e.reason]).at(-1), ['active', 'frozen', 'hukou_moved_6m: 已电话核实，户口已迁往郑州']);
    assert.equal((await decide('xihu.clerk', freezeA.id, { ...sound, expectedVersion: 2 })).body.error.code, 'review.decided');
    assert.equal(await reviewFor(h, 'xihu.clerk', a.certificateId, 'freeze'), undefined, 'decided: off the list');

    // dismissed: the certificate stays active, and the sweep does not raise the same move again
    const freezeB = await reviewFor(h, 'xihu.clerk', b.certificateId, 'freeze');
    await ok(decide('xihu.reviewer', freezeB.id, { decision: 'dismissed', reason: '本人仍在本区居住，户口迁移系误登', expectedVersion: freezeB.version }));
    assert.equal((await certificateOf(h, b.personId, b.certificateId)).state, 'active');
    await runDailySweep(h.ctx, h.clock.today());
    assert.equal(await reviewFor(h, 'xihu.clerk', b.certificateId, 'freeze'), undefined);

    const audit = await h.db.query(`SELECT action, actor, detail FROM audit_entry WHERE object_type = 'certificate_review' AND object_id = ANY($1) ORDER BY at`, [[freezeA.id, freezeB.id]]);
    assert.deepEqual(audit.map((e) => [e.action, e.detail.decision, e.detail.reason]), [
      ['certificate_review.confirm', 'confirmed', '已电话核实，户口已迁往郑州'],
      ['certificate_review.dismiss', 'dismissed', '本人仍在本区居住，户口迁移系误登'],
    ]);

    // over a year: cancel candidates, for the frozen certificate and for the active one
    setDay(h, addDays(addCalendarMonths(moved, 12), 1));
    const year = await runDailySweep(h.ctx, h.clock.today());
    assert.ok(year.cancelCandidates >= 2, JSON.stringify(year));
    const cancelA = await reviewFor(h, 'xihu.clerk', a.certificateId, 'cancel');
    assert.equal(cancelA.certificate.state, 'frozen');
    const cancelB = await reviewFor(h, 'xihu.clerk', b.certificateId, 'cancel');
    assert.equal((await certificateOf(h, b.personId, b.certificateId)).state, 'active', 'still nothing without a person');
    await ok(decide('xihu.approver', cancelB.id, { decision: 'confirmed', reason: '户口迁出逾一年，经核实未办理迁移', expectedVersion: cancelB.version }));
    const cancelled = await certificateOf(h, b.personId, b.certificateId);
    assert.equal(cancelled.state, 'cancelled');
    assert.deepEqual(cancelled.history.map((e: any) => [e.from, e.to, e.reason]).at(-1), ['active', 'cancelled', 'hukou_moved: 户口迁出逾一年，经核实未办理迁移']);
  } finally {
    resetClock(h);
  }
  // sessions made on the moved clock have ended: a fresh login works on today's clock
  assert.equal((await (await as(h, 'xihu.clerk')).get('/api/certificate-reviews')).status, 200);
});

test('TRF-4 an imported move already over 6 months (or a year) ago puts its candidates on the old county’s list at once, without waiting for the 02:00 sweep', async () => {
  const h = await harness();
  const today = h.clock.today();
  const halfYear = await xihuHolder(h);
  const overYear = await xihuHolder(h);
  const recent = await xihuHolder(h);
  const file = csv([
    `${halfYear.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${addDays(addCalendarMonths(today, -6), -1)}`,
    `${overYear.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${addDays(addCalendarMonths(today, -12), -1)}`,
    `${recent.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${addCalendarMonths(today, -6)}`, // exactly six months: not yet
  ]);
  // no sweep runs in this test: the import alone puts them on the list
  assert.deepEqual(await ok(postMoves(h, file)), { ok: true, rows: 3, imported: 3, skipped: 0, notOnFile: 0, freezeCandidates: 2, cancelCandidates: 1 });
  const listed = async (c: { certificateId: string }) =>
    (await reviewsOf(h, 'xihu.clerk')).filter((r) => r.certificate.id === c.certificateId).map((r) => [r.kind, r.foundOn, r.county]).sort();
  assert.deepEqual(await listed(halfYear), [['freeze', today, '浙江省 杭州市 西湖区']]);
  assert.deepEqual(await listed(overYear), [['cancel', today, '浙江省 杭州市 西湖区'], ['freeze', today, '浙江省 杭州市 西湖区']]);
  assert.deepEqual(await listed(recent), []);
  assert.equal(await reviewFor(h, 'jinshui.clerk', halfYear.certificateId, 'freeze'), undefined, 'the new county is not told');
  assert.equal((await certificateOf(h, halfYear.personId, halfYear.certificateId)).state, 'active', 'listed, not frozen: a person decides');
  // loading the file again adds nothing, and the next sweep finds them already listed
  assert.deepEqual(await ok(postMoves(h, file)), { ok: true, rows: 3, imported: 0, skipped: 3, notOnFile: 0, freezeCandidates: 0, cancelCandidates: 0 });
  await runDailySweep(h.ctx, today);
  assert.deepEqual(await listed(overYear), [['cancel', today, '浙江省 杭州市 西湖区'], ['freeze', today, '浙江省 杭州市 西湖区']]);
});

test('TRF-4 a transfer completed after the move settles it: the candidate cannot be confirmed and leaves the list', async () => {
  const h = await harness();
  const moved = h.clock.today();
  const c = await xihuHolder(h);
  await ok(postMoves(h, csv([`${c.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${moved}`])));
  try {
    setDay(h, addDays(addCalendarMonths(moved, 6), 1));
    await runDailySweep(h.ctx, h.clock.today());
    const review = await reviewFor(h, 'xihu.clerk', c.certificateId, 'freeze');
    assert.ok(review);
    // TRF-1…3 as they happen: the holder applies at the new hukou county (金水区), which approves; the
    // old county (西湖区) hands over the archive files; 金水区 prints and delivers the card
    const jinshui = await as(h, 'jinshui.clerk');
    const transfer = await ok(jinshui.post('/api/cases', {
      matter: 'transfer', idNumber: c.idNumber, residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE,
      materialsProvided: ['photos', 'id_and_hukou', 'hukou_transfer_proof', 'old_card'],
    }), 201);
    await ok((await as(h, 'jinshui.approver')).act(transfer.id, 'approve_transfer', { note: '户口已迁入金水区' }));
    const xihu = await as(h, 'xihu.clerk');
    await ok(uploadScan(xihu, transfer.id, 'archive_file', '档案电子材料.png'), 201);
    await ok(xihu.act(transfer.id, 'send_archive', { paperKeptAt: '西湖区残联档案室' }));
    await ok(jinshui.act(transfer.id, 'print'));
    await ok(jinshui.act(transfer.id, 'ship', { method: 'courier', courier: 'EMS', trackingNo: 'EMS2026112701' }));
    assert.equal((await ok(jinshui.act(transfer.id, 'mark_delivered', {}))).case.state.code, 'delivered');

    const refused = await xihu.post(`/api/certificate-reviews/${review.id}/decision`, { decision: 'confirmed', reason: '核实后冻结', expectedVersion: review.version });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'review.no_longer_applies');
    assert.ok(refused.body.error.zh && refused.body.error.en);
    // the old card was closed by the transfer itself (replaced, not frozen); the card that followed the person is active
    const person = await ok(jinshui.get(`/api/persons/${c.personId}`));
    const old = person.certificates.find((x: any) => x.id === c.certificateId);
    assert.deepEqual(old.history.map((e: any) => [e.to, e.reason]).at(-1), ['cancelled', 'replaced']);
    const followed = person.certificates.find((x: any) => x.id === old.replacedBy);
    assert.equal(followed.state, 'active');
    assert.match(person.hukouName, /^河南省 郑州市 金水区 /, 'the hukou moved with the certificate');
    const swept = await runDailySweep(h.ctx, h.clock.today());
    assert.ok(swept.withdrawn >= 1);
    assert.equal(await reviewFor(h, 'xihu.clerk', c.certificateId, 'freeze'), undefined);
    setDay(h, addDays(addCalendarMonths(moved, 12), 1));
    await runDailySweep(h.ctx, h.clock.today());
    assert.equal(await reviewFor(h, 'xihu.clerk', c.certificateId, 'cancel'), undefined, 'no cancel candidate either');
    assert.equal(await reviewFor(h, 'jinshui.clerk', followed.id, 'cancel'), undefined, 'nor for the card that followed the person');
  } finally {
    resetClock(h);
  }
  assert.equal((await (await as(h, 'xihu.clerk')).get('/api/certificate-reviews')).status, 200);
});

test('TRF-4 bad hukou-move rows through the API: every bad line reported in both languages, nothing loaded; a GB18030 file reads right', async () => {
  const h = await harness();
  const c = await xihuHolder(h);
  const today = h.clock.today();
  const good = `${c.idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${addCalendarMonths(today, -2)}`;
  const bad = await postMoves(h, csv([
    good, // line 2: fine on its own
    `${c.idNumber.slice(0, 17)}${c.idNumber[17] === '1' ? '2' : '1'},330106,410105,2026-01-01`, // 3: check digit
    `${c.idNumber},330106999999,410105,2025-01-01`, // 4: no such village
    `${c.idNumber},330106,410105,${addDays(today, 1)}`, // 5: in the future
    `${c.idNumber},330106,410105`, // 6: a column missing
  ]));
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.equal(bad.body.error.code, 'hukou_move.rows');
  assert.match(bad.body.error.zh, /^4行有问题（共5行），未导入任何数据/);
  assert.match(bad.body.error.en, /^4 of 5 rows have problems; nothing was imported/);
  assert.deepEqual(bad.body.problems.map((p: any) => [p.line, p.column]), [[3, 'idNumber'], [4, 'fromCode'], [5, 'movedOn'], [6, null]]);
  for (const p of bad.body.problems) assert.ok(p.zh && p.en, 'both languages');
  // nothing of the file was kept: its good row loads now as new
  assert.deepEqual(await ok(postMoves(h, csv([good]))), { ok: true, rows: 1, imported: 1, skipped: 0, notOnFile: 0, freezeCandidates: 0, cancelCandidates: 0 });

  // a spreadsheet on Chinese Windows saves CSV in GB18030: 2026年3月2日
  const gbk = Buffer.concat([Buffer.from(`${c.idNumber},330106,410105,2026`), Buffer.from('c4ea', 'hex'), Buffer.from('3'), Buffer.from('d4c2', 'hex'), Buffer.from('2'), Buffer.from('c8d5', 'hex'), Buffer.from('\n')]);
  // the earlier of the two moves is the one that took the hukou away, so its age decides the candidates
  const away = '2026-03-02';
  assert.deepEqual(await ok(postMoves(h, gbk)), {
    ok: true, rows: 1, imported: 1, skipped: 0, notOnFile: 0,
    freezeCandidates: today > addCalendarMonths(away, 6) ? 1 : 0,
    cancelCandidates: today > addCalendarMonths(away, 12) ? 1 : 0,
  });
});

// ---------------------------------------------------------------------------------------------
// The command line, as an operator runs it, on a database of its own

const id = (first17: string) => first17 + checkDigit(first17);
const { dir, env } = cliDatabase(after);

test('CARD-2 TRF-4 the CLI: a certificate past its validity expires once with a history event (the sweep is idempotent); bad move rows load nothing', async () => {
  const seeded = await cli(['seed-demo'], env);
  assert.equal(seeded.code, 0, seeded.out);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const tomorrow = addDays(today, 1);
  const expiring = id('33010619620704003');
  const mover = id('33010619700215002');
  const holders = join(dir, 'holders.csv');
  writeFileSync(holders, [
    '身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码',
    `${expiring},王建华,4-2,${addCalendarMonths(tomorrow, -120)},${tomorrow},否,${XIHU_VILLAGE}`,
    `${mover},李秀梅,2-3,2020-05-06,2030-05-06,否,${XIHU_VILLAGE}`,
  ].join('\n'));
  const loaded = await cli(['import-certificates', holders, '--county', '330106'], env);
  assert.equal(loaded.code, 0, loaded.out);

  const movedOn = addCalendarMonths(today, -7);
  const moves = join(dir, 'moves.csv');
  writeFileSync(moves, csv([
    `${mover},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${movedOn}`, // line 2: fine
    `${mover},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${movedOn}`, // 3: the same move again
    `${mover},330106,330106,${movedOn}`, // 4: not a move
    `${mover},330106,410105,31/12/2025`, // 5: not a date
  ]));
  const bad = await cli(['import-hukou-moves', moves], env);
  assert.equal(bad.code, 1, bad.out);
  for (const line of [3, 4, 5]) {
    assert.match(bad.out, new RegExp(`^第${line}行【`, 'm'), `line ${line} in Chinese`);
    assert.match(bad.out, new RegExp(`^ {2}line ${line} \\[`, 'm'), `line ${line} in English`);
  }
  assert.doesNotMatch(bad.out, /^第2行/m);
  assert.match(bad.out, /3 of 4 rows have problems; nothing was imported/);
  writeFileSync(moves, csv([`${mover},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${movedOn}`, `${id('41010519800101001')},410105,330106,${movedOn}`]));
  const good = await cli(['import-hukou-moves', moves], env);
  assert.equal(good.code, 0, good.out);
  assert.match(good.out, /imported 1 hukou moves, skipped 0 already on file, 1 of persons not on file/);
  // moved 7 months ago: on Xihu's list at once, so the sweep finds it already there
  assert.match(good.out, /on the old counties' review lists now: 1 to freeze, 0 to cancel/);

  const day = addDays(tomorrow, 1);
  const first = await cli(['sweep', '--date', day], env);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, new RegExp(`${day} daily sweep: 2 certificates examined, 1 expired, 0 new freeze and 0 new cancel candidates`));
  const second = await cli(['sweep', '--date', day], env);
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /1 certificates examined, 0 expired, 0 new freeze and 0 new cancel candidates, 0 no longer applying withdrawn, 0 failed/);
  const wrong = await cli(['sweep', '--date', '2026-02-30'], env);
  assert.equal(wrong.code, 1);
  assert.match(wrong.out, /日期“2026-02-30”无效[\s\S]*The date "2026-02-30" is not valid/);

  const service = await appOn(env);
  try {
    const clerk = await login(service, 'xihu.clerk');
    const [person] = (await ok(clerk.get(`/api/persons?idNumber=${expiring}`))).items;
    const [cert] = (await ok(clerk.get(`/api/persons/${person.id}`))).certificates;
    assert.equal(cert.state, 'expired');
    assert.deepEqual(cert.history.map((e: any) => [e.from, e.to, e.reason]), [[null, 'active', 'legacy_import'], ['active', 'expired', 'validity_ended']], 'expired once');
    const [review] = (await ok(clerk.get('/api/certificate-reviews'))).items;
    assert.deepEqual([review.kind, review.movedOn, review.holder.nameMasked, review.foundOn], ['freeze', movedOn, '李**', today], 'found on the import day');
    const runs = await service.db.query(`SELECT actor, object_id, detail FROM audit_entry WHERE action = 'sweep.daily' ORDER BY seq`);
    assert.deepEqual(runs.map((r) => [r.actor, r.object_id, r.detail.expired]), [['system', day, 1], ['system', day, 0]], 'each run summarised in the audit trail');
  } finally {
    await service.close();
  }
  const verified = await cli(['audit-verify'], env);
  assert.equal(verified.code, 0, verified.out);
});
