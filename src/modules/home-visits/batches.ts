/**
 * HOME-3: the county federation, with the health department and a designated hospital, plans home
 * assessments in dated batches per township — at home (上门) or centralized near home (集中) — with a
 * doctor for each category needed. Adding a case to a batch moves it to "being assessed"; the doctor
 * then records the form on the spot, or why the visit did not assess (not at home, refused, moved).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { CATEGORIES, type CategoryCode } from '../../domain/disability.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/errors.js';
import { doctorRefusal, institutionRefusal } from '../../domain/qualification.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { logFullView } from '../audit/data-views.js';
import { countyDeskGrants, type Principal, type StaffGrant, type StaffPrincipal } from '../auth/principal.js';
import { designationOf, qualificationOf } from '../assessment/qualifications.js';
import { runAction } from '../cases/actions.js';
import { visibleCaseRow } from '../cases/access.js';
import { countyPathOf, requireDivision } from '../org/divisions.js';

export type BatchInput = {
  townshipCode: string;
  visitOn: string;
  mode: 'home' | 'centralized';
  place?: string;
  institutionId: string;
  /** the doctor for each category the batch assesses: { "4": "<doctor user id>" } */
  doctors: Record<string, string>;
  note?: string;
};

// batches are planned by the desk that accepts cases, not by approvers
const deskGrants = (p: StaffPrincipal) => countyDeskGrants(p.grants, ['clerk', 'reviewer']);
const institutionGrants = (p: StaffPrincipal) => p.grants.filter((g) => g.orgKind === 'institution');
const categoryNames = (codes: number[], lang: 'zh' | 'en') => codes.map((c) => CATEGORIES[c as CategoryCode][lang]).join(lang === 'zh' ? '、' : ', ');

/** The county desk grant that may plan in this county, or 404 — outside it the place does not exist. */
function deskFor(p: StaffPrincipal, countyPath: string): StaffGrant {
  const g = deskGrants(p).find((g) => g.orgPath === countyPath);
  if (!g) throw notFound({ zh: '乡镇（街道）', en: 'township' });
  return g;
}

export async function createBatch(ctx: AppContext, q: Queryable, p: StaffPrincipal, input: BatchInput) {
  const today = ctx.clock.today();
  const township = await requireDivision(q, input.townshipCode, 'townshipCode');
  if (township.level !== 4) {
    throw invalid('visit_batch.township', '上门评定批次按乡镇（街道）编排，请选择一个乡镇（街道）。', 'Visit batches are planned per township; choose a township.', 'townshipCode');
  }
  const county = countyPathOf(township.path);
  const desk = deskFor(p, county);
  if (input.visitOn < today) {
    throw invalid('visit_batch.date', '评定日期不能早于今天。', 'The visit date cannot be in the past.', 'visitOn');
  }
  const place = input.place?.trim() ?? '';
  if (input.mode === 'centralized' && place.length < 2) {
    throw invalid('visit_batch.place', '集中评定须填写评定地点（如村委会、乡镇卫生院）。', 'A centralized batch needs its place (e.g. the village committee or township clinic).', 'place');
  }
  const categories = Object.keys(input.doctors).map(Number).sort();
  if (!categories.length || categories.some((c) => !(c in CATEGORIES))) {
    throw invalid('visit_batch.doctors', '请为每个需要评定的残疾类别指定一名医生。', 'Name a doctor for each disability category the batch assesses.', 'doctors');
  }
  const [inst] = await q.query(`SELECT id, name, path FROM org_unit WHERE id = $1 AND kind = 'institution' AND active`, [input.institutionId]);
  if (!inst || !inst.path.startsWith(county)) {
    throw invalid('visit_batch.institution', '所选评定机构不存在或不属于本县（区）。', 'The institution does not exist or is not in this county.', 'institutionId');
  }
  const refusal = institutionRefusal(await designationOf(q, inst.id), categories, input.visitOn);
  if (refusal) throw invalid('visit_batch.institution_designation', refusal.zh, refusal.en, 'institutionId');
  for (const c of categories) {
    const doctorId = input.doctors[c];
    const [doc] = /^[0-9a-f-]{36}$/i.test(doctorId)
      ? await q.query(`SELECT u.display_name FROM staff_user u JOIN role_grant g ON g.user_id = u.id WHERE u.id = $1 AND g.role = 'doctor' AND g.org_unit_id = $2`, [doctorId, inst.id])
      : [];
    if (!doc) {
      throw invalid('visit_batch.doctor', `${categoryNames([c], 'zh')}类别所选医生不是该机构的评定医生。`, `The doctor chosen for ${categoryNames([c], 'en')} is not an assessing doctor of that institution.`, 'doctors');
    }
    const notQualified = doctorRefusal(await qualificationOf(q, doctorId), [c], input.visitOn);
    if (notQualified) {
      throw invalid('visit_batch.doctor_qualification', `${doc.display_name}：${notQualified.zh}`, `${doc.display_name}: ${notQualified.en}`, 'doctors');
    }
  }
  const id = randomUUID();
  const batchNo = `HV-${township.code.slice(0, 6)}-${input.visitOn.replaceAll('-', '')}-${randomInt(0, 1e4).toString().padStart(4, '0')}`;
  await q.query(
    `INSERT INTO visit_batch (id, batch_no, county_path, township_code, township_path, visit_on, mode, place, institution_id, doctors, note, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [id, batchNo, county, township.code, township.path, input.visitOn, input.mode, place, inst.id, JSON.stringify(input.doctors), input.note ?? '', p.id, ctx.clock.now().toISOString()],
  );
  await appendAudit(q, { chain: desk.orgUnitId, actor: `staff:${p.id}`, action: 'visit_batch.create', objectType: 'visit_batch', objectId: id, detail: { batchNo, ...input }, at: ctx.clock.now() });
  return { id, batchNo };
}

/**
 * A batch the caller may see: the county desk that plans it, the institution that visits, and the
 * township it serves (read only). Anyone else gets 404.
 */
async function visibleBatch(q: Queryable, p: Principal, id: string, forUpdate = false) {
  const [b] = /^[0-9a-f-]{36}$/i.test(id) ? await q.query(`SELECT * FROM visit_batch WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]) : [];
  if (!b || p.kind !== 'staff' || !batchGrant(p, b)) throw notFound({ zh: '评定批次', en: 'visit batch' });
  return b;
}

