/**
 * ASMT-3 audit sampling: supervisors and auditors draw seeded samples of assessments or certificates
 * inside their subtree, record a finding per item, and read per-doctor statistics. Items show what
 * a reviewer needs to pull the file — case number, masked person, doctor, institution, levels —
 * never the health measurements.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { checkFinding, checkPeriod, checkSampleRequest, doctorStatistics, drawSample, type Finding, type FollowUp } from '../../domain/sampling.js';
import type { Queryable, Row } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { likePrefix, scopePatterns, type Principal, type StaffGrant, type StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';
import { requireDivision } from '../org/divisions.js';
import { maskName } from '../persons/persons.js';

const SAMPLING_ROLES = ['supervisor', 'auditor'] as const;

export type DrawInput = {
  kind: 'assessment' | 'certificate';
  countyCode?: string;
  institutionId?: string;
  doctorId?: string;
  from: string;
  to: string;
  size?: number;
  percent?: number;
  seed?: string;
};
export type FindingInput = { finding: Finding; followUp: FollowUp; note: string; version: number };

const SAMPLE = { zh: '抽查样本', en: 'audit sample' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's supervisor/auditor grants: their subtrees are all sampling ever reaches. */
function samplingGrants(p: Principal | null): { staff: StaffPrincipal; grants: StaffGrant[] } {
  const staff = requireRole(p, SAMPLING_ROLES);
  return { staff, grants: staff.grants.filter((g) => (SAMPLING_ROLES as readonly string[]).includes(g.role)) };
}

const grantOver = (grants: StaffGrant[], path: string) => grants.find((g) => path.startsWith(g.orgPath));

/**
 * Where a draw looks: the named county (which must lie in the caller's subtree), or the caller's
 * subtree itself. Someone holding sampling roles in two separate places has to name the county.
 */
async function drawScope(q: Queryable, grants: StaffGrant[], countyCode: string | undefined) {
  if (countyCode) {
    const county = await requireDivision(q, countyCode, 'countyCode');
    if (county.level !== 3) throw invalid('sample.county', `“${county.name}”不是县（区），请选择县（区）。`, `"${county.name}" is not a county/district; choose one.`, 'countyCode');
    const grant = grantOver(grants, county.path);
    if (!grant) throw notFound({ zh: '县（区）', en: 'county' });
    return { grant, path: county.path };
  }
  const paths = [...new Set(grants.map((g) => g.orgPath))];
  if (paths.length > 1) {
    throw invalid('sample.scope_ambiguous', '您在多个单位担任督导或审计职务，请选择要抽查的县（区）。', 'You supervise or audit in more than one place; choose the county to sample.', 'countyCode');
  }
  return { grant: grants[0], path: paths[0] };
}

/** An institution or doctor named as a filter must lie in the caller's subtree; elsewhere it does not exist for them. */
async function checkFilters(q: Queryable, grants: StaffGrant[], f: { institutionId?: string; doctorId?: string }) {
  if (f.institutionId) {
    const [inst] = await q.query(`SELECT path FROM org_unit WHERE id = $1 AND kind = 'institution'`, [f.institutionId]);
    if (!inst || !grantOver(grants, inst.path)) throw notFound({ zh: '评定机构', en: 'institution' });
  }
  if (f.doctorId) {
    const places = await q.query(`SELECT o.path FROM role_grant g JOIN org_unit o ON o.id = g.org_unit_id WHERE g.user_id = $1 AND g.role = 'doctor'`, [f.doctorId]);
    if (!places.some((r) => grantOver(grants, r.path))) throw notFound({ zh: '医生', en: 'doctor' });
  }
}

type Filters = { path: string; from: string; to: string; institutionId: string | null; doctorId: string | null };

/**
 * The population of a draw. Assessments belong to the accepting county and are dated by the day
 * assessed; certificates belong to the issuing (hukou) county and are dated by their issue date.
 * A certificate's institution and doctor are those of the case that led to it.
 */
