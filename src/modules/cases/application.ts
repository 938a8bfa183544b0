/**
 * Taking an application (NEW-1, MAT-1/2): validates the form, refuses what the rules forbid, and
 * opens the case in one transaction with its first history event and audit entry.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { ageOn, maskCitizenId, parseCitizenId } from '../../domain/citizen-id.js';
import { needsGuardian, type CategoryCode } from '../../domain/disability.js';
import { zhDate } from '../../domain/dates.js';
import { conflict, DomainError, invalid } from '../../domain/errors.js';
import { missingMaterials, requiredMaterials, knownMaterialCodes } from '../../domain/materials.js';
import { profileForCase } from '../../domain/profiles.js';
import { HOME_INITIAL, homeRequestSchema, type HomeRequest } from '../../domain/workflow/home.js';
import { matterDef } from '../../domain/workflow/registry.js';
import { clockStatus, startClock } from '../../domain/working-days.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { countyCodeOf, countyPathOf, provinceCodeOf, requireDivision, type Division } from '../org/divisions.js';
import { getProfile, provinceProfileCode } from '../org/profiles.js';
import { idIndex, maskName, nameIndex } from '../persons/persons.js';
import { activeCertificate, lastCancellation } from '../certificates/certificates.js';
import { waitingPathFor } from './access.js';
import { splitCaseData } from './case-data.js';

const phone = z.string().trim().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'phone: 11-digit mobile or area code + number / 手机号11位或区号加座机号');

export const applicationSchema = z.object({
  matter: z.literal('new'),
  applicant: z.object({
    idNumber: z.string().trim().min(15).max(18),
    name: z.string().trim().min(1).max(50),
    ethnicity: z.string().trim().max(20).optional(),
    phone,
    address: z.string().trim().max(200).optional(),
  }),
  guardian: z
    .object({
      idNumber: z.string().trim().min(15).max(18),
      name: z.string().trim().min(1).max(50),
      phone,
      relation: z.string().trim().min(1).max(20),
    })
    .optional(),
  residenceCode: z.string().trim(),
  hukouCode: z.string().trim(),
  /** the county taking the application; defaults to the residence county */
  acceptCode: z.string().trim().optional(),
  categories: z.array(z.number().int().min(1).max(6)).min(1).max(6),
  materialsProvided: z.array(z.string()).default([]),
  delivery: z.object({ method: z.enum(['courier', 'hand']), address: z.string().trim().max(200).optional() }).optional(),
  channel: z.enum(['onsite', 'online', 'proxy']).optional(),
  /** HOME-1/2: the person cannot travel and asks for the assessment at home */
  homeAssessment: homeRequestSchema.optional(),
});
export type ApplicationInput = z.infer<typeof applicationSchema>;

export async function openApplication(ctx: AppContext, q: Queryable, who: Principal, input: ApplicationInput) {
  const today = ctx.clock.today();
  const id = parseCitizenId(input.applicant.idNumber, { today }).id;
  const info = parseCitizenId(id, { today });
  if (new Set(input.categories).size !== input.categories.length) {
    throw invalid('application.categories', '残疾类别不能重复选择。', 'A category is chosen twice.', 'categories');
  }
  const unknown = input.materialsProvided.filter((m) => !knownMaterialCodes().includes(m));
  if (unknown.length) {
    throw invalid('application.materials', `未知的材料代码：${unknown.join('、')}。`, `Unknown material code(s): ${unknown.join(', ')}.`, 'materialsProvided');
  }
  const residence = await requireDivision(q, input.residenceCode, 'residenceCode');
  const hukou = await requireDivision(q, input.hukouCode, 'hukouCode');
  const accept = input.acceptCode ? await requireDivision(q, input.acceptCode, 'acceptCode') : residence;
  const acceptCounty = countyPathOf(accept.path);
  if (acceptCounty !== countyPathOf(residence.path) && acceptCounty !== countyPathOf(hukou.path)) {
    throw invalid('application.accept_place', '受理地须为居住地或户籍地所在县（区）。', 'The accepting county must be the residence or the hukou county.', 'acceptCode');
  }
  const age = ageOn(info.birthDate, today);
  const guardianNeeded = needsGuardian(input.categories as CategoryCode[], age);
  if (guardianNeeded && !input.guardian) {
    throw invalid('application.guardian', '申请人为未成年人或申请智力、精神类别，须填写监护人信息。', 'The applicant is a minor or applies for an intellectual/mental category: enter the guardian.', 'guardian');
  }
  if (input.guardian) parseCitizenId(input.guardian.idNumber, { today });

  const filer = filingRole(who, Boolean(input.homeAssessment), acceptCounty, residence);
  const channel = who.kind === 'applicant' ? 'online' : filer === 'clerk' ? input.channel ?? 'onsite' : 'proxy';

  await refuseBlocked(q, idIndex(ctx.crypto, id), today, matterDef(input.matter).family);
  return createCase(ctx, q, who, {
    matter: input.matter,
    idNumber: id,
    birthDate: info.birthDate,
    form: { ...input.applicant, idNumber: id, guardian: input.guardian, delivery: input.delivery },
    categories: input.categories,
    residence, hukou, accept,
    materialsProvided: input.materialsProvided,
    needsGuardian: guardianNeeded,
    home: input.homeAssessment,
    filer, channel,
  });
}