/** How the caller relates to a batch, through which grant. */
function batchGrant(p: StaffPrincipal, b: any): { role: 'desk' | 'institution' | 'township'; grant: StaffGrant } | null {
  const desk = deskGrants(p).find((g) => g.orgPath === b.county_path);
  if (desk) return { role: 'desk', grant: desk };
  const inst = institutionGrants(p).find((g) => g.orgUnitId === b.institution_id);
  if (inst) return { role: 'institution', grant: inst };
  const township = p.grants.find((g) => g.role === 'township_worker' && b.township_path.startsWith(g.orgPath));
  return township ? { role: 'township', grant: township } : null;
}

/** HOME-3: put cases awaiting a visit into the batch — each must live in its township and need only the categories it covers. */
export async function addCases(ctx: AppContext, q: Queryable, p: StaffPrincipal, batchId: string, caseIds: string[], expectedVersion: number) {
  const b = await visibleBatch(q, p, batchId, true);
  if (batchGrant(p, b)!.role !== 'desk') throw new DomainError('forbidden', 'visit_batch.not_desk', { zh: '只有县级残联办证人员可以编排批次。', en: 'Only the county federation desk plans batches.' });
  if (b.version !== expectedVersion) {
    throw conflict('visit_batch.stale_version', '该批次已被他人修改，本次操作未生效。请刷新后重试。', 'The batch was changed by someone else; nothing was changed. Reload and try again.');
  }
  const covered = Object.keys(b.doctors).map(Number);
  for (const caseId of caseIds) {
    const row = await visibleCaseRow(q, p, caseId, true);
    const problem =
      row.accept_path !== b.county_path || !row.residence_path.startsWith(b.township_path)
        ? { zh: '申请人不住在本批次的乡镇（街道）', en: 'the person does not live in this batch’s township' }
        : row.institution_id !== b.institution_id
          ? { zh: '受理时指定的评定机构与本批次不同', en: 'the institution named at acceptance is not this batch’s' }
          : row.categories.some((c: number) => !covered.includes(c))
            ? { zh: `本批次没有${categoryNames(row.categories.filter((c: number) => !covered.includes(c)), 'zh')}的医生`, en: `the batch has no doctor for ${categoryNames(row.categories.filter((c: number) => !covered.includes(c)), 'en')}` }
            : null;
    if (problem) throw invalid('visit_batch.case', `案件 ${row.case_no} 不能编入本批次：${problem.zh}。`, `Case ${row.case_no} cannot join this batch: ${problem.en}.`, 'caseIds');
    // a person not at home last time may be visited again in the same batch
    await q.query(
      `INSERT INTO visit (batch_id, case_id, added_at) VALUES ($1, $2, $3)
       ON CONFLICT (batch_id, case_id) DO UPDATE SET outcome = NULL, outcome_note = '', outcome_by = NULL, outcome_at = NULL, added_at = EXCLUDED.added_at`,
      [b.id, row.id, ctx.clock.now().toISOString()],
    );
    await runAction(ctx, q, p, row.id, 'schedule_visit', row.version, { batchId: b.id, batchNo: b.batch_no, visitOn: b.visit_on, mode: b.mode, place: b.place });
  }
  await q.query('UPDATE visit_batch SET version = version + 1 WHERE id = $1', [b.id]);
  await appendAudit(q, { chain: deskFor(p, b.county_path).orgUnitId, actor: `staff:${p.id}`, action: 'visit_batch.add_cases', objectType: 'visit_batch', objectId: b.id, detail: { caseIds }, at: ctx.clock.now() });
  return { version: b.version + 1 };
}

