/** ASMT-1 data: institution designations and doctor qualifications, and the checks the workflow runs. */
import type { Designation, DoctorQualification } from '../../domain/qualification.js';
import type { Queryable } from '../../platform/db.js';

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
