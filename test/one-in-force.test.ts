/**
 * CARD-3: one person holds at most one certificate in force nationwide and has at most one open case
 * per matter family — guaranteed by unique indexes, so no interleaving of requests can break it.
 * The races are tried on PostgreSQL (PGlite runs one statement at a time, so a race there proves
 * nothing); the constraints themselves and the approval's re-check are tried on both drivers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { idIndex } from '../src/modules/persons/persons.js';
import { harness, login, makeCitizenId } from './harness.js';
import { ALL_ADULT_MATERIALS, guardian, institutionOf, JINSHUI_VILLAGE, newApplication, ok, recordResult } from './fixtures.js';

const PG_ONLY = process.env.DATABASE_URL ? undefined : 'PostgreSQL only: PGlite runs one statement at a time, so a race there proves nothing';

/** A child registered in 金水区 and living in 西湖区: minors are never publicised (NEW-4), so the case goes straight to the hukou county. */
function childApplication(name: string) {
  const idNumber = makeCitizenId({ division: '410105', birth: '20140615' });
  return newApplication({ idNumber, applicant: { idNumber, name, phone: '13800138000' }, guardian: guardian(), materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'] });
}

const openCases = async (h: Awaited<ReturnType<typeof harness>>, idNumber: string) =>
  (await h.db.query('SELECT id FROM case_file WHERE applicant_bidx = $1', [idIndex(h.ctx.crypto, idNumber)])).map((r) => r.id as string);

test('CARD-3 50 parallel filings for one person, split across two counties, open exactly one case; then 20 parallel approvals issue exactly one certificate', { skip: PG_ONLY }, async () => {
  const h = await harness();
  const [xihu, jinshui] = [await login(h, 'xihu.clerk'), await login(h, 'jinshui.clerk')];
  // living in 西湖区, registered in 金水区: either county may take the application
  const form = childApplication('并发测试');
  const filings = await Promise.all(
    Array.from({ length: 50 }, (_, i) => (i % 2 ? xihu.post('/api/cases', form) : jinshui.post('/api/cases', { ...form, acceptCode: '410105' }))),
  );
  const statuses = filings.map((r) => r.status);
  assert.deepEqual([statuses.filter((s) => s === 201).length, statuses.filter((s) => s === 409).length], [1, 49], JSON.stringify(statuses));
  const winner = filings.find((r) => r.status === 201)!;
  const holder = winner.body.case.acceptingCounty.code === '410105' ? '郑州市金水区残疾人联合会' : '杭州市西湖区残疾人联合会';
  for (const loser of filings.filter((r) => r.status === 409)) {
    assert.equal(loser.body.error.code, 'application.duplicate');
    // which federation holds the open case, and since when — nothing else about it
    assert.ok(loser.body.error.zh.includes(`由${holder}自`), loser.body.error.zh);
    assert.ok(loser.body.error.en.includes(`held by ${holder} since ${h.clock.today()}`), loser.body.error.en);
    assert.ok(!JSON.stringify(loser.body).includes(winner.body.case.caseNo), 'the case number is not told');
  }
  assert.deepEqual(await openCases(h, form.applicant.idNumber), [winner.body.id]);

  // carry the one case to the hukou county's review, then twenty approvals at the same moment
  const desk = winner.body.case.acceptingCounty.code === '410105' ? jinshui : xihu;
  const doctor = await login(h, desk === xihu ? 'xihu.doctor' : 'jinshui.doctor');
  await ok(desk.act(winner.body.id, 'accept', { institutionId: await institutionOf(desk) }));
  await ok(recordResult(doctor, winner.body.id, { qualified: true, disabilities: [{ category: 4, level: 2 }], assessedOn: h.clock.today() }));
  await ok(desk.act(winner.body.id, 'forward_to_hukou'));
  const approvers = await Promise.all(Array.from({ length: 4 }, () => login(h, 'jinshui.approver')));
  const version = (await ok(desk.get(`/api/cases/${winner.body.id}`))).version;
  const approvals = await Promise.all(
    Array.from({ length: 20 }, (_, i) => approvers[i % 4].post(`/api/cases/${winner.body.id}/actions/approve`, { expectedVersion: version, input: { photoOnFile: true } })),
  );
  assert.deepEqual(approvals.map((r) => r.status).sort(), [200, ...Array(19).fill(409)]);
  const certs = await h.db.query(
    `SELECT c.state FROM certificate c JOIN person p ON p.id = c.person_id WHERE p.id_bidx = $1`,
    [idIndex(h.ctx.crypto, form.applicant.idNumber)],
  );
  assert.deepEqual(certs.map((c) => c.state), ['active']);
});

test('CARD-3 the database itself refuses a second certificate in force and a second open case of the same family', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '410105' });
  const filed = await ok(clerk.post('/api/cases', newApplication({ idNumber, applicant: { idNumber, name: '约束测试', phone: '13800138000' } })), 201);
  const imported = await importLegacyCertificates(h.ctx, {
    fileName: 'legacy.csv',
    bytes: Buffer.from(`身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码\n${idNumber},约束测试,4-2,2020-05-01,2030-05-01,否,${JINSHUI_VILLAGE}\n`),
    countyCode: '410105',
    operator: 'test',
  });
  assert.ok(imported.ok, JSON.stringify(imported));
  const [cert] = await h.db.query(`SELECT c.* FROM certificate c JOIN person p ON p.id = c.person_id WHERE p.id_bidx = $1`, [idIndex(h.ctx.crypto, idNumber)]);

  // a second active certificate written around the service: the unique index refuses it
  await assert.rejects(
    h.db.query(
      `INSERT INTO certificate (id, number_bidx, number_masked, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, card_no)
       VALUES ($1, $2, $3, $4, 4, 2, '[]', 'frozen', '2021-01-01', '2031-01-01', $5, 9)`,
      [randomUUID(), cert.number_bidx, cert.number_masked, cert.person_id, cert.issuer_org_id],
    ),
    (e: any) => e.code === '23505' && /certificate_one_in_force/.test(e.message + (e.constraint ?? '')),
  );
  // a second open case of the NEW family, copied from the first: refused likewise
  await assert.rejects(
    h.db.query(
      `INSERT INTO case_file SELECT (jsonb_populate_record(c, jsonb_build_object('id', $2::text, 'case_no', $3::text))).* FROM case_file c WHERE c.id = $1`,
      [filed.id, randomUUID(), `DUP-${randomUUID()}`],
    ),
    (e: any) => e.code === '23505' && /case_one_open_per_family/.test(e.message + (e.constraint ?? '')),
  );
  assert.equal((await openCases(h, idNumber)).length, 1);
});

