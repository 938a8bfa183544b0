/**
 * The server runs the daily sweep at 02:00 China time: after midnight, so "today" is the new day and
 * a validity that ended yesterday expires, and before the counties open. `protect` keeps a slow run
 * from overlapping the next. A failed run is logged; the next night's run catches up, since the sweep
 * decides from what is stored (and `npm run cli -- sweep` runs a missed day by hand).
 *
 * At shutdown `stop()` ends the schedule and lets a running sweep finish the certificate it is on,
 * then waits for it (issue 13 item 6: graceful shutdown). Runs are counted for /metrics.
 */
import { Cron } from 'croner';
import type { AppContext } from '../../app-context.js';
import { sweepRuns } from '../../platform/metrics.js';
import { runDailySweep, type SweepLog } from './sweep.js';

export const SWEEP_SCHEDULE = { pattern: '0 2 * * *', timezone: 'Asia/Shanghai' } as const;

export type SweepSchedule = {
  /** Runs the sweep now, as the schedule would (for tests and the shutdown path). */
  runNow(): Promise<void>;
  /** No further runs; a running one stops after its current item; resolves when it has. */
  stop(): Promise<void>;
};

export function scheduleDailySweep(ctx: AppContext, log: SweepLog): SweepSchedule {
  const shutdown = new AbortController();
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= (async () => {
      try {
        const s = await runDailySweep(ctx, ctx.clock.today(), log, shutdown.signal);
        sweepRuns.inc({ outcome: 'ok' });
        log.info(`daily sweep ${s.date}: ${s.expired} expired, ${s.freezeCandidates} freeze and ${s.cancelCandidates} cancel candidates, ${s.withdrawn} withdrawn, ${s.failed} failed${s.interrupted ? ' (stopped early by shutdown)' : ''}`);
      } catch (e) {
        sweepRuns.inc({ outcome: 'failed' });
        log.error(`daily sweep failed: ${(e as Error).stack ?? e}`);
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const cron = new Cron(SWEEP_SCHEDULE.pattern, { name: 'daily-sweep', timezone: SWEEP_SCHEDULE.timezone, protect: true }, run);
  return {
    runNow: run,
    async stop() {
      cron.stop();
      shutdown.abort();
      await running;
    },
  };
}
