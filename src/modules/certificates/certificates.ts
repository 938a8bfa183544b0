/**
 * CARD-2: certificates and their state history. Issuing writes the certificate and its first
 * history event in the caller's transaction; the number follows ID-2 (ID + category + level) and is
 * kept as a blind index and a masked form (SEC-1, certificate-numbers.ts).
 * CARD-3: a person holds at most one certificate in force; the unique index certificate_one_in_force
 * guarantees it, and issuing checks first so the refusal says what is wrong.
 */
import { randomUUID } from 'node:crypto';
import { certificateNumber } from '../../domain/certificate-number.js';
import { assertCertificateTransition, validityEnd, type CertificateState } from '../../domain/certificates.js';
import { certificateCategoryAndLevel, type Disability } from '../../domain/disability.js';
import { conflict } from '../../domain/errors.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import { certificateNumberColumns } from './certificate-numbers.js';

export type IssueInput = {
  personId: string;
  citizenId: string;
  disabilities: Disability[];
  issuedOn: string; // the hukou county's issue date = validity start
  issuerOrgId: string;
  caseId: string;
  actorId: string | null;
};

export async function issueCertificate(q: Queryable, crypto: FieldCrypto, i: IssueInput) {
  // CARD-3: re-checked inside the approving transaction (the person may have been certified since
  // the case was filed, e.g. by a legacy import); the unique index catches what races past this
  await refuseSecondInForce(q, i.personId);
  const { category, level } = certificateCategoryAndLevel(i.disabilities);
  const number = certificateNumber(i.citizenId, i.disabilities);
  const stored = certificateNumberColumns(crypto, number);
  const id = randomUUID();
  const validUntil = validityEnd(i.issuedOn);
  await q.query(
    `INSERT INTO certificate (id, number_bidx, number_masked, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, case_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11)`,
    [id, stored.bidx, stored.masked, i.personId, category, level, JSON.stringify(i.disabilities), i.issuedOn, validUntil, i.issuerOrgId, i.caseId],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, actor_id, reason, case_id) VALUES ($1, NULL, 'active', $2, $3, $4)`,
    [id, i.actorId, 'new_certificate', i.caseId],
  );
  return { id, numberMasked: stored.masked, category, level, validFrom: i.issuedOn, validUntil };
}

/** CARD-3: 409 when the person already holds a certificate in force (active or frozen). */
export async function refuseSecondInForce(q: Queryable, personId: string) {
  const [held] = await q.query(
    `SELECT c.state, c.valid_from, o.name AS issuer FROM certificate c JOIN org_unit o ON o.id = c.issuer_org_id
     WHERE c.person_id = $1 AND c.state IN ('active', 'frozen') LIMIT 1`,
    [personId],
  );
  if (held) {
    throw conflict(
      'certificate.in_force',
      `该人员已持有${held.issuer}发放的有效残疾人证，一人只能持有一本有效证件。如需换证或变更，请办理相应事项。`,
      `This person already holds a certificate in force, issued by ${held.issuer}; one person holds one. Apply for a renewal or change instead.`,
    );
  }
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
  const [r] = await q.query(`SELECT id, number_masked, state FROM certificate WHERE person_id = $1 AND state IN ('active', 'frozen', 'reported_lost') LIMIT 1`, [personId]);
  return r ?? null;
}

export type StateChange = { reason: string; actorId: string | null; caseId?: string | null; at: Date };

/**
 * CARD-2: one change of a certificate's state, with who, when and why in its history; refused
 * (409, nothing written) when the state machine does not allow it. Runs in the caller's transaction.
 */
export async function changeCertificateState(q: Queryable, certificateId: string, to: CertificateState, c: StateChange) {
  const [cert] = await q.query('SELECT id, state FROM certificate WHERE id = $1 FOR UPDATE', [certificateId]);
  if (!cert) throw new Error(`certificate ${certificateId} not found`);
  assertCertificateTransition(cert.state, to);
  await q.query(
    `UPDATE certificate SET state = $2, state_changed_at = $3, version = version + 1 WHERE id = $1`,
    [certificateId, to, c.at.toISOString()],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, at, actor_id, reason, case_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [certificateId, cert.state, to, c.at.toISOString(), c.actorId, c.reason, c.caseId ?? null],
  );
}
