/** Building blocks the API tests share: a NEW application form and walking a case forward. */
import assert from 'node:assert/strict';
import { Client, type Harness, login, makeCitizenId } from './harness.js';

export const XIHU_VILLAGE = '330106002052'; // 浙江省杭州市西湖区北山街道宝石社区
export const JINSHUI_VILLAGE = '410105001003'; // 河南省郑州市金水区经八路街道体育社区
export const ALL_ADULT_MATERIALS = ['photos', 'id_and_hukou', 'residence_permit', 'commitment_letter'];

export function newApplication(over: Record<string, any> = {}) {
  const idNumber = over.idNumber ?? makeCitizenId({ division: over.idDivision ?? '410105' });
  return {
    matter: 'new',
    applicant: { idNumber, name: '测试申请人', phone: '13800138000', address: '杭州市西湖区北山街道某路1号' },
    residenceCode: XIHU_VILLAGE,
    hukouCode: JINSHUI_VILLAGE,
    categories: [4],
    materialsProvided: ALL_ADULT_MATERIALS,
    delivery: { method: 'courier', address: '杭州市西湖区北山街道某路1号' },
    ...over,
  };
}

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

// a 1×1 PNG
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

export function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer; type: string }) {
  const boundary = '----tongban' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

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

export { addCalendarDays as addDays } from '../src/domain/dates.js';
