/** Building blocks the API tests share: a NEW application form and walking a case forward. */
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { minimalPdf } from '../src/platform/minimal-pdf.js';
import { fullCertificateNumber } from '../src/modules/certificates/certificate-numbers.js';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { idIndex } from '../src/modules/persons/persons.js';
import { Client, type Harness, login, makeCitizenId } from './harness.js';
import { ALL_ADULT_MATERIALS, childBirth, guardian, JINSHUI_VILLAGE, multipart, newApplication, PNG, XIHU_LOCAL, XIHU_VILLAGE } from './payloads.js';

export { ALL_ADULT_MATERIALS, guardian, JINSHUI_VILLAGE, multipart, newApplication, PNG, pngImage, XIHU_LOCAL, XIHU_VILLAGE } from './payloads.js';

export async function apply(clerk: Client, over: Record<string, any> = {}) {
  const form = newApplication(over);
  const res = await clerk.post('/api/cases', form);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id as string, form, body: res.body };
}

export async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

export async function institutionOf(clerk: Client) {
  // the demo's designated institution of the clerk's county (tests may add others)
  const list = await ok(clerk.get('/api/org-units?kind=institution'));
  const demo = list.find((o: any) => o.name.endsWith('残疾评定定点医院（演示）'));
  assert.ok(demo, 'the county has its demo institution');
  return demo.id as string;
}

/** A minimal one-page PDF that parses. */
export const pdfDocument = (note = randomFillSync(Buffer.alloc(6)).toString('hex')): Buffer => minimalPdf(note);

/** Uploads a scan of the given document type to a case, as `who` (a 1×1 PNG unless `bytes` are given). */
export async function uploadScan(who: Client, caseId: string, materialCode: string, name = 'scan.png', bytes = PNG) {
  const m = multipart({ materialCode }, { name, bytes, type: 'image/png' });
  return who.call('POST', `/api/cases/${caseId}/documents`, m.body, { 'content-type': m.contentType });
}

/** The doctor records a result as the institution does: the signed, stamped form scanned in, then the form's data (ASMT-2). */
export async function recordResult(doctor: Client, caseId: string, input: Record<string, unknown>) {
  await ok(uploadScan(doctor, caseId, 'assessment_form', '残疾评定表.png'), 201);
  return doctor.act(caseId, 'record_assessment', input);
}

/** Applies and carries the case to the end of assessment (qualified, physical level 2 by default). */
export async function toResultReview(h: Harness, clerk: Client, doctor: Client, over: Record<string, any> = {}, disabilities = [{ category: 4, level: 2 }]) {
  const c = await apply(clerk, over);
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(recordResult(doctor, c.id, { qualified: true, disabilities, assessedOn: h.clock.today() }));
  return c;
}

/**
 * A 西湖区 resident (hukou and residence) holding a certificate issued through NEW, physical level 2,
 * so the number is the ID number + '42'. The certificate's id is in the case's data.
 */
export async function certifiedHolder(h: Harness, name = '持证人') {
  const clerk = await login(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name, phone: '13612345678', address: '北山街道宝石山下一弄' } });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  return { caseId: c.id, caseNo: view.caseNo as string, idNumber, number: `${idNumber}42`, certificateId: view.data.certificate.id as string };
}

export type Holder = { idNumber: string; personId: string; certificateId: string; number: string };

/**
 * A certificate holder made through the NEW flow, living in 西湖区: registered there too (Zhejiang
 * profile), or a child registered in 金水区, Henan (national profile; a minor is not publicised).
 */
export async function holder(h: Harness, hukou: 'xihu' | 'jinshui' = 'xihu', disabilities = [{ category: 4, level: 2 }]): Promise<Holder> {
  const clerk = await login(h, 'xihu.clerk');
  const form = hukou === 'xihu'
    ? { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, materialsProvided: XIHU_LOCAL }
    : { idNumber: makeCitizenId({ division: '410105', birth: childBirth() }), hukouCode: JINSHUI_VILLAGE, materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'], guardian: guardian() };
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { ...form, categories: disabilities.map((d) => d.category) }, disabilities);
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const approved = await ok((await login(h, hukou === 'xihu' ? 'xihu.approver' : 'jinshui.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const [{ id }] = await h.db.query('SELECT id FROM certificate WHERE case_id = $1', [c.id]);
  const cert = await certificateRow(h, id);
  return { idNumber: form.idNumber, personId: approved.case.personId, certificateId: cert.id, number: cert.number };
}

/**
 * A holder from the county's old system (issue 5's legacy import), for certificates issued years
 * ago: registered and living in 北山街道宝石社区, 西湖区 — or at `hukouCode`, whose county must have a federation.
 */
/**
 * A legacy holder's name, one per ID number: holders sharing a name and a birth date in one county
 * would be held as near matches of each other (ID-3). Digits are not allowed in names, so they are
 * written as Chinese numerals.
 */
export const legacyName = (idNumber: string) => '老' + [...idNumber.slice(6, 17)].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');

export async function legacyHolder(h: Harness, issuedOn: string, visual: boolean, disabilities = '4-2', hukouCode = XIHU_VILLAGE): Promise<Holder> {
  const idNumber = makeCitizenId({ division: hukouCode.slice(0, 6) });
  const until = issuedOn.replace(/^(\d{4})/, (y) => String(Number(y) + 10));
  const csv = `身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码\n${idNumber},${legacyName(idNumber)},${disabilities},${issuedOn},${until},${visual ? '是' : '否'},${hukouCode}\n`;
  const result = await importLegacyCertificates(h.ctx, { fileName: 'legacy.csv', bytes: Buffer.from(csv), countyCode: hukouCode.slice(0, 6), operator: 'test' });
  assert.ok(result.ok, JSON.stringify(result));
  const [{ id }] = await h.db.query(`SELECT c.id FROM certificate c JOIN person p ON p.id = c.person_id WHERE p.id_bidx = $1`, [idIndex(h.ctx.crypto, idNumber)]);
  const cert = await certificateRow(h, id);
  return { idNumber, personId: cert.person_id, certificateId: cert.id, number: cert.number };
}

/**
 * A certificate row as stored, with its full number rebuilt from the holder's encrypted ID and the
 * readable category and level digits (the table keeps only a blind index and a masked form, SEC-1).
 */
export async function certificateRow(h: Pick<Harness, 'db' | 'ctx'>, id: string): Promise<Record<string, any>> {
  const [c] = await h.db.query('SELECT c.*, p.id_enc FROM certificate c JOIN person p ON p.id = c.person_id WHERE c.id = $1', [id]);
  assert.ok(c, `certificate ${id} not found`);
  const { id_enc, ...row } = c;
  return { ...row, number: fullCertificateNumber(h.ctx.crypto.decrypt(id_enc), c.category, c.level) };
}

export { addCalendarDays as addDays } from '../src/domain/dates.js';