const BATCH_COLUMNS = `b.id, b.batch_no, b.township_code, t.name AS township_name, b.visit_on, b.mode, b.place, b.institution_id, o.name AS institution_name,
  b.doctors, b.note, b.version, b.created_at,
  (SELECT json_object_agg(c, n) FROM (SELECT coalesce(v.outcome, 'pending') AS c, count(*) AS n FROM visit v WHERE v.batch_id = b.id GROUP BY 1) x) AS counts`;

function batchOut(r: any, doctorNames: Map<string, string>) {
  return {
    id: r.id, batchNo: r.batch_no, township: { code: r.township_code, name: r.township_name }, visitOn: r.visit_on, mode: r.mode, place: r.place,
    institution: { id: r.institution_id, name: r.institution_name }, note: r.note, version: r.version,
    doctors: Object.entries(r.doctors as Record<string, string>).map(([category, id]) => ({ category: Number(category), id, name: doctorNames.get(id) ?? '' })),
    counts: r.counts ?? {},
  };
}

async function doctorNamesOf(q: Queryable, rows: any[]) {
  const ids = [...new Set(rows.flatMap((r) => Object.values(r.doctors as Record<string, string>)))];
  const names = ids.length ? await q.query('SELECT id, display_name FROM staff_user WHERE id = ANY($1)', [ids]) : [];
  return new Map<string, string>(names.map((n: any) => [n.id, n.display_name]));
}

/** The batches the caller plans, visits or serves, soonest first. */
export async function listBatches(ctx: AppContext, p: StaffPrincipal, from: string) {
  const rows = await ctx.db.query(
    `SELECT ${BATCH_COLUMNS} FROM visit_batch b JOIN division t ON t.code = b.township_code JOIN org_unit o ON o.id = b.institution_id
     WHERE b.visit_on >= $1 AND (b.county_path = ANY($2) OR b.institution_id = ANY($3) OR b.township_path LIKE ANY($4))
     ORDER BY b.visit_on, b.batch_no LIMIT 200`,
    [from, deskGrants(p).map((g) => g.orgPath), institutionGrants(p).map((g) => g.orgUnitId), p.grants.filter((g) => g.role === 'township_worker').map((g) => g.orgPath + '%')],
  );
  const names = await doctorNamesOf(ctx.db, rows);
  return rows.map((r: any) => batchOut(r, names));
}

/** One batch with its visits (masked), ordered by village — what the planner and the doctor work from. */
export async function batchView(ctx: AppContext, p: Principal, id: string) {
  const b = await visibleBatch(ctx.db, p, id);
  const [row] = await ctx.db.query(`SELECT ${BATCH_COLUMNS} FROM visit_batch b JOIN division t ON t.code = b.township_code JOIN org_unit o ON o.id = b.institution_id WHERE b.id = $1`, [b.id]);
  const visits = await ctx.db.query(
    `SELECT c.id, c.case_no, c.state, c.version, c.applicant_name_masked, c.applicant_masked, c.categories, c.residence_code, d.name AS village, v.outcome, v.outcome_note
     FROM visit v JOIN case_file c ON c.id = v.case_id JOIN division d ON d.code = c.residence_code
     WHERE v.batch_id = $1 ORDER BY c.residence_code, c.case_no`,
    [b.id],
  );
  return {
    ...batchOut(row, await doctorNamesOf(ctx.db, [row])),
    role: batchGrant(p as StaffPrincipal, b)!.role,
    visits: visits.map((v: any) => ({
      caseId: v.id, caseNo: v.case_no, state: v.state, version: v.version, nameMasked: v.applicant_name_masked, idNumberMasked: v.applicant_masked,
      categories: v.categories, village: { code: v.residence_code, name: v.village }, outcome: v.outcome, outcomeNote: v.outcome_note,
    })),
  };
}

