/**
 * ASMT-1: an institution assesses only the categories it is designated for, while the designation
 * is valid; a doctor only the categories they are qualified for (no cross-category work, 004), with
 * a training certificate in date, and never once retired. Each check returns the reason it fails.
 */
import { zhDate } from './dates.js';
import { CATEGORIES, type CategoryCode } from './disability.js';
import type { Bilingual } from './errors.js';

export type Designation = { categories: number[]; validFrom: string; validUntil: string };
export type DoctorQualification = { categories: number[]; trainingExpires: string; status: 'active' | 'retired' };

/** Where a day falls in a validity period; both end days count as valid. */
export type Validity = 'not_yet' | 'valid' | 'expired';
export const validityOn = (from: string, until: string, today: string): Validity => (today < from ? 'not_yet' : today > until ? 'expired' : 'valid');

/** A training certificate is good up to and including its expiry day. */
export const trainingExpired = (q: Pick<DoctorQualification, 'trainingExpires'>, today: string) => today > q.trainingExpires;

const names = (codes: number[], lang: 'zh' | 'en') => codes.map((c) => CATEGORIES[c as CategoryCode][lang]).join(lang === 'zh' ? '、' : ', ');

export function institutionRefusal(d: Designation | null, categories: number[], today: string): Bilingual | null {
  if (!d) return { zh: '该机构尚未被指定为评定机构。', en: 'This institution has not been designated to assess.' };
  if (validityOn(d.validFrom, d.validUntil, today) !== 'valid') {
    return { zh: `该机构的指定有效期为${zhDate(d.validFrom)}至${zhDate(d.validUntil)}，今天不在有效期内。`, en: `The institution's designation runs from ${d.validFrom} to ${d.validUntil}; it is not valid today.` };
  }
  const missing = categories.filter((c) => !d.categories.includes(c));
  if (missing.length) {
    return { zh: `该机构未被指定评定：${names(missing, 'zh')}。请选择指定了这些类别的机构。`, en: `The institution is not designated for: ${names(missing, 'en')}. Choose one that is.` };
  }
  return null;
}

export function doctorRefusal(q: DoctorQualification | null, categories: number[], today: string): Bilingual | null {
  if (!q) return { zh: '您没有登记评定医生资质，不能录入评定结果。', en: 'You have no registered assessment qualification, so you cannot record results.' };
  if (q.status === 'retired') return { zh: '您已登记为退休，不能再进行残疾评定。', en: 'You are registered as retired and may no longer assess.' };
  if (trainingExpired(q, today)) {
    return { zh: `您的培训合格证已于${zhDate(q.trainingExpires)}过期，请复训后再评定。`, en: `Your training certificate expired on ${q.trainingExpires}; renew it before assessing.` };
  }
  const missing = categories.filter((c) => !q.categories.includes(c));
  if (missing.length) {
    return { zh: `您没有以下类别的评定资质（不得跨类别评定）：${names(missing, 'zh')}。`, en: `You are not qualified to assess (no cross-category assessment): ${names(missing, 'en')}.` };
  }
  return null;
}
