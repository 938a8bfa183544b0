/**
 * SEC-2: the server seals the audit chain heads every 10 minutes (and once more at shutdown, see
 * src/main.ts), so at most the last 10 minutes of a chain could be cut without a checkpoint showing
 * it. `protect` keeps a slow seal from overlapping the next; a failed seal is logged and the next one
 * covers the same heads, since it seals whatever moved since the last line written.
 */
import { Cron } from 'croner';
import type { AppContext } from '../../app-context.js';
import { auditSealRuns } from '../../platform/metrics.js';

export const SEAL_SCHEDULE = '*/10 * * * *';

export async function sealAuditChains(ctx: AppContext, log: { info(m: string): void; error(m: string): void }): Promise<void> {
  try {
    const n = await ctx.auditCheckpoints.seal(ctx.db, ctx.clock.now());
    auditSealRuns.inc({ outcome: 'ok' });
    if (n) log.info(`audit checkpoint: ${n} chain heads sealed`);
  } catch (e) {
    auditSealRuns.inc({ outcome: 'failed' });
    log.error(`audit checkpoint failed: ${(e as Error).stack ?? e}`);
  }
}

export function scheduleAuditSeal(ctx: AppContext, log: { info(m: string): void; error(m: string): void }): Cron {
  return new Cron(SEAL_SCHEDULE, { name: 'audit-seal', protect: true }, () => sealAuditChains(ctx, log));
}
