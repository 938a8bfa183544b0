/**
 * Runs one workflow action in one transaction: jurisdiction (404 outside it), expected version
 * (409 when stale), the engine's decision (permission, guards, clocks), effects, the new state,
 * a case-history event and an audit entry. Nothing is written unless all of it succeeds.
 */
import type { AppContext } from '../../app-context.js';
import { conflict, DomainError, invalid } from '../../domain/errors.js';
import { doctorRefusal, institutionRefusal } from '../../domain/qualification.js';
import { designationOf, qualificationOf } from '../assessment/qualifications.js';
import { assessmentLimitWd, mayAssessOutOfCounty, profileSettingsSchema } from '../../domain/profiles.js';
import { decide, withClockLimit, type Decision } from '../../domain/workflow/engine.js';
import { matterDef } from '../../domain/workflow/registry.js';
import type { CaseSnapshot } from '../../domain/workflow/types.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import { mergeCaseData, splitCaseData } from './case-data.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { issueCertificate } from '../certificates/certificates.js';
import { cancelFromCase, replaceFromCase } from '../certificates/replacement.js';
import { cityPathOf, countyPathOf, requireDivision } from '../org/divisions.js';
import { upsertPerson } from '../persons/persons.js';
import { assertOnBatch, noteVisitOutcome } from '../home-visits/visits.js';
import { grantsOnCase, visibleCaseRow, waitingPathFor } from './access.js';

export async function snapshotOf(q: Queryable, crypto: FieldCrypto, row: any): Promise<CaseSnapshot> {
  const [profile] = await q.query('SELECT settings FROM policy_profile WHERE code = $1', [row.profile_code]);
  const documents = await q.query('SELECT material_code FROM case_document WHERE case_id = $1', [row.id]);
  const [cert] = row.certificate_id ? await q.query('SELECT state, valid_from, valid_until, disabilities, visual_assessment FROM certificate WHERE id = $1', [row.certificate_id]) : [];
  return {
    matter: row.matter,
    state: row.state,
    version: row.version,
    birthDate: row.birth_date,
    categories: row.categories,
    crossRegion: countyPathOf(row.accept_path) !== countyPathOf(row.hukou_path),
    profile: profileSettingsSchema.parse(profile.settings),
    data: mergeCaseData(crypto, row),
    clocks: row.clocks,
    documents: documents.map((d: any) => d.material_code),
    variant: row.variant,
    certificate: cert ? { state: cert.state, validFrom: cert.valid_from, validUntil: cert.valid_until, disabilities: cert.disabilities, visualAssessment: cert.visual_assessment } : null,
  };
}

