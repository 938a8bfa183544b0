/**
 * CARD-2: certificates and their state history. Issuing writes the certificate and its first
 * history event in the caller's transaction; the number follows ID-2 (ID + category + level).
 */
import { randomUUID } from 'node:crypto';
import { certificateNumber } from '../../domain/certificate-number.js';
import { certificateCategoryAndLevel, type Disability } from '../../domain/disability.js';
import type { Queryable } from '../../platform/db.js';

export type IssueInput = {
  personId: string;
  citizenId: string;
  disabilities: Disability[];
  issuedOn: string; // the hukou county's issue date = validity start
  issuerOrgId: string;
  caseId: string;
  actorId: string | null;
};

/** Validity: ten years from the issue date (002); 29 February falls back to 28 February. */
export function validityEnd(issuedOn: string): string {
  const [y, m, d] = issuedOn.split('-').map(Number);
  const end = new Date(Date.UTC(y + 10, m - 1, d));
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(0);
  return end.toISOString().slice(0, 10);
}

export async function issueCertificate(q: Queryable, i: IssueInput) {
  const { category, level } = certificateCategoryAndLevel(i.disabilities);
  const number = certificateNumber(i.citizenId, i.disabilities);
  const id = randomUUID();
  const validUntil = validityEnd(i.issuedOn);
  await q.query(
    `INSERT INTO certificate (id, number, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, case_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $10)`,
    [id, number, i.personId, category, level, JSON.stringify(i.disabilities), i.issuedOn, validUntil, i.issuerOrgId, i.caseId],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, actor_id, reason, case_id) VALUES ($1, NULL, 'active', $2, $3, $4)`,
    [id, i.actorId, 'new_certificate', i.caseId],
  );
  return { id, number, category, level, validFrom: i.issuedOn, validUntil };
}

/** NEW-1: the most recent cancellation of this person's certificates, if any. */
export async function lastCancellation(q: Queryable, personId: string): Promise<string | null> {
  const [r] = await q.query(
    `SELECT max(state_changed_at) AS at FROM certificate WHERE person_id = $1 AND state = 'cancelled'`,
    [personId],
  );
  return r?.at ?? null;
}

export async function activeCertificate(q: Queryable, personId: string) {
  const [r] = await q.query(`SELECT id, number, state FROM certificate WHERE person_id = $1 AND state IN ('active', 'frozen', 'reported_lost') LIMIT 1`, [personId]);
  return r ?? null;
}
