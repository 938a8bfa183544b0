/** ASMT-1 data: institution designations and doctor qualifications, and the checks the workflow runs. */
import { conflict } from '../../domain/errors.js';
import { trainingExpired, validityOn, type Designation, type DoctorQualification } from '../../domain/qualification.js';
import type { Queryable } from '../../platform/db.js';

/**
 * The version an editing screen loaded and sends back: the row's last change in microseconds, as
 * text (both tables already keep updated_at, so no counter column is needed).
 */
const version = (alias: string) => `(extract(epoch FROM ${alias}.updated_at) * 1000000)::bigint::text`;
/** "浙江省 杭州市 西湖区" for a division row `dv`, through the primary key, never a path scan. */
const PLACE = `(SELECT string_agg(a.name, ' ' ORDER BY a.level) FROM division a WHERE a.code = ANY(string_to_array(rtrim(dv.path, '.'), '.')))`;

export async function designationOf(q: Queryable, institutionId: string): Promise<Designation | null> {
  const [r] = await q.query('SELECT categories, valid_from, valid_until FROM institution_designation WHERE institution_id = $1', [institutionId]);
  return r ? { categories: r.categories, validFrom: r.valid_from, validUntil: r.valid_until } : null;
}

export async function qualificationOf(q: Queryable, userId: string): Promise<DoctorQualification | null> {
  const [r] = await q.query('SELECT categories, training_expires, status FROM doctor_qualification WHERE user_id = $1', [userId]);
  return r ? { categories: r.categories, trainingExpires: r.training_expires, status: r.status } : null;
}

export async function designate(q: Queryable, institutionId: string, d: Designation) {
  await q.query(
    `INSERT INTO institution_designation (institution_id, categories, valid_from, valid_until) VALUES ($1, $2, $3, $4)
     ON CONFLICT (institution_id) DO UPDATE SET categories = EXCLUDED.categories, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, updated_at = now()`,
    [institutionId, d.categories, d.validFrom, d.validUntil],
  );
}

export type QualificationInput = { title: string; trainingCertNo: string; trainingDate: string; trainingExpires: string; categories: number[]; status: 'active' | 'retired' };

export async function qualify(q: Queryable, userId: string, d: QualificationInput) {
  await q.query(
    `INSERT INTO doctor_qualification (user_id, title, training_cert_no, training_date, training_expires, categories, status) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET title = EXCLUDED.title, training_cert_no = EXCLUDED.training_cert_no, training_date = EXCLUDED.training_date,
       training_expires = EXCLUDED.training_expires, categories = EXCLUDED.categories, status = EXCLUDED.status, updated_at = now()`,
    [userId, d.title, d.trainingCertNo, d.trainingDate, d.trainingExpires, d.categories, d.status],
  );
}

/** Institutions under the admin's subtrees, with their designation (or none) and where today falls in it. */
export async function institutionsIn(q: Queryable, scope: string[], today: string) {
  const rows = await q.query(
    `SELECT o.id, o.name, o.division_code, o.active, o.address, o.phone, o.opening_hours, ${PLACE} AS place, d.categories, d.valid_from, d.valid_until, ${version('d')} AS version
     FROM org_unit o JOIN division dv ON dv.code = o.division_code LEFT JOIN institution_designation d ON d.institution_id = o.id
     WHERE o.kind = 'institution' AND o.path LIKE ANY($1) ORDER BY o.path LIMIT 1000`,
    [scope],
  );
  return rows.map((r) => {
    const validity = r.categories ? validityOn(r.valid_from, r.valid_until, today) : null;
    return {
      id: r.id as string,
      name: r.name as string,
      divisionCode: r.division_code as string,
      place: r.place as string,
      active: r.active as boolean,
      contact: contactOf(r),
      designation: validity ? { categories: r.categories as number[], validFrom: r.valid_from as string, validUntil: r.valid_until as string, validity } : null,
      validToday: validity === 'valid',
      version: (r.version ?? null) as string | null,
    };
  });
}

/** Doctor accounts under the admin's subtrees, their institutions, and their qualification (or none). */
export async function doctorsIn(q: Queryable, scope: string[], today: string) {
  const rows = await q.query(
    `SELECT u.id, u.username, u.display_name, u.active, json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name) AS institutions,
       dq.title, dq.training_cert_no, dq.training_date, dq.training_expires, dq.categories, dq.status, ${version('dq')} AS version
     FROM staff_user u JOIN role_grant g ON g.user_id = u.id AND g.role = 'doctor' JOIN org_unit o ON o.id = g.org_unit_id
     LEFT JOIN doctor_qualification dq ON dq.user_id = u.id
     WHERE o.path LIKE ANY($1) GROUP BY u.id, dq.user_id ORDER BY u.username LIMIT 1000`,
    [scope],
  );
  return rows.map((r) => ({
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    active: r.active as boolean,
    institutions: r.institutions as { id: string; name: string }[],
    qualification: r.status
      ? { title: r.title as string, trainingCertNo: r.training_cert_no as string, trainingDate: r.training_date as string, trainingExpires: r.training_expires as string, categories: r.categories as number[], status: r.status as 'active' | 'retired' }
      : null,
    trainingExpired: r.status ? trainingExpired({ trainingExpires: r.training_expires }, today) : false,
    version: (r.version ?? null) as string | null,
  }));
}

/**
 * Refuses a save made from a stale screen: `expected` is the version the editor loaded, null when
 * there was no record yet. Callers that send no version (scripts, the seed) overwrite as before.
 */
export async function requireVersion(q: Queryable, table: 'institution_designation' | 'doctor_qualification', id: string, expected: string | null | undefined) {
  if (expected === undefined) return;
  const [owner, key] = table === 'institution_designation' ? ['org_unit', 'institution_id'] : ['staff_user', 'user_id'];
  // the owner row is locked, so two first saves (no record yet, nothing else to lock) queue too
  await q.query(`SELECT 1 FROM ${owner} WHERE id = $1 FOR UPDATE`, [id]);
  const [row] = await q.query(`SELECT ${version('t')} AS version FROM ${table} t WHERE t.${key} = $1`, [id]);
  if ((row?.version ?? null) !== expected) {
    throw conflict('admin.stale_version', '该记录已被他人修改，本次保存未生效。请刷新后重新填写。', 'Someone else changed this record; your save was not applied. Reload and enter it again.');
  }
}

/** NEW-2: where the applicant goes for the assessment — the institution's address, phone and opening hours. */
export type InstitutionContact = { address: string; phone: string; hours: string };

export const contactOf = (r: { address?: string | null; phone?: string | null; opening_hours?: string | null }): InstitutionContact | null =>
  r.address || r.phone || r.opening_hours ? { address: r.address ?? '', phone: r.phone ?? '', hours: r.opening_hours ?? '' } : null;

export async function setContact(q: Queryable, institutionId: string, c: InstitutionContact) {
  await q.query(`UPDATE org_unit SET address = $2, phone = $3, opening_hours = $4 WHERE id = $1 AND kind = 'institution'`, [institutionId, c.address, c.phone, c.hours]);
}

/** The institution named on a case, as its applicant and staff see it. */
export async function institutionForCase(q: Queryable, institutionId: string | null) {
  if (!institutionId) return null;
  const [r] = await q.query(`SELECT id, name, address, phone, opening_hours FROM org_unit WHERE id = $1`, [institutionId]);
  return r ? { id: r.id as string, name: r.name as string, contact: contactOf(r) } : null;
}
