/**
 * DOC-1 printing cards in batches: create (the cards are chosen and checked; nothing else changes)
 * → PDF (rendered on demand, each rendering a logged full view of the holders' data) → confirm (in
 * ONE transaction: the `print` workflow action through runAction on every first-time card, and a
 * card_print row for every card; if any case has moved on meanwhile, nothing is written and the 409
 * names it). DOC-3: the holder's electronic certificate.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { notPrintable, reprintNeedsReason, type CardData } from '../../domain/cards.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Disability, CertificateCategory, Level } from '../../domain/disability.js';
import { matterDef } from '../../domain/workflow/registry.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { logFullView } from '../audit/data-views.js';
import type { Principal, StaffPrincipal } from '../auth/principal.js';
import { runAction } from '../cases/actions.js';
import { grantsOnCase, visibleCaseRow } from '../cases/access.js';
import { fullCertificateNumber } from '../certificates/certificate-numbers.js';
import type { PersonDetails } from '../persons/persons.js';
import { signCardToken } from '../verification/tokens.js';
import { renderBatch, renderElectronic } from './card-pdf.js';

export const PRINT_ACTION = 'print';
const CARD_PHOTO_MATERIAL = 'photos';

/** The workflow's own `print` action: which states it leaves from, which side and roles take it. */
function printAction(matter: string) {
  return matterDef(matter).actions[PRINT_ACTION];
}

/** The card of a case: the certificate the case issued (a new card, or a replacement). */
async function caseCertificate(q: Queryable, caseId: string) {
  const [c] = await q.query(`SELECT id, state FROM certificate WHERE case_id = $1 ORDER BY card_no DESC LIMIT 1`, [caseId]);
  return c ?? null;
}

/** A staff member who may print this case's card: the print action's side and roles, on this case. */
function mayPrint(p: Principal, row: any): boolean {
  const action = printAction(row.matter);
  return Boolean(action) && grantsOnCase(p, row).some((g) => g.side === action!.side && action!.roles.includes(g.role as any));
}

const refusePrinting = (caseNo: string) =>
  new DomainError('forbidden', 'card.not_your_desk', {
    zh: `案件${caseNo}的证件由其户籍地县级残联制证人员制作，您无权为其制证。`,
    en: `The card of case ${caseNo} is printed by its hukou county's clerks; you may not print it.`,
  });

export type BatchItemInput = { caseId: string; reprintReason?: string };

export async function createBatch(ctx: AppContext, p: StaffPrincipal, items: BatchItemInput[]) {
  return ctx.db.tx(async (q) => {
    const checked: { caseId: string; certificateId: string; reprintReason: string | null; hukouPath: string }[] = [];
    for (const item of items) {
      const row = await visibleCaseRow(q, p, item.caseId);
      if (!mayPrint(p, row)) throw refusePrinting(row.case_no);
      const cert = await caseCertificate(q, row.id);
      const [printed] = cert ? await q.query('SELECT 1 FROM card_print WHERE certificate_id = $1 LIMIT 1', [cert.id]) : [];
      const printable = printAction(row.matter)!.from.includes(row.state);
      if (printed) {
        // a reprint: the card was printed before; it says why (damaged in printing, misfed …)
        const reason = item.reprintReason?.trim() ?? '';
        if (reason.length < 2 || reason.length > 200) throw reprintNeedsReason();
        if (cert.state !== 'active') throw notPrintable(row.case_no, { zh: `证件${cert.state}`, en: `certificate ${cert.state}` });
        checked.push({ caseId: row.id, certificateId: cert.id, reprintReason: reason, hukouPath: row.hukou_path });
      } else {
        if (!printable || !cert) throw notPrintable(row.case_no, matterDef(row.matter).states[row.state].label);
        checked.push({ caseId: row.id, certificateId: cert.id, reprintReason: null, hukouPath: row.hukou_path });
      }
    }
    const grant = p.grants.find((g) => checked[0].hukouPath.startsWith(g.orgPath) && g.orgKind === 'federation') ?? p.grants[0];
    const id = randomUUID();
    const now = ctx.clock.now();
    await q.query('INSERT INTO card_batch (id, org_unit_id, created_by, created_at) VALUES ($1, $2, $3, $4)', [id, grant.orgUnitId, p.id, now.toISOString()]);
    for (const [i, c] of checked.entries()) {
      await q.query('INSERT INTO card_batch_item (batch_id, position, case_id, certificate_id, reprint_reason) VALUES ($1, $2, $3, $4, $5)', [id, i + 1, c.caseId, c.certificateId, c.reprintReason]);
    }
    await appendAudit(q, { chain: grant.orgUnitId, actor: `staff:${p.id}`, action: 'card.batch_create', objectType: 'card_batch', objectId: id, detail: { cases: checked.map((c) => c.caseId), reprints: checked.filter((c) => c.reprintReason).length }, at: now });
    return { id, cards: checked.length, reprints: checked.filter((c) => c.reprintReason).length };
  });
}

