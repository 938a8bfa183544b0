/** SEC (issue 10): the schema-derived fuzzer over every route, a few thousand cases per run — zero 5xx, zero errors outside the bilingual shape, zero partial writes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login } from './harness.js';
import { fuzz, fuzzPrincipals, sharedDatabaseSkip, summary } from './fuzz.js';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);

test('ORG-3 SEC-1 fuzzing every route from its schema with hostile values: no 5xx, every error bilingual, no partial writes', { timeout: 900_000 }, async () => {
  const h = await harness();
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
  const principals = await fuzzPrincipals(h, (u) => login(h, u));
  const report = await fuzz(h, principals, { cases: CASES, seed, skip: sharedDatabaseSkip });
  console.log(`fuzz (seed ${seed}, FUZZ_SEED=${seed} to repeat): ${summary(report)}`);
  assert.ok(report.cases >= CASES * 0.8, `ran ${report.cases} cases (the rest skipped: sharedDatabaseSkip)`);
  assert.deepEqual(report.fiveHundreds, [], `5xx answers (FUZZ_SEED=${seed})`);
  assert.deepEqual(report.badShape, [], `errors outside the bilingual shape (FUZZ_SEED=${seed})`);
  assert.deepEqual(report.partialWrites, [], `refused requests that changed the database (FUZZ_SEED=${seed})`);
  assert.ok(report.refusedWrites > CASES / 10, 'the run tried refused writes');
});
