/**
 * SEC-2: the evidence tables — audit trail, case history, certificate history, personal-data views —
 * only ever grow. Migration 0040 puts the case and certificate history under the same trigger as the
 * audit trail, and refuses TRUNCATE (which fires no row trigger) on all four. Runs on both drivers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certifiedHolder } from './fixtures.js';
import { harness, type Harness } from './harness.js';

const ROLLBACK = new Error('rollback');
/**
 * One statement in a transaction that is always rolled back, so that if a guard were missing the
 * suite's shared database would still be unharmed. Returns the database's error, or 'allowed'.
 */
async function attempt(h: Harness, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await h.db.tx(async (q) => {
      await q.query(sql, params);
      throw ROLLBACK;
    });
  } catch (e) {
    return e === ROLLBACK ? 'allowed' : (e as Error).message;
  }
  return 'unreachable';
}

test('SEC-2 case history and certificate history cannot be edited or deleted, like the audit trail', async () => {
  const h = await harness();
  const { caseId, certificateId } = await certifiedHolder(h, '历史测试');
  assert.equal(await attempt(h, `UPDATE case_event SET actor_name = 'someone else' WHERE case_id = $1`, [caseId]), 'case_event is append-only');
  assert.equal(await attempt(h, 'DELETE FROM case_event WHERE case_id = $1', [caseId]), 'case_event is append-only');
  assert.equal(await attempt(h, `UPDATE certificate_event SET reason = 'rewritten' WHERE certificate_id = $1`, [certificateId]), 'certificate_event is append-only');
  assert.equal(await attempt(h, 'DELETE FROM certificate_event WHERE certificate_id = $1', [certificateId]), 'certificate_event is append-only');
  // adding to the history is what the service does, and stays allowed
  assert.equal(await attempt(h, `INSERT INTO case_event (case_id, action, to_state, actor_kind, actor_name) VALUES ($1, 'test.note', 'x', 'system', 'test')`, [caseId]), 'allowed');
});

test('SEC-2 none of the evidence tables can be emptied with TRUNCATE', async () => {
  const h = await harness();
  for (const table of ['audit_entry', 'case_event', 'certificate_event', 'personal_data_view']) {
    assert.equal(await attempt(h, `TRUNCATE ${table}`), `${table} is append-only`);
  }
});
