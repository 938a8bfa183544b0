/**
 * CARD-2: certificates and their state history. Issuing writes the certificate and its first
 * history event in the caller's transaction; the number follows ID-2 (ID + category + level).
 */
import { randomUUID } from 'node:crypto';
import { certificateNumber } from '../../domain/certificate-number.js';
import { assertCertificateTransition, validityEnd, type CertificateState } from '../../domain/certificates.js';
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
    `SELECT max(state_changed_at) AS at FROM certificate WHERE person_id = $1 AND state = 'cancelled' AND replaced_by IS NULL`,
    [personId],
  );
  return r?.at ?? null;
}

export async function activeCertificate(q: Queryable, personId: string) {
  const [r] = await q.query(`SELECT id, number, state FROM certificate WHERE person_id = $1 AND state IN ('active', 'frozen', 'reported_lost') LIMIT 1`, [personId]);
  return r ?? null;
}

export type StateChange = { reason: string; actorId: string | null; caseId?: string | null; at: Date; replacedBy?: string };

/**
 * CARD-2: one change of a certificate's state, with who, when and why in its history; refused
 * (409, nothing written) when the state machine does not allow it. Runs in the caller's transaction.
 */
export async function changeCertificateState(q: Queryable, certificateId: string, to: CertificateState, c: StateChange) {
  const [cert] = await q.query('SELECT id, state FROM certificate WHERE id = $1 FOR UPDATE', [certificateId]);
  if (!cert) throw new Error(`certificate ${certificateId} not found`);
  assertCertificateTransition(cert.state, to);
  await q.query(
    `UPDATE certificate SET state = $2, state_changed_at = $3, version = version + 1, replaced_by = coalesce($4, replaced_by) WHERE id = $1`,
    [certificateId, to, c.at.toISOString(), c.replacedBy ?? null],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, at, actor_id, reason, case_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [certificateId, cert.state, to, c.at.toISOString(), c.actorId, c.reason, c.caseId ?? null],
  );
}