async function population(q: Queryable, kind: DrawInput['kind'], f: Filters): Promise<{ ref_id: string; case_id: string | null }[]> {
  const params = [likePrefix(f.path), f.from, f.to, f.institutionId, f.doctorId];
  if (kind === 'assessment') {
    return q.query(
      `SELECT r.id::text AS ref_id, r.case_id FROM assessment_record r
       WHERE r.county_path LIKE $1 AND r.assessed_on BETWEEN $2 AND $3
         AND ($4::uuid IS NULL OR r.institution_id = $4) AND ($5::uuid IS NULL OR r.doctor_id = $5)`,
      params,
    );
  }
  return q.query(
    `SELECT c.id::text AS ref_id, c.case_id FROM certificate c JOIN org_unit o ON o.id = c.issuer_org_id
     WHERE o.path LIKE $1 AND c.valid_from BETWEEN $2 AND $3
       AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM case_file f WHERE f.id = c.case_id AND f.institution_id = $4))
       AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM assessment_record r WHERE r.case_id = c.case_id AND r.doctor_id = $5))`,
    params,
  );
}

/** The items of a sample as a reviewer sees them: masked person, case, doctor, institution, levels, the finding. */
async function itemsOf(ctx: AppContext, q: Queryable, sample: Row, seq?: number) {
  const finding = `i.seq, i.ref_id, i.case_id, i.finding, i.follow_up, i.note, i.recorded_at, i.version, rb.display_name AS recorded_by_name`;
  const where = `WHERE i.sample_id = $1 AND ($2::int IS NULL OR i.seq = $2) ORDER BY i.seq`;
  const rows =
    sample.kind === 'assessment'
      ? await q.query(
          `SELECT ${finding}, f.case_no, f.applicant_masked, f.applicant_name_masked, NULL AS name_enc,
             r.assessed_on AS dated, r.round, r.qualified, r.disabilities, r.departs, r.home, d.display_name AS doctor, o.name AS institution
           FROM audit_sample_item i
           JOIN assessment_record r ON r.id = i.ref_id::bigint
           JOIN case_file f ON f.id = r.case_id
           JOIN staff_user d ON d.id = r.doctor_id
           JOIN org_unit o ON o.id = r.institution_id
           LEFT JOIN staff_user rb ON rb.id = i.recorded_by ${where}`,
          [sample.id, seq ?? null],
        )
      : await q.query(
          // the certificate number embeds the full ID number: shown as the masked ID plus category and level
          `SELECT ${finding}, f.case_no, p.id_masked AS applicant_masked, NULL AS applicant_name_masked, p.name_enc,
             c.valid_from AS dated, c.number_masked, c.state, c.category, c.level, c.disabilities,
             r.doctor, r.institution
           FROM audit_sample_item i
           JOIN certificate c ON c.id = i.ref_id::uuid
           JOIN person p ON p.id = c.person_id
           LEFT JOIN case_file f ON f.id = c.case_id
           LEFT JOIN LATERAL (
             SELECT d.display_name AS doctor, o.name AS institution FROM assessment_record a
             JOIN staff_user d ON d.id = a.doctor_id JOIN org_unit o ON o.id = a.institution_id
             WHERE a.case_id = c.case_id ORDER BY a.round DESC, a.id DESC LIMIT 1
           ) r ON true
           LEFT JOIN staff_user rb ON rb.id = i.recorded_by ${where}`,
          [sample.id, seq ?? null],
        );
  return rows.map((r) => ({
    seq: r.seq,
    refId: r.ref_id,
    caseId: r.case_id,
    caseNo: r.case_no ?? null,
    person: { nameMasked: r.applicant_name_masked ?? maskName(ctx.crypto.decrypt(r.name_enc)), idNumberMasked: r.applicant_masked },
    doctor: r.doctor ?? null,
    institution: r.institution ?? null,
    disabilities: r.disabilities,
    ...(sample.kind === 'assessment'
      ? { assessedOn: r.dated, round: r.round, qualified: r.qualified, departs: r.departs, home: r.home }
      : { issuedOn: r.dated, certificate: { numberMasked: r.number_masked, state: r.state, category: r.category, level: r.level } }),
    finding: r.finding,
    followUp: r.follow_up,
    // findings may describe the person's condition, so the note is stored encrypted like other health data
    note: r.note ? ctx.crypto.decrypt(r.note) : '',
    recordedBy: r.recorded_by_name ?? null,
    recordedAt: r.recorded_at,
    version: r.version,
  }));
}

