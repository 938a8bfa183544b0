/**
 * The daily sweep (CARD-2 expiry, TRF-4 candidates), run at 02:00 China time by the server and by
 * `npm run cli -- sweep [--date YYYY-MM-DD]`. Each certificate is handled in its own transaction
 * with its row locked, and decided afresh from what is stored, so a second run on the same day (or
 * two runs at once) changes nothing: an expired certificate is no longer active, and a candidate is
 * recorded once per certificate, kind and move. The sweep never freezes or cancels: it only puts
 * candidates on the old county's list (certificate_review) for a person to decide.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { addCalendarMonths } from '../../domain/dates.js';
import { REVIEW_AFTER_MONTHS, sweepCertificate, type SweepInput, type SweepOutcome } from '../../domain/sweeps.js';
import { assertIsoDate } from '../../domain/working-days.js';
import { chinaDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { changeCertificateState } from '../certificates/certificates.js';
import { countyPathOf } from '../org/divisions.js';

/** Where the sweep reports (the server's logger, or the console for the CLI). */
export type SweepLog = { info(message: string): void; error(message: string): void };

export type SweepSummary = { date: string; examined: number; expired: number; freezeCandidates: number; cancelCandidates: number; withdrawn: number; failed: number; interrupted?: true };

/** The audit chain of the sweep's runs (it acts for no org unit). */
const CHAIN = 'system:sweep';

/**
 * What the rules need about one certificate, read with the certificate row locked for the caller's
 * transaction; null when it does not exist.
 */
export async function sweepInputFor(q: Queryable, certificateId: string, today: string): Promise<SweepInput | null> {
  const [c] = await q.query(
    `SELECT c.id, c.state, c.valid_until, c.person_id, p.hukou_path FROM certificate c JOIN person p ON p.id = c.person_id WHERE c.id = $1 FOR UPDATE OF c`,
    [certificateId],
  );
  if (!c) return null;
  const moves = await q.query(
    `SELECT m.id, m.moved_on, d.path AS to_path FROM hukou_move m JOIN division d ON d.code = m.to_code WHERE m.person_id = $1`,
    [c.person_id],
  );
  // TRF-1…3: a transfer of any of the holder's certificates is completed when delivered and closed
  const [transfer] = await q.query(
    `SELECT max(closed_at) AS at FROM case_file
     WHERE matter = 'transfer' AND state = 'delivered' AND closed_at IS NOT NULL
       AND (person_id = $1 OR certificate_id IN (SELECT id FROM certificate WHERE person_id = $1))`,
    [c.person_id],
  );
  return {
    today,
    certificate: { state: c.state, validUntil: c.valid_until },
    holderCountyPath: countyPathOf(c.hukou_path),
    moves: moves.map((m) => ({ id: m.id, movedOn: m.moved_on, toCountyPath: countyPathOf(m.to_path) })),
    transferredOn: transfer?.at ? chinaDate(new Date(transfer.at)) : null,
  };
}

/** Is this open review still among the sweep's candidates? */
export const stillCandidate = (outcome: SweepOutcome, review: { kind: string; move_id: string }) =>
  outcome.candidates.some((c) => c.kind === review.kind && c.move.id === review.move_id);

/** Closes open reviews that no longer apply; decided_by stays empty: the sweep, not a person, closed them. */
export async function withdrawReviews(q: Queryable, ids: string[], at: Date) {
  if (!ids.length) return;
  await q.query(
    `UPDATE certificate_review SET decision = 'dismissed', reason = 'no_longer_applies', decided_at = $2, version = version + 1 WHERE id = ANY($1) AND decision IS NULL`,
    [ids, at.toISOString()],
  );
}

/**
 * TRF-4's list for one certificate, from its stored state: open reviews that no longer apply are
 * withdrawn and new candidates recorded. Used by the daily sweep and by a hukou-move import, so a
 * move already long enough ago is on the old county's list at once, not only after the next 02:00 run.
 */
export async function updateReviews(q: Queryable, certificateId: string, input: SweepInput, outcome: SweepOutcome, today: string, at: Date) {
  const done = { freeze: 0, cancel: 0, withdrawn: 0 };
  const open = await q.query<{ id: string; kind: string; move_id: string }>(
    `SELECT id, kind, move_id FROM certificate_review WHERE certificate_id = $1 AND decision IS NULL`,
    [certificateId],
  );
  const stale = open.filter((r) => !stillCandidate(outcome, r)).map((r) => r.id);
  await withdrawReviews(q, stale, at);
  done.withdrawn += stale.length;
  for (const c of outcome.candidates) {
    // the old county is the one holding the certificate; a dismissed candidate for this move stays dismissed
    const added = await q.query(
      `INSERT INTO certificate_review (id, certificate_id, kind, county_path, move_id, found_on) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING id`,
      [randomUUID(), certificateId, c.kind, input.holderCountyPath, c.move.id, today],
    );
    done[c.kind] += added.length;
  }
  return done;
}

async function sweepOne(q: Queryable, certificateId: string, today: string, at: Date) {
  const input = await sweepInputFor(q, certificateId, today);
  if (!input) return { expired: 0, freeze: 0, cancel: 0, withdrawn: 0 };
  const outcome = sweepCertificate(input);
  if (outcome.expire) await changeCertificateState(q, certificateId, 'expired', { reason: 'validity_ended', actorId: null, at });
  return { expired: outcome.expire ? 1 : 0, ...(await updateReviews(q, certificateId, input, outcome, today, at)) };
}

/**
 * `signal`: a shutdown (SIGTERM) stops the sweep after the certificate in hand — each is its own
 * transaction, so nothing is left half done — and the audit entry records the run as interrupted;
 * the next run picks up the rest, since the sweep decides from what is stored.
 */
export async function runDailySweep(ctx: AppContext, today: string, log?: SweepLog, signal?: AbortSignal): Promise<SweepSummary> {
  assertIsoDate(today);
  // every certificate the rules could act on: expiring ones, those of persons who moved out long enough
  // ago to be a candidate (a later move cannot make one), and those with an open review to keep or withdraw
  const ids = await ctx.db.query<{ id: string }>(
    `SELECT id FROM certificate WHERE state IN ('active', 'frozen') AND valid_until < $1
     UNION SELECT c.id FROM certificate c JOIN hukou_move m ON m.person_id = c.person_id WHERE c.state IN ('active', 'frozen') AND m.moved_on <= $2
     UNION SELECT certificate_id FROM certificate_review WHERE decision IS NULL`,
    [today, addCalendarMonths(today, -REVIEW_AFTER_MONTHS.freeze)],
  );
  const summary: SweepSummary = { date: today, examined: ids.length, expired: 0, freezeCandidates: 0, cancelCandidates: 0, withdrawn: 0, failed: 0 };
  for (const { id } of ids) {
    if (signal?.aborted) {
      summary.interrupted = true;
      break;
    }
    try {
      const done = await ctx.db.tx((q) => sweepOne(q, id, today, ctx.clock.now()));
      summary.expired += done.expired;
      summary.freezeCandidates += done.freeze;
      summary.cancelCandidates += done.cancel;
      summary.withdrawn += done.withdrawn;
    } catch (e) {
      // one bad record must not stop the country's sweep; it is retried by the next run
      summary.failed++;
      log?.error(`sweep: certificate ${id} failed: ${(e as Error).stack ?? e}`);
    }
  }
  await ctx.db.tx((q) => appendAudit(q, { chain: CHAIN, actor: 'system', action: 'sweep.daily', objectType: 'sweep', objectId: today, detail: summary, at: ctx.clock.now() }));
  return summary;
}
