/**
 * ID-3: the same person is never registered twice. The 15- and 18-digit forms of an ID number meet
 * the same person (applications and the legacy import); a legacy row for a person already on file
 * waits on the duplicate-candidates list, and a supervisor's decision on it is kept and audited.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { maskCitizenId } from '../src/domain/citizen-id.js';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { idIndex, maskName } from '../src/modules/persons/persons.js';
import { apply, certificateRow, JINSHUI_VILLAGE, legacyHolder, legacyName, newApplication, ok, XIHU_VILLAGE } from './fixtures.js';
import { harness, login, makeCitizenId, type Harness } from './harness.js';

const HEADER = '身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码';
/** The legacy 15-digit form of an 18-digit ID of someone born in the 1900s: no century, no check digit. */
const fifteen = (id18: string) => id18.slice(0, 6) + id18.slice(8, 17);

const importRows = (h: Harness, county: string, rows: string[], fileName = 'dup.csv') =>
  importLegacyCertificates(h.ctx, { fileName, bytes: Buffer.from([HEADER, ...rows].join('\n')), countyCode: county, operator: 'test' });

/** The candidates a supervisor sees for one person, in the given status. */
async function candidatesOf(h: Harness, supervisor: string, personId: string, status = 'open') {
  const list = await ok((await login(h, supervisor)).get(`/api/duplicate-candidates?status=${status}&pageSize=100`));
  return list.items.filter((c: any) => c.onFile.personId === personId);
}

const certificatesOf = async (h: Harness, personId: string) =>
  Promise.all((await h.db.query('SELECT id FROM certificate WHERE person_id = $1 ORDER BY valid_from', [personId])).map(async ({ id }) => {
    const c = await certificateRow(h, id);
    return { number: c.number, state: c.state, source: c.source };
  }));

test('ID-1 ID-3 an application under the 15-digit form of an ID meets the person and the case filed under the 18-digit form', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const holder = await legacyHolder(h, '2020-05-01', false);
  const [found] = (await ok(clerk.get(`/api/persons?idNumber=${fifteen(holder.idNumber)}`))).items;
  assert.equal(found.id, holder.personId);
  const refused = await clerk.post('/api/cases', newApplication({ idNumber: fifteen(holder.idNumber) }));
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'application.has_certificate');

  const applicant = makeCitizenId({ division: '410105' });
  await apply(clerk, { idNumber: applicant });
  const again = await clerk.post('/api/cases', newApplication({ idNumber: fifteen(applicant) }));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'application.duplicate');
});

test('ID-3 a legacy row for a person already certified in another county goes to the duplicate list, not a second person', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-05-01', false);
  // 金水区's old system knows the same holder under the old 15-digit number
  const row = `${fifteen(holder.idNumber)},${legacyName(holder.idNumber)},2-3,2021-06-01,2031-06-01,否,${JINSHUI_VILLAGE}`;
  const result = await importRows(h, '410105', [row]);
  assert.deepEqual(result, { ok: true, rows: 1, imported: 0, skipped: 0, active: 0, expired: 0, visualAssessment: 0, newPersons: 0, duplicates: 1 });
  assert.deepEqual((await h.db.query('SELECT id FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, holder.idNumber)])).map((p) => p.id), [holder.personId]);
  assert.deepEqual(await certificatesOf(h, holder.personId), [{ number: holder.number, state: 'active', source: 'legacy' }]);

  // loading the file again lists the row once
  const again = await importRows(h, '410105', [row]);
  assert.ok(again.ok);
  assert.equal(again.duplicates, 1);
  const stored = await h.db.query('SELECT row_to_json(d)::text AS j FROM duplicate_candidate d WHERE person_id = $1', [holder.personId]);
  assert.equal(stored.length, 1);
  for (const secret of [holder.idNumber, fifteen(holder.idNumber), legacyName(holder.idNumber)]) assert.ok(!stored[0].j.includes(secret), `the candidate holds "${secret}" in clear`);

  // both sides' supervisors see it: the importing county's (郑州) and the person's (杭州)
  const [seen] = await candidatesOf(h, 'zhengzhou.supervisor', holder.personId);
  assert.deepEqual((await candidatesOf(h, 'hangzhou.supervisor', holder.personId)).map((c: any) => c.id), [seen.id]);
  assert.deepEqual(
    { ...seen, id: undefined, foundAt: undefined },
    {
      id: undefined, foundAt: undefined, kind: 'legacy_import', status: 'open', version: 1, source: 'dup.csv:2', county: '河南省 郑州市 金水区',
      incoming: {
        idNumberMasked: maskCitizenId(holder.idNumber), nameMasked: maskName(legacyName(holder.idNumber)), sameNameAsOnFile: true, hukou: '河南省 郑州市 金水区 经八路街道 体育社区居民居委会',
        certificate: { numberMasked: `330***********${holder.idNumber.slice(14)}23`, disabilities: [{ category: 2, level: 3 }], issuedOn: '2021-06-01', validUntil: '2031-06-01', visualAssessment: false },
      },
      onFile: {
        personId: holder.personId, idNumberMasked: maskCitizenId(holder.idNumber), nameMasked: maskName(legacyName(holder.idNumber)), hukou: '浙江省 杭州市 西湖区 北山街道 宝石社区', residence: '浙江省 杭州市 西湖区 北山街道 宝石社区',
        certificates: [{ numberMasked: `330***********${holder.idNumber.slice(14)}42`, state: 'active', validFrom: '2020-05-01', validUntil: '2030-05-01', issuer: '浙江省 杭州市 西湖区' }],
      },
      resolution: null,
    },
  );
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.get('/api/duplicate-candidates')).status, 403);
});

