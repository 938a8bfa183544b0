/**
 * CARD-1 (002 §6): the county's register of old cards. The certificate matters log the card handed
 * in (logOldCard, in their own transaction); a county desk logs a card handed in outside a case; after
 * a year a person confirms a batch destruction, which gets a numbered, printable record.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { parseCertificateNumber } from '../../domain/certificate-number.js';
import { certificateNumberIndex } from '../certificates/certificate-numbers.js';
import { zhDate } from '../../domain/dates.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/errors.js';
import { assertDestroyable, checkCollectedOn, destructionDueFrom, dueCutoff, oldCardStatus, type OldCardStatus } from '../../domain/old-cards.js';
import { chinaDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { countyDeskGrants, scopePatterns, type StaffGrant, type StaffPrincipal } from '../auth/principal.js';
import { countyCodeOf } from '../org/divisions.js';
import { maskName } from '../persons/persons.js';

export type OldCardInput = {
  certificateId: string;
  caseId: string | null;
  /** the collecting county's path, e.g. '33.3301.330106.' */
  countyPath: string;
  collectedOn: string;
  actorId: string;
  note?: string;
};

const CARD = { zh: '残疾人证', en: 'certificate' };
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/**
 * CARD-1: logs one old card as collected by `countyPath`, with an audit entry, in the caller's
 * transaction. A card is logged once: a second log of it is a 409 and writes nothing. The caller has
 * already checked that the actor acts for that county (the matter's own permission check).
 */
export async function logOldCard(q: Queryable, ctx: AppContext, input: OldCardInput): Promise<{ id: string }> {
  checkCollectedOn(input.collectedOn, ctx.clock.today());
  const [cert] = isUuid(input.certificateId) ? await q.query('SELECT id FROM certificate WHERE id = $1', [input.certificateId]) : [];
  if (!cert) throw notFound(CARD);
  // the county federation keeps the card; its org unit's audit chain records the collection
  const [county] = await q.query(`SELECT o.id FROM org_unit o JOIN division d ON d.code = o.division_code WHERE o.kind = 'federation' AND o.active AND o.path = $1 AND d.level = 3`, [input.countyPath]);
  if (!county) {
    throw invalid('old_card.county', `“${input.countyPath}”不是县级残联，旧证须由县（区）残联回收。`, `"${input.countyPath}" is not a county federation; old cards are collected by the county federation.`, 'countyPath');
  }
  const id = randomUUID();
  const now = ctx.clock.now();
  const note = input.note?.trim() ?? '';
  // the unique certificate_id settles two desks logging the same card at once: the second finds the row
  const inserted = await q.query(
    `INSERT INTO old_card (id, certificate_id, case_id, county_path, collected_on, collected_by, collected_at, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (certificate_id) DO NOTHING RETURNING id`,
    [id, cert.id, input.caseId, input.countyPath, input.collectedOn, input.actorId, now.toISOString(), note],
  );
  if (!inserted.length) {
    const [was] = await q.query(
      `SELECT o.collected_on, c.number_masked, c.card_no, f.name FROM old_card o JOIN certificate c ON c.id = o.certificate_id
       LEFT JOIN org_unit f ON f.kind = 'federation' AND f.path = o.county_path WHERE o.certificate_id = $1`,
      [cert.id],
    );
    const card = was.number_masked;
    throw conflict(
      'old_card.already_logged',
      `残疾人证 ${card}（第${was.card_no}张卡）已于${zhDate(was.collected_on)}由${was.name ?? '其他县（区）'}回收登记，不能重复登记。`,
      `Card ${was.card_no} of certificate ${card} was already logged as collected on ${was.collected_on} by ${was.name ?? 'another county'}; it cannot be logged twice.`,
    );
  }
  await appendAudit(q, {
    chain: county.id, actor: `staff:${input.actorId}`, action: 'old_card.log', objectType: 'certificate', objectId: cert.id,
    detail: { oldCard: id, caseId: input.caseId, county: countyCodeOf(input.countyPath), collectedOn: input.collectedOn, note }, at: now,
  });
  return { id };
}

/** The county desks (clerk, reviewer, approver at a county federation) keep the register. */
function requireDesk(p: StaffPrincipal): StaffGrant[] {
  const desks = countyDeskGrants(p.grants);
  if (!desks.length) {
    throw new DomainError('forbidden', 'old_card.not_desk', { zh: '旧证回收登记和销毁由县（区）残联办证人员办理。', en: 'Old cards are logged and destroyed by the county federation desk.' });
  }
  return desks;
}

