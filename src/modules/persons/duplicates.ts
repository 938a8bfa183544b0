/**
 * ID-3: the duplicate-candidates list. A record that may be a person already on file (today: a legacy
 * import row whose ID number is on file) waits here until a supervisor decides; it is never silently
 * a second person nor a second certificate. Supervisors (county, city or province) see the candidates
 * whose importing county or whose person's hukou or residence place lies in their subtree; for anyone
 * else a candidate does not exist (ORG-3). Lists carry masked values only (SEC-1).
 *
 * Two kinds: 'legacy_import', a legacy row whose ID number (15- or 18-digit) is on file; 'near_match',
 * a legacy row with another ID number but the name, birth date and hukou county of a person on file
 * (a number the police changed, say, or a namesake).
 *
 * Decisions: 'same_person_merged' attaches the row's certificate to the person on file (unless that
 * would give them a second certificate in force: refused, 409); 'different_persons' loads the row as
 * the new person it is for a near match, and loads nothing for the same ID number (two people given one
 * number, 重号, for the police to correct); 'rejected' discards the row. Each decision is kept with its
 * note, who and when, and written to the audit chain.
 */
import { certificateNumberIndex } from '../certificates/certificate-numbers.js';
import type { AppContext } from '../../app-context.js';
import { maskCertificateNumber } from '../../domain/certificate-number.js';
import { CERTIFICATE_STATES, type CertificateState } from '../../domain/certificates.js';
import { conflict, notFound } from '../../domain/errors.js';
import type { Disability } from '../../domain/disability.js';
import type { LegacyRow } from '../../domain/legacy-certificates.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { scopePatterns, type StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';
import { activeCertificate } from '../certificates/certificates.js';
import { insertCertificates, legacyPerson } from '../certificates/legacy-import.js';
import { idIndex, insertPersons, maskName, placeNames } from './persons.js';

export const DUPLICATE_STATUSES = ['open', 'same_person_merged', 'different_persons', 'rejected'] as const;
export const DUPLICATE_DECISIONS = ['same_person_merged', 'different_persons', 'rejected'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];
export type DuplicateDecision = (typeof DUPLICATE_DECISIONS)[number];

const NOT_FOUND = { zh: '疑似重复记录', en: 'duplicate candidate' };
const supervisorGrants = (p: StaffPrincipal) => p.grants.filter((g) => g.role === 'supervisor');
/** SQL condition on `d` (the candidate) and `p` (the person on file): inside the subtrees in $1. */
const VISIBLE = `(d.county_path LIKE ANY($1) OR p.hukou_path LIKE ANY($1) OR p.residence_path LIKE ANY($1))`;

