/**
 * CARD-1 (002 §6): old cards handed in at renewal, transfer, cancellation or change are kept by the
 * collecting county for one year, then destroyed in a confirmed batch.
 *
 * "More than one year" is exact: the year of keeping ends on the anniversary of the collection day
 * (a card collected on 29 February: on 28 February, the Civil Code's rule for a missing day), and the
 * card may be destroyed from the day after — collectedOn + 1 year < today.
 */
import { addCalendarDays, addCalendarYears, zhDate } from './dates.js';
import { invalid } from './errors.js';

/** The last day a card collected on `collectedOn` must still be kept. */
export const keptUntil = (collectedOn: string) => addCalendarYears(collectedOn, 1);

/** The first day the card may be destroyed. */
export const destructionDueFrom = (collectedOn: string) => addCalendarDays(keptUntil(collectedOn), 1);

export const isDueForDestruction = (collectedOn: string, today: string) => keptUntil(collectedOn) < today;

/**
 * The latest collection day whose cards are due on `today`: a card is due exactly when
 * collectedOn <= dueCutoff(today), so a list can ask the database for `collected_on <= cutoff`.
 * Subtracting a year from yesterday is not enough around 29 February, where two collection days
 * share one anniversary; the day after the first guess is then due as well.
 */
export function dueCutoff(today: string): string {
  const yesterday = addCalendarDays(today, -1);
  const guess = addCalendarYears(yesterday, -1);
  const next = addCalendarDays(guess, 1);
  return keptUntil(next) <= yesterday ? next : guess;
}

export type OldCardStatus = 'held' | 'due' | 'destroyed';

export function oldCardStatus(card: { collectedOn: string; destroyed: boolean }, today: string): OldCardStatus {
  if (card.destroyed) return 'destroyed';
  return isDueForDestruction(card.collectedOn, today) ? 'due' : 'held';
}

/** A card is logged on the day it is handed in, or later from the paper slip — never ahead of time. */
export function checkCollectedOn(collectedOn: string, today: string) {
  // Date.parse refuses month 13 or day 32; the round trip catches 30 February, which it rolls over
  if (!/^\d{4}-\d{2}-\d{2}$/.test(collectedOn) || Number.isNaN(Date.parse(collectedOn)) || addCalendarDays(collectedOn, 0) !== collectedOn) {
    throw invalid('old_card.collected_on', `回收日期“${collectedOn}”不是有效日期，应为 YYYY-MM-DD。`, `The collection date "${collectedOn}" is not a valid date; use YYYY-MM-DD.`, 'collectedOn');
  }
  if (collectedOn > today) {
    throw invalid('old_card.collected_in_future', `回收日期${zhDate(collectedOn)}晚于今天，不能登记。`, `The collection date ${collectedOn} is after today; it cannot be logged.`, 'collectedOn');
  }
}

/** A card named in a destruction batch, as the batch check needs it (the number already masked, dates as China dates). */
export type BatchCard = { numberMasked: string; collectedOn: string; destroyedOn: string | null };

/**
 * CARD-1: a batch is destroyed only when every card in it is due and still kept; otherwise the whole
 * batch is refused with every offending card named and why, so the person can take them out.
 */
export function assertDestroyable(cards: BatchCard[], today: string) {
  const problems = cards.flatMap((c) =>
    c.destroyedOn
      ? [{ zh: `${c.numberMasked}（已于${zhDate(c.destroyedOn)}销毁）`, en: `${c.numberMasked} (already destroyed on ${c.destroyedOn})` }]
      : !isDueForDestruction(c.collectedOn, today)
        ? [{ zh: `${c.numberMasked}（回收未满一年，${zhDate(destructionDueFrom(c.collectedOn))}起可销毁）`, en: `${c.numberMasked} (kept less than a year; may be destroyed from ${destructionDueFrom(c.collectedOn)})` }]
        : [],
  );
  if (problems.length) {
    throw invalid(
      'card_destruction.not_due',
      `以下旧证不能销毁，本批次未销毁任何证件：${problems.map((p) => p.zh).join('；')}。请取消勾选后重新确认。`,
      `These cards cannot be destroyed, so nothing in the batch was: ${problems.map((p) => p.en).join('; ')}. Untick them and confirm again.`,
      'certificateIds',
    );
  }
}