const SAMPLE_COLUMNS = `s.id, s.sample_no, s.scope_path, s.kind, s.criteria, s.population, s.drawn_at, u.display_name AS drawn_by,
  (SELECT name FROM org_unit o WHERE o.path = s.scope_path AND o.kind = 'federation' ORDER BY o.name LIMIT 1) AS scope_name,
  (SELECT count(*)::int FROM audit_sample_item i WHERE i.sample_id = s.id) AS items,
  (SELECT count(*)::int FROM audit_sample_item i WHERE i.sample_id = s.id AND i.finding IS NOT NULL) AS reviewed`;

const summary = (r: any) => ({
  id: r.id, sampleNo: r.sample_no, kind: r.kind, scope: r.scope_name ?? r.scope_path, criteria: r.criteria,
  population: r.population, items: r.items, reviewed: r.reviewed, drawnBy: r.drawn_by, drawnAt: r.drawn_at,
});

/** The sample if the caller's subtree holds it; 404 otherwise, and for an id that is not one. */
async function visibleSample(q: Queryable, grants: StaffGrant[], id: string) {
  const [row] = UUID.test(id)
    ? await q.query(`SELECT ${SAMPLE_COLUMNS} FROM audit_sample s JOIN staff_user u ON u.id = s.drawn_by WHERE s.id = $1 AND s.scope_path LIKE ANY($2)`, [id, scopePatterns(grants)])
    : [];
  if (!row) throw notFound(SAMPLE);
  return row;
}