test('ID-3 in its own county a row for a person on file is held too, while truly new rows of the same file load', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-05-01', false);
  const fresh = makeCitizenId({ division: '330106' });
  const result = await importRows(h, '330106', [
    `${fresh},新持证人,4-3,2019-01-01,2029-01-01,否,${XIHU_VILLAGE}`,
    // an older certificate of the holder's: it would have been attached to their file without anyone looking
    `${holder.idNumber},${legacyName(holder.idNumber)},1-3,2008-03-01,2018-03-01,是,${XIHU_VILLAGE}`,
  ]);
  assert.deepEqual(result, { ok: true, rows: 2, imported: 1, skipped: 0, active: 1, expired: 0, visualAssessment: 0, newPersons: 1, duplicates: 1 });
  assert.equal((await certificatesOf(h, holder.personId)).length, 1);
  assert.equal((await h.db.query('SELECT 1 FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, fresh)])).length, 1);
  assert.equal((await candidatesOf(h, 'hangzhou.supervisor', holder.personId)).length, 1);
});

test('ID-3 ORG-3 SEC-2 a supervisor resolves a duplicate candidate; the resolution is kept and audited; outside the subtree it does not exist', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-05-01', false);
  const file = [`${holder.idNumber},${legacyName(holder.idNumber)},1-3,2008-03-01,2018-03-01,是,${XIHU_VILLAGE}`];
  await importRows(h, '330106', file, 'old.csv');
  const [candidate] = await candidatesOf(h, 'hangzhou.supervisor', holder.personId);
  const hangzhou = await login(h, 'hangzhou.supervisor');
  const resolve = (who = hangzhou, body: Record<string, unknown> = {}, id = candidate.id) =>
    who.post(`/api/duplicate-candidates/${id}/resolve`, { decision: 'same_person_merged', note: '核对户口簿，系同一人', expectedVersion: 1, ...body });

  // 郑州's supervisor cannot tell it exists: not listed, and answered as a random id is
  const zhengzhou = await login(h, 'zhengzhou.supervisor');
  assert.deepEqual(await candidatesOf(h, 'zhengzhou.supervisor', holder.personId), []);
  const outside = await resolve(zhengzhou);
  const random = await resolve(zhengzhou, {}, randomUUID());
  assert.equal(outside.status, 404);
  assert.deepEqual(outside.body, random.body);
  assert.equal((await resolve(await login(h, 'xihu.clerk'))).status, 403);

  const stale = await resolve(hangzhou, { expectedVersion: 2 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'duplicate.stale');
  const merged = await ok(resolve());
  assert.deepEqual({ ...merged, certificateId: typeof merged.certificateId }, { id: candidate.id, status: 'same_person_merged', version: 2, certificateId: 'string' });
  assert.equal((await resolve(hangzhou, { expectedVersion: 2 })).body.error.code, 'duplicate.resolved');

  // the old certificate joined the one file; one certificate is in force
  const file1 = await ok((await login(h, 'xihu.clerk')).get(`/api/persons/${holder.personId}`));
  assert.deepEqual(file1.certificates.map((c: any) => [c.category, c.state, c.validFrom, c.visualAssessment, c.source]), [[4, 'active', '2020-05-01', false, 'legacy'], [1, 'expired', '2008-03-01', true, 'legacy']]);
  const [kept] = await candidatesOf(h, 'hangzhou.supervisor', holder.personId, 'all');
  assert.deepEqual([kept.status, kept.version, kept.resolution.note, kept.resolution.resolvedBy], ['same_person_merged', 2, '核对户口簿，系同一人', '杭州市残联督导 孙涛']);
  assert.deepEqual(await candidatesOf(h, 'hangzhou.supervisor', holder.personId), []);
  const audit = await h.db.query(
    `SELECT a.actor, a.action, a.detail, o.division_code FROM audit_entry a JOIN org_unit o ON o.id::text = a.chain WHERE a.object_id = $1`,
    [candidate.id],
  );
  const [supervisor] = await h.db.query(`SELECT id FROM staff_user WHERE username = 'hangzhou.supervisor'`);
  assert.deepEqual(audit.map((a) => [a.actor, a.action, a.division_code, a.detail.decision, a.detail.note, a.detail.certificateId]), [
    [`staff:${supervisor.id}`, 'duplicate.same_person_merged', '3301', 'same_person_merged', '核对户口簿，系同一人', merged.certificateId],
  ]);
  // a re-run of the file finds the certificate loaded and raises nothing
  assert.deepEqual(await importRows(h, '330106', file, 'old.csv'), { ok: true, rows: 1, imported: 0, skipped: 1, active: 0, expired: 0, visualAssessment: 0, newPersons: 0, duplicates: 0 });
});

test('ID-3 CARD-3 merging never gives a person a second certificate in force; of two decisions at once one is kept; nothing loads for the same number', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-05-01', false);
  // 金水区's records give another name under the same number
  await importRows(h, '410105', [`${holder.idNumber},林桂兰,2-3,2021-06-01,2031-06-01,否,${JINSHUI_VILLAGE}`]);
  const [candidate] = await candidatesOf(h, 'zhengzhou.supervisor', holder.personId);
  assert.deepEqual([candidate.incoming.nameMasked, candidate.incoming.sameNameAsOnFile], ['林**', false]);
  const zhengzhou = await login(h, 'zhengzhou.supervisor');
  const url = `/api/duplicate-candidates/${candidate.id}/resolve`;
  const refused = await zhengzhou.post(url, { decision: 'same_person_merged', note: '同一人', expectedVersion: 1 });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'duplicate.second_in_force');
  assert.match(refused.body.error.zh, /此人已持有状态为“有效”的残疾人证（330\*{11}\d{3}[\dX]42），合并后将同时持有两张有效证/);
  assert.deepEqual((await candidatesOf(h, 'zhengzhou.supervisor', holder.personId)).map((c: any) => [c.status, c.version]), [['open', 1]]);

  // two supervisors decide at once: one decision is kept, the other is told it came too late
  const hangzhou = await login(h, 'hangzhou.supervisor');
  const both = await Promise.all([
    zhengzhou.post(url, { decision: 'different_persons', note: '两人重号，已告知公安核查', expectedVersion: 1 }),
    hangzhou.post(url, { decision: 'rejected', note: '旧系统数据有误', expectedVersion: 1 }),
  ]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
  const [won, lost] = both[0].status === 200 ? both : [both[1], both[0]];
  assert.equal(lost.body.error.code, 'duplicate.resolved');
  assert.deepEqual({ ...won.body, status: undefined }, { id: candidate.id, status: undefined, version: 2, certificateId: null });
  const [kept] = await candidatesOf(h, 'zhengzhou.supervisor', holder.personId, 'all');
  assert.equal(kept.status, won.body.status);
  assert.deepEqual(await certificatesOf(h, holder.personId), [{ number: holder.number, state: 'active', source: 'legacy' }]);
});

test('ID-3 a row with another ID number but the name, birth date and hukou county of a person on file is held as a near match; as different persons it loads', async () => {
  const h = await harness();
  const holder = await legacyHolder(h, '2020-05-01', false);
  const name = legacyName(holder.idNumber);
  // the same name and birth date, another sequence number: a number the police changed, or a namesake
  const other = makeCitizenId({ division: '330106', birth: holder.idNumber.slice(6, 14) });
  const elsewhere = makeCitizenId({ division: '410105', birth: holder.idNumber.slice(6, 14) });
  const held = await importRows(h, '330106', [`${other},${name},4-3,2019-01-01,2029-01-01,否,${XIHU_VILLAGE}`]);
  assert.deepEqual(held, { ok: true, rows: 1, imported: 0, skipped: 0, active: 0, expired: 0, visualAssessment: 0, newPersons: 0, duplicates: 1 });
  // in another county the namesake is nobody's near match
  const loaded = await importRows(h, '410105', [`${elsewhere},${name},4-3,2019-01-01,2029-01-01,否,${JINSHUI_VILLAGE}`]);
  assert.deepEqual(loaded, { ok: true, rows: 1, imported: 1, skipped: 0, active: 1, expired: 0, visualAssessment: 0, newPersons: 1, duplicates: 0 });
  assert.equal((await h.db.query('SELECT 1 FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, other)])).length, 0);

  const [candidate] = await candidatesOf(h, 'hangzhou.supervisor', holder.personId);
  assert.deepEqual(
    [candidate.kind, candidate.incoming.idNumberMasked, candidate.onFile.idNumberMasked, candidate.incoming.sameNameAsOnFile],
    ['near_match', maskCitizenId(other), maskCitizenId(holder.idNumber), true],
  );
  const decided = await ok((await login(h, 'hangzhou.supervisor')).post(`/api/duplicate-candidates/${candidate.id}/resolve`, { decision: 'different_persons', note: '核对户口簿，系同名同生日的另一人', expectedVersion: 1 }));
  assert.equal(decided.status, 'different_persons');
  const [person] = await h.db.query('SELECT id FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, other)]);
  const [certificate] = await certificatesOf(h, person.id);
  assert.deepEqual(certificate, { number: `${other}43`, state: 'active', source: 'legacy' });
  assert.deepEqual(await certificatesOf(h, holder.personId), [{ number: holder.number, state: 'active', source: 'legacy' }]);
});
