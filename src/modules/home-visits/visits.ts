/**
 * The two places the case workflow touches visits (HOME-3): a batch's case must really be on it, and
 * the visit's outcome follows what the doctor records on the case.
 */
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import type { Decision } from '../../domain/workflow/engine.js';
import type { Queryable } from '../../platform/db.js';
import type { Principal } from '../auth/principal.js';

/** schedule_visit is only ever taken by addCases: the case must be on the batch it names. */
export async function assertOnBatch(q: Queryable, caseId: string, batchId: string) {
  const [v] = await q.query('SELECT 1 FROM visit WHERE batch_id = $1 AND case_id = $2 AND outcome IS NULL', [batchId, caseId]);
  if (!v) throw invalid('visit_batch.not_on_batch', '请在“上门评定批次”页面把案件编入批次。', 'Add the case to a batch on the visit batches page.', 'batchId');
}

/** Keeps the visit's outcome in step with the case: assessed when the form is recorded, or why not. */
export async function noteVisitOutcome(ctx: AppContext, q: Queryable, p: Principal, row: any, d: Decision) {
  const batchId = row.data.visit?.batchId;
  if (!batchId) return;
  const outcome = d.action === 'record_assessment' ? 'assessed' : (d.input as any).outcome;
  await q.query(
    `UPDATE visit SET outcome = $3, outcome_note = $4, outcome_by = $5, outcome_at = $6 WHERE batch_id = $1 AND case_id = $2`,
    [batchId, row.id, outcome, (d.input as any).note ?? '', p.id, ctx.clock.now().toISOString()],
  );
}

