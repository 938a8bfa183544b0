/**
 * SLA-4: regional policy profiles. A province points to one; code never branches on a province.
 * Seeded profiles follow 002 §5 (national 跨省通办) and 003 (Zhejiang 全省通办); an admin can add more.
 */
import { z } from 'zod';

export const CLOCKS = ['acceptance', 'attendance', 'assessment', 'result_entry', 'hukou_issue', 'photo', 'reroute'] as const;
export type ClockName = (typeof CLOCKS)[number];

export const profileSettingsSchema = z.object({
  /** NEW-4: publicise adult results at the residence place … */
  publicity: z.boolean(),
  /** … or collect a signed commitment letter at application instead (Zhejiang). */
  commitmentLetter: z.boolean(),
  publicityDays: z.number().int().min(1).max(30),
  /** working-day limits per clock; null = no limit for that stage under this profile */
  sla: z.object({
    acceptance: z.number().int().positive().nullable(),
    /** 003: the applicant must attend the assessment within this many WD, or the case ends as abandoned */
    attendance: z.number().int().positive().nullable().default(null),
    assessment: z.number().int().positive().nullable(),
    /** SLA-3: a published special limit for intellectual/mental cases assessed outside the county */
    assessmentOutOfCounty: z.number().int().positive().nullable().default(null),
    result_entry: z.number().int().positive().nullable(),
    hukou_issue: z.number().int().positive().nullable(),
    photo: z.number().int().positive().nullable(),
    /** NEW-5: a case the hukou county returned is re-routed by the residence county within this many WD (profiles saved before it existed get 3) */
    reroute: z.number().int().positive().nullable().default(3),
  }),
  /** ORG-4: each handling clerk logs in at least this many times per working day */
  staffLoginsPerDay: z.number().int().min(1).max(4),
  /** SLA-2: an item is "due soon" when this many working days or fewer remain */
  dueSoonWd: z.number().int().min(0).max(5),
  /** NEW-9: 2nd-generation cards need a photo within the `photo` clock */
  cardGeneration: z.union([z.literal(1), z.literal(2)]),
  /** HOME-5: the day of the month a county's home-assessment report is due (Jiaozuo: 25); null = month end */
  homeReportDueDay: z.number().int().min(1).max(28).nullable().default(null),
  /** SEC-3: staff holding one of these roles in the province must log in with TOTP (e.g. ['approver', 'admin']) */
  totpRequiredRoles: z.array(z.string()).default([]),
});
export type ProfileSettings = z.infer<typeof profileSettingsSchema>;
export type PolicyProfile = { code: string; nameZh: string; nameEn: string; settings: ProfileSettings };

export const SEED_PROFILES: PolicyProfile[] = [
  {
    code: 'national',
    nameZh: '跨省通办（全国）',
    nameEn: 'Inter-provincial (national)',
    settings: {
      publicity: true,
      commitmentLetter: false,
      publicityDays: 7,
      sla: { acceptance: 3, attendance: null, assessment: null, assessmentOutOfCounty: null, result_entry: 10, hukou_issue: 7, photo: 5, reroute: 3 },
      staffLoginsPerDay: 1,
      dueSoonWd: 1,
      cardGeneration: 2,
      homeReportDueDay: null,
      totpRequiredRoles: [],
    },
  },
  {
    code: 'zhejiang',
    nameZh: '浙江全省通办',
    nameEn: 'Zhejiang province-wide',
    settings: {
      publicity: false,
      commitmentLetter: true,
      publicityDays: 7,
      sla: { acceptance: 1, attendance: 14, assessment: 19, assessmentOutOfCounty: null, result_entry: 5, hukou_issue: 10, photo: 5, reroute: 3 },
      staffLoginsPerDay: 2,
      dueSoonWd: 1,
      cardGeneration: 2,
      homeReportDueDay: null,
      totpRequiredRoles: [],
    },
  },
];

/**
 * Which profile governs a case: a case inside one province follows that province's profile
 * (Zhejiang's 全省通办 is a within-province arrangement); a case crossing provinces follows the
 * national 跨省通办 rules (002).
 */
export function profileForCase(
  residenceProvince: string,
  hukouProvince: string,
  provinceProfile: (province: string) => string | undefined,
): string {
  if (residenceProvince !== hukouProvince) return 'national';
  return provinceProfile(residenceProvince) ?? 'national';
}

/**
 * SLA-3: intellectual and mental disabilities are often assessed by a city hospital outside the
 * county (a psychiatric or child-development clinic); a case of only those categories may go there.
 */
export const mayAssessOutOfCounty = (categories: readonly number[]) => categories.length > 0 && categories.every((c) => c === 5 || c === 6);

/** The assessment limit for a case: the published special limit when it is assessed out of county, if there is one. */
export function assessmentLimitWd(profile: ProfileSettings, outOfCounty: boolean): number | null {
  return outOfCounty && profile.sla.assessmentOutOfCounty != null ? profile.sla.assessmentOutOfCounty : profile.sla.assessment;
}
