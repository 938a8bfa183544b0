/**
 * Persons — one person, one file. Identity and contact data are encrypted at rest (SEC-1); lookup
 * by ID number goes through the keyed blind index; lists carry only masked values; every full view
 * is written to the audit chain (who saw whose record, when).
 */
import { certificateNumberIndex } from '../certificates/certificate-numbers.js';
import { randomUUID } from 'node:crypto';
import { parseCitizenId, maskCitizenId } from '../../domain/citizen-id.js';
import { addCalendarDays } from '../../domain/dates.js';
import { notFound } from '../../domain/errors.js';
import type { AppContext } from '../../app-context.js';
import type { Queryable } from '../../platform/db.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { appendAudit } from '../audit/audit-chain.js';
import { logFullView } from '../audit/data-views.js';
import { caseworkGrants, scopePatterns, type StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';

export type PersonDetails = { phone?: string; address?: string; ethnicity?: string; guardian?: unknown };
export type PersonUpsert = {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  details: PersonDetails;
  hukouCode: string;
  hukouPath: string;
  residenceCode: string;
  residencePath: string;
};

export const idIndex = (crypto: FieldCrypto, idNumber: string) => crypto.blindIndex('citizen-id', idNumber);
/** Exact full-name lookup; whitespace inside a Chinese name is not significant. */
export const nameIndex = (crypto: FieldCrypto, name: string) => crypto.blindIndex('name', name.replace(/\s+/g, ''));

/** Masks a Chinese name for lists: 张三 → 张*, 欧阳娜娜 → 欧***. */
export const maskName = (name: string) => (name.length <= 1 ? '*' : name[0] + '*'.repeat(name.length - 1));

const PERSON_COLUMNS = 'id, id_bidx, id_enc, id_masked, name_enc, sex, birth_date, details_enc, hukou_code, hukou_path, residence_code, residence_path, name_bidx';

/** A person row as stored, in PERSON_COLUMNS order after the id: blind index, ciphertexts, masked ID (SEC-1). */
function personValues(crypto: FieldCrypto, p: PersonUpsert) {
  return [
    idIndex(crypto, p.idNumber),
    crypto.encrypt(p.idNumber),
    maskCitizenId(p.idNumber),
    crypto.encrypt(p.name),
    p.sex,
    p.birthDate,
    crypto.encryptJson(p.details),
    p.hukouCode,
    p.hukouPath,
    p.residenceCode,
    p.residencePath,
    // ID-3: near matches (same name and birth date, another ID number) are found by it
    nameIndex(crypto, p.name),
  ];
}

/** Creates the person or refreshes their data from the latest approved case; returns the id. */
export async function upsertPerson(q: Queryable, crypto: FieldCrypto, p: PersonUpsert): Promise<string> {
  const [row] = await q.query(
    `INSERT INTO person (${PERSON_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (id_bidx) DO UPDATE SET name_enc = EXCLUDED.name_enc, name_bidx = EXCLUDED.name_bidx, details_enc = EXCLUDED.details_enc,
       hukou_code = EXCLUDED.hukou_code, hukou_path = EXCLUDED.hukou_path, residence_code = EXCLUDED.residence_code,
       residence_path = EXCLUDED.residence_path, updated_at = now(), version = person.version + 1
     RETURNING id`,
    [randomUUID(), ...personValues(crypto, p)],
  );
  return row.id;
}

/**
 * Inserts persons known to be new, all in one statement (bulk loads); returns their ids in input order.
 * A person already on file makes it fail, which rolls back the caller's transaction.
 */
export async function insertPersons(q: Queryable, crypto: FieldCrypto, persons: PersonUpsert[]): Promise<string[]> {
  const ids = persons.map(() => randomUUID());
  const columns: unknown[][] = Array.from({ length: 13 }, () => []);
  persons.forEach((p, i) => [ids[i], ...personValues(crypto, p)].forEach((v, c) => columns[c].push(v)));
  await q.query(
    `INSERT INTO person (${PERSON_COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::char(1)[], $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`,
    columns,
  );
  return ids;
}

/** SQL condition: the person lives, is registered, or has a case inside the caller's subtrees. */
const VISIBLE = `(p.hukou_path LIKE ANY($1) OR p.residence_path LIKE ANY($1) OR EXISTS (
  SELECT 1 FROM case_file c WHERE c.person_id = p.id AND (c.accept_path LIKE ANY($1) OR c.hukou_path LIKE ANY($1) OR c.institution_path LIKE ANY($1))))`;

/** The person row, if the caller's jurisdiction reaches them (ORG-3); 404 otherwise. */
export async function visiblePerson(q: Queryable, staff: StaffPrincipal, personId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) throw notFound({ zh: '人员', en: 'person' });
  const [row] = await q.query(`SELECT p.* FROM person p WHERE p.id = $2 AND ${VISIBLE}`, [scopePatterns(caseworkGrants(staff.grants)), personId]);
  if (!row) throw notFound({ zh: '人员', en: 'person' });
  return row;
}

