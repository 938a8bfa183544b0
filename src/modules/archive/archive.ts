/**
 * ARCH-1 one person, one file (一人一档, 004): every scan of every case of the person, in filing
 * order, each file once however often it was attached, with the county where its paper was produced
 * (and is kept, 002 §6) and the case it came from. Reading the list shows no personal data beyond
 * what the person file already shows; opening a file or exporting the archive is a full view, so it
 * is limited to the full-view roles and written to the audit chain.
 */
import type { AppContext } from '../../app-context.js';
import { exportFileName, groupByContent } from '../../domain/archive.js';
import { DomainError, notFound, type Bilingual } from '../../domain/errors.js';
import { materialLabel } from '../../domain/materials.js';
import { MATTERS } from '../../domain/workflow/registry.js';
import { chinaDate } from '../../platform/clock.js';
import type { Queryable, Row } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { logFullView, purposeOr } from '../audit/data-views.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';
import { FULL_VIEW_ROLES, maskName, visiblePerson } from '../persons/persons.js';
import { agreementRequired, logDisclosure, requireInForce } from '../sharing/disclosure.js';
import { archiveZip } from './zip.js';

export type ArchiveReference = {
  id: string;
  at: string;
  materialCode: string;
  label: Bilingual;
  fileName: string;
  /** the org unit that scanned it in (county federation or institution) and its place; null = the applicant, online */
  origin: { orgUnit: string; division: string; divisionCode: string } | null;
  case: { id: string; caseNo: string; matter: { code: string } & Bilingual };
};
export type ArchiveDocument = { no: number; sha256: string; mime: string; size: number; exportName: string; references: ArchiveReference[] };

/**
 * The person's cases are those linked at approval and, before that, the ones filed under their ID
 * number (an open first application, or one that ended below the standard, has no person yet).
 * The origin's place is named from its division path in the same query.
 */
const ARCHIVE_SQL = `
  SELECT cd.id, cd.sha256, cd.material_code, cd.file_name, cd.at, d.mime, d.size, c.id AS case_id, c.case_no, c.matter,
         ou.name AS origin_name, dv.code AS origin_code,
         (SELECT string_agg(a.name, ' ' ORDER BY a.level) FROM division a WHERE a.code = ANY(string_to_array(rtrim(dv.path, '.'), '.'))) AS origin_place
  FROM case_file c
  JOIN case_document cd ON cd.case_id = c.id
  JOIN document d ON d.sha256 = cd.sha256
  LEFT JOIN org_unit ou ON ou.id = cd.origin_org_id
  LEFT JOIN division dv ON dv.code = ou.division_code
  WHERE c.person_id = $1 OR c.applicant_bidx = $2
  ORDER BY cd.at, cd.id`;

async function archiveDocuments(q: Queryable, person: Row): Promise<ArchiveDocument[]> {
  const rows = await q.query(ARCHIVE_SQL, [person.id, person.id_bidx]);
  const filings = rows.map((r) => ({
    sha256: r.sha256 as string,
    mime: r.mime as string,
    size: Number(r.size),
    reference: {
      id: r.id,
      at: new Date(r.at).toISOString(),
      materialCode: r.material_code,
      label: materialLabel(r.material_code),
      fileName: r.file_name,
      origin: r.origin_name ? { orgUnit: r.origin_name, division: r.origin_place ?? r.origin_code, divisionCode: r.origin_code } : null,
      case: { id: r.case_id, caseNo: r.case_no, matter: { code: r.matter, ...(MATTERS[r.matter]?.label ?? { zh: r.matter, en: r.matter }) } },
    } satisfies ArchiveReference,
  }));
  const documents = groupByContent(filings);
  return documents.map(({ no, sha256, references: filed }) => {
    const { mime, size, reference: first } = filed[0];
    const exportName = exportFileName(no, documents.length, { date: chinaDate(new Date(first.at)), labelZh: first.label.zh, caseNo: first.case.caseNo, mime });
    return { no, sha256, mime, size, exportName, references: filed.map((f) => f.reference) };
  });
}

async function decryptedContents(ctx: AppContext, q: Queryable, sha256s: string[]) {
  const rows = await q.query('SELECT sha256, content_enc FROM document WHERE sha256 = ANY($1)', [sha256s]);
  return new Map(rows.map((r) => [r.sha256 as string, ctx.crypto.decryptBytes(Buffer.from(r.content_enc))]));
}

/** The caller's grant that allows a full view, if any (its org unit's audit chain records the view). */
const fullViewGrant = (staff: StaffPrincipal) => staff.grants.find((g) => (FULL_VIEW_ROLES as readonly string[]).includes(g.role));

/** The agreement an archive goes out under: it must exist, be in force and provide for archive exports (SEC-5). */
async function agreementForArchive(ctx: AppContext, q: Queryable, agreementId: string | undefined) {
  if (!agreementId) throw agreementRequired();
  const [row] = /^[0-9a-f-]{36}$/i.test(agreementId) ? await q.query('SELECT * FROM sharing_agreement WHERE id = $1', [agreementId]) : [];
  if (!row) throw notFound({ zh: '数据共享协议', en: 'data-sharing agreement' });
  requireInForce(ctx, row, 'archive', ['archive_documents']);
  return row;
}