async function batchRow(q: Queryable, p: StaffPrincipal, batchId: string) {
  const [b] = /^[0-9a-f-]{36}$/i.test(batchId) ? await q.query('SELECT b.*, o.path AS org_path FROM card_batch b JOIN org_unit o ON o.id = b.org_unit_id WHERE b.id = $1', [batchId]) : [];
  if (!b || !p.grants.some((g) => b.org_path.startsWith(g.orgPath))) throw notFound({ zh: '制证批次', en: 'print batch' });
  const items = await q.query('SELECT i.*, c.case_no FROM card_batch_item i JOIN case_file c ON c.id = i.case_id WHERE i.batch_id = $1 ORDER BY i.position', [batchId]);
  return { batch: b, items };
}

export async function batchView(ctx: AppContext, p: StaffPrincipal, batchId: string) {
  const { batch, items } = await batchRow(ctx.db, p, batchId);
  return {
    id: batch.id,
    createdAt: new Date(batch.created_at).toISOString(),
    confirmedAt: batch.confirmed_at ? new Date(batch.confirmed_at).toISOString() : null,
    items: items.map((i: any) => ({ caseId: i.case_id, caseNo: i.case_no, certificateId: i.certificate_id, reprintReason: i.reprint_reason })),
  };
}

/** The batch's PDF; every holder on it is a logged full view (SEC-1) with the purpose “制证”. */
export async function batchPdf(ctx: AppContext, p: StaffPrincipal, batchId: string): Promise<Buffer> {
  const { batch, items } = await batchRow(ctx.db, p, batchId);
  const cards = await cardData(ctx, ctx.db, items.map((i: any) => i.certificate_id));
  const grant = p.grants.find((g) => batch.org_path.startsWith(g.orgPath))!;
  await ctx.db.tx(async (q) => {
    await logFullView(q, {
      at: ctx.clock.now(), viewer: { kind: 'staff', id: p.id, role: grant.role, orgUnitId: grant.orgUnitId }, what: 'card_print', purpose: '制证（打印残疾人证）',
      subjects: cards.map((c) => ({ personId: c.personId, caseId: items.find((i: any) => i.certificate_id === c.certificateId)?.case_id, paths: [c.hukouPath] })), detail: { batch: batch.id },
    });
  });
  return renderBatch(cards, { title: `残疾人证制证批次 ${batch.id}`, footer: `制证批次 ${String(batch.id).slice(0, 8)} · 共${cards.length}张 · ${batch.confirmed_at ? '已确认' : '待确认'}`, watermark: undefined });
}

