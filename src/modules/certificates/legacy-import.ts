/**
 * Loads a county's existing certificate holders from its old system (CLI `import-certificates`).
 * The rows are checked by src/domain/legacy-certificates.ts, then against the database (places in
 * the county, certificates already on file); a file with any problem loads nothing. A clean file loads
 * in one transaction, in batches: new persons (encrypted), their certificates issued by the county
 * federation with source 'legacy', a 'legacy_import' history event each, and one audit entry for the run.
 * A certificate this county already loaded (same person, same number) is skipped, so a file can be
 * loaded again. Any other row whose ID number — 15- or 18-digit, they share one blind index — is
 * already on file is never silently attached to that person nor made a second one (ID-3): it goes on
 * the duplicate-candidates list for a supervisor to resolve, and nothing of it is loaded meanwhile;
 * so does a new ID number that comes with the name and birth date of a person registered in the county.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { legacyDbProblems, validateLegacyRows, type LegacyProblem, type LegacyRow } from '../../domain/legacy-certificates.js';
import type { CertificateState } from '../../domain/certificates.js';
import { maskCitizenId } from '../../domain/citizen-id.js';
import { invalid } from '../../domain/errors.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import { readTable } from '../../platform/spreadsheet.js';
import { appendAudit } from '../audit/audit-chain.js';
import { getDivision } from '../org/divisions.js';
import { likePrefix } from '../auth/principal.js';
import { idIndex, insertPersons, maskName, nameIndex, type PersonUpsert } from '../persons/persons.js';
import { certificateNumberColumns, certificateNumberIndex } from './certificate-numbers.js';

export type LegacyImportInput = { fileName: string; bytes: Uint8Array; countyCode: string; operator: string };
export type LegacyImportResult =
  | { ok: false; rows: number; problems: LegacyProblem[] }
  | { ok: true; rows: number; imported: number; skipped: number; active: number; expired: number; visualAssessment: number; newPersons: number; duplicates: number };

const LIVE: CertificateState[] = ['active', 'frozen', 'reported_lost'];

export async function importLegacyCertificates(ctx: AppContext, input: LegacyImportInput, batchSize = 5000): Promise<LegacyImportResult> {
  const county = await getDivision(ctx.db, input.countyCode);
  if (!county || county.level !== 3) {
    throw invalid(
      'legacy.county',
      `“${input.countyCode}”不是县级区划代码。请用 --county 给出持证人所在县（区）的6位代码，如 330106。`,
      `"${input.countyCode}" is not a county division code. Give the holders' county with --county, as its 6-digit code, e.g. 330106.`,
      'county',
    );
  }
  const { rows, problems } = validateLegacyRows((await readTable(input.bytes, input.fileName)).rows, ctx.clock.today());
  if (!rows.length && !problems.length) {
    throw invalid('legacy.empty', '文件中没有持证人数据。', 'The file holds no certificate holders.');
  }

  const bidx = rows.map((r) => idIndex(ctx.crypto, r.idNumber));
  const result = await ctx.db.tx(async (q) => {
    // the county federation issues the imported certificates; locking it keeps two imports into one county apart
    const [issuer] = await q.query<{ id: string }>(
      `SELECT id FROM org_unit WHERE kind = 'federation' AND division_code = $1 AND active ORDER BY name LIMIT 1 FOR UPDATE`,
      [county.code],
    );
    if (!issuer) {
      throw invalid(
        'legacy.no_federation',
        `${county.name}（${county.code}）还没有县级残联机构，导入的证无发证机关。请先建立该县（区）残联，再导入。`,
        `${county.name} (${county.code}) has no county federation yet, so the imported certificates would have no issuer. Set up the county's federation first, then import.`,
        'county',
      );
    }
    const places = await placesIn(q, rows, county.path, { zh: county.name, en: `${county.name} (${county.code})` });
    const onFile = await existing(q, bidx, batchSize);
    const numberIndex = (row: LegacyRow) => certificateNumberIndex(ctx.crypto, row.number);
    // the rows that passed their own checks are checked here too, so one run reports everything to fix
    const all: LegacyProblem[] = [...problems, ...places.problems];
    const toLoad: { row: LegacyRow; personId?: string }[] = [];
    const held: Held[] = [];
    let skipped = 0;
    rows.forEach((row, i) => {
      const person = onFile.get(bidx[i]);
      if (!person) return void toLoad.push({ row });
      const own = person.certificates.filter((c) => c.issuerId === issuer.id);
      if (own.some((c) => c.numberBidx === numberIndex(row))) return void skipped++;
      // the county's own records already hold a certificate in force: the file contradicts them, the operator fixes it
      const live = row.state === 'active' && own.find((c) => LIVE.includes(c.state));
      if (live) all.push(legacyDbProblems.holdsOtherCertificate(row.line, live.numberMasked, live.state));
      else held.push({ row, personId: person.id, kind: 'legacy_import' });
    });
    if (all.length) return { ok: false as const, rows: rows.length + new Set(problems.map((p) => p.line)).size, problems: all };

    // ID-3: a new ID number with the name and birth date of a person registered in the county may be theirs, changed by the police
    const near = await nearMatches(ctx, q, toLoad.map((b) => b.row), county.path, batchSize);
    held.push(...[...near].map(([row, personId]) => ({ row, personId, kind: 'near_match' as const })));
    const loading = toLoad.filter((b) => !near.has(b.row));
    const duplicates = await holdDuplicates(ctx, q, held, { code: county.code, path: county.path, orgId: issuer.id, fileName: input.fileName });
    let newPersons = 0;
    for (let i = 0; i < loading.length; i += batchSize) {
      const batch = loading.slice(i, i + batchSize);
      const fresh = batch.filter((b) => !b.personId);
      const ids = await insertPersons(
        q,
        ctx.crypto,
        fresh.map(({ row }) => legacyPerson(row, places.paths.get(row.hukouCode)!)),
      );
      fresh.forEach((b, k) => (b.personId = ids[k]));
      newPersons += fresh.length;
      await insertCertificates(q, ctx.crypto, batch.map((b) => ({ ...b.row, personId: b.personId! })), issuer.id);
    }
    const summary = {
      rows: rows.length,
      imported: loading.length,
      skipped,
      active: loading.filter((b) => b.row.state === 'active').length,
      expired: loading.filter((b) => b.row.state === 'expired').length,
      visualAssessment: loading.filter((b) => b.row.visualAssessment).length,
      newPersons,
      duplicates,
    };
    await appendAudit(q, {
      chain: issuer.id,
      actor: 'system',
      action: 'certificate.legacy_import',
      objectType: 'certificate_import',
      objectId: randomUUID(),
      // the file is named by its hash too, so the very file loaded can be told apart from a later edit
      detail: { county: county.code, file: input.fileName, sha256: createHash('sha256').update(input.bytes).digest('hex'), operator: input.operator, ...summary },
      at: ctx.clock.now(),
    });
    return { ok: true as const, ...summary };
  });
  // PGlite runs no autovacuum: without fresh statistics lookups would be planned for the tables' old sizes
  if (result.ok && result.imported) await ctx.db.query('ANALYZE person, certificate, certificate_event');
  return result;
}

/** The rows' hukou places: each must exist and lie in the county. */
async function placesIn(q: Queryable, rows: LegacyRow[], countyPath: string, countyName: { zh: string; en: string }) {
  const codes = [...new Set(rows.map((r) => r.hukouCode))];
  const found = new Map((await q.query<{ code: string; path: string }>('SELECT code, path FROM division WHERE code = ANY($1)', [codes])).map((d) => [d.code, d.path]));
  const problems: LegacyProblem[] = [];
  for (const r of rows) {
    const path = found.get(r.hukouCode);
    if (path === undefined) problems.push(legacyDbProblems.unknownDivision(r.line, r.hukouCode));
    else if (!path.startsWith(countyPath)) problems.push(legacyDbProblems.outsideCounty(r.line, r.hukouCode, countyName));
  }
  return { paths: found, problems };
}

