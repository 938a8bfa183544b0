/** Building blocks the API tests share: a NEW application form and walking a case forward. */
import assert from 'node:assert/strict';
import { Client, type Harness, makeCitizenId } from './harness.js';

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

/** Applies and carries the case to the end of assessment (qualified, physical level 2 by default). */
export async function toResultReview(h: Harness, clerk: Client, doctor: Client, over: Record<string, any> = {}, disabilities = [{ category: 4, level: 2 }]) {
  const c = await apply(clerk, over);
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(doctor.act(c.id, 'record_assessment', { qualified: true, disabilities, assessedOn: h.clock.today() }));
  return c;
}

export { addCalendarDays as addDays } from '../src/domain/dates.js';
