import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import { checkFinding, checkSampleRequest, doctorStatistics, drawSample, FLAG_RULE, sampleCount, seededRandom, type AssessmentFact } from './sampling.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

/** A small shuffle driven by Math.random, to show input order does not matter. */
const shuffled = <T>(xs: readonly T[]) => xs.map((x) => [Math.random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

function assertInvalid(fn: () => unknown, code: string, field: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.kind, 'invalid');
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    assert.match(e.text.zh, /[\u4e00-\u9fff]/);
    assert.match(e.text.en, /^[\x20-\x7e]+$/);
    return true;
  });
}

test('ASMT-3 the generator is reproducible from its seed and differs between seeds', () => {
  const a = seededRandom('2026-11-23');
  const b = seededRandom('2026-11-23');
  const first = Array.from({ length: 100 }, () => a());
  assert.deepEqual(Array.from({ length: 100 }, () => b()), first);
  assert.ok(first.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(Array.from({ length: 100 }, seededRandom('2026-11-24')), first);
  // roughly uniform: each tenth of [0, 1) gets between 5% and 15% of 10,000 draws
  const r = seededRandom('uniform');
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 10_000; i++) buckets[Math.floor(r() * 10)]++;
  assert.ok(buckets.every((n) => n > 500 && n < 1500), JSON.stringify(buckets));
});

test('ASMT-3 the same seed and population give the same sample, whatever order the population comes in', () => {
  for (let round = 0; round < 50; round++) {
    const population = ids(1 + Math.floor(Math.random() * 300));
    const seed = Math.random().toString(36).slice(2);
    const spec = { size: 1 + Math.floor(Math.random() * 40) };
    const once = drawSample(population, spec, seed);
    assert.deepEqual(drawSample(shuffled(population), spec, seed), once, `seed ${seed}`);
    assert.deepEqual(drawSample([...population, ...population.slice(0, 5)], spec, seed), once, 'duplicates in the input change nothing');
  }
  const population = ids(1000);
  assert.notDeepEqual(drawSample(population, { size: 20 }, 'a'), drawSample(population, { size: 20 }, 'b'));
});

test('ASMT-3 a draw never picks an item twice, only picks from the population, and stays within its size', () => {
  for (let round = 0; round < 200; round++) {
    const population = ids(Math.floor(Math.random() * 120));
    const size = 1 + Math.floor(Math.random() * 150);
    const sample = drawSample(population, { size }, `seed-${round}`);
    assert.equal(new Set(sample).size, sample.length, 'no duplicates');
    assert.equal(sample.length, Math.min(size, population.length), 'capped at the population');
    assert.ok(sample.every((id) => population.includes(id)));
  }
  assert.deepEqual(drawSample([], { size: 5 }, 'x'), []);
  assert.deepEqual(drawSample([], { percent: 50 }, 'x'), []);
  assert.deepEqual(drawSample(['only'], { percent: 1 }, 'x'), ['only']);
  assert.deepEqual([...drawSample(ids(7), { percent: 100 }, 'x')].sort(), ids(7).sort(), 'all of it at 100%');
});

test('ASMT-3 a percentage rounds up, so any population yields at least one item', () => {
  assert.equal(sampleCount(0, { percent: 10 }), 0);
  assert.equal(sampleCount(1, { percent: 1 }), 1);
  assert.equal(sampleCount(99, { percent: 10 }), 10);
  assert.equal(sampleCount(100, { percent: 10 }), 10);
  assert.equal(sampleCount(101, { percent: 10 }), 11);
  assert.equal(sampleCount(100, { percent: 7 }), 7, 'an exact result is not rounded up');
  for (let n = 1; n <= 500; n++) {
    for (const percent of [1, 3, 7, 33, 50, 99, 100]) {
      const k = sampleCount(n, { percent });
      assert.ok(k >= 1 && k <= n, `${percent}% of ${n}`);
      assert.ok(k * 100 >= n * percent && (k - 1) * 100 < n * percent, `${percent}% of ${n} is ${k}`);
    }
  }
});

test('ASMT-3 a sample request needs a period and exactly one of a size or a whole percentage from 1 to 100', () => {
  const period = { from: '2026-01-01', to: '2026-06-30' };
  assert.deepEqual(checkSampleRequest({ ...period, size: 20 }), { size: 20 });
  assert.deepEqual(checkSampleRequest({ ...period, percent: 5 }), { percent: 5 });
  assert.deepEqual(checkSampleRequest({ from: '2026-03-01', to: '2026-03-01', percent: 100 }), { percent: 100 }, 'a single day is a period');
  assertInvalid(() => checkSampleRequest({ ...period, size: 20, percent: 5 }), 'sample.size_and_percent', 'size');
  assertInvalid(() => checkSampleRequest(period), 'sample.size_missing', 'size');
  assertInvalid(() => checkSampleRequest({ ...period, percent: 0 }), 'sample.percent', 'percent');
  assertInvalid(() => checkSampleRequest({ ...period, percent: 101 }), 'sample.percent', 'percent');
  assertInvalid(() => checkSampleRequest({ ...period, percent: 2.5 }), 'sample.percent', 'percent');
  assertInvalid(() => checkSampleRequest({ ...period, size: 0 }), 'sample.size', 'size');
  assertInvalid(() => checkSampleRequest({ ...period, size: 1.5 }), 'sample.size', 'size');
  assertInvalid(() => checkSampleRequest({ from: '2026-07-01', to: '2026-06-30', size: 1 }), 'sample.period', 'to');
  assertInvalid(() => checkSampleRequest({ from: '2026-02-30', to: '2026-06-30', size: 1 }), 'sample.date', 'from');
});