export type CaseSpec = {
  matter: string;
  variant?: string | null;
  /** the certificate a matter other than NEW acts on, and for a transfer the county that holds it */
  certificateId?: string;
  origin?: Division;
  personId?: string;
  idNumber: string;
  birthDate: string;
  /** identity, contact, guardian and delivery as the applicant gave them (stored encrypted) */
  form: { name: string; [k: string]: unknown };
  categories: number[];
  residence: Division;
  hukou: Division;
  accept: Division;
  materialsProvided: string[];
  needsGuardian: boolean;
  home?: HomeRequest;
  /** what the matter keeps from the application (e.g. the cancellation reason) */
  data?: Record<string, unknown>;
  filer: string;
  channel: 'onsite' | 'online' | 'proxy';
};

/**
 * Opens a case of any matter in the caller's transaction: profile (SLA-4), materials still missing
 * (MAT-2), the first state and clock, the case row, its first history event and the audit entry.
 */
export async function createCase(ctx: AppContext, q: Queryable, who: Principal, c: CaseSpec) {
  const today = ctx.clock.today();
  const acceptCounty = countyPathOf(c.accept.path);
  // The county taking the application is the residence side of the case: taken at the hukou county,
  // it is a local application (no residence permit, that province's profile) wherever the person lives.
  const acceptProvince = provinceCodeOf(c.accept.path);
  const acceptProfile = await provinceProfileCode(q, acceptProvince);
  // a transfer from another province crosses provinces even when the person now lives where the new hukou is
  const otherPlace = c.origin && provinceCodeOf(c.origin.path) !== acceptProvince ? c.origin : c.hukou;
  const profile = await getProfile(q, profileForCase(acceptProvince, provinceCodeOf(otherPlace.path), (p) => (p === acceptProvince ? acceptProfile : undefined)));
  const crossRegion = acceptCounty !== countyPathOf(c.hukou.path);
  const reason = (c.data?.cancellation as { reason?: string } | undefined)?.reason;
  const required = requiredMaterials(c.matter, { needsGuardian: c.needsGuardian, crossRegion, profile: profile.settings, variant: c.variant, reason });
  const missing = missingMaterials(required, c.materialsProvided);

  const matter = matterDef(c.matter);
  const caseId = randomUUID();
  const caseNo = `${c.matter.toUpperCase()}-${acceptCounty.split('.')[2]}-${today.replaceAll('-', '')}-${randomInt(0, 1e6).toString().padStart(6, '0')}`;
  // a home-assessment request is reviewed by village, township and county before it becomes an application
  const initial = c.home ? HOME_INITIAL : matter.initial;
  const clocks = profile.settings.sla.acceptance && !c.home ? { acceptance: startClock(today, profile.settings.sla.acceptance) } : {};
  const cal = await ctx.calendar.get(q);
  const dueOn = clocks.acceptance ? clockStatus(cal, clocks.acceptance, today).dueOn : null;
  const state = matter.states[initial];
  const data = {
    needsGuardian: c.needsGuardian,
    materials: { provided: c.materialsProvided },
    missingAtApplication: missing.map((m) => m.code),
    ...(c.home ? { home: { ...c.home, requestedOn: today, reviews: [] } } : {}),
    ...c.data,
  };
  const bidx = idIndex(ctx.crypto, c.idNumber);
  const personId = c.personId ?? (await q.query('SELECT id FROM person WHERE id_bidx = $1', [bidx]))[0]?.id ?? null;
  const stored = splitCaseData(ctx.crypto, data);
  // CARD-3: the unique index case_one_open_per_family decides between filings sent at the same
  // moment — in this county or any other — so the loser waits for the winner and inserts nothing
  const inserted = await q.query(
    `INSERT INTO case_file (id, case_no, matter, state, profile_code, channel, person_id, applicant_bidx, applicant_enc, applicant_masked,
       applicant_name_masked, birth_date, applicant_account_id, categories, residence_code, residence_path, hukou_code, hukou_path,
       accept_code, accept_path, data, clocks, waiting_side, waiting_path, waiting_roles, active_clock, due_on, created_at, updated_at, applicant_name_bidx,
       home_requested_on, certificate_id, variant, origin_code, origin_path, health_enc, family)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$28,$29,$30,$31,$32,$33,$34,$35,$36)
     ON CONFLICT (applicant_bidx, family) WHERE closed_at IS NULL DO NOTHING RETURNING id`,
    [
      caseId, caseNo, c.matter, initial, profile.code, c.channel, personId, bidx, ctx.crypto.encryptJson(c.form),
      maskCitizenId(c.idNumber), maskName(c.form.name), c.birthDate, who.kind === 'applicant' ? who.id : null, c.categories,
      c.residence.code, c.residence.path, c.hukou.code, c.hukou.path, countyCodeOf(c.accept.path), acceptCounty, JSON.stringify(stored.data), JSON.stringify(clocks),
      state.waitingOn!.side,
      waitingPathFor(state.waitingOn!, { accept_path: acceptCounty, residence_path: c.residence.path, hukou_path: c.hukou.path, institution_path: null, origin_path: c.origin?.path ?? null }),
      state.waitingOn!.roles, clocks.acceptance ? state.clock ?? null : null, dueOn, ctx.clock.now().toISOString(),
      nameIndex(ctx.crypto, c.form.name), c.home ? today : null, c.certificateId ?? null, c.variant ?? null, c.origin?.code ?? null, c.origin?.path ?? null,
      stored.healthEnc, matter.family,
    ],
  );
  if (!inserted.length) await refuseOpenCase(q, bidx, matter.family);
  const actor = who.kind === 'staff' ? { kind: 'staff', id: who.id, name: who.displayName, role: c.filer } : { kind: 'applicant', id: who.id, name: maskName(c.form.name), role: 'applicant' };
  await q.query(
    `INSERT INTO case_event (case_id, action, from_state, to_state, actor_kind, actor_id, actor_name, actor_role, org_unit_id, at, payload_enc)
     VALUES ($1, 'apply', NULL, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [caseId, initial, actor.kind, actor.id, actor.name, actor.role, acceptingOrg(who, acceptCounty), ctx.clock.now().toISOString(),
      ctx.crypto.encryptJson({ channel: c.channel, variant: c.variant ?? null, categories: c.categories, materialsProvided: c.materialsProvided, missing: missing.map((m) => m.code), home: c.home ?? null })],
  );
  await appendAudit(q, {
    chain: acceptingOrg(who, acceptCounty) ?? `county:${acceptCounty.split('.')[2]}`,
    actor: `${actor.kind}:${actor.id}`,
    action: 'case.apply',
    objectType: 'case',
    objectId: caseId,
    detail: { caseNo, matter: c.matter, variant: c.variant ?? null, channel: c.channel, toState: initial, home: Boolean(c.home) },
    at: ctx.clock.now(),
  });
  return { caseId, caseNo, missing };
}

const acceptingOrg = (who: Principal, countyPath: string) =>
  who.kind === 'staff' ? who.grants.find((g) => g.orgPath === countyPath)?.orgUnitId ?? null : null;

/**
 * Who may file, in which role: a clerk of the accepting county, or the applicant online — and, for a
 * home-assessment request (HOME-2), the village or township worker of the place the person lives,
 * which must then be a village/community of the accepting county.
 */
export function filingRole(who: Principal, home: boolean, acceptCounty: string, residence: Division): 'clerk' | 'village_worker' | 'township_worker' | 'applicant' {
  if (home) {
    if (residence.level < 5) {
      throw invalid('application.home_place', '上门评定申请须填写申请人居住的村（社区）。', 'A home-assessment request needs the village or community where the person lives.', 'residenceCode');
    }
    if (acceptCounty !== countyPathOf(residence.path)) {
      throw invalid('application.home_accept', '上门评定由居住地县级残联组织，受理地须为居住地县（区）。', 'Home assessment is organised by the residence county; it must be the accepting county.', 'acceptCode');
    }
  }
  if (who.kind === 'applicant') return 'applicant';
  if (who.grants.some((g) => ['clerk', 'reviewer'].includes(g.role) && g.orgPath === acceptCounty)) return 'clerk';
  const local = home && who.grants.find((g) => (g.role === 'village_worker' || g.role === 'township_worker') && residence.path.startsWith(g.orgPath));
  if (local) return local.role as 'village_worker' | 'township_worker';
  throw new DomainError('forbidden', 'application.not_your_county', {
    zh: '只有受理地县级残联的办证员可以录入申请（村、乡镇专职委员可录入本地的上门评定申请）。请选择本县（区）为受理地。',
    en: 'Only a clerk of the accepting county may enter an application (village and township workers may enter home-assessment requests for their area); choose your own county.',
  });
}

/** NEW-1 and duplicates: refuse while a certificate is live, within a year of a cancellation, or with a case open. */
async function refuseBlocked(q: Queryable, bidx: string, today: string, family: string) {
  const [person] = await q.query('SELECT id FROM person WHERE id_bidx = $1', [bidx]);
  if (person) await refuseByCertificate(q, person.id, today);
  await refuseOpenCase(q, bidx, family);
}

/**
 * CARD-3: 409 when the person has an open case of this matter family anywhere in the country. The
 * answer names the federation that holds it and since when — nothing else about a case the caller
 * may have no right to see — so the applicant knows whom to ask.
 */
export async function refuseOpenCase(q: Queryable, bidx: string, family: string) {
  const [open] = await q.query(
    `SELECT c.created_at, coalesce(o.name, d.name) AS holder FROM case_file c
     LEFT JOIN org_unit o ON o.path = c.accept_path AND o.kind = 'federation' JOIN division d ON d.code = c.accept_code
     WHERE c.applicant_bidx = $1 AND c.family = $2 AND c.closed_at IS NULL LIMIT 1`,
    [bidx, family],
  );
  if (!open) return;
  const since = String(open.created_at).slice(0, 10);
  throw conflict(
    'application.duplicate',
    `该申请人已有在办的同类申请，由${open.holder}自${zhDate(since)}起办理，请勿重复申请；如需了解进度，请联系该残联。`,
    `This applicant already has an open application of this kind, held by ${open.holder} since ${since}. Do not apply again; ask that federation about its progress.`,
  );
}

async function refuseByCertificate(q: Queryable, personId: string, today: string) {
  const live = await activeCertificate(q, personId);
  if (live) {
    throw conflict('application.has_certificate', '该申请人已持有有效残疾人证，请办理换领或类别/等级变更，而非新办。', 'The applicant already holds a certificate: apply for renewal or a category/level change instead of a new one.');
  }
  const cancelledAt = await lastCancellation(q, personId);
  if (cancelledAt) {
    const until = new Date(cancelledAt);
    until.setUTCFullYear(until.getUTCFullYear() + 1);
    const allowedFrom = until.toISOString().slice(0, 10);
    const [override] = await q.query('SELECT 1 FROM reapply_override WHERE person_id = $1 AND valid_until >= $2 LIMIT 1', [personId, today]);
    if (today < allowedFrom && !override) {
      throw conflict('application.recently_cancelled', `该申请人的残疾人证注销未满一年，${zhDate(allowedFrom)}起方可重新申请（确有需要的，可由督导人员批准提前申请）。`, `The applicant's certificate was cancelled less than a year ago; a new application is possible from ${allowedFrom} (a supervisor may allow it earlier).`);
    }
  }
}
