/**
 * The server runs the daily sweep at 02:00 China time: after midnight, so "today" is the new day and
 * a validity that ended yesterday expires, and before the counties open. `protect` keeps a slow run
 * from overlapping the next. A failed run is logged; the next night's run catches up, since the sweep
 * decides from what is stored (and `npm run cli -- sweep` runs a missed day by hand).
 */
import { Cron } from 'croner';
import type { AppContext } from '../../app-context.js';
import { runDailySweep, type SweepLog } from './sweep.js';

export const SWEEP_SCHEDULE = { pattern: '0 2 * * *', timezone: 'Asia/Shanghai' } as const;

export function scheduleDailySweep(ctx: AppContext, log: SweepLog): Cron {
  return new Cron(SWEEP_SCHEDULE.pattern, { name: 'daily-sweep', timezone: SWEEP_SCHEDULE.timezone, protect: true }, async () => {
    try {
      const s = await runDailySweep(ctx, ctx.clock.today(), log);
      log.info(`daily sweep ${s.date}: ${s.expired} expired, ${s.freezeCandidates} freeze and ${s.cancelCandidates} cancel candidates, ${s.withdrawn} withdrawn, ${s.failed} failed`);
    } catch (e) {
      log.error(`daily sweep failed: ${(e as Error).stack ?? e}`);
    }
  });
}
