/**
 * The certificate effects of the matters on an existing certificate, in the case's transaction:
 * a new card in place of the old (renewal, transfer, reissue, change, partial cancellation) and a
 * whole cancellation. The rules of what the new card carries are pure (replacementCard); this
 * writes them, with the person's record following a transfer (new hukou) or an information update.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { certificateNumber } from '../../domain/certificate-number.js';
import { replacementCard } from '../../domain/certificates.js';
import { certificateCategoryAndLevel } from '../../domain/disability.js';
import type { Decision } from '../../domain/workflow/engine.js';
import type { CaseSnapshot } from '../../domain/workflow/types.js';
import type { Queryable } from '../../platform/db.js';
import type { Principal } from '../auth/principal.js';
import { upsertPerson, type PersonDetails } from '../persons/persons.js';
import { certificateNumberColumns } from './certificate-numbers.js';
import { changeCertificateState, refuseSecondInForce } from './certificates.js';

const actorOf = (p: Principal) => (p.kind === 'staff' ? p.id : null);

export async function replaceFromCase(ctx: AppContext, q: Queryable, p: Principal, row: any, d: Decision, snap: CaseSnapshot, issuerOrgId: string) {
  const today = ctx.clock.today();
  const [old] = await q.query('SELECT * FROM certificate WHERE id = $1 FOR UPDATE', [row.certificate_id]);
  const rep = replacementCard(row.matter, row.variant, snap.certificate!, d.data.assessment, d.data.cancellation?.removeCategories ?? [], today);
  const [person] = await q.query('SELECT * FROM person WHERE id = $1', [old.person_id]);
  const citizenId = ctx.crypto.decrypt(person.id_enc);
  if (row.matter === 'transfer' || row.variant === 'info_update') await followPerson(ctx, q, person, citizenId, row, d.data.updates ?? {});

  const stored = certificateNumberColumns(ctx.crypto, certificateNumber(citizenId, rep.disabilities));
  const { category, level } = certificateCategoryAndLevel(rep.disabilities);
  const id = randomUUID();
  // a new assessment replaces a visual one; otherwise the card keeps what the certificate rests on
  const visual = d.data.assessment ? false : old.visual_assessment;
  // CARD-3: the old card leaves force before the new one enters it (the unique index
  // certificate_one_in_force would refuse the other order); it learns its successor right after.
  // REISSUE-1: a lost card is already out of force and stays "reported lost".
  if (rep.old === 'cancelled') await changeCertificateState(q, old.id, 'cancelled', { reason: 'replaced', actorId: actorOf(p), caseId: row.id, at: ctx.clock.now() });
  else await refuseSecondInForce(q, old.person_id);
  await q.query(
    `INSERT INTO certificate (id, number_bidx, number_masked, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, case_id, card_no, visual_assessment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11, $12, $13)`,
    [id, stored.bidx, stored.masked, old.person_id, category, level, JSON.stringify(rep.disabilities), rep.validFrom, rep.validUntil, issuerOrgId, row.id,
      stored.bidx === old.number_bidx ? old.card_no + 1 : 1, visual],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, at, actor_id, reason, case_id) VALUES ($1, NULL, 'active', $2, $3, $4, $5)`,
    [id, ctx.clock.now().toISOString(), actorOf(p), `${row.matter}${row.variant ? ':' + row.variant : ''}`, row.id],
  );
  await q.query('UPDATE certificate SET replaced_by = $2, version = version + 1 WHERE id = $1', [old.id, id]);
  return { id, numberMasked: stored.masked, category, level, validFrom: rep.validFrom, validUntil: rep.validUntil, personId: old.person_id as string };
}

/** TRF-1: the person's hukou moves with the certificate; RENEW-4: the updated details go on file. */
async function followPerson(ctx: AppContext, q: Queryable, person: any, citizenId: string, row: any, updates: { name?: string; ethnicity?: string; address?: string; phone?: string }) {
  const details = ctx.crypto.decryptJson<PersonDetails>(person.details_enc);
  const { name, ...changed } = updates;
  await upsertPerson(q, ctx.crypto, {
    idNumber: citizenId,
    name: name ?? ctx.crypto.decrypt(person.name_enc),
    sex: person.sex,
    birthDate: person.birth_date,
    details: { ...details, ...changed },
    hukouCode: row.hukou_code,
    hukouPath: row.hukou_path,
    residenceCode: row.residence_code,
    residencePath: row.residence_path,
  });
}

/** CANCEL-1 (and RENEW-2 below the standard): the certificate is cancelled, with the reason kept. */
export async function cancelFromCase(ctx: AppContext, q: Queryable, p: Principal, row: any, d: Decision) {
  await changeCertificateState(q, row.certificate_id, 'cancelled', { reason: d.data.cancellation?.reason ?? 'recovery', actorId: actorOf(p), caseId: row.id, at: ctx.clock.now() });
}
