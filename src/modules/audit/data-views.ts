/**
 * SEC-1 who viewed what: every full view of a person's data is written here, in the viewer's
 * transaction, beside its audit entry — who (staff member and role, or partner agency), for which
 * federation, when, what, and why. Supervisors and auditors list the views inside their subtree;
 * an applicant sees which federations viewed their own file, and when (PIPL's right to know).
 */
import type { Queryable } from '../../platform/db.js';

export type ViewKind = 'person_record' | 'archive_document' | 'archive_export' | 'case_document' | 'visit_list' | 'partner_disclosure' | 'agreement_export' | 'card_print';

export type FullView = {
  at: Date;
  viewer: { kind: 'staff' | 'partner'; id: string; role: string; orgUnitId: string };
  what: ViewKind;
  purpose: string;
  subjects: { personId?: string | null; caseId?: string | null; paths: (string | null | undefined)[] }[];
  agreementId?: string;
  detail?: Record<string, unknown>;
};

/** One row per person (or case) viewed, in one statement. */
export async function logFullView(q: Queryable, v: FullView) {
  if (!v.subjects.length) return;
  await q.query(
    `INSERT INTO personal_data_view (at, viewer_kind, viewer_id, viewer_role, viewer_org_id, what, purpose, person_id, case_id, subject_paths, agreement_id, detail)
     SELECT $1, $2, $3, $4, $5, $6, $7, s.person_id, s.case_id, ARRAY(SELECT jsonb_array_elements_text(s.paths)), $9, $10
     FROM jsonb_to_recordset($8::jsonb) AS s(person_id uuid, case_id uuid, paths jsonb)`,
    [
      v.at.toISOString(), v.viewer.kind, v.viewer.id, v.viewer.role, v.viewer.orgUnitId, v.what, v.purpose.slice(0, 300),
      JSON.stringify(v.subjects.map((s) => ({ person_id: s.personId ?? null, case_id: s.caseId ?? null, paths: [...new Set(s.paths.filter(Boolean))] }))),
      v.agreementId ?? null, JSON.stringify(v.detail ?? {}),
    ],
  );
}

/** The purpose a view states, or the one its context implies (a scan opened while handling the case). */
export const purposeOr = (given: string | undefined, implied: string) => (given && given.trim().length >= 2 ? given.trim() : implied);