/** Confirms the batch: the cases leave “to print” by their own workflow action; every card printed is recorded. */
export async function confirmBatch(ctx: AppContext, p: StaffPrincipal, batchId: string) {
  return ctx.db.tx(async (q) => {
    const { batch, items } = await batchRow(q, p, batchId);
    const [locked] = await q.query('SELECT confirmed_at FROM card_batch WHERE id = $1 FOR UPDATE', [batch.id]);
    if (locked.confirmed_at) {
      throw new DomainError('conflict', 'card.batch_confirmed', { zh: '该制证批次已确认，不能重复确认。如需重印，请新建批次并填写原因。', en: 'This batch is confirmed already. To print again, create a new batch with the reason.' });
    }
    const now = ctx.clock.now();
    for (const i of items) {
      if (!i.reprint_reason) {
        const row = await visibleCaseRow(q, p, i.case_id);
        if (!printAction(row.matter)!.from.includes(row.state)) throw notPrintable(row.case_no, matterDef(row.matter).states[row.state].label);
        await runAction(ctx, q, p, row.id, PRINT_ACTION, row.version, {});
      }
      await q.query('INSERT INTO card_print (certificate_id, batch_id, printed_at, printed_by, reprint_reason) VALUES ($1, $2, $3, $4, $5)', [i.certificate_id, batch.id, now.toISOString(), p.id, i.reprint_reason]);
    }
    await q.query('UPDATE card_batch SET confirmed_at = $2, confirmed_by = $3 WHERE id = $1', [batch.id, now.toISOString(), p.id]);
    await appendAudit(q, { chain: batch.org_unit_id, actor: `staff:${p.id}`, action: 'card.batch_confirm', objectType: 'card_batch', objectId: batch.id, detail: { cards: items.length }, at: now });
    return { id: batch.id, confirmedAt: now.toISOString(), printed: items.length };
  });
}

/** A one-card print preview of a case's card (any staff who may print it), watermarked, logged. */
export async function casePreviewPdf(ctx: AppContext, p: StaffPrincipal, caseId: string): Promise<Buffer> {
  const row = await visibleCaseRow(ctx.db, p, caseId);
  if (!mayPrint(p, row)) throw refusePrinting(row.case_no);
  const cert = await caseCertificate(ctx.db, row.id);
  if (!cert) throw notPrintable(row.case_no, matterDef(row.matter).states[row.state].label);
  const [card] = await cardData(ctx, ctx.db, [cert.id]);
  const grant = p.grants.find((g) => row.hukou_path.startsWith(g.orgPath)) ?? p.grants[0];
  await ctx.db.tx((q) =>
    logFullView(q, { at: ctx.clock.now(), viewer: { kind: 'staff', id: p.id, role: grant.role, orgUnitId: grant.orgUnitId }, what: 'card_print', purpose: '制证预览（核对证面信息）', subjects: [{ personId: card.personId, caseId: row.id, paths: [card.hukouPath] }] }),
  );
  return renderBatch([card], { title: `残疾人证打印预览 ${row.case_no}`, footer: `打印预览 ${row.case_no}（未确认制证）`, watermark: '打印预览 · 未确认制证' });
}

/** DOC-3: the certificates of the persons this applicant account filed cases for. */
export async function holderCertificates(ctx: AppContext, applicantId: string) {
  const rows = await ctx.db.query(
    `SELECT DISTINCT c.id, c.number_masked, c.state, c.category, c.level, c.valid_from, c.valid_until, c.card_no
     FROM certificate c WHERE c.person_id IN (SELECT person_id FROM case_file WHERE applicant_account_id = $1 AND person_id IS NOT NULL)
     ORDER BY c.valid_from DESC, c.card_no DESC`,
    [applicantId],
  );
  return rows.map((r: any) => ({ id: r.id, numberMasked: r.number_masked, state: r.state, category: r.category, level: r.level, validFrom: String(r.valid_from).slice(0, 10), validUntil: String(r.valid_until).slice(0, 10) }));
}