/** Persons already on file among the rows (by blind index), with every certificate they hold. */
async function existing(q: Queryable, bidx: string[], batchSize: number) {
  const out = new Map<string, { id: string; certificates: { numberBidx: string; numberMasked: string; state: CertificateState; issuerId: string }[] }>();
  for (let i = 0; i < bidx.length; i += batchSize) {
    const found = await q.query<{ id: string; id_bidx: string; number_bidx: string | null; number_masked: string; state: CertificateState | null; issuer_org_id: string | null }>(
      `SELECT p.id, p.id_bidx, c.number_bidx, c.number_masked, c.state, c.issuer_org_id FROM person p LEFT JOIN certificate c ON c.person_id = p.id WHERE p.id_bidx = ANY($1)`,
      [bidx.slice(i, i + batchSize)],
    );
    for (const f of found) {
      const person = out.get(f.id_bidx) ?? { id: f.id, certificates: [] };
      if (f.number_bidx) person.certificates.push({ numberBidx: f.number_bidx, numberMasked: f.number_masked, state: f.state!, issuerId: f.issuer_org_id! });
      out.set(f.id_bidx, person);
    }
  }
  return out;
}

/** The person a row describes; `hukouPath` is the path of its hukou code. */
export function legacyPerson(row: LegacyRow, hukouPath: string): PersonUpsert {
  // the old systems record only the hukou place: it stands for the residence until a case says otherwise
  return {
    idNumber: row.idNumber, name: row.name, sex: row.sex, birthDate: row.birthDate,
    details: { ...(row.phone ? { phone: row.phone } : {}), ...(row.address ? { address: row.address } : {}) },
    hukouCode: row.hukouCode, hukouPath, residenceCode: row.hukouCode, residencePath: hukouPath,
  };
}

