import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCalendarDays } from './dates.js';
import { DomainError } from './errors.js';
import { assertDestroyable, checkCollectedOn, destructionDueFrom, dueCutoff, isDueForDestruction, keptUntil, oldCardStatus } from './old-cards.js';

test('CARD-1 a card is kept a full year and may be destroyed from the day after its anniversary', () => {
  assert.equal(keptUntil('2026-06-15'), '2027-06-15');
  assert.equal(destructionDueFrom('2026-06-15'), '2027-06-16');
  assert.equal(isDueForDestruction('2026-06-15', '2027-06-15'), false, 'on the anniversary it has been kept exactly a year, not more');
  assert.equal(isDueForDestruction('2026-06-15', '2027-06-16'), true);
  assert.equal(destructionDueFrom('2026-12-31'), '2028-01-01');
});

test('CARD-1 a card collected on 29 February is kept until 28 February and due from 1 March', () => {
  assert.equal(keptUntil('2028-02-29'), '2029-02-28');
  assert.equal(destructionDueFrom('2028-02-29'), '2029-03-01');
  assert.equal(isDueForDestruction('2028-02-29', '2029-02-28'), false);
  assert.equal(isDueForDestruction('2028-02-29', '2029-03-01'), true);
  // collected on 28 February before a leap year: the anniversary is 28 February, so 29 February is already past it
  assert.equal(isDueForDestruction('2027-02-28', '2028-02-29'), true);
  assert.equal(isDueForDestruction('2027-03-01', '2028-02-29'), false);
});

test('CARD-1 the cutoff a list filters on agrees with the rule for every pair of days over several leap years', () => {
  const start = '2027-01-01';
  for (let t = 0; t < 4 * 366; t++) {
    const today = addCalendarDays(start, t);
    const cutoff = dueCutoff(today);
    // only the days around the cutoff can disagree; check a window either side of it
    for (let d = -3; d <= 3; d++) {
      const collected = addCalendarDays(cutoff, d);
      assert.equal(collected <= cutoff, isDueForDestruction(collected, today), `collected ${collected}, today ${today}, cutoff ${cutoff}`);
    }
  }
  assert.equal(dueCutoff('2029-03-01'), '2028-02-29');
  assert.equal(dueCutoff('2028-02-29'), '2027-02-28');
  assert.equal(dueCutoff('2028-03-01'), '2027-02-28');
});

test('CARD-1 a card is held, due or destroyed', () => {
  assert.equal(oldCardStatus({ collectedOn: '2026-06-15', destroyed: false }, '2027-06-15'), 'held');
  assert.equal(oldCardStatus({ collectedOn: '2026-06-15', destroyed: false }, '2027-06-16'), 'due');
  assert.equal(oldCardStatus({ collectedOn: '2026-06-15', destroyed: true }, '2027-06-16'), 'destroyed');
});

test('CARD-1 a collection date must be a real day, not after today', () => {
  checkCollectedOn('2026-06-15', '2026-06-15');
  for (const bad of ['2026-02-30', '2026-13-01', '15/06/2026', '']) {
    assert.throws(() => checkCollectedOn(bad, '2026-06-15'), (e: DomainError) => e.code === 'old_card.collected_on' && e.field === 'collectedOn', bad);
  }
  assert.throws(() => checkCollectedOn('2026-06-16', '2026-06-15'), (e: DomainError) => e.code === 'old_card.collected_in_future' && /2026年6月16日/.test(e.text.zh));
});

test('CARD-1 a destruction batch is refused whole, naming every card not yet due or already destroyed', () => {
  const today = '2027-06-16';
  assertDestroyable([{ numberMasked: 'A', collectedOn: '2026-06-15', destroyedOn: null }], today);
  assert.throws(
    () =>
      assertDestroyable(
        [
          { numberMasked: 'A', collectedOn: '2026-06-15', destroyedOn: null },
          { numberMasked: 'B', collectedOn: '2026-06-16', destroyedOn: null },
          { numberMasked: 'C', collectedOn: '2025-01-02', destroyedOn: '2026-03-04' },
        ],
        today,
      ),
    (e: DomainError) => {
      assert.equal(e.kind, 'invalid');
      assert.equal(e.code, 'card_destruction.not_due');
      assert.match(e.text.zh, /B（回收未满一年，2027年6月17日起可销毁）；C（已于2026年3月4日销毁）/);
      assert.match(e.text.en, /B \(kept less than a year; may be destroyed from 2027-06-17\); C \(already destroyed on 2026-03-04\)/);
      assert.doesNotMatch(e.text.zh, /A（/);
      return true;
    },
  );
});