export async function electronicCertificate(ctx: AppContext, applicantId: string, certificateId: string): Promise<Buffer> {
  const own = (await holderCertificates(ctx, applicantId)).find((c) => c.id === certificateId);
  if (!own) throw notFound({ zh: '残疾人证', en: 'certificate' });
  if (own.state !== 'active' || own.validUntil < ctx.clock.today()) {
    throw new DomainError('conflict', 'card.electronic_not_valid', {
      zh: '该残疾人证当前无效（已挂失、冻结、注销、换发或过期），不能下载电子证照。',
      en: 'This certificate is not valid now (reported lost, frozen, cancelled, replaced or expired); its electronic certificate cannot be downloaded.',
    });
  }
  const [card] = await cardData(ctx, ctx.db, [certificateId]);
  await ctx.db.tx((q) => appendAudit(q, { chain: `applicant:${applicantId}`, actor: `applicant:${applicantId}`, action: 'card.electronic_download', objectType: 'certificate', objectId: certificateId, detail: {}, at: ctx.clock.now() }));
  return renderElectronic(card, ctx.clock.today());
}

type LoadedCard = CardData & { personId: string; hukouPath: string };

/** Everything printed on the cards, decrypted (the caller logs the full view). */
export async function cardData(ctx: AppContext, q: Queryable, certificateIds: string[]): Promise<LoadedCard[]> {
  if (!certificateIds.length) return [];
  const rows = await q.query(
    `SELECT c.id, c.card_no, c.category, c.level, c.disabilities, c.valid_from, c.valid_until, c.case_id, o.name AS issuer,
            p.id AS person_id, p.id_enc, p.name_enc, p.sex, p.birth_date, p.details_enc, p.hukou_path
     FROM certificate c JOIN person p ON p.id = c.person_id JOIN org_unit o ON o.id = c.issuer_org_id WHERE c.id = ANY($1::uuid[])`,
    [certificateIds],
  );
  const byId = new Map(rows.map((r: any) => [r.id, r]));
  const out: LoadedCard[] = [];
  for (const id of certificateIds) {
    const r: any = byId.get(id);
    if (!r) throw notFound({ zh: '残疾人证', en: 'certificate' });
    const citizenId = ctx.crypto.decrypt(r.id_enc);
    const details = ctx.crypto.decryptJson<PersonDetails>(r.details_enc);
    const g = details.guardian as { name?: string; relation?: string } | undefined;
    const validFrom = String(r.valid_from).slice(0, 10);
    const token = signCardToken(ctx.config.cardSigningKeyFile, { certificateId: r.id, cardNo: r.card_no, issuedOn: validFrom });
    out.push({
      certificateId: r.id,
      cardNo: r.card_no,
      name: ctx.crypto.decrypt(r.name_enc),
      sex: r.sex,
      birthDate: String(r.birth_date).slice(0, 10),
      citizenId,
      number: fullCertificateNumber(citizenId, r.category, r.level),
      category: r.category as CertificateCategory,
      level: r.level as Level,
      disabilities: r.disabilities as Disability[],
      guardian: g?.name ? { name: g.name, relation: g.relation } : null,
      address: details.address ?? '',
      issuer: r.issuer,
      validFrom,
      validUntil: String(r.valid_until).slice(0, 10),
      photo: await cardPhoto(ctx, q, r.person_id, r.case_id),
      verifyUrl: `${ctx.config.publicBaseUrl}/verify/${token}`,
      personId: r.person_id,
      hukouPath: r.hukou_path,
    });
  }
  return out;
}

/** NEW-9: the newest photo scan (an image of the `photos` material) of the card's case or of the holder's other cases. */
async function cardPhoto(ctx: AppContext, q: Queryable, personId: string, caseId: string | null) {
  const [d] = await q.query(
    `SELECT d.mime, d.content_enc FROM case_document cd JOIN document d ON d.sha256 = cd.sha256 JOIN case_file cf ON cf.id = cd.case_id
     WHERE (cd.case_id = $2 OR cf.person_id = $1) AND cd.material_code = $3 AND d.mime IN ('image/jpeg', 'image/png')
     ORDER BY cd.at DESC, cd.id LIMIT 1`,
    [personId, caseId, CARD_PHOTO_MATERIAL],
  );
  return d ? { mime: d.mime as string, bytes: ctx.crypto.decryptBytes(d.content_enc) } : null;
}