test('ASMT-3 a finding other than "conforms" needs a note; one that conforms needs no follow-up', () => {
  checkFinding({ finding: 'conforms', followUp: 'none', note: '' });
  checkFinding({ finding: 'wrong_level', followUp: 'reassessment_ordered', note: '复核测量值为三级' });
  checkFinding({ finding: 'doubtful', followUp: 'none', note: '调阅原始病历' });
  assertInvalid(() => checkFinding({ finding: 'conforms', followUp: 'certificate_cancelled', note: '' }), 'sample.follow_up', 'followUp');
  assertInvalid(() => checkFinding({ finding: 'fraud_suspected', followUp: 'certificate_cancelled', note: '  ' }), 'sample.note', 'note');
});

const rec = (doctorId: string, level: number | null, departs = false, category = 4): AssessmentFact => ({
  doctorId,
  qualified: level !== null,
  disabilities: level === null ? [] : [{ category, level }],
  departs,
});
const many = (n: number, make: (i: number) => AssessmentFact) => Array.from({ length: n }, (_, i) => make(i));

test('ASMT-3 per-doctor statistics: count, level distribution per category, not qualified, disagreement rate, share of levels 1–2', () => {
  const [a, b] = doctorStatistics([
    rec('a', 1, true), rec('a', 2), rec('a', 3, false, 2), rec('a', null), rec('a', 4),
    { doctorId: 'a', qualified: true, disabilities: [{ category: 1, level: 4 }, { category: 2, level: 2 }], departs: false },
    rec('b', 3),
  ]);
  assert.equal(a.doctorId, 'a');
  assert.equal(a.count, 6);
  assert.equal(a.notQualified, 1);
  assert.deepEqual(a.levels, { 4: [1, 1, 0, 1], 2: [0, 1, 1, 0], 1: [0, 0, 0, 1] });
  assert.equal(a.departs, 1);
  assert.equal(a.disagreementRate, 1 / 6);
  assert.equal(a.severeShare, 3 / 5, 'a multiple disability counts by its most severe level');
  assert.equal(a.peerDisagreementRate, 0);
  assert.equal(a.peerSevereShare, 0);
  assert.equal(b.count, 1);
  assert.equal(b.peerSevereShare, 3 / 5);
  assert.deepEqual(doctorStatistics([rec('c', null)])[0].severeShare, null, 'no share without a qualified assessment');
});

test('ASMT-3 a doctor is flagged when disagreements or severe levels stand 20 points above the other doctors, with enough assessments', () => {
  const ordinary = (id: string) => many(10, (i) => rec(id, i < 2 ? 2 : 4, i === 0)); // 10% depart, 20% severe
  const peers = [...ordinary('p1'), ...ordinary('p2')];
  const byId = (records: AssessmentFact[]) => new Map(doctorStatistics(records).map((s) => [s.doctorId, s]));

  const lenient = byId([...peers, ...many(5, (i) => rec('x', 3, i < 2))]); // 40% depart
  assert.deepEqual(lenient.get('x')!.flags, ['disagreement']);
  assert.equal(lenient.get('x')!.peerDisagreementRate, 2 / 20);
  assert.deepEqual(lenient.get('p1')!.flags, []);
  assert.deepEqual(doctorStatistics([...peers, ...many(5, (i) => rec('x', 3, i < 2))])[0].doctorId, 'x', 'flagged doctors come first');

  const severe = byId([...peers, ...many(6, (i) => rec('y', i < 3 ? 1 : 3))]); // 50% severe vs 20%
  assert.deepEqual(severe.get('y')!.flags, ['severe']);

  const both = byId([...peers, ...many(5, () => rec('z', 2, true))]);
  assert.deepEqual(both.get('z')!.flags, ['disagreement', 'severe']);

  const few = byId([...peers, ...many(FLAG_RULE.minAssessments - 1, () => rec('w', 1, true))]);
  assert.deepEqual(few.get('w')!.flags, [], 'too few assessments to flag');

  const close = byId([...peers, ...many(20, (i) => rec('v', 3, i < 5))]); // 25% vs 10%: 15 points
  assert.deepEqual(close.get('v')!.flags, []);
  const exact = byId([...many(10, (i) => rec('p', 3, i < 4)), ...many(10, (i) => rec('u', 3, i < 6))]); // 60% vs 40%
  assert.deepEqual(exact.get('u')!.flags, ['disagreement'], 'exactly 20 points is well above');

  assert.deepEqual(byId(many(8, () => rec('alone', 1, true))).get('alone')!.flags, [], 'no peers, no comparison');
  for (const s of byId(peers).values()) assert.deepEqual(s.flags, [], 'ordinary doctors are not flagged');
});
