import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countAssessments, emptyFigures, isOverdue, periodStarted, reportPeriod, rollUp, setDeliveries } from './home-report.js';

test('HOME-5 a month-end report covers the calendar month and is due on its last day, February and leap years included', () => {
  assert.deepEqual(reportPeriod('2026-05', null), { from: '2026-05-01', to: '2026-05-31', dueOn: '2026-05-31' });
  assert.equal(reportPeriod('2026-04', null).dueOn, '2026-04-30');
  assert.equal(reportPeriod('2026-02', null).dueOn, '2026-02-28');
  assert.equal(reportPeriod('2028-02', null).dueOn, '2028-02-29', '2028 is a leap year');
  assert.equal(reportPeriod('2100-02', null).dueOn, '2100-02-28', 'centuries are not leap years unless divisible by 400');
  assert.equal(reportPeriod('2000-02', null).dueOn, '2000-02-29');
  assert.equal(reportPeriod('2026-12', null).dueOn, '2026-12-31');
});

test('HOME-5 a report due on the 25th covers the 26th of the month before to the 25th, across the year end', () => {
  assert.deepEqual(reportPeriod('2026-05', 25), { from: '2026-04-26', to: '2026-05-25', dueOn: '2026-05-25' });
  assert.deepEqual(reportPeriod('2027-01', 25), { from: '2026-12-26', to: '2027-01-25', dueOn: '2027-01-25' });
  assert.deepEqual(reportPeriod('2026-03', 25), { from: '2026-02-26', to: '2026-03-25', dueOn: '2026-03-25' });
  // due on the 28th: after a 28-day February the next period starts on 1 March, after a leap February on 29 February
  assert.deepEqual(reportPeriod('2026-03', 28), { from: '2026-03-01', to: '2026-03-28', dueOn: '2026-03-28' });
  assert.deepEqual(reportPeriod('2028-03', 28), { from: '2028-02-29', to: '2028-03-28', dueOn: '2028-03-28' });
  assert.deepEqual(reportPeriod('2026-06', 1), { from: '2026-05-02', to: '2026-06-01', dueOn: '2026-06-01' });
});

test('HOME-5 consecutive periods neither overlap nor leave a gap', () => {
  for (const dueDay of [null, 1, 15, 25, 28]) {
    for (const [a, b] of [['2027-12', '2028-01'], ['2028-01', '2028-02'], ['2028-02', '2028-03'], ['2026-02', '2026-03'], ['2026-07', '2026-08']]) {
      const next = new Date(reportPeriod(a, dueDay).to + 'T00:00:00Z');
      next.setUTCDate(next.getUTCDate() + 1);
      assert.equal(reportPeriod(b, dueDay).from, next.toISOString().slice(0, 10), `${a} → ${b}, due day ${dueDay}`);
    }
  }
});

test('HOME-5 report months and due days out of range are refused', () => {
  assert.throws(() => reportPeriod('2026-13', null), RangeError);
  assert.throws(() => reportPeriod('2026-5', null), RangeError);
  assert.throws(() => reportPeriod('2026-05', 29), RangeError);
  assert.throws(() => reportPeriod('2026-05', 0), RangeError);
});

test('HOME-5 a county is overdue after the due day without a report, never once it has reported', () => {
  assert.equal(isOverdue('2026-05-25', '2026-05-25', false), false, 'the due day itself is still on time');
  assert.equal(isOverdue('2026-05-26', '2026-05-25', false), true);
  assert.equal(isOverdue('2026-07-01', '2026-05-25', true), false);
  assert.equal(periodStarted('2026-04-25', reportPeriod('2026-05', 25)), false);
  assert.equal(periodStarted('2026-04-26', reportPeriod('2026-05', 25)), true);
});

test('HOME-5 assessments are counted once per person, a multiple disability under 多重 at its most severe level', () => {
  const f = emptyFigures();
  countAssessments(f, true, [{ category: 4, level: 2 }]);
  countAssessments(f, true, [{ category: 1, level: 3 }, { category: 4, level: 1 }], 2);
  countAssessments(f, false, []);
  assert.equal(f.assessments.total, 4);
  assert.equal(f.assessments.qualified, 3);
  assert.deepEqual(f.assessments.byCategory['4'], [0, 1, 0, 0]);
  assert.deepEqual(f.assessments.byCategory['7'], [2, 0, 0, 0]);
  assert.deepEqual(f.assessments.byCategory['1'], [0, 0, 0, 0], 'a part of a multiple disability is not counted again on its own');
});

test('HOME-5 the roll-up sums every count and weights the average days by deliveries', () => {
  const a = emptyFigures();
  a.requests = 3;
  a.reviews.village = { approved: 3, refused: 1 };
  a.visits.home.assessed = 2;
  a.visits.centralized.not_home = 1;
  countAssessments(a, true, [{ category: 2, level: 4 }]);
  setDeliveries(a, 1, 40); // one certificate, 40 days
  const b = emptyFigures();
  b.requests = 5;
  b.reviews.village = { approved: 2, refused: 0 };
  b.reviews.county = { approved: 4, refused: 2 };
  b.visits.home.assessed = 4;
  countAssessments(b, true, [{ category: 2, level: 4 }], 3);
  setDeliveries(b, 3, 30); // three certificates, 10 days each
  const none = emptyFigures(); // a county that delivered nothing does not pull the average to zero
  const total = rollUp([a, b, none]);
  assert.equal(total.requests, 8);
  assert.deepEqual(total.reviews, { village: { approved: 5, refused: 1 }, township: { approved: 0, refused: 0 }, county: { approved: 4, refused: 2 } });
  assert.equal(total.visits.home.assessed, 6);
  assert.equal(total.visits.centralized.not_home, 1);
  assert.deepEqual(total.assessments.byCategory['2'], [0, 0, 0, 4]);
  assert.equal(total.delivered, 4);
  assert.equal(total.avgDaysToDelivery, 17.5, '(40 + 3 × 10) / 4, not the mean of 40 and 10');
  assert.equal(rollUp([none, emptyFigures()]).avgDaysToDelivery, null);
  assert.equal(a.requests, 3, 'the inputs are left as they were');
});