type Held = { row: LegacyRow; personId: string; kind: 'legacy_import' | 'near_match' };

/**
 * ID-3: rows whose ID number is not on file, but whose name and birth date are those of a person
 * registered in the county: each with the person it may be. Names are compared by blind index.
 */
async function nearMatches(ctx: AppContext, q: Queryable, rows: LegacyRow[], countyPath: string, batchSize: number) {
  const out = new Map<LegacyRow, string>();
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const names = batch.map((r) => nameIndex(ctx.crypto, r.name));
    const found = await q.query<{ id: string; name_bidx: string; birth: string }>(
      `SELECT id, name_bidx, to_char(birth_date, 'YYYY-MM-DD') AS birth FROM person WHERE name_bidx = ANY($1) AND hukou_path LIKE $2 ORDER BY id`,
      [[...new Set(names)], likePrefix(countyPath)],
    );
    batch.forEach((r, k) => {
      const match = found.find((f) => f.name_bidx === names[k] && f.birth === r.birthDate);
      if (match) out.set(r, match.id);
    });
  }
  return out;
}

/**
 * ID-3: rows for persons already on file go on the duplicate-candidates list, the row encrypted whole
 * (SEC-1) for the merge a supervisor may decide on. A row already listed (the same file loaded again)
 * is not listed twice, whatever its resolution. Returns how many rows the list holds from this file.
 */
async function holdDuplicates(ctx: AppContext, q: Queryable, held: Held[], county: { code: string; path: string; orgId: string; fileName: string }) {
  if (!held.length) return 0;
  const at = ctx.clock.now().toISOString();
  await q.query(
    `INSERT INTO duplicate_candidate (id, kind, person_id, incoming_enc, incoming_id_masked, incoming_name_masked, incoming_key, source, county_code, county_path, county_org_id, found_at)
     SELECT id, kind, person_id, enc, id_masked, name_masked, key, source, $8, $9, $10::uuid, $11
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $12::text[]) AS t(id, person_id, enc, id_masked, name_masked, key, source, kind)
     ON CONFLICT (kind, person_id, county_code, incoming_key) DO NOTHING`,
    [held.map(() => randomUUID()), held.map((h) => h.personId), held.map((h) => ctx.crypto.encryptJson(h.row)), held.map((h) => maskCitizenId(h.row.idNumber)),
      held.map((h) => maskName(h.row.name)), held.map((h) => ctx.crypto.blindIndex('legacy-row', [h.row.number, h.row.issuedOn, h.row.validUntil].join('|'))),
      held.map((h) => `${county.fileName}:${h.row.line}`), county.code, county.path, county.orgId, at, held.map((h) => h.kind)],
  );
  return held.length;
}

/** Certificates and their first history event (CARD-2), one statement each per batch; returns their ids in input order. */
export async function insertCertificates(q: Queryable, crypto: FieldCrypto, rows: (LegacyRow & { personId: string })[], issuerId: string): Promise<string[]> {
  const ids = rows.map(() => randomUUID());
  const numbers = rows.map((r) => certificateNumberColumns(crypto, r.number));
  await q.query(
    `INSERT INTO certificate (id, number_bidx, number_masked, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, visual_assessment, source)
     SELECT id, number_bidx, number_masked, person_id, category, level, disabilities::jsonb, state, valid_from, valid_until, $10::uuid, visual, 'legacy'
     FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::smallint[], $5::smallint[], $6::text[], $7::text[], $8::date[], $9::date[], $11::boolean[], $12::text[])
       AS t(id, number_bidx, person_id, category, level, disabilities, state, valid_from, valid_until, visual, number_masked)`,
    [ids, numbers.map((n) => n.bidx), rows.map((r) => r.personId), rows.map((r) => r.category), rows.map((r) => r.level),
      rows.map((r) => JSON.stringify(r.disabilities)), rows.map((r) => r.state), rows.map((r) => r.issuedOn), rows.map((r) => r.validUntil),
      issuerId, rows.map((r) => r.visualAssessment), numbers.map((n) => n.masked)],
  );
  await q.query(
    `INSERT INTO certificate_event (certificate_id, from_state, to_state, reason)
     SELECT id, NULL, state, 'legacy_import' FROM unnest($1::uuid[], $2::text[]) AS t(id, state)`,
    [ids, rows.map((r) => r.state)],
  );
  return ids;
}