const CARD_COLUMNS = `o.certificate_id, o.case_id, o.collected_on, o.note, o.destruction_id, c.number_masked, c.card_no, c.state, p.name_enc,
  f.case_no, u.display_name AS collected_by, d.record_no, d.confirmed_at`;
const CARD_JOINS = `old_card o JOIN certificate c ON c.id = o.certificate_id JOIN person p ON p.id = c.person_id
  JOIN staff_user u ON u.id = o.collected_by LEFT JOIN case_file f ON f.id = o.case_id LEFT JOIN card_destruction d ON d.id = o.destruction_id`;

/** A register line as lists and the record show it: holder and number masked (SEC-1). */
function cardOut(ctx: AppContext, r: any, today: string) {
  return {
    certificateId: r.certificate_id,
    numberMasked: r.number_masked,
    cardNo: r.card_no,
    certificateState: r.state,
    holderNameMasked: maskName(ctx.crypto.decrypt(r.name_enc)),
    collectedOn: r.collected_on,
    collectedBy: r.collected_by,
    dueFrom: destructionDueFrom(r.collected_on),
    status: oldCardStatus({ collectedOn: r.collected_on, destroyed: r.destruction_id !== null }, today),
    case: r.case_id ? { id: r.case_id, caseNo: r.case_no } : null,
    note: r.note,
    destruction: r.destruction_id ? { id: r.destruction_id, recordNo: r.record_no, confirmedAt: r.confirmed_at } : null,
  };
}

/**
 * A card handed in at the desk outside a case (e.g. by the family after a death): the latest card of
 * that number (and card number, when given) whose holder lives or is registered in the desk's county.
 */
export async function logHandedIn(ctx: AppContext, q: Queryable, p: StaffPrincipal, body: { certificateNumber: string; cardNo?: number; note?: string }) {
  const desks = requireDesk(p);
  const { citizenId, category, level } = parseCertificateNumber(body.certificateNumber);
  const [cert] = await q.query(
    `SELECT c.id, p.residence_path, p.hukou_path FROM certificate c JOIN person p ON p.id = c.person_id
     WHERE c.number_bidx = $1 AND ($2::int IS NULL OR c.card_no = $2) AND (p.residence_path LIKE ANY($3) OR p.hukou_path LIKE ANY($3))
     ORDER BY c.valid_from DESC, c.card_no DESC LIMIT 1`,
    [certificateNumberIndex(ctx.crypto, `${citizenId}${category}${level}`), body.cardNo ?? null, scopePatterns(desks)],
  );
  if (!cert) throw notFound(CARD);
  // the county where the holder lives collects, unless only the hukou county is the caller's
  const desk = desks.find((g) => cert.residence_path.startsWith(g.orgPath)) ?? desks.find((g) => cert.hukou_path.startsWith(g.orgPath))!;
  await logOldCard(q, ctx, { certificateId: cert.id, caseId: null, countyPath: desk.orgPath, collectedOn: ctx.clock.today(), actorId: p.id, note: body.note });
  const [line] = await q.query(`SELECT ${CARD_COLUMNS} FROM ${CARD_JOINS} WHERE o.certificate_id = $1`, [cert.id]);
  return cardOut(ctx, line, ctx.clock.today());
}

const LIST_LIMIT = 500;
// $2 is dueCutoff(today): a kept card collected on or before it is due
const STATUS_FILTER: Record<OldCardStatus, string> = {
  held: 'o.destruction_id IS NULL AND o.collected_on > $2 ORDER BY o.collected_on, c.number_masked, c.id',
  due: 'o.destruction_id IS NULL AND o.collected_on <= $2 ORDER BY o.collected_on, c.number_masked, c.id',
  destroyed: 'o.destruction_id IS NOT NULL ORDER BY d.confirmed_at DESC, c.number_masked, c.id',
};

/** The caller's county register: cards kept and not yet due, due for destruction, or destroyed. */
export async function listOldCards(ctx: AppContext, p: StaffPrincipal, status: OldCardStatus) {
  const desks = requireDesk(p);
  const today = ctx.clock.today();
  const rows = await ctx.db.query(
    `SELECT ${CARD_COLUMNS} FROM ${CARD_JOINS} WHERE o.county_path = ANY($1) AND ${STATUS_FILTER[status]} LIMIT ${LIST_LIMIT + 1}`,
    [desks.map((g) => g.orgPath), ...(status === 'destroyed' ? [] : [dueCutoff(today)])],
  );
  return { items: rows.slice(0, LIST_LIMIT).map((r) => cardOut(ctx, r, today)), truncated: rows.length > LIST_LIMIT };
}

