/**
 * A few rounds of the kill -9 crash soak (bench/crash-soak.ts) in every CI run, on the driver in use:
 * the real server as a child process on a database of its own, killed with SIGKILL under a mixed
 * write load and restarted, the invariants checked in the database after each crash. The full runs
 * (100 crashes on PostgreSQL, 20 on PGlite) are `npm run soak -- crash`; figures in docs/reliability.md.
 * One story in three is filed at two windows at the same moment: exactly one may be accepted (CARD-3,
 * the unique index case_one_open_per_family), whatever the crashes cut off.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashSoak } from '../bench/crash-soak.js';

test('CARD-3 ORG-3 SEC-2 after kill -9 under load: one certificate in force per person, approved cases have their certificate, versions match history, retries act once, audit chains verify', { timeout: 300_000 }, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1e9);
  const report = await crashSoak({ crashes: Number(process.env.CRASH_COUNT ?? 3), seed, workers: 3, twinRate: 1 / 3, databaseUrl: process.env.DATABASE_URL || undefined });
  const context = `seed ${seed} (CRASH_SEED=${seed} to rerun)`;
  assert.deepEqual(report.violations, [], context);
  assert.deepEqual(report.unexpected, [], context);
  assert.equal(report.crashes, Number(process.env.CRASH_COUNT ?? 3));
  assert.ok(report.interrupted > 0, `the crashes cut requests off (${context})`);
  assert.ok(report.certificates > 0, `the load reached approval (${context})`);
});
