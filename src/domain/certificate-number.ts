/**
 * 2nd-generation certificate numbers (ID-2): the 18-character citizen ID, then one digit for the
 * category (7 = multiple) and one for the level, 20 characters in all.
 */
import { DomainError, invalid } from './errors.js';
import { maskCitizenId, parseCitizenId } from './citizen-id.js';
import { certificateCategoryAndLevel, type CertificateCategory, type Disability, type Level } from './disability.js';

const FIELD = 'certificateNumber';
const fail = (code: string, zh: string, en: string) => invalid(code, zh, en, FIELD);

export type CertificateNumberInfo = { citizenId: string; category: CertificateCategory; level: Level };

/** Accepts a legacy 15-digit ID too: the certificate always carries the 18-character form. */
export function certificateNumber(citizenId18: string, disabilities: Disability[]): string {
  const { id } = parseCitizenId(citizenId18);
  const { category, level } = certificateCategoryAndLevel(disabilities);
  return `${id}${category}${level}`;
}

/** The number embeds the full ID number, so lists and messages mask it like the ID (SEC-1). */
export const maskCertificateNumber = (number: string) => maskCitizenId(number.slice(0, 18)) + number.slice(18);

export function parseCertificateNumber(no: string): CertificateNumberInfo {
  const value = (typeof no === 'string' ? no : '').normalize('NFKC').trim().toUpperCase();
  if (value.length !== 20) {
    throw fail(
      'certificate.length',
      `残疾人证号应为20位（18位身份证号码加类别、等级各1位），您输入了${value.length}位。请核对后重新输入。`,
      `A disability certificate number has 20 characters (the 18-character ID number, then one category and one level digit); you entered ${value.length}. Check it and enter it again.`,
    );
  }
  let citizenId: string;
  try {
    // No division check: a certificate outlives renamed or merged counties.
    ({ id: citizenId } = parseCitizenId(value.slice(0, 18)));
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    // Keep the ID-part code so callers still know which part of the ID is wrong.
    throw fail(
      e.code,
      `残疾人证号前18位（身份证号码部分）有误：${e.text.zh}`,
      `The first 18 characters of the certificate number (the ID number) are wrong: ${e.text.en}`,
    );
  }
  const category = Number(value[18]);
  if (!/[1-7]/.test(value[18])) {
    throw fail(
      'certificate.category',
      `残疾人证号第19位“${value[18]}”应为残疾类别代码1–7（7为多重残疾）。请核对后重新输入。`,
      `Character 19 of the certificate number ("${value[18]}") must be a category digit from 1 to 7 (7 = multiple). Check it and enter it again.`,
    );
  }
  const level = Number(value[19]);
  if (!/[1-4]/.test(value[19])) {
    throw fail(
      'certificate.level',
      `残疾人证号第20位“${value[19]}”应为残疾等级1–4（一级最重）。请核对后重新输入。`,
      `Character 20 of the certificate number ("${value[19]}") must be a level digit from 1 to 4 (1 is the most severe). Check it and enter it again.`,
    );
  }
  return { citizenId, category: category as CertificateCategory, level: level as Level };
}