const outsideAgreement = () =>
  new DomainError('forbidden', 'sharing.outside_agreement', { zh: '该人员不在协议所涉残联的辖区内，不能依此协议提供其档案。', en: 'The person is outside the federation the agreement covers; their archive cannot go out under it.' });

export function archiveService(ctx: AppContext) {
  /** Opens the person for a full view in the caller's transaction and logs it in the caller's full-view chain. */
  async function fullView(q: Queryable, staff: StaffPrincipal, personId: string, purpose: string) {
    const viewer = requireRole(staff, FULL_VIEW_ROLES);
    const person = await visiblePerson(q, viewer, personId);
    const grant = fullViewGrant(viewer)!;
    const log = async (action: 'person.archive_document' | 'person.archive_export', detail: Record<string, unknown>) => {
      await appendAudit(q, { chain: grant.orgUnitId, actor: `staff:${viewer.id}`, action, objectType: 'person', objectId: person.id, detail: { ...detail, role: grant.role, purpose }, at: ctx.clock.now() });
      await logFullView(q, {
        at: ctx.clock.now(), viewer: { kind: 'staff', id: viewer.id, role: grant.role, orgUnitId: grant.orgUnitId }, what: action === 'person.archive_export' ? 'archive_export' : 'archive_document',
        purpose, subjects: [{ personId: person.id, paths: [person.hukou_path, person.residence_path] }], detail,
      });
    };
    return { person, documents: await archiveDocuments(q, person), log };
  }

  return {
    /** The list (same visibility as the person file); no file content, so not a full view. `canOpen`: may this caller open files and export. */
    async list(staff: StaffPrincipal, personId: string) {
      const person = await visiblePerson(ctx.db, staff, personId);
      return { personId: person.id, canOpen: Boolean(fullViewGrant(staff)), documents: await archiveDocuments(ctx.db, person) };
    },

    /** One document of the archive, by content hash: reachable whatever case (or county) it came through. */
    async document(staff: StaffPrincipal, personId: string, sha256: string, purpose?: string) {
      return ctx.db.tx(async (q) => {
        const { documents, log } = await fullView(q, staff, personId, purposeOr(purpose, '查阅人员档案材料 archive review'));
        const doc = documents.find((d) => d.sha256 === sha256);
        if (!doc) throw notFound({ zh: '档案材料', en: 'archive document' });
        await log('person.archive_document', { sha256, no: doc.no });
        const bytes = (await decryptedContents(ctx, q, [sha256])).get(sha256)!;
        return { fileName: doc.exportName, mime: doc.mime, bytes };
      });
    },

    /**
     * The whole archive as one ZIP: the files in filing order and an index.html naming origin and case
     * of each. For a party outside the federation (SEC-5) only under an agreement in force that
     * provides for archive exports and covers the person; the export is then logged against it.
     */
    async exportZip(staff: StaffPrincipal, personId: string, opts: { purpose?: string; recipient?: 'internal' | 'external'; agreementId?: string } = {}) {
      const { person, documents, contents } = await ctx.db.tx(async (q) => {
        const agreement = opts.recipient === 'external' ? await agreementForArchive(ctx, q, opts.agreementId) : null;
        const purpose = agreement ? `${agreement.party}：${agreement.purpose}` : purposeOr(opts.purpose, '导出人员档案（本会内部使用） archive export for the federation’s own use');
        const view = await fullView(q, staff, personId, purpose);
        if (agreement && !String(view.person.hukou_path).startsWith(agreement.federation_path)) throw outsideAgreement();
        const references = view.documents.reduce((n, d) => n + d.references.length, 0);
        await view.log('person.archive_export', { format: 'zip', files: view.documents.length, references, ...(agreement ? { agreement: agreement.id, agreementNo: agreement.agreement_no } : {}) });
        if (agreement) await logDisclosure(ctx, q, agreement, { viewer: { kind: 'staff', id: staff.id, role: 'export' }, what: 'archive_export', persons: [{ personId: view.person.id, paths: [view.person.hukou_path, view.person.residence_path] }], detail: { files: view.documents.length } });
        return { ...view, contents: await decryptedContents(ctx, q, view.documents.map((d) => d.sha256)) };
      });
      const exportedAt = ctx.clock.now();
      const owner = { idNumberMasked: person.id_masked as string, nameMasked: maskName(ctx.crypto.decrypt(person.name_enc)) };
      return {
        fileName: `人员档案_${owner.idNumberMasked.replaceAll('*', 'x')}_${chinaDate(exportedAt)}.zip`,
        asciiName: `person-archive_${chinaDate(exportedAt)}.zip`,
        bytes: archiveZip(documents, contents, { ...owner, exportedAt, exportedBy: staff.displayName }),
      };
    },
  };
}
