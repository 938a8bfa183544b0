/**
 * Disability categories and levels (GB/T 26341-2010 《残疾人残疾分类和分级》).
 *
 * A person has one or more single-category disabilities, each with its own level. "Multiple"
 * (多重, code 7) is never assessed on its own: it is what the certificate shows when a person
 * has two or more categories, with the most severe of their levels.
 */
import { invalid, type Bilingual } from './errors.js';

export type CategoryCode = 1 | 2 | 3 | 4 | 5 | 6;
export type CertificateCategory = CategoryCode | 7;
export type Level = 1 | 2 | 3 | 4; // 1 = most severe
export type Lang = 'zh' | 'en';

export type Disability = { category: CategoryCode; level: Level };

export const CATEGORIES: Readonly<Record<CertificateCategory, Bilingual>> = {
  1: { zh: '视力残疾', en: 'Visual disability' },
  2: { zh: '听力残疾', en: 'Hearing disability' },
  3: { zh: '言语残疾', en: 'Speech disability' },
  4: { zh: '肢体残疾', en: 'Physical disability' },
  5: { zh: '智力残疾', en: 'Intellectual disability' },
  6: { zh: '精神残疾', en: 'Mental disability' },
  7: { zh: '多重残疾', en: 'Multiple disabilities' },
};

export const LEVELS: readonly Level[] = [1, 2, 3, 4];
const LEVEL_ZH = ['一级', '二级', '三级', '四级'];

const FIELD = 'disabilities';
const fail = (code: string, zh: string, en: string) => invalid(code, zh, en, FIELD);

const isCategoryCode = (v: unknown): v is CategoryCode => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 6;
const isLevel = (v: unknown): v is Level => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4;

/**
 * Checks what an assessment form or application says about the disabilities and returns a clean
 * copy in the given order. Every message names the entry (第N项) so a clerk can find it on the form.
 */
export function validateDisabilities(list: unknown): Disability[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw fail(
      'disabilities.empty',
      '请至少填写一项残疾类别及其等级。',
      'Enter at least one disability category with its level.',
    );
  }
  const seen = new Set<CategoryCode>();
  return list.map((item: unknown, i): Disability => {
    const n = i + 1;
    const { category, level } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (category === 7) {
      throw fail(
        'disabilities.category',
        `第${n}项：“多重残疾”不能直接选择。请分别填写每一类残疾及其等级，系统会自动认定为多重残疾。`,
        `Entry ${n}: "multiple" cannot be chosen directly. Enter each category with its own level; the system then records a multiple disability.`,
      );
    }
    if (!isCategoryCode(category)) {
      throw fail(
        'disabilities.category',
        `第${n}项的残疾类别无效。请选择视力、听力、言语、肢体、智力或精神残疾之一。`,
        `Entry ${n} has no valid category. Choose one of visual, hearing, speech, physical, intellectual or mental.`,
      );
    }
    if (seen.has(category)) {
      throw fail(
        'disabilities.duplicate',
        `第${n}项：${CATEGORIES[category].zh}填写了不止一次。每类残疾只填一项，并写明其等级。`,
        `Entry ${n}: ${CATEGORIES[category].en.toLowerCase()} is listed more than once. List each category once, with its level.`,
      );
    }
    seen.add(category);
    if (!isLevel(level)) {
      throw fail(
        'disabilities.level',
        `第${n}项（${CATEGORIES[category].zh}）的等级无效。请选择一级至四级（一级最重）。`,
        `Entry ${n} (${CATEGORIES[category].en.toLowerCase()}) has no valid level. Choose level 1 to 4 (1 is the most severe).`,
      );
    }
    return { category, level };
  });
}

/** What the certificate shows: the single category, or 7 with the most severe (lowest) level. */
export function certificateCategoryAndLevel(list: Disability[]): { category: CertificateCategory; level: Level } {
  const valid = validateDisabilities(list);
  if (valid.length === 1) return { ...valid[0] };
  const level = Math.min(...valid.map((d) => d.level)) as Level;
  return { category: 7, level };
}

/**
 * Guardian ID and guardianship proof are required for intellectual and mental disabilities and for
 * minors (002 §2: 申请智力、精神残疾人证和未成年人申请时须提供).
 */
export function needsGuardian(categories: CategoryCode[], ageYears: number): boolean {
  return categories.includes(5) || categories.includes(6) || ageYears < 18;
}

export function categoryName(code: CertificateCategory, lang: Lang): string {
  const entry = CATEGORIES[code];
  if (!entry) throw new RangeError(`unknown disability category ${String(code)}`);
  return entry[lang];
}

export function levelName(level: Level, lang: Lang): string {
  if (!isLevel(level)) throw new RangeError(`unknown disability level ${String(level)}`);
  return lang === 'zh' ? LEVEL_ZH[level - 1] : `Level ${level}`;
}