/** 'Province City County …' for stored paths, in one query. */
export async function placeNames(q: Queryable, paths: string[]) {
  const codes = [...new Set(paths.flatMap((p) => p.split('.').filter(Boolean)))];
  const names = new Map((await q.query('SELECT code, name FROM division WHERE code = ANY($1)', [codes])).map((r) => [r.code, r.name]));
  return (path: string) => path.split('.').filter(Boolean).map((c) => names.get(c) ?? c).join(' ');
}

/** Who may see a person's data in full (every such view is audit-logged). */
export const FULL_VIEW_ROLES = ['clerk', 'reviewer', 'approver', 'supervisor', 'auditor'] as const;

export function personService(ctx: AppContext) {
  const { db, crypto } = ctx;
  const summary = (r: any) => ({
    id: r.id,
    idNumberMasked: r.id_masked,
    nameMasked: maskName(crypto.decrypt(r.name_enc)),
    sex: r.sex,
    birthYear: Number(String(r.birth_date).slice(0, 4)),
    hukouCode: r.hukou_code,
    residenceCode: r.residence_code,
  });

  return {
    /** Exact lookup by ID number, inside the caller's jurisdiction; a wrong number says what is wrong. */
    async findByIdNumber(staff: StaffPrincipal, idNumber: string) {
      const id = parseCitizenId(idNumber).id;
      const rows = await db.query(`SELECT p.* FROM person p WHERE p.id_bidx = $2 AND ${VISIBLE}`, [scopePatterns(caseworkGrants(staff.grants)), idIndex(crypto, id)]);
      return rows.map(summary);
    },

    /**
     * CHANGE-1: an old number stays findable — it leads to the holder, and to the card that
     * replaced it (a change of category or level gives a new number).
     */
    async findByCertificateNumber(staff: StaffPrincipal, number: string) {
      const rows = await db.query(
        `SELECT p.*, c.number_masked, c.state AS cert_state, n.number_masked AS successor_number, n.state AS successor_state FROM certificate c
         JOIN person p ON p.id = c.person_id LEFT JOIN certificate n ON n.id = c.replaced_by
         WHERE c.number_bidx = $2 AND ${VISIBLE} ORDER BY c.card_no DESC LIMIT 1`,
        [scopePatterns(caseworkGrants(staff.grants)), certificateNumberIndex(crypto, number)],
      );
      return rows.map((r) => ({
        ...summary(r),
        certificate: { numberMasked: r.number_masked, state: r.cert_state, replacedBy: r.successor_number ? { numberMasked: r.successor_number, state: r.successor_state } : null },
      }));
    },

    async get(staff: StaffPrincipal, personId: string) {
      const row = await visiblePerson(db, staff, personId);
      const certificates = await db.query(
        `SELECT id, number_masked, category, level, disabilities, state, valid_from, valid_until, visual_assessment, source, card_no, replaced_by FROM certificate WHERE person_id = $1 ORDER BY valid_from DESC, card_no DESC`,
        [row.id],
      );
      const history = await db.query(
        `SELECT e.certificate_id, e.from_state, e.to_state, e.at, e.reason, e.case_id FROM certificate_event e
         JOIN certificate c ON c.id = e.certificate_id WHERE c.person_id = $1 ORDER BY e.id`,
        [row.id],
      );
      const cases = await db.query(`SELECT id, case_no, matter, state, created_at FROM case_file WHERE person_id = $1 ORDER BY created_at`, [row.id]);
      const places = await placeNames(db, [row.hukou_path, row.residence_path]);
      // NEW-1: the override in force, if any; its reason stays in the audit chain (it may describe health)
      const [override] = await db.query(
        `SELECT r.valid_until, r.granted_at, u.display_name FROM reapply_override r JOIN staff_user u ON u.id = r.granted_by
         WHERE r.person_id = $1 AND r.valid_until >= $2 ORDER BY r.valid_until DESC, r.granted_at DESC LIMIT 1`,
        [row.id, ctx.clock.today()],
      );
      return {
        ...summary(row),
        hukouName: places(row.hukou_path),
        residenceName: places(row.residence_path),
        certificates: certificates.map((c) => ({
          id: c.id,
          // the number embeds the full ID number, so lists mask it like the ID
          numberMasked: c.number_masked,
          cardNo: c.card_no,
          replacedBy: c.replaced_by,
          category: c.category,
          level: c.level,
          disabilities: c.disabilities,
          state: c.state,
          validFrom: c.valid_from,
          validUntil: c.valid_until,
          // RENEW-2/TRF-3: a certificate assessed by sight (目测, before 2018) must be reassessed
          visualAssessment: c.visual_assessment,
          source: c.source,
          history: history.filter((h) => h.certificate_id === c.id).map((h) => ({ from: h.from_state, to: h.to_state, at: h.at, reason: h.reason, caseId: h.case_id })),
        })),
        cases: cases.map((c) => ({ id: c.id, caseNo: c.case_no, matter: c.matter, state: c.state, createdAt: c.created_at })),
        reapplyOverride: override ? { validUntil: override.valid_until, grantedAt: override.granted_at, grantedBy: override.display_name } : null,
      };
    },

    /**
     * NEW-1: a supervisor lets a person re-apply within a year of a cancellation, for 30 days, with a
     * reason that is kept and written to the audit chain.
     */
    async allowReapply(staff: StaffPrincipal, personId: string, reason: string) {
      const supervisor = requireRole(staff, ['supervisor']);
      return db.tx(async (q) => {
        const row = await visiblePerson(q, supervisor, personId);
        const today = ctx.clock.today();
        const validUntil = addCalendarDays(today, 30);
        const id = randomUUID();
        await q.query('INSERT INTO reapply_override (id, person_id, granted_by, reason, granted_at, valid_until) VALUES ($1, $2, $3, $4, $5, $6)', [id, row.id, supervisor.id, reason, ctx.clock.now().toISOString(), validUntil]);
        await appendAudit(q, {
          chain: supervisor.grants.find((g) => g.role === 'supervisor')!.orgUnitId,
          actor: `staff:${supervisor.id}`,
          action: 'person.allow_reapply',
          objectType: 'person',
          objectId: row.id,
          detail: { reason, validUntil },
          at: ctx.clock.now(),
        });
        return { id, validUntil };
      });
    },

    /** The full record, for authorised roles only, and logged in the audit chain. */
    async reveal(staff: StaffPrincipal, personId: string, purpose: string) {
      requireRole(staff, FULL_VIEW_ROLES);
      return db.tx(async (q) => {
        const row = await visiblePerson(q, staff, personId);
        const grant = staff.grants.find((g) => FULL_VIEW_ROLES.includes(g.role as any))!;
        await appendAudit(q, {
          chain: grant.orgUnitId,
          actor: `staff:${staff.id}`,
          action: 'person.view_full',
          objectType: 'person',
          objectId: row.id,
          detail: { purpose, role: grant.role },
          at: ctx.clock.now(),
        });
        await logFullView(q, { at: ctx.clock.now(), viewer: { kind: 'staff', id: staff.id, role: grant.role, orgUnitId: grant.orgUnitId }, what: 'person_record', purpose, subjects: [{ personId: row.id, paths: [row.hukou_path, row.residence_path] }] });
        return {
          id: row.id,
          idNumber: crypto.decrypt(row.id_enc),
          name: crypto.decrypt(row.name_enc),
          sex: row.sex,
          birthDate: row.birth_date,
          ...crypto.decryptJson<PersonDetails>(row.details_enc),
          hukouCode: row.hukou_code,
          residenceCode: row.residence_code,
        };
      });
    },
  };
}
