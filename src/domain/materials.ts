/**
 * MAT-1: the materials checklist is data, per matter and profile (002 §2, 003).
 * MAT-2: `missingMaterials` yields ALL missing items so they are told at once (一次性告知).
 */
import type { Bilingual } from './errors.js';
import type { ProfileSettings } from './profiles.js';

export type MaterialItem = { code: string; label: Bilingual; when?: (c: MaterialContext) => boolean };
export type MaterialContext = { needsGuardian: boolean; crossRegion: boolean; profile: ProfileSettings; variant?: string | null; reason?: string | null };

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
  { code: 'old_card', label: { zh: '原残疾人证（交回）', en: 'The old certificate card (handed in)' } },
  { code: 'hukou_transfer_proof', label: { zh: '公安机关户口迁移证明或新户口簿', en: 'Police hukou-transfer proof or the new hukou book' } },
  { code: 'loss_statement', label: { zh: '残疾人证遗失说明（本人或监护人签字）', en: 'Statement of the loss, signed by the holder or guardian' } },
  { code: 'death_proof', label: { zh: '死亡证明或户口注销证明', en: 'Death certificate or proof the hukou was closed' }, when: (c) => c.reason === 'death' },
];

/**
 * Forms produced while a case is handled (not brought by the applicant): each is scanned into the
 * person's file (ARCH-1) and some gate the next step.
 */
const FORMS: MaterialItem[] = [
  { code: 'assessment_form', label: { zh: '残疾评定表（医生签字、机构盖章后的扫描件）', en: 'Assessment form (scan, signed by the doctor and stamped by the institution)' } },
  // TRF-2: what the former county hands over from the archive (application form, assessment form, guardian proof, publicity records)
  { code: 'archive_file', label: { zh: '档案电子材料（原户籍地移交）', en: 'Archive files (handed over by the former county)' } },
];

/** Checklists per matter. Later matters add their own lists here. */
const CHECKLISTS: Record<string, string[]> = {
  new: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit', 'commitment_letter'],
  renew: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof', 'residence_permit'],
  transfer: ['photos', 'id_and_hukou', 'hukou_transfer_proof', 'old_card'],
  reissue: ['photos', 'id_and_hukou', 'loss_statement', 'guardian_proof', 'residence_permit'],
  cancel: ['id_and_hukou', 'death_proof'],
  change: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof', 'residence_permit', 'commitment_letter'],
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