/**
 * CARD-1: a person confirms the destruction of a batch of their county's cards. Every card must be
 * due and still kept, else the whole batch is refused (422) and nothing changes. The record gets the
 * county's next number for the year: CD-330106-2027-0001.
 */
export async function confirmDestruction(ctx: AppContext, q: Queryable, p: StaffPrincipal, certificateIds: string[], note: string) {
  const desks = requireDesk(p);
  const ids = [...new Set(certificateIds)];
  const rows = ids.every(isUuid)
    ? await q.query(
        `SELECT o.id, o.county_path, o.collected_on, c.number_masked, d.confirmed_at FROM old_card o JOIN certificate c ON c.id = o.certificate_id
         LEFT JOIN card_destruction d ON d.id = o.destruction_id
         WHERE o.certificate_id = ANY($1) AND o.county_path = ANY($2) ORDER BY c.number_masked, o.id FOR UPDATE OF o`,
        [ids, desks.map((g) => g.orgPath)],
      )
    : [];
  // a card not in the caller's register is not theirs to destroy, whether or not it exists
  if (rows.length !== ids.length) throw notFound({ zh: '旧证', en: 'old card' });
  const counties = [...new Set(rows.map((r) => r.county_path as string))];
  if (counties.length > 1) {
    throw invalid('card_destruction.one_county', '一份销毁记录只包含一个县（区）回收的旧证，请按县（区）分别确认。', 'A destruction record holds one county’s cards; confirm each county separately.', 'certificateIds');
  }
  const today = ctx.clock.today();
  assertDestroyable(
    rows.map((r) => ({ numberMasked: r.number_masked, collectedOn: r.collected_on, destroyedOn: r.confirmed_at ? chinaDate(new Date(r.confirmed_at)) : null })),
    today,
  );
  const desk = desks.find((g) => g.orgPath === counties[0])!;
  // numbers run per county and year; the lock on the county's org unit makes two confirmations take turns
  await q.query('SELECT id FROM org_unit WHERE id = $1 FOR UPDATE', [desk.orgUnitId]);
  const prefix = `CD-${countyCodeOf(desk.orgPath)}-${today.slice(0, 4)}-`;
  const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM card_destruction WHERE county_path = $1 AND record_no LIKE $2`, [desk.orgPath, `${prefix}%`]);
  const recordNo = prefix + String(n + 1).padStart(4, '0');
  const id = randomUUID();
  const now = ctx.clock.now();
  await q.query(
    `INSERT INTO card_destruction (id, record_no, county_path, confirmed_by, confirmed_at, card_count, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, recordNo, desk.orgPath, p.id, now.toISOString(), rows.length, note.trim()],
  );
  await q.query('UPDATE old_card SET destruction_id = $1 WHERE id = ANY($2)', [id, rows.map((r) => r.id)]);
  await appendAudit(q, {
    chain: desk.orgUnitId, actor: `staff:${p.id}`, action: 'card_destruction.confirm', objectType: 'card_destruction', objectId: id,
    detail: { recordNo, certificateIds: ids, cards: rows.length, note: note.trim() }, at: now,
  });
  return id;
}

/** The destruction record for printing: number, county, who confirmed and when, and the cards. */
export async function destructionRecord(ctx: AppContext, p: StaffPrincipal, id: string) {
  const desks = requireDesk(p);
  const [d] = isUuid(id)
    ? await ctx.db.query(
        `SELECT d.*, u.display_name, f.name AS county_name FROM card_destruction d JOIN staff_user u ON u.id = d.confirmed_by
         LEFT JOIN org_unit f ON f.kind = 'federation' AND f.path = d.county_path WHERE d.id = $1 AND d.county_path = ANY($2)`,
        [id, desks.map((g) => g.orgPath)],
      )
    : [];
  if (!d) throw notFound({ zh: '销毁记录', en: 'destruction record' });
  const cards = await ctx.db.query(`SELECT ${CARD_COLUMNS} FROM ${CARD_JOINS} WHERE o.destruction_id = $1 ORDER BY o.collected_on, c.number_masked, o.id`, [d.id]);
  const today = ctx.clock.today();
  return {
    id: d.id, recordNo: d.record_no, county: { code: countyCodeOf(d.county_path), name: d.county_name },
    confirmedBy: d.display_name, confirmedAt: d.confirmed_at, cardCount: d.card_count, note: d.note,
    cards: cards.map((r) => cardOut(ctx, r, today)),
  };
}
