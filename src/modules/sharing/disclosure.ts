/**
 * SEC-5: what leaves the federation under an agreement — certificate holders in the agreement's
 * federation, only the agreed fields — and the log of each disclosure against it (one
 * personal_data_view row per person, so each can learn who received their data).
 */
import { fullCertificateNumber } from '../certificates/certificate-numbers.js';
import type { AppContext } from '../../app-context.js';
import { DomainError } from '../../domain/errors.js';
import { disclosureRefusal, projectFields, type Channel, type SharedField } from '../../domain/sharing.js';
import type { Queryable, Row } from '../../platform/db.js';
import { logFullView } from '../audit/data-views.js';
import type { PersonDetails } from '../persons/persons.js';
import { agreementScope } from './agreements.js';

/** Refuses (409 not in force, 403 outside what it provides for) unless the agreement allows this disclosure today. */
export function requireInForce(ctx: AppContext, row: Row, channel: Channel, needs: readonly SharedField[] = []) {
  const refusal = disclosureRefusal({ state: row.state, validFrom: row.valid_from, validUntil: row.valid_until, channels: row.channels, fields: row.fields }, channel, ctx.clock.today(), needs);
  if (!refusal) return;
  throw refusal.kind === 'state'
    ? new DomainError('conflict', 'sharing.not_in_force', { zh: refusal.zh, en: refusal.en })
    : new DomainError('forbidden', 'sharing.outside_agreement', { zh: refusal.zh, en: refusal.en });
}

export const agreementRequired = () =>
  new DomainError('forbidden', 'sharing.agreement_required', {
    zh: '向本会以外的单位提供个人信息，须依据已批准且在有效期内的数据共享协议。请选择协议，或先由督导人员批准协议。',
    en: 'Personal data goes to a party outside the federation only under an approved data-sharing agreement in its period. Choose one, or have a supervisor approve one first.',
  });

export type HolderRecord = Partial<Record<SharedField, string | number | null>> & { personId: string; paths: string[] };

/**
 * Holders of a certificate in force (active or frozen) registered (hukou) inside the agreement's
 * federation — or, with `idBidx`, that one person — decrypted and cut down to the agreed fields.
 */
export async function holderRecords(ctx: AppContext, q: Queryable, agreement: Row, opts: { idBidx?: string; limit: number }): Promise<HolderRecord[]> {
  const rows = await q.query(
    `SELECT DISTINCT ON (p.id) p.id, p.id_enc, p.name_enc, p.sex, p.birth_date, p.details_enc, p.hukou_code, p.hukou_path, p.residence_path,
            c.category, c.level, c.state, c.valid_until
     FROM person p JOIN certificate c ON c.person_id = p.id AND c.state IN ('active', 'frozen')
     WHERE p.hukou_path LIKE $1 AND ($2::text IS NULL OR p.id_bidx = $2)
     ORDER BY p.id, c.card_no DESC LIMIT $3`,
    [agreementScope(agreement), opts.idBidx ?? null, opts.limit],
  );
  return rows.map((r) => {
    const details = ctx.crypto.decryptJson<PersonDetails>(r.details_enc);
    const idNumber = ctx.crypto.decrypt(r.id_enc);
    const full: Partial<Record<SharedField, string | number | null>> = {
      name: ctx.crypto.decrypt(r.name_enc),
      id_number: idNumber,
      sex: r.sex,
      birth_date: r.birth_date,
      certificate_number: fullCertificateNumber(idNumber, r.category, r.level),
      category: r.category,
      level: r.level,
      certificate_state: r.state,
      valid_until: r.valid_until,
      hukou_code: r.hukou_code,
      phone: details.phone ?? null,
      address: details.address ?? null,
    };
    return { ...projectFields(full, agreement.fields), personId: r.id, paths: [r.hukou_path, r.residence_path] };
  });
}

/** One disclosure under an agreement, logged per person against it. */
export async function logDisclosure(ctx: AppContext, q: Queryable, agreement: Row, d: { viewer: { kind: 'staff' | 'partner'; id: string; role: string }; what: 'partner_disclosure' | 'agreement_export' | 'archive_export'; persons: { personId: string; paths: string[] }[]; detail?: Record<string, unknown> }) {
  await logFullView(q, {
    at: ctx.clock.now(),
    viewer: { ...d.viewer, orgUnitId: agreement.federation_id },
    what: d.what,
    purpose: `${agreement.party}：${agreement.purpose}`.slice(0, 300),
    subjects: d.persons.map((p) => ({ personId: p.personId, paths: p.paths })),
    agreementId: agreement.id,
    detail: { agreementNo: agreement.agreement_no, ...d.detail },
  });
}