export function samplingService(ctx: AppContext) {
  const audit = (q: Queryable, staff: StaffPrincipal, grant: StaffGrant, action: string, objectType: string, objectId: string, detail: Record<string, unknown>) =>
    appendAudit(q, { chain: grant.orgUnitId, actor: `staff:${staff.id}`, action, objectType, objectId, detail, at: ctx.clock.now() });

  async function get(p: Principal | null, id: string) {
    const { grants } = samplingGrants(p);
    const row = await visibleSample(ctx.db, grants, id);
    return { ...summary(row), items: await itemsOf(ctx, ctx.db, row) };
  }

  /** Draws, stores and returns a sample in one transaction. Without a seed one is made up and stored, so the draw can be repeated. */
  async function draw(p: Principal | null, input: DrawInput) {
    const { staff, grants } = samplingGrants(p);
    const spec = checkSampleRequest(input);
    const seed = input.seed ?? randomBytes(8).toString('hex');
    const id = await ctx.db.tx(async (q) => {
      const scope = await drawScope(q, grants, input.countyCode);
      await checkFilters(q, grants, input);
      const rows = await population(q, input.kind, { path: scope.path, from: input.from, to: input.to, institutionId: input.institutionId ?? null, doctorId: input.doctorId ?? null });
      const caseOf = new Map(rows.map((r) => [r.ref_id, r.case_id]));
      const drawn = drawSample([...caseOf.keys()], spec, seed);
      const criteria = {
        countyCode: input.countyCode ?? null, institutionId: input.institutionId ?? null, doctorId: input.doctorId ?? null,
        from: input.from, to: input.to, ...spec, seed,
      };
      const id = randomUUID();
      const sampleNo = `CC-${scope.grant.divisionCode}-${ctx.clock.today().replaceAll('-', '')}-${randomInt(0, 1e6).toString().padStart(6, '0')}`;
      await q.query(
        `INSERT INTO audit_sample (id, sample_no, scope_path, kind, criteria, population, drawn_by, drawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, sampleNo, scope.grant.orgPath, input.kind, JSON.stringify(criteria), rows.length, staff.id, ctx.clock.now().toISOString()],
      );
      await q.query(
        `INSERT INTO audit_sample_item (sample_id, seq, ref_id, case_id) SELECT $1, s.seq, s.ref_id, s.case_id FROM unnest($2::int[], $3::text[], $4::uuid[]) AS s (seq, ref_id, case_id)`,
        [id, drawn.map((_, i) => i + 1), drawn, drawn.map((ref) => caseOf.get(ref) ?? null)],
      );
      await audit(q, staff, scope.grant, 'sample.draw', 'audit_sample', id, { sampleNo, kind: input.kind, criteria, population: rows.length, items: drawn.length });
      return id;
    });
    return get(staff, id);
  }

  async function list(p: Principal | null) {
    const { grants } = samplingGrants(p);
    const rows = await ctx.db.query(`SELECT ${SAMPLE_COLUMNS} FROM audit_sample s JOIN staff_user u ON u.id = s.drawn_by WHERE s.scope_path LIKE ANY($1) ORDER BY s.drawn_at DESC LIMIT 200`, [scopePatterns(grants)]);
    return { items: rows.map(summary) };
  }

  /**
   * Records (or corrects) the finding on one item. A follow-up of "re-assessment ordered" or
   * "certificate cancelled" records the decision only; carrying it out is a case of its own.
   */
  async function recordFinding(p: Principal | null, id: string, seq: number, input: FindingInput) {
    const { staff, grants } = samplingGrants(p);
    checkFinding(input);
    return ctx.db.tx(async (q) => {
      const sample = await visibleSample(q, grants, id);
      const [item] = await q.query(`SELECT version FROM audit_sample_item WHERE sample_id = $1 AND seq = $2 FOR UPDATE`, [id, seq]);
      if (!item) throw notFound({ zh: '抽查项', en: 'sample item' });
      if (item.version !== input.version) {
        throw conflict('sample.stale', '该抽查项已被他人更新，请刷新后查看最新结论再修改。', 'Someone else has updated this item; reload it and check their finding before changing it.');
      }
      const note = input.note.trim();
      await q.query(
        `UPDATE audit_sample_item SET finding = $3, follow_up = $4, note = $5, recorded_by = $6, recorded_at = $7, version = version + 1 WHERE sample_id = $1 AND seq = $2`,
        [id, seq, input.finding, input.followUp, note ? ctx.crypto.encrypt(note) : '', staff.id, ctx.clock.now().toISOString()],
      );
      await audit(q, staff, grantOver(grants, sample.scope_path)!, 'sample.finding', 'audit_sample_item', `${id}:${seq}`, {
        sampleNo: sample.sample_no, seq, finding: input.finding, followUp: input.followUp, version: input.version + 1,
      });
      const [view] = await itemsOf(ctx, q, sample, seq);
      return view;
    });
  }

  /** Per-doctor statistics over the assessments recorded in the caller's subtree (or one county of it) in the period. */
  async function statistics(p: Principal | null, query: { from: string; to: string; countyCode?: string }) {
    const { grants } = samplingGrants(p);
    checkPeriod(query.from, query.to);
    const scope = query.countyCode ? [likePrefix((await drawScope(ctx.db, grants, query.countyCode)).path)] : scopePatterns(grants);
    const rows = await ctx.db.query(
      `SELECT r.doctor_id, r.qualified, r.disabilities, r.departs, d.display_name, o.name AS institution
       FROM assessment_record r JOIN staff_user d ON d.id = r.doctor_id JOIN org_unit o ON o.id = r.institution_id
       WHERE r.county_path LIKE ANY($1) AND r.assessed_on BETWEEN $2 AND $3`,
      [scope, query.from, query.to],
    );
    const who = new Map<string, { name: string; institutions: Set<string> }>();
    for (const r of rows) {
      const w = who.get(r.doctor_id) ?? { name: r.display_name, institutions: new Set<string>() };
      who.set(r.doctor_id, w);
      w.institutions.add(r.institution);
    }
    const stats = doctorStatistics(rows.map((r) => ({ doctorId: r.doctor_id, qualified: r.qualified, disabilities: r.disabilities, departs: r.departs })));
    return {
      from: query.from,
      to: query.to,
      doctors: stats.map((s) => ({ ...s, name: who.get(s.doctorId)!.name, institutions: [...who.get(s.doctorId)!.institutions].sort() })),
    };
  }

  return { draw, list, get, recordFinding, statistics };
}