export function duplicateService(ctx: AppContext) {
  const { db, crypto } = ctx;

  return {
    /** Candidates in the caller's subtrees, oldest first; `status` 'all' includes the resolved ones. */
    async list(staff: StaffPrincipal, status: DuplicateStatus | 'all', page: number, pageSize: number) {
      const p = requireRole(staff, ['supervisor']);
      const rows = await db.query(
        `SELECT d.*, p.id_masked, p.name_enc, p.hukou_path, p.residence_path, u.display_name AS resolved_by_name, count(*) OVER () AS total
         FROM duplicate_candidate d JOIN person p ON p.id = d.person_id LEFT JOIN staff_user u ON u.id = d.resolved_by
         WHERE ${VISIBLE} AND ($2::text = 'all' OR d.status = $2) ORDER BY d.found_at, d.id LIMIT $3 OFFSET $4`,
        [scopePatterns(supervisorGrants(p)), status, pageSize, (page - 1) * pageSize],
      );
      const certificates = await db.query(
        `SELECT c.person_id, c.number_masked, c.state, c.valid_from, c.valid_until, o.path AS issuer_path FROM certificate c JOIN org_unit o ON o.id = c.issuer_org_id
         WHERE c.person_id = ANY($1) ORDER BY c.valid_from DESC, c.card_no DESC`,
        [[...new Set(rows.map((r) => r.person_id))]],
      );
      const incoming = new Map(rows.map((r) => [r.id, crypto.decryptJson<LegacyRow>(r.incoming_enc)]));
      const hukouPaths = new Map(
        (await db.query('SELECT code, path FROM division WHERE code = ANY($1)', [[...incoming.values()].map((row) => row.hukouCode)])).map((v) => [v.code, v.path as string]),
      );
      const places = await placeNames(db, [...rows.flatMap((r) => [r.county_path, r.hukou_path, r.residence_path]), ...certificates.map((c) => c.issuer_path), ...hukouPaths.values()]);
      return {
        total: rows[0]?.total ?? 0,
        items: rows.map((r) => {
          const row = incoming.get(r.id)!;
          return {
            id: r.id,
            kind: r.kind as 'legacy_import' | 'near_match',
            status: r.status as DuplicateStatus,
            version: r.version,
            foundAt: r.found_at,
            source: r.source,
            county: places(r.county_path),
            incoming: {
              idNumberMasked: r.incoming_id_masked,
              nameMasked: r.incoming_name_masked,
              // the resolver's main clue, without showing either name
              sameNameAsOnFile: row.name.replace(/\s+/g, '') === crypto.decrypt(r.name_enc).replace(/\s+/g, ''),
              hukou: places(hukouPaths.get(row.hukouCode) ?? row.hukouCode),
              certificate: {
                numberMasked: maskCertificateNumber(row.number),
                disabilities: row.disabilities as Disability[],
                issuedOn: row.issuedOn,
                validUntil: row.validUntil,
                visualAssessment: row.visualAssessment,
              },
            },
            onFile: {
              personId: r.person_id,
              idNumberMasked: r.id_masked,
              nameMasked: maskName(crypto.decrypt(r.name_enc)),
              hukou: places(r.hukou_path),
              residence: places(r.residence_path),
              certificates: certificates.filter((c) => c.person_id === r.person_id).map((c) => ({
                numberMasked: c.number_masked,
                state: c.state as CertificateState,
                validFrom: c.valid_from,
                validUntil: c.valid_until,
                issuer: places(c.issuer_path),
              })),
            },
            resolution: r.status === 'open' ? null : { note: r.resolution_note, resolvedBy: r.resolved_by_name, resolvedAt: r.resolved_at },
          };
        }),
      };
    },

    /** One decision, in one transaction with the version check and the audit entry. */
    async resolve(staff: StaffPrincipal, candidateId: string, d: { decision: DuplicateDecision; note: string; expectedVersion: number }) {
      const p = requireRole(staff, ['supervisor']);
      const grants = supervisorGrants(p);
      return db.tx(async (q) => {
        const [c] = /^[0-9a-f-]{36}$/i.test(candidateId)
          ? await q.query(
              `SELECT d.*, p.hukou_path, p.residence_path FROM duplicate_candidate d JOIN person p ON p.id = d.person_id
               WHERE d.id = $2 AND ${VISIBLE} FOR UPDATE OF d`,
              [scopePatterns(grants), candidateId],
            )
          : [];
        if (!c) throw notFound(NOT_FOUND);
        if (c.status !== 'open') throw conflict('duplicate.resolved', '此记录已处理，请刷新名单。', 'This candidate has already been resolved; reload the list.');
        if (c.version !== d.expectedVersion) throw conflict('duplicate.stale', '此记录已被他人更新，请刷新后重试。', 'Someone else changed this candidate; reload it and try again.');
        const at = ctx.clock.now();
        const certificateId = d.decision === 'same_person_merged' ? await merge(q, c)
          : d.decision === 'different_persons' && c.kind === 'near_match' ? await loadAsNew(q, c)
            : null;
        await q.query(
          `UPDATE duplicate_candidate SET status = $2, resolution_note = $3, resolved_by = $4, resolved_at = $5, version = version + 1 WHERE id = $1`,
          [c.id, d.decision, d.note, p.id, at.toISOString()],
        );
        // the chain of the supervisor's unit that reaches the candidate
        const grant = grants.find((g) => [c.county_path, c.hukou_path, c.residence_path].some((path) => path.startsWith(g.orgPath)))!;
        await appendAudit(q, {
          chain: grant.orgUnitId,
          actor: `staff:${p.id}`,
          action: `duplicate.${d.decision}`,
          objectType: 'duplicate_candidate',
          objectId: c.id,
          detail: { kind: c.kind, personId: c.person_id, county: c.county_code, source: c.source, decision: d.decision, note: d.note, certificateId },
          at,
        });
        return { id: c.id, status: d.decision, version: c.version + 1, certificateId };
      });
    },
  };

  /**
   * The row's certificate joins the person on file, issued by the importing county as the import would
   * have. Nothing is added when the very certificate is on file already; a second one in force is
   * refused (CARD-3), and the person row is locked so no case issues one meanwhile.
   */
  async function merge(q: Queryable, c: any): Promise<string | null> {
    await q.query('SELECT id FROM person WHERE id = $1 FOR UPDATE', [c.person_id]);
    const row = crypto.decryptJson<LegacyRow>(c.incoming_enc);
    const [same] = await q.query('SELECT id FROM certificate WHERE person_id = $1 AND number_bidx = $2 LIMIT 1', [c.person_id, certificateNumberIndex(crypto, row.number)]);
    if (same) return null;
    const state = stateToday(row);
    const live = state === 'active' ? await activeCertificate(q, c.person_id) : null;
    if (live) {
      const s = CERTIFICATE_STATES[live.state as CertificateState];
      throw conflict(
        'duplicate.second_in_force',
        `此人已持有状态为“${s.zh}”的残疾人证（${live.number_masked}），合并后将同时持有两张有效证。请先核实哪张证应有效并办理相应手续，或将本记录处理为“驳回”。`,
        `This person already holds a certificate (${live.number_masked}) that is ${s.en}; merging would give them two in force. Settle which one stands first, or reject this row.`,
      );
    }
    const [id] = await insertCertificates(q, crypto, [{ ...row, state, personId: c.person_id }], c.county_org_id);
    return id;
  }

  /** A near match that is someone else: the row loads as the import would have loaded it. */
  async function loadAsNew(q: Queryable, c: any): Promise<string> {
    const row = crypto.decryptJson<LegacyRow>(c.incoming_enc);
    // the number may have come on file since, through a case or another import
    const [taken] = await q.query('SELECT id FROM person WHERE id_bidx = $1', [idIndex(crypto, row.idNumber)]);
    if (taken) {
      throw conflict('duplicate.now_on_file', '此身份证号现已在系统中登记，不能再新建人员。请将本记录处理为“同一人”或“驳回”。', 'This ID number has come on file since; no new person can be made. Resolve the row as the same person, or reject it.');
    }
    const [place] = await q.query<{ path: string }>('SELECT path FROM division WHERE code = $1', [row.hukouCode]);
    const [personId] = await insertPersons(q, crypto, [legacyPerson(row, place.path)]);
    const [id] = await insertCertificates(q, crypto, [{ ...row, state: stateToday(row), personId }], c.county_org_id);
    return id;
  }

  /** The validity may have ended since the import. */
  function stateToday(row: LegacyRow) {
    return row.validUntil < ctx.clock.today() ? ('expired' as const) : ('active' as const);
  }
}