test('CARD-3 approval re-checks inside its transaction: a person certified since filing is refused a second certificate, and nothing is written', async () => {
  const h = await harness();
  const [clerk, doctor] = [await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor')];
  const form = childApplication('复核测试');
  const idNumber = form.applicant.idNumber;
  const filed = await ok(clerk.post('/api/cases', form), 201);
  await ok(clerk.act(filed.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(recordResult(doctor, filed.id, { qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn: h.clock.today() }));
  await ok(clerk.act(filed.id, 'forward_to_hukou'));
  // meanwhile the hukou county loads its old register, which holds this person
  const imported = await importLegacyCertificates(h.ctx, {
    fileName: 'legacy.csv',
    bytes: Buffer.from(`身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码\n${idNumber},复核测试,4-3,2019-05-01,2029-05-01,否,${JINSHUI_VILLAGE}\n`),
    countyCode: '410105',
    operator: 'test',
  });
  assert.ok(imported.ok, JSON.stringify(imported));
  const before = await ok(clerk.get(`/api/cases/${filed.id}`));
  const approve = await (await login(h, 'jinshui.approver')).act(filed.id, 'approve', { photoOnFile: true });
  assert.equal(approve.status, 409);
  assert.equal(approve.body.error.code, 'certificate.in_force');
  assert.match(approve.body.error.zh, /郑州市金水区残疾人联合会发放的有效残疾人证/);
  assert.match(approve.body.error.en, /already holds a certificate in force/);
  assert.deepEqual(await ok(clerk.get(`/api/cases/${filed.id}`)), before, 'the case is unchanged');
  const certs = await h.db.query(`SELECT c.source FROM certificate c JOIN person p ON p.id = c.person_id WHERE p.id_bidx = $1`, [idIndex(h.ctx.crypto, idNumber)]);
  assert.deepEqual(certs.map((c) => c.source), ['legacy']);
});
