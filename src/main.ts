/** `npm start`: open (or create) the database, migrate, seed the demo on first start, serve. */
import { buildApp, createContext } from './app.js';
import { seedDemoIfEmpty } from './cli/seed-demo.js';
import { DomainError } from './domain/errors.js';
import { loadConfig } from './platform/config.js';
import { openMigratedDb } from './platform/migrate.js';
import { scheduleAuditSeal, sealAuditChains } from './modules/audit/seal-schedule.js';
import { scheduleDailySweep } from './modules/sweeps/schedule.js';

const config = loadConfig();
const db = await openMigratedDb(config).catch((e) => {
  if (!(e instanceof DomainError)) throw e;
  console.error(`${e.text.zh}\n${e.text.en}`);
  process.exit(1);
});
const ctx = createContext(db, config);
if (config.seedDemo) await seedDemoIfEmpty(ctx, (m) => console.log(m));
const app = await buildApp(ctx);
// CARD-2 expiry and TRF-4 candidates, every day at 02:00 China time
const log = { info: (m: string) => app.log.info(m), error: (m: string) => app.log.error(m) };
const sweep = scheduleDailySweep(ctx, log);
// SEC-2 signed checkpoints of the audit chain heads, every 10 minutes and at shutdown
const seal = scheduleAuditSeal(ctx, log);
await app.listen({ port: config.port, host: config.host });
console.log(`Tongban 通办 listening on http://localhost:${config.port} (API docs: /api/docs; database: ${db.driver}${db.driver === 'pglite' ? ` in ${config.dataDir}` : ''})`);

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    sweep.stop();
    seal.stop();
    await app.close();
    // after the last request, so the final heads are sealed
    await sealAuditChains(ctx, log);
    await db.close();
    process.exit(0);
  });
}
