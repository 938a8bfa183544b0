/**
 * MAT-1: the materials checklist is data, per matter and profile (002 §2, 003).
 * MAT-2: `missingMaterials` yields ALL missing items so they are told at once (一次性告知).
 */
import type { Bilingual } from './errors.js';
import type { ProfileSettings } from './profiles.js';

export type MaterialItem = { code: string; label: Bilingual; when?: (c: MaterialContext) => boolean };
export type MaterialContext = { needsGuardian: boolean; crossRegion: boolean; profile: ProfileSettings };

const ITEMS: MaterialItem[] = [
  { code: 'photos', label: { zh: '近期二寸免冠彩色照片3张', en: 'Three recent 2-inch colour photos' } },
  { code: 'id_and_hukou', label: { zh: '申请人居民身份证及户口簿', en: "Applicant's ID card and household register (hukou book)" } },
  {
    code: 'guardian_proof',
    label: {
      zh: '监护人身份证及监护关系证明（同一户口簿或监护证明）',
      en: "Guardian's ID card and proof of guardianship (same hukou book or a guardianship certificate)",
    },
    when: (c) => c.needsGuardian,
  },
  {
    code: 'residence_permit',
    label: { zh: '有效居住证', en: 'Valid residence permit' },
    when: (c) => c.crossRegion,
  },
  {
    code: 'commitment_letter',
    label: { zh: '申请人签署的承诺书', en: 'Commitment letter signed by the applicant' },
    when: (c) => c.profile.commitmentLetter,
  },
];

/**
 * Forms produced while a case is handled (not brought by the applicant): each is scanned into the
 * person's file (ARCH-1) and some gate the next step.
 */
const FORMS: MaterialItem[] = [
  { code: 'assessment_form', label: { zh: '残疾评定表（医生签字、机构盖章后的扫描件）', en: 'Assessment form (scan, signed by the doctor and stamped by the institution)' } },
];

/** Checklists per matter. Later matters add their own lists here. */
const CHECKLISTS: Record<string, string[]> = {
  new: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit', 'commitment_letter'],
};

export function requiredMaterials(matter: string, ctx: MaterialContext): MaterialItem[] {
  const codes = CHECKLISTS[matter] ?? [];
  return ITEMS.filter((i) => codes.includes(i.code) && (i.when?.(ctx) ?? true));
}

export function missingMaterials(required: MaterialItem[], provided: readonly string[]): MaterialItem[] {
  return required.filter((i) => !provided.includes(i.code));
}

export const knownMaterialCodes = () => [...ITEMS, ...FORMS].map((i) => i.code);

/** The label of a checklist item, for screens and notices (an unknown code shows as itself). */
export const materialLabel = (code: string): Bilingual => [...ITEMS, ...FORMS].find((i) => i.code === code)?.label ?? { zh: code, en: code };
