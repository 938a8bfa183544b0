/**
 * Taking an application for a matter on an existing certificate — renewal, transfer, reissue,
 * cancellation, category/level change: find the holder's certificate by ID number, check the
 * matter may be opened on it today (RENEW-1, RENEW-4, CANCEL-2, TRF-1 …), and open the case on it.
 * A reissue reports the card lost in the same transaction (REISSUE-1); a card handed in is logged (CARD-1).
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { ageOn, parseCitizenId } from '../../domain/citizen-id.js';
import { CANCEL_REASONS, certificateMatterRefusal, type CertificateFacts } from '../../domain/certificates.js';
import { needsGuardian, type CategoryCode } from '../../domain/disability.js';
import { conflict, DomainError, invalid } from '../../domain/errors.js';
import { knownMaterialCodes } from '../../domain/materials.js';
import { CANCEL_VARIANTS } from '../../domain/workflow/matters/cancel.js';
import { RENEW_VARIANTS } from '../../domain/workflow/matters/renew.js';
import { homeRequestSchema } from '../../domain/workflow/home.js';
import { CERTIFICATE_MATTERS, matterDef } from '../../domain/workflow/registry.js';
import type { Queryable } from '../../platform/db.js';
import type { Principal } from '../auth/principal.js';
import { changeCertificateState } from '../certificates/certificates.js';
import { logOldCard } from '../old-cards/old-cards.js';
import { countyPathOf, requireDivision } from '../org/divisions.js';
import { idIndex } from '../persons/persons.js';
import { createCase, filingRole, refuseOpenCase } from './application.js';

const phone = z.string().trim().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'phone: 11-digit mobile or area code + number / 手机号11位或区号加座机号');
const category = z.number().int().min(1).max(6);

export const certificateApplicationSchema = z.object({
  matter: z.enum(CERTIFICATE_MATTERS),
  /** the holder's citizen ID number: the certificate is found by it */
  idNumber: z.string().trim().min(15).max(18),
  /** renewal: expiry | damaged | info_update; cancellation: whole | partial */
  variant: z.string().optional(),
  residenceCode: z.string().trim(),
  /** a transfer's new hukou place; other matters keep the holder's */
  hukouCode: z.string().trim().optional(),
  acceptCode: z.string().trim().optional(),
  phone: phone.optional(),
  guardian: z.object({ idNumber: z.string().trim().min(15).max(18), name: z.string().trim().min(1).max(50), phone, relation: z.string().trim().min(1).max(20) }).optional(),
  /** change: the categories to be assessed */
  categories: z.array(category).max(6).optional(),
  /** partial cancellation: the categories to remove */
  removeCategories: z.array(category).max(5).optional(),
  /** cancellation: why */
  reason: z.enum(CANCEL_REASONS).optional(),
  reasonNote: z.string().trim().max(500).optional(),
  /** information update (RENEW-4): the fields that change; never category or level */
  updates: z.record(z.string(), z.unknown()).optional(),
  materialsProvided: z.array(z.string()).default([]),
  delivery: z.object({ method: z.enum(['courier', 'hand']), address: z.string().trim().max(200).optional() }).optional(),
  /** CARD-1: the old card was handed in with the application */
  oldCardCollected: z.boolean().default(false),
  channel: z.enum(['onsite', 'online', 'proxy']).optional(),
  homeAssessment: homeRequestSchema.optional(),
});
export type CertificateApplicationInput = z.infer<typeof certificateApplicationSchema>;

/** RENEW-4: the personal details an information update may change. */
const updatesSchema = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  ethnicity: z.string().trim().max(20).optional(),
  address: z.string().trim().max(200).optional(),
  phone: phone.optional(),
}).strict();

const VARIANTS: Partial<Record<string, readonly string[]>> = { renew: RENEW_VARIANTS, cancel: CANCEL_VARIANTS };