/**
 * The printable visit list: full names, addresses and phone numbers, ordered by village, for the
 * people who go out. Every such full view is audit-logged (SEC-1).
 */
export async function visitList(ctx: AppContext, p: StaffPrincipal, id: string) {
  const b = await visibleBatch(ctx.db, p, id);
  const via = batchGrant(p, b)!;
  // township workers follow the plan on the masked view; the list goes to those who visit
  if (via.role === 'township') throw notFound({ zh: '评定批次', en: 'visit batch' });
  const batch = await batchView(ctx, p, id);
  const rows = await ctx.db.query(`SELECT c.id, c.person_id, c.applicant_enc, c.accept_path, c.residence_path, c.hukou_path FROM visit v JOIN case_file c ON c.id = v.case_id WHERE v.batch_id = $1`, [b.id]);
  const forms = new Map<string, any>(rows.map((r: any) => [r.id, ctx.crypto.decryptJson<any>(r.applicant_enc)]));
  await ctx.db.tx(async (q) => {
    await appendAudit(q, { chain: via.grant.orgUnitId, actor: `staff:${p.id}`, action: 'visit_list.view', objectType: 'visit_batch', objectId: b.id, detail: { batchNo: b.batch_no, people: rows.length }, at: ctx.clock.now() });
    // SEC-1: one row per person on the list, so each can learn who saw their address
    await logFullView(q, {
      at: ctx.clock.now(), viewer: { kind: 'staff', id: p.id, role: via.grant.role, orgUnitId: via.grant.orgUnitId }, what: 'visit_list',
      purpose: `上门评定走访（批次 ${b.batch_no}） home assessment visit`,
      subjects: rows.map((r: any) => ({ caseId: r.id, personId: r.person_id, paths: [r.accept_path, r.residence_path, r.hukou_path] })), detail: { batch: b.id },
    });
  });
  return {
    ...batch,
    visits: batch.visits.map((v) => {
      const f = forms.get(v.caseId);
      return { ...v, name: f.name, phone: f.phone, address: f.address ?? '', guardian: f.guardian ? { name: f.guardian.name, phone: f.guardian.phone, relation: f.guardian.relation } : null };
    }),
  };
}

/** Cases accepted for home assessment and waiting for a batch, in the caller's counties. */
export async function candidates(ctx: AppContext, p: StaffPrincipal) {
  const rows = await ctx.db.query(
    `SELECT c.id, c.case_no, c.version, c.applicant_name_masked, c.categories, c.residence_code, d.name AS village, c.residence_path, c.institution_id, c.updated_at
     FROM case_file c JOIN division d ON d.code = c.residence_code
     WHERE c.state = 'awaiting_visit' AND c.accept_path = ANY($1) ORDER BY c.residence_code, c.case_no LIMIT 500`,
    [deskGrants(p).map((g) => g.orgPath)],
  );
  return rows.map((r: any) => ({
    caseId: r.id, caseNo: r.case_no, version: r.version, nameMasked: r.applicant_name_masked, categories: r.categories,
    village: { code: r.residence_code, name: r.village }, townshipCode: r.residence_path.split('.')[3], institutionId: r.institution_id, waitingSince: r.updated_at,
  }));
}

/** The doctors a planner may name: those of an institution in one of the caller's counties, with what they may assess. */
export async function institutionDoctors(ctx: AppContext, p: StaffPrincipal, institutionId: string) {
  const counties = deskGrants(p).map((g) => g.orgPath + '%');
  const rows = await ctx.db.query(
    `SELECT u.id, u.display_name, q.categories, q.status, q.training_expires
     FROM org_unit o JOIN role_grant g ON g.org_unit_id = o.id AND g.role = 'doctor' JOIN staff_user u ON u.id = g.user_id
     LEFT JOIN doctor_qualification q ON q.user_id = u.id
     WHERE o.id = $1 AND o.path LIKE ANY($2) ORDER BY u.display_name`,
    [institutionId, counties],
  );
  const today = ctx.clock.today();
  return rows.map((r: any) => ({
    id: r.id, name: r.display_name,
    // only what they may assess today: none when retired, untrained or out of date
    categories: r.status === 'active' && r.training_expires >= today ? r.categories : [],
  }));
}
