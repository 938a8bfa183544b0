/**
 * Citizen ID numbers (居民身份证号码, GB 11643-1999) — ID-1.
 *
 * Layout of the 18-character number: 6-digit division (address) code, 8-digit birth date,
 * 3-digit sequence (odd = male), 1 check character (ISO 7064 MOD 11-2, 'X' stands for 10).
 * Legacy 15-digit numbers have a 2-digit birth year and no check character.
 *
 * Checks run in reading order (length, characters, division, birth date, checksum) so the message
 * points at the first part the person should look at; the checksum is last because it can only
 * say "some digit is wrong", never which one.
 */
import { invalid } from './errors.js';
import { assertIsoDate, isIsoDate } from './working-days.js';

export type CitizenIdInfo = {
  id: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'M' | 'F';
  divisionCode: string; // first 6 digits
};

export type ParseCitizenIdOptions = {
  today?: string; // YYYY-MM-DD; defaults to today's date in China
  isKnownDivision?: (code6: string) => boolean;
};

const FIELD = 'idNumber';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

// GB/T 2260 province-level codes: 31 mainland provinces, Taiwan (71), Hong Kong (81), Macao (82).
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
  61, 62, 63, 64, 65, 71, 81, 82,
]);

const fail = (code: string, zh: string, en: string) => invalid(code, zh, en, FIELD);

// Service windows and deadlines follow Beijing time whatever timezone the server runs in.
const todayInChina = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Length and characters; shared by every entry point so they all word the errors the same way. */
function checkShape(id: string): void {
  if (id.length !== 18 && id.length !== 15) {
    throw fail(
      'id.length',
      `身份证号码应为18位（旧版为15位），您输入了${id.length}位。请核对后重新输入。`,
      `A citizen ID number has 18 characters (old ones have 15); you entered ${id.length}. Check it and enter it again.`,
    );
  }
  const digitsOnly = id.length === 15 ? id : id.slice(0, 17);
  const bad = [...digitsOnly].findIndex((c) => c < '0' || c > '9');
  if (bad >= 0) {
    const rule =
      id.length === 18
        ? { zh: '前17位只能是数字，最后一位可以是数字或字母X', en: 'the first 17 must be digits; the last may be a digit or X' }
        : { zh: '15位旧号码只能包含数字', en: 'an old 15-digit number contains only digits' };
    throw fail(
      'id.format',
      `身份证号码第${bad + 1}位“${id[bad]}”不是数字：${rule.zh}。请核对后重新输入。`,
      `Character ${bad + 1} of the ID number ("${id[bad]}") is not a digit: ${rule.en}. Check it and enter it again.`,
    );
  }
  if (id.length === 18 && !/[0-9X]/.test(id[17])) {
    throw fail(
      'id.format',
      `身份证号码最后一位“${id[17]}”无效：最后一位只能是数字或字母X。请核对后重新输入。`,
      `The last character of the ID number ("${id[17]}") is not valid: it must be a digit or X. Check it and enter it again.`,
    );
  }
}

function checkDivision(code6: string, isKnownDivision?: (code6: string) => boolean): void {
  if (!PROVINCE_CODES.has(Number(code6.slice(0, 2)))) {
    throw fail(
      'id.division',
      `身份证号码前两位“${code6.slice(0, 2)}”不是有效的省级行政区划代码。请核对前6位（地址码）。`,
      `The first two digits of the ID number ("${code6.slice(0, 2)}") are not a valid province code. Check the first 6 digits (the division code).`,
    );
  }
  if (isKnownDivision && !isKnownDivision(code6)) {
    throw fail(
      'id.division',
      `身份证号码前6位“${code6}”不是已知的行政区划代码。请核对前6位（地址码）。`,
      `The first 6 digits of the ID number ("${code6}") are not a known administrative division code. Check the first 6 digits.`,
    );
  }
}

function checkBirthDate(id: string, today: string): string {
  const compact = id.length === 18 ? id.slice(6, 14) : `19${id.slice(6, 12)}`;
  const where = id.length === 18 ? { zh: '第7–14位', en: 'characters 7–14' } : { zh: '第7–12位', en: 'characters 7–12' };
  const birthDate = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
  const problem = !isIsoDate(birthDate)
    ? { zh: '不是存在的日期', en: 'is not a real date' }
    : birthDate > today
      ? { zh: '晚于今天', en: 'is in the future' }
      : birthDate < '1900-01-01'
        ? { zh: '早于1900年', en: 'is before 1900' }
        : null;
  if (problem) {
    throw fail(
      'id.birthdate',
      `身份证号码${where.zh}的出生日期“${compact}”${problem.zh}。请核对出生日期部分。`,
      `The birth date in ${where.en} of the ID number ("${compact}") ${problem.en}. Check the birth-date part.`,
    );
  }
  return birthDate;
}

/** The GB 11643 check character for the first 17 digits. */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw fail(
      'id.format',
      '计算校验码需要身份证号码的前17位数字。请核对号码。',
      'The check digit is computed from the first 17 digits of an ID number, all digits. Check the number.',
    );
  }
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return CHECK_CHARS[sum % 11];
}

/**
 * Legacy numbers were issued before 1999 to people born in the 1900s, hence the fixed "19".
 * Validates shape only; use parseCitizenId for the birth date and division.
 */
export function convert15to18(id15: string): string {
  const id = id15.trim();
  if (id.length !== 15) {
    throw fail(
      'id.length',
      `旧版身份证号码应为15位，您输入了${id.length}位。请核对后重新输入。`,
      `An old citizen ID number has 15 digits; you entered ${id.length}. Check it and enter it again.`,
    );
  }
  checkShape(id);
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + checkDigit(first17);
}

export function parseCitizenId(input: string, opts: ParseCitizenIdOptions = {}): CitizenIdInfo {
  // NFKC turns full-width digits and "ｘ" typed with a Chinese input method into ASCII.
  const raw = (typeof input === 'string' ? input : '').normalize('NFKC').trim().toUpperCase();
  const today = opts.today ?? todayInChina();
  assertIsoDate(today);

  checkShape(raw);
  checkDivision(raw.slice(0, 6), opts.isKnownDivision);
  const birthDate = checkBirthDate(raw, today);
  if (raw.length === 18 && checkDigit(raw.slice(0, 17)) !== raw[17]) {
    throw fail(
      'id.checksum',
      '身份证号码最后一位（校验码）与前面的数字不符，说明号码中有输错的地方。请逐位核对后重新输入。',
      'The last character (check digit) does not match the other digits, so something was mistyped. Please re-check each digit.',
    );
  }
  const id = raw.length === 15 ? convert15to18(raw) : raw;
  return {
    id,
    birthDate,
    sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
    divisionCode: id.slice(0, 6),
  };
}

/** For lists and logs (SEC-1): keeps the length so the masked value still looks like an ID. */
export function maskCitizenId(id: string): string {
  // Too short to hide anything while showing 7 characters: hide all of it.
  if (id.length <= 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** Whole years completed; someone born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: string, onDate: string): number {
  assertIsoDate(birthDate);
  assertIsoDate(onDate);
  const age = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? age - 1 : age;
}