export async function openCertificateApplication(ctx: AppContext, q: Queryable, who: Principal, input: CertificateApplicationInput) {
  const today = ctx.clock.today();
  const id = parseCitizenId(input.idNumber, { today }).id;
  const variants = VARIANTS[input.matter];
  if (variants && !variants.includes(input.variant ?? '')) {
    throw invalid('application.variant', `请选择办理类型：${variants.join('、')}。`, `Choose the kind of ${input.matter}: ${variants.join(', ')}.`, 'variant');
  }
  if (!variants && input.variant) {
    throw invalid('application.variant', '此事项不分办理类型，请不要填写办理类型。', `A ${input.matter} has no kinds to choose from; send no variant.`, 'variant');
  }
  const variant = variants ? input.variant! : null;
  if (input.matter === 'cancel' && !input.reason) throw invalid('application.cancel_reason', '请选择注销原因。', 'Choose the reason for the cancellation.', 'reason');
  if (input.matter === 'cancel' && who.kind === 'applicant') {
    throw new DomainError('forbidden', 'application.cancel_online', { zh: '注销须由县级残联办理。', en: 'A cancellation is handled by the county federation.' });
  }
  const unknown = input.materialsProvided.filter((m) => !knownMaterialCodes().includes(m));
  if (unknown.length) throw invalid('application.materials', `未知的材料代码：${unknown.join('、')}。`, `Unknown material code(s): ${unknown.join(', ')}.`, 'materialsProvided');

  const [person] = await q.query('SELECT * FROM person WHERE id_bidx = $1', [idIndex(ctx.crypto, id)]);
  const [cert] = person
    ? await q.query(`SELECT * FROM certificate WHERE person_id = $1 AND replaced_by IS NULL ORDER BY valid_from DESC, card_no DESC LIMIT 1`, [person.id])
    : [];
  if (!cert) {
    throw invalid('application.no_certificate', '未找到该身份证号的残疾人证。首次办证请办理新办。', 'No certificate is on file for this ID number; apply for a new certificate instead.', 'idNumber');
  }
  const facts: CertificateFacts = { state: cert.state, validFrom: cert.valid_from, validUntil: cert.valid_until, disabilities: cert.disabilities, visualAssessment: cert.visual_assessment };
  if (input.matter === 'renew' && variant === 'info_update') {
    const refusal = certificateMatterRefusal({ matter: 'renew', variant, updates: input.updates }, facts, today);
    if (refusal) throw invalid('application.renew_category', refusal.zh, refusal.en, 'updates');
    const checked = updatesSchema.safeParse(input.updates ?? {});
    if (!checked.success || !Object.keys(checked.data).length) {
      throw invalid('application.updates', '请填写要更新的信息（姓名、民族、住址或电话）。', 'Enter what changes (name, ethnicity, address or phone).', 'updates');
    }
  }
  const refusal = certificateMatterRefusal({ matter: input.matter, variant, categories: input.categories, removeCategories: input.removeCategories }, facts, today);
  // decision 0008: what the request asks that does not fit the certificate is 422 with the field; the certificate's state or date, 409
  if (refusal) throw refusal.field ? invalid('application.certificate', refusal.zh, refusal.en, refusal.field) : conflict('application.certificate', refusal.zh, refusal.en);
  await refuseOpenCase(q, idIndex(ctx.crypto, id), matterDef(input.matter).family);

  const residence = await requireDivision(q, input.residenceCode, 'residenceCode');
  const hukou = input.matter === 'transfer'
    ? await requireDivision(q, input.hukouCode ?? '', 'hukouCode')
    : await requireDivision(q, person.hukou_code, 'hukouCode');
  if (input.matter === 'transfer' && countyPathOf(hukou.path) === countyPathOf(person.hukou_path)) {
    throw invalid('application.transfer_same_county', '新户籍地与原户籍地在同一县（区），无需办理迁移；如只是地址变化，请办理资料更新换证。', 'The new hukou place is in the same county as before: no transfer is needed (for a new address, apply for an information update).', 'hukouCode');
  }
  // TRF-1: a transfer is taken and approved by the new hukou county
  const accept = input.matter === 'transfer' ? hukou : input.acceptCode ? await requireDivision(q, input.acceptCode, 'acceptCode') : residence;
  const acceptCounty = countyPathOf(accept.path);
  if (acceptCounty !== countyPathOf(residence.path) && acceptCounty !== countyPathOf(hukou.path)) {
    throw invalid('application.accept_place', '受理地须为居住地或户籍地所在县（区）。', 'The accepting county must be the residence or the hukou county.', 'acceptCode');
  }
  const categories = input.matter === 'change' ? [...new Set(input.categories!)] : facts.disabilities.map((d) => d.category as number);
  const guardianNeeded = needsGuardian(categories as CategoryCode[], ageOn(person.birth_date, today));
  if (guardianNeeded && !input.guardian && ['renew', 'reissue', 'change'].includes(input.matter)) {
    throw invalid('application.guardian', '持证人为未成年人或智力、精神残疾，须填写监护人信息。', 'The holder is a minor or has an intellectual/mental disability: enter the guardian.', 'guardian');
  }
  if (input.guardian) parseCitizenId(input.guardian.idNumber, { today });
  const filer = filingRole(who, Boolean(input.homeAssessment), acceptCounty, residence);
  const details = ctx.crypto.decryptJson<{ phone?: string; address?: string }>(person.details_enc);
  const name = ctx.crypto.decrypt(person.name_enc);

  const opened = await createCase(ctx, q, who, {
    matter: input.matter,
    variant,
    certificateId: cert.id,
    origin: input.matter === 'transfer' ? await requireDivision(q, person.hukou_code, 'hukouCode') : undefined,
    personId: person.id,
    idNumber: id,
    birthDate: person.birth_date,
    form: { idNumber: id, name, phone: input.phone ?? details.phone, address: details.address, guardian: input.guardian, delivery: input.delivery },
    categories,
    residence, hukou, accept,
    materialsProvided: input.materialsProvided,
    needsGuardian: guardianNeeded,
    home: input.matter === 'change' ? input.homeAssessment : undefined,
    data: {
      certificateNumberMasked: cert.number_masked,
      ...(input.matter === 'cancel' ? { cancellation: { reason: input.reason, note: input.reasonNote ?? '', removeCategories: input.removeCategories ?? [] } } : {}),
      ...(variant === 'info_update' ? { updates: input.updates } : {}),
      oldCardCollected: input.oldCardCollected,
    },
    filer,
    channel: who.kind === 'applicant' ? 'online' : filer === 'clerk' ? input.channel ?? 'onsite' : 'proxy',
  });
  if (input.oldCardCollected && who.kind === 'staff') {
    // CARD-1: the card handed in at the window goes on the accepting county's register
    await logOldCard(q, ctx, { certificateId: cert.id, caseId: opened.caseId, countyPath: acceptCounty, collectedOn: today, actorId: who.id });
  }
  // a card already reported lost (its earlier reissue was returned or refused) stays so
  if (input.matter === 'reissue' && cert.state !== 'reported_lost') {
    // REISSUE-1: the lost card is invalid from this moment; nothing ever reactivates it
    await changeCertificateState(q, cert.id, 'reported_lost', { reason: 'reported_lost', actorId: who.kind === 'staff' ? who.id : null, caseId: opened.caseId, at: ctx.clock.now() });
  }
  return opened;
}