export async function runAction(ctx: AppContext, q: Queryable, p: Principal, caseId: string, action: string, expectedVersion: number, input: unknown) {
  const row = await visibleCaseRow(q, p, caseId, true);
  if (row.version !== expectedVersion) {
    throw conflict(
      'case.stale_version',
      `案件已被他人更新（当前版本 ${row.version}，您提交的是 ${expectedVersion}），本次操作未生效。请刷新后重新操作。`,
      `The case was changed by someone else (now version ${row.version}, you sent ${expectedVersion}); nothing was changed. Reload and try again.`,
    );
  }
  const today = ctx.clock.today();
  const matter = matterDef(row.matter);
  const snap = await snapshotOf(q, ctx.crypto, row);
  const grants = grantsOnCase(p, row as any);
  const cal = await ctx.calendar.get(q);
  let decision = decide(matter, snap, action, grants, input, today, cal);
  const routing = await resolveReferences(q, p, row, decision, today);
  if (routing.outOfCounty !== undefined) {
    decision.data.outOfCountyInstitution = routing.outOfCounty;
    decision = withClockLimit(decision, 'assessment', assessmentLimitWd(snap.profile, routing.outOfCounty), today, cal);
  }
  const actorOrg = actingOrg(p, row, decision);

  let personId: string | null = row.person_id;
  for (const effect of decision.effects) {
    if (effect === 'cancelCertificate') {
      await cancelFromCase(ctx, q, p, row, decision);
      continue;
    }
    const issued = effect === 'issueCertificate' ? await issueFromCase(ctx, q, p, row, decision, actorOrg!) : await replaceFromCase(ctx, q, p, row, decision, snap, actorOrg!);
    personId = issued.personId;
    // case data is not encrypted, so it keeps the masked number only
    decision.data.certificate = { id: issued.id, numberMasked: issued.numberMasked, validFrom: issued.validFrom, validUntil: issued.validUntil, category: issued.category, level: issued.level };
  }

  const final = decision.final;
  const stored = splitCaseData(ctx.crypto, decision.data);
  const waitingPath = waitingPathFor(decision.waiting, { ...row, ...routing.columns });
  await q.query(
    `UPDATE case_file SET state = $3, version = version + 1, data = $4, clocks = $5, waiting_side = $6, waiting_path = $7,
       waiting_roles = $8, active_clock = $9, due_on = $10, updated_at = $11, closed_at = $12,
       institution_id = $13, institution_path = $14, hukou_code = $15, hukou_path = $16, person_id = $17, health_enc = $18
     WHERE id = $1 AND version = $2`,
    [
      row.id, row.version, decision.to, JSON.stringify(stored.data), JSON.stringify(decision.clocks),
      decision.waiting?.side ?? null, final ? null : waitingPath, decision.waiting?.roles ?? [], decision.activeClock, decision.dueOn,
      ctx.clock.now().toISOString(), final ? ctx.clock.now().toISOString() : null,
      routing.columns.institution_id ?? row.institution_id, routing.columns.institution_path ?? row.institution_path,
      routing.columns.hukou_code ?? row.hukou_code, routing.columns.hukou_path ?? row.hukou_path,
      personId,
      stored.healthEnc,
    ],
  );
  if (action === 'record_assessment') await recordAssessment(ctx, q, p, row, decision);
  if (action === 'record_assessment' || action === 'record_visit_outcome') await noteVisitOutcome(ctx, q, p, row, decision);
  const actor = p.kind === 'staff' ? { kind: 'staff', id: p.id, name: p.displayName } : { kind: 'applicant', id: p.id, name: row.applicant_name_masked };
  await q.query(
    `INSERT INTO case_event (case_id, action, from_state, to_state, actor_kind, actor_id, actor_name, actor_role, org_unit_id, at, payload_enc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [row.id, action, decision.from, decision.to, actor.kind, actor.id, actor.name, decision.role, actorOrg, ctx.clock.now().toISOString(), ctx.crypto.encryptJson(decision.input ?? {})],
  );
  await appendAudit(q, {
    chain: actorOrg ?? `county:${countyPathOf(row.accept_path).split('.')[2]}`,
    actor: `${actor.kind}:${actor.id}`,
    action: `case.${action}`,
    objectType: 'case',
    objectId: row.id,
    detail: { caseNo: row.case_no, from: decision.from, to: decision.to, version: row.version + 1, role: decision.role, side: decision.side },
    at: ctx.clock.now(),
  });
  return decision;
}

/** Actions that name another record (an institution, a new hukou place) are checked against the database. */
async function resolveReferences(q: Queryable, p: Principal, row: any, d: Decision, today: string): Promise<{ columns: Record<string, string>; outOfCounty?: boolean }> {
  const input = d.input as any;
  if (d.action === 'accept' || d.action === 'request_reassessment') {
    if (d.action === 'request_reassessment' && input.institutionId === row.institution_id) {
      throw invalid('case.reassessment_institution', '复评、终评须由另一家评定机构进行，请选择其他机构。', 'A re-assessment must be done by another institution; choose a different one.', 'institutionId');
    }
    const [inst] = await q.query(`SELECT id, path, name FROM org_unit WHERE id = $1 AND kind = 'institution' AND active`, [input.institutionId]);
    const county = countyPathOf(row.accept_path);
    // SLA-3: an intellectual/mental case may go to an institution elsewhere in the city
    const outOfCounty = Boolean(inst && !inst.path.startsWith(county) && mayAssessOutOfCounty(row.categories) && inst.path.startsWith(cityPathOf(county)));
    if (!inst || !(inst.path.startsWith(county) || outOfCounty)) {
      throw invalid('case.institution', '所选评定机构不存在或不属于受理地县（区）指定的机构，请重新选择。', 'The institution does not exist or is not one designated by the accepting county; choose another.', 'institutionId');
    }
    // ASMT-1: only an institution designated, today, for every category applied for
    const refusal = institutionRefusal(await designationOf(q, inst.id), row.categories, today);
    if (refusal) throw invalid('case.institution_designation', refusal.zh, refusal.en, 'institutionId');
    d.data.institutionName = inst.name;
    return { columns: { institution_id: inst.id, institution_path: inst.path }, outOfCounty };
  }
  if (d.action === 'record_assessment') {
    // ASMT-1: the doctor must be qualified for every category applied for and every one concluded
    const concluded = ((d.input as any).disabilities ?? []).map((x: any) => x.category);
    const refusal = doctorRefusal(await qualificationOf(q, p.id), [...new Set([...row.categories, ...concluded])], today);
    if (refusal) throw new DomainError('forbidden', 'assessment.doctor_not_qualified', refusal);
    return { columns: {} };
  }
  if (d.action === 'schedule_visit') {
    await assertOnBatch(q, row.id, input.batchId);
    return { columns: {} };
  }
  if (d.action === 'reroute') {
    const place = await requireDivision(q, input.hukouCode, 'hukouCode');
    if (countyPathOf(place.path) === countyPathOf(row.hukou_path)) {
      throw invalid('case.reroute_same', '新的户籍地与原户籍地为同一县（区），请核实申请人户籍后选择正确的县（区）。', 'The new hukou place is in the same county as before; check the hukou and pick the right county.', 'hukouCode');
    }
    return { columns: { hukou_code: place.code, hukou_path: place.path } };
  }
  return { columns: {} };
}

function actingOrg(p: Principal, row: any, d: Decision): string | null {
  if (p.kind !== 'staff') return null;
  const target = d.side === 'institution' ? row.institution_path : countyPathOf(d.side === 'hukou' ? row.hukou_path : row.accept_path);
  return p.grants.find((g) => g.role === d.role && g.orgPath === target)?.orgUnitId ?? null;
}

/** CARD-2 / NEW-6: approval creates or updates the person and issues an active certificate. */
async function issueFromCase(ctx: AppContext, q: Queryable, p: Principal, row: any, d: Decision, issuerOrgId: string) {
  const form = ctx.crypto.decryptJson<any>(row.applicant_enc);
  const personId = await upsertPerson(q, ctx.crypto, {
    idNumber: form.idNumber,
    name: form.name,
    sex: Number(form.idNumber[16]) % 2 === 1 ? 'M' : 'F',
    birthDate: row.birth_date,
    details: { phone: form.phone, address: form.address, ethnicity: form.ethnicity, guardian: form.guardian },
    hukouCode: row.hukou_code,
    hukouPath: row.hukou_path,
    residenceCode: row.residence_code,
    residencePath: row.residence_path,
  });
  const cert = await issueCertificate(q, ctx.crypto, {
    personId,
    citizenId: form.idNumber,
    disabilities: d.data.assessment.disabilities,
    issuedOn: ctx.clock.today(),
    issuerOrgId,
    caseId: row.id,
    actorId: p.kind === 'staff' ? p.id : null,
  });
  return { ...cert, personId };
}

/**
 * ASMT-3: every recorded assessment also leaves a readable row — doctor, institution, levels, whether
 * the conclusion departed from the measurements — for sampling and per-doctor statistics.
 */
async function recordAssessment(ctx: AppContext, q: Queryable, p: Principal, row: any, d: Decision) {
  const a = d.data.assessment;
  await q.query(
    `INSERT INTO assessment_record (case_id, round, doctor_id, institution_id, county_path, assessed_on, qualified, disabilities, departs, home, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [row.id, (d.data.reassessments ?? []).length, p.id, row.institution_id, countyPathOf(row.accept_path), a.assessedOn, a.qualified,
      JSON.stringify(a.qualified ? a.disabilities : []), Boolean(a.flaggedForAudit), row.home_requested_on != null, ctx.clock.now().toISOString()],
  );
}
