/**
 * The daily sweep's rules, for one certificate on one day.
 *
 * CARD-2: a certificate that is active or frozen and whose validity ended before today expires.
 * TRF-4: when the holder's hukou has left the county that holds the certificate and no transfer has
 * been completed since, the certificate becomes a candidate for that (old) county to check — to
 * freeze after more than 6 months (while still active), to cancel after more than 1 year (active or
 * frozen). A candidate is only ever put on the county's list: a person decides (TRF-4 "never
 * without a person confirming").
 */
import type { CertificateState } from './certificates.js';
import { addCalendarMonths } from './dates.js';

/** A hukou move as the police share it, with the county each side lies in (stored division paths). */
export type SweepMove = { id: string; movedOn: string; toCountyPath: string };

export type SweepInput = {
  today: string;
  certificate: { state: CertificateState; validUntil: string };
  /** the county that holds the certificate: the holder's hukou county on file (a transfer changes it) */
  holderCountyPath: string;
  /** every move on file for the holder, in any order */
  moves: readonly SweepMove[];
  /** the day the holder's latest transfer was completed, if any */
  transferredOn: string | null;
};

export type ReviewKind = 'freeze' | 'cancel';
export type SweepCandidate = { kind: ReviewKind; move: SweepMove };
export type SweepOutcome = { expire: boolean; candidates: SweepCandidate[] };

/** TRF-4's periods, in months after the move. */
export const REVIEW_AFTER_MONTHS: Readonly<Record<ReviewKind, number>> = { freeze: 6, cancel: 12 };
/** The states in which a certificate can still be frozen or cancelled for a hukou move. */
export const REVIEWABLE: Readonly<Record<ReviewKind, readonly CertificateState[]>> = { freeze: ['active'], cancel: ['active', 'frozen'] };

/** The day from which a move is "more than n months ago": the day after the same date n months on. */
export const movedLongerThan = (movedOn: string, months: number, today: string) => today > addCalendarMonths(movedOn, months);

/**
 * The move that took the hukou out of the holder's county and still stands: moves up to the last
 * completed transfer are settled by it; a later move back into the county ends the absence; of
 * several moves while away (A → B → C) the first one counts, since the hukou left A then.
 */
export function outstandingMove(moves: readonly SweepMove[], holderCountyPath: string, transferredOn: string | null): SweepMove | null {
  let away: SweepMove | null = null;
  const unsettled = moves.filter((m) => transferredOn === null || m.movedOn > transferredOn).sort((a, b) => a.movedOn.localeCompare(b.movedOn));
  for (const m of unsettled) {
    if (m.toCountyPath === holderCountyPath) away = null;
    else away ??= m;
  }
  return away;
}

export function sweepCertificate(i: SweepInput): SweepOutcome {
  const expire = (i.certificate.state === 'active' || i.certificate.state === 'frozen') && i.certificate.validUntil < i.today;
  // an expired certificate is renewed or cancelled through its own matters, never frozen for a move
  const state: CertificateState = expire ? 'expired' : i.certificate.state;
  const move = outstandingMove(i.moves, i.holderCountyPath, i.transferredOn);
  const candidates = !move
    ? []
    : (['freeze', 'cancel'] as const)
        .filter((kind) => REVIEWABLE[kind].includes(state) && movedLongerThan(move.movedOn, REVIEW_AFTER_MONTHS[kind], i.today))
        .map((kind) => ({ kind, move }));
  return { expire, candidates };
}
