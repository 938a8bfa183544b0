/**
 * ARCH-1 one person, one file: every scan of every case of the person in filing order, each file
 * stored once, with its origin county and case; the ZIP export; type, size and virus checks on upload.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { loadDocumentScanner } from '../src/modules/documents/scanner.js';
import { type Client, type Harness, harness, login, makeCitizenId } from './harness.js';
import { apply, institutionOf, ok, PNG, pngImage, recordResult, toResultReview, uploadScan, XIHU_VILLAGE } from './fixtures.js';

/** A PNG no other test uploads (random pixels). */
const uniquePng = () => pngImage();
const count = async (h: Harness, sql: string, params: unknown[]) => (await h.db.query(sql, params))[0].n as number;

/**
 * A child living in 西湖区 with hukou in 金水区 (a minor: no publicity), with two cases: a first
 * application that ended below the standard (no person yet — linked by ID number), then one approved
 * by 金水区. Scans come from the 西湖区 desk, the 西湖区 institution and the 金水区 desk.
 */
async function personWithTwoCases(h: Harness) {
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const hukouClerk = await login(h, 'jinshui.clerk');
  const child = {
    idNumber: makeCitizenId({ division: '410105', birth: `${Number(h.clock.today().slice(0, 4)) - 12}0601` }),
    guardian: { idNumber: makeCitizenId({ division: '410105', birth: '19800101' }), name: '监护人', phone: '13900139000', relation: '父亲' },
    materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit'],
  };
  const idCard = uniquePng();
  const transferSlip = uniquePng();

  const first = await apply(clerk, child);
  await ok(uploadScan(clerk, first.id, 'id_and_hukou', '身份证.png', idCard), 201);
  await ok(clerk.act(first.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(recordResult(doctor, first.id, { qualified: false, disabilities: [], notQualifiedReason: '未达到肢体残疾标准', assessedOn: h.clock.today() }));
  await ok(clerk.act(first.id, 'notify_not_qualified', { reason: '未达到肢体残疾标准', channel: 'screen' }));

  const second = await toResultReview(h, clerk, doctor, child);
  await ok(clerk.act(second.id, 'forward_to_hukou'));
  await ok(uploadScan(hukouClerk, second.id, 'other', '户籍核查单.png', transferSlip), 201);
  const approved = await ok((await login(h, 'jinshui.approver')).act(second.id, 'approve', { photoOnFile: true }));
  return { clerk, doctor, hukouClerk, first, second, personId: approved.case.personId as string, idCard, transferSlip };
}

const archiveOf = async (who: Client, personId: string) => (await ok(who.get(`/api/persons/${personId}/archive`))).documents as any[];

test('ARCH-1 a person’s documents from two cases are listed in filing order with origin county and case; the same scan in both is one document', async () => {
  const h = await harness();
  const p = await personWithTwoCases(h);
  const caseNo = async (id: string) => (await ok(p.clerk.get(`/api/cases/${id}`))).caseNo;
  const [firstNo, secondNo] = [await caseNo(p.first.id), await caseNo(p.second.id)];

  const docs = await archiveOf(p.clerk, p.personId);
  const filings = docs.map((d) => [d.no, d.references.map((r: any) => [r.case.caseNo, r.materialCode, r.fileName, r.origin?.orgUnit, r.origin?.division])]);
  assert.deepEqual(filings, [
    [1, [[firstNo, 'id_and_hukou', '身份证.png', '杭州市西湖区残疾人联合会', '浙江省 杭州市 西湖区']]],
    // the fixture's assessment form is the same PNG in both cases: stored once, filed twice
    [2, [
      [firstNo, 'assessment_form', '残疾评定表.png', '西湖区残疾评定定点医院（演示）', '浙江省 杭州市 西湖区'],
      [secondNo, 'assessment_form', '残疾评定表.png', '西湖区残疾评定定点医院（演示）', '浙江省 杭州市 西湖区'],
    ]],
    [3, [[secondNo, 'other', '户籍核查单.png', '郑州市金水区残疾人联合会', '河南省 郑州市 金水区']]],
  ]);
  const all = docs.flatMap((d) => d.references);
  assert.deepEqual(all.map((r: any) => r.at), all.map((r: any) => r.at).sort(), 'oldest first');
  assert.deepEqual(docs[0].references[0].label, { zh: '申请人居民身份证及户口簿', en: "Applicant's ID card and household register (hukou book)" });
  assert.deepEqual(docs[0].references[0].case.matter, { code: 'new', zh: '新办残疾人证', en: 'New certificate' });
  assert.equal(docs[0].mime, 'image/png');
  assert.equal(docs[0].size, p.idCard.length);
  assert.match(docs[0].exportName, new RegExp(`^01_\\d{4}-\\d{2}-\\d{2}_申请人居民身份证及户口簿_${firstNo}\\.png$`));
  assert.equal(docs[1].exportName.startsWith('02_'), true);

  // the hukou county sees the same file, and reading the list is not a full view
  assert.deepEqual((await archiveOf(p.hukouClerk, p.personId)).map((d) => d.sha256), docs.map((d) => d.sha256));
  assert.equal(await count(h, `SELECT count(*)::int AS n FROM audit_entry WHERE object_id = $1 AND action LIKE 'person.archive%'`, [p.personId]), 0);
});

test('ARCH-1 the same file uploaded twice is stored once: one document row, two filings', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const scan = uniquePng();
  const a = await ok(uploadScan(clerk, c.id, 'id_and_hukou', '身份证正面.png', scan), 201);
  const b = await ok(uploadScan(clerk, c.id, 'commitment_letter', '承诺书.png', scan), 201);
  assert.equal(a.sha256, b.sha256);
  assert.notEqual(a.id, b.id, 'two filings');
  assert.equal(await count(h, 'SELECT count(*)::int AS n FROM document WHERE sha256 = $1', [a.sha256]), 1, 'one stored file');
  assert.equal(await count(h, 'SELECT count(*)::int AS n FROM case_document WHERE sha256 = $1', [a.sha256]), 2, 'two references');
  assert.equal((await ok(clerk.get(`/api/cases/${c.id}/documents`))).length, 2, 'the case lists both filings');
});

test('ARCH-1 the ZIP export unzips to the files in filing order plus an index, and every export and file view is in the audit log', async () => {
  const h = await harness();
  const p = await personWithTwoCases(h);
  const docs = await archiveOf(p.clerk, p.personId);
  const res = await h.app.inject({ method: 'GET', url: `/api/persons/${p.personId}/archive.zip`, headers: { cookie: p.clerk.cookie! } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="person-archive_\d{4}-\d{2}-\d{2}\.zip"; filename\*=UTF-8''/);
  const files = unzipSync(new Uint8Array(res.rawPayload));
  assert.deepEqual(Object.keys(files), [...docs.map((d) => d.exportName), 'index.html']);
  assert.match(Object.keys(files)[0], /^01_\d{4}-\d{2}-\d{2}_申请人居民身份证及户口簿_NEW-330106-\d{8}-\d{6}\.png$/);
  assert.deepEqual(Buffer.from(files[docs[0].exportName]), p.idCard);
  assert.deepEqual(Buffer.from(files[docs[1].exportName]), PNG);
  assert.deepEqual(Buffer.from(files[docs[2].exportName]), p.transferSlip);
  const index = strFromU8(files['index.html']);
  assert.match(index, /<caption>档案材料，按归档顺序：3份文件，4次归档/);
  for (const text of ['郑州市金水区残疾人联合会', '河南省 郑州市 金水区', '西湖区残疾评定定点医院（演示）', docs[2].references[0].case.caseNo, docs[0].exportName, '西湖区办证员 王丽']) {
    assert.ok(index.includes(text), `the index names ${text}`);
  }
  assert.ok(index.indexOf(docs[0].exportName) < index.indexOf(docs[1].exportName) && index.indexOf(docs[1].exportName) < index.indexOf(docs[2].exportName), 'the index is in filing order');
  assert.match(index, /<th scope="row" rowspan="2">2<\/th>/, 'the file filed twice spans both its rows');

  const [logged] = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'person.archive_export' AND object_id = $1`, [p.personId]);
  const me = await ok(p.clerk.get('/api/auth/me'));
  assert.equal(logged.actor, `staff:${me.id}`);
  assert.deepEqual(logged.detail, { format: 'zip', files: 3, references: 4, role: 'clerk', purpose: '导出人员档案（本会内部使用） archive export for the federation’s own use' }, 'SEC-1: without a stated purpose the implied one is logged');

  // one file of the archive, whichever case it came through: a full view too, logged
  const one = await h.app.inject({ method: 'GET', url: `/api/persons/${p.personId}/archive/${docs[2].sha256}`, headers: { cookie: p.clerk.cookie! } });
  assert.equal(one.statusCode, 200);
  assert.deepEqual(one.rawPayload, p.transferSlip);
  assert.equal(one.headers['content-type'], 'image/png');
  const [viewed] = await h.db.query(`SELECT detail FROM audit_entry WHERE action = 'person.archive_document' AND object_id = $1`, [p.personId]);
  assert.deepEqual(viewed.detail, { sha256: docs[2].sha256, no: 3, role: 'clerk', purpose: '查阅人员档案材料 archive review' });
  const someoneElse = await apply(p.clerk, { idNumber: makeCitizenId({ division: '410105' }) });
  const theirs = await ok(uploadScan(p.clerk, someoneElse.id, 'id_and_hukou', '身份证.png', uniquePng()), 201);
  assert.equal((await p.clerk.get(`/api/persons/${p.personId}/archive/${theirs.sha256}`)).status, 404, 'someone else’s file is not reachable through this archive');

  // a doctor who may see the person (and the list) may not open their files or take the whole file
  assert.equal((await ok(p.doctor.get(`/api/persons/${p.personId}/archive`))).canOpen, false);
  assert.equal((await p.doctor.get(`/api/persons/${p.personId}/archive.zip`)).status, 403);
  assert.equal((await p.doctor.get(`/api/persons/${p.personId}/archive/${docs[0].sha256}`)).status, 403);
  assert.equal((await ok(p.clerk.get(`/api/persons/${p.personId}/archive`))).canOpen, true);
});

test('ARCH-1 a county outside the person’s jurisdiction gets 404 for the archive, its files and the export', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const personId = (await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }))).case.personId;
  const [doc] = await archiveOf(clerk, personId);
  assert.ok(doc, 'the person has an archive');
  const outsider = await login(h, 'jinshui.clerk');
  for (const url of [`/api/persons/${personId}/archive`, `/api/persons/${personId}/archive.zip`, `/api/persons/${personId}/archive/${doc.sha256}`]) {
    const res = await outsider.get(url);
    assert.equal(res.status, 404, url);
    assert.equal(res.body.error.code, 'not_found');
  }
  assert.equal(await count(h, `SELECT count(*)::int AS n FROM audit_entry WHERE object_id = $1 AND action LIKE 'person.archive%'`, [personId]), 0, 'nothing was exported');
});

test('ARCH-1 a file whose content is not an allowed type is refused whatever its name, and nothing is stored', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const disguised = [
    ['身份证.png', Buffer.concat([Buffer.from('GIF89a'), randomBytes(32)])],
    ['申请表.pdf', Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(32)])], // a Windows program
    ['评定表.jpg', Buffer.from(`<script>${randomBytes(8).toString('hex')}</script>`)],
  ] as const;
  for (const [name, bytes] of disguised) {
    const res = await uploadScan(clerk, c.id, 'id_and_hukou', name, bytes);
    assert.equal(res.status, 422, name);
    assert.equal(res.body.error.code, 'document.type');
    assert.equal(res.body.error.field, 'file');
    assert.match(res.body.error.zh, /按文件内容判断/);
  }
  assert.equal((await ok(clerk.get(`/api/cases/${c.id}/documents`))).length, 0);
});

test('ARCH-1 the operator’s virus scanner runs before a file is stored; its refusal or failure stops the upload', async (t) => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });

  // the scanner is plugged in the way an operator does it: a module named in DOCUMENT_SCANNER
  const dir = mkdtempSync(join(tmpdir(), 'tongban-scanner-'));
  writeFileSync(join(dir, 'scanner.mjs'), `export default ({ bytes }) => bytes.includes('EICAR-STANDARD-ANTIVIRUS-TEST-FILE') ? { clean: false, reason: 'Eicar-Test-Signature' } : { clean: true };\n`);
  writeFileSync(join(dir, 'broken.mjs'), `export default async () => { throw new Error('clamd: connection refused'); };\n`);
  writeFileSync(join(dir, 'none.mjs'), `export const scan = () => ({ clean: true });\n`);
  const before = h.ctx.scanDocument;
  t.after(() => {
    h.ctx.scanDocument = before;
    rmSync(dir, { recursive: true, force: true });
  });
  await assert.rejects(loadDocumentScanner(join(dir, 'none.mjs')), /must export a default function/, 'a module without a scanner stops the start');
  h.ctx.scanDocument = await loadDocumentScanner(join(dir, 'scanner.mjs'));

  const infected = pngImage({ text: `EICAR-STANDARD-ANTIVIRUS-TEST-FILE ${randomBytes(8).toString('hex')}` });
  const refused = await uploadScan(clerk, c.id, 'id_and_hukou', '身份证.png', infected);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'document.infected');
  assert.match(refused.body.error.zh, /未通过病毒扫描（Eicar-Test-Signature），未保存/);
  assert.match(refused.body.error.en, /failed the virus scan \(Eicar-Test-Signature\)/);
  assert.equal((await ok(clerk.get(`/api/cases/${c.id}/documents`))).length, 0, 'not filed');
  assert.equal(await count(h, 'SELECT count(*)::int AS n FROM document WHERE sha256 = $1', [createHash('sha256').update(infected).digest('hex')]), 0, 'not stored');

  const clean = await ok(uploadScan(clerk, c.id, 'id_and_hukou', '身份证.png', uniquePng()), 201);
  assert.equal(clean.mime, 'image/png', 'a clean file passes');

  h.ctx.scanDocument = await loadDocumentScanner(join(dir, 'broken.mjs'));
  const failed = await uploadScan(clerk, c.id, 'photos', '照片.png', uniquePng());
  assert.equal(failed.status, 422, 'a scanner that cannot answer refuses the file (fails closed)');
  assert.equal(failed.body.error.code, 'document.scan_failed');
  assert.equal((await ok(clerk.get(`/api/cases/${c.id}/documents`))).length, 1);
});
