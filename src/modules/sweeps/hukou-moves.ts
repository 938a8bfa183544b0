/**
 * TRF-4's data intake: hukou moves shared by the police, from the CLI (`import-hukou-moves`) or the
 * admin API. Rows are checked by src/domain/hukou-moves.ts, then against the database (the places
 * exist, and for an administrator lie in their jurisdiction); a file with any problem loads nothing.
 * The police share every move, and only holders' moves matter here: a person not on file is counted
 * and passed over, and a move already on file (same person, same day) is skipped, so a file can be
 * loaded again. One audit entry per run names the file by its hash.
 * The holders' certificates are then checked as the daily sweep checks them (TRF-4), in the same
 * transaction: a move already more than 6 months (or a year) ago is on the old county's review list
 * as soon as the file is in, not only after the next 02:00 sweep. Expiry stays the sweep's.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import { moveDbProblems, validateMoveRows, type MoveProblem, type MoveRow } from '../../domain/hukou-moves.js';
import type { Queryable } from '../../platform/db.js';
import { readTable } from '../../platform/spreadsheet.js';
import { appendAudit } from '../audit/audit-chain.js';
import { idIndex } from '../persons/persons.js';
import { sweepCertificate } from '../../domain/sweeps.js';
import { sweepInputFor, updateReviews } from './sweep.js';

export type MoveImportInput = {
  fileName: string;
  bytes: Uint8Array;
  /** who loads it, for the audit entry: 'staff:<id>', or 'system' for the CLI with the OS account as `operator` */
  actor: string;
  operator?: string;
  chain: string;
  /** the org paths the rows must touch (an administrator's subtrees); null: the whole country (CLI) */
  scope: string[] | null;
};
export type MoveImportResult =
  | { ok: false; rows: number; problems: MoveProblem[] }
  | { ok: true; rows: number; imported: number; skipped: number; notOnFile: number; freezeCandidates: number; cancelCandidates: number };

const BATCH = 5000;

export async function importHukouMoves(ctx: AppContext, input: MoveImportInput): Promise<MoveImportResult> {
  const { rows, problems } = validateMoveRows((await readTable(input.bytes, input.fileName)).rows, ctx.clock.today());
  if (!rows.length && !problems.length) throw invalid('hukou_move.empty', '文件中没有户口迁移数据。', 'The file holds no hukou moves.', 'file');
  const rowCount = rows.length + new Set(problems.map((p) => p.line)).size;

  return ctx.db.tx(async (q) => {
    const all = [...problems, ...(await placeProblems(q, rows, input.scope))];
    if (all.length) return { ok: false as const, rows: rowCount, problems: all };

    let imported = 0;
    let skipped = 0;
    let notOnFile = 0;
    const movedPersons = new Set<string>();
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const bidx = batch.map((r) => idIndex(ctx.crypto, r.idNumber));
      const persons = new Map(
        (await q.query<{ id: string; id_bidx: string }>('SELECT id, id_bidx FROM person WHERE id_bidx = ANY($1)', [bidx])).map((p) => [p.id_bidx, p.id]),
      );
      const known = batch.flatMap((r, k) => (persons.has(bidx[k]) ? [{ r, personId: persons.get(bidx[k])! }] : []));
      notOnFile += batch.length - known.length;
      const added = await q.query(
        `INSERT INTO hukou_move (id, person_id, from_code, to_code, moved_on, source, imported_at)
         SELECT id, person_id, from_code, to_code, moved_on, $6, $7
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[]) AS t(id, person_id, from_code, to_code, moved_on)
         ON CONFLICT (person_id, moved_on) DO NOTHING RETURNING id, person_id`,
        [known.map(() => randomUUID()), known.map((k) => k.personId), known.map((k) => k.r.fromCode), known.map((k) => k.r.toCode), known.map((k) => k.r.movedOn),
          input.fileName, ctx.clock.now().toISOString()],
      );
      imported += added.length;
      for (const a of added) movedPersons.add(a.person_id);
      skipped += known.length - added.length;
    }
    const candidates = await reviewMovedHolders(ctx, q, [...movedPersons]);
    const summary = { rows: rows.length, imported, skipped, notOnFile, ...candidates };
    await appendAudit(q, {
      chain: input.chain,
      actor: input.actor,
      action: 'hukou_move.import',
      objectType: 'hukou_move_import',
      objectId: randomUUID(),
      detail: { file: input.fileName, sha256: createHash('sha256').update(input.bytes).digest('hex'), ...(input.operator ? { operator: input.operator } : {}), ...summary },
      at: ctx.clock.now(),
    });
    return { ok: true as const, ...summary };
  });
}

/** The sweep's TRF-4 step for every active or frozen certificate of the persons with new moves. */
async function reviewMovedHolders(ctx: AppContext, q: Queryable, personIds: string[]) {
  const found = { freezeCandidates: 0, cancelCandidates: 0 };
  if (!personIds.length) return found;
  const today = ctx.clock.today();
  const at = ctx.clock.now();
  const certs = await q.query<{ id: string }>(`SELECT id FROM certificate WHERE person_id = ANY($1) AND state IN ('active', 'frozen') ORDER BY id`, [personIds]);
  for (const { id } of certs) {
    const input = await sweepInputFor(q, id, today);
    if (!input) continue;
    const done = await updateReviews(q, id, input, sweepCertificate(input), today, at);
    found.freezeCandidates += done.freeze;
    found.cancelCandidates += done.cancel;
  }
  return found;
}

/** Each row's places must exist; for an administrator, the move must leave or enter their jurisdiction. */
async function placeProblems(q: Queryable, rows: MoveRow[], scope: string[] | null): Promise<MoveProblem[]> {
  const codes = [...new Set(rows.flatMap((r) => [r.fromCode, r.toCode]))];
  const paths = new Map((await q.query<{ code: string; path: string }>('SELECT code, path FROM division WHERE code = ANY($1)', [codes])).map((d) => [d.code, d.path]));
  return rows.flatMap((r) => {
    const [from, to] = [paths.get(r.fromCode), paths.get(r.toCode)];
    const out: MoveProblem[] = [];
    if (from === undefined) out.push(moveDbProblems.unknownDivision(r.line, 'fromCode', r.fromCode));
    if (to === undefined) out.push(moveDbProblems.unknownDivision(r.line, 'toCode', r.toCode));
    if (from !== undefined && to !== undefined && scope && !scope.some((s) => from.startsWith(s) || to.startsWith(s))) out.push(moveDbProblems.outsideJurisdiction(r.line));
    return out;
  });
}
