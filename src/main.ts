/** `npm start`: open (or create) the database, migrate, seed the demo on first start, serve. */
import { buildApp, createContext } from './app.js';
import { seedDemoIfEmpty } from './cli/seed-demo.js';
import { DomainError } from './domain/errors.js';
import { loadConfig } from './platform/config.js';
import { openDb } from './platform/db.js';
import { migrate } from './platform/migrate.js';
import { scheduleDailySweep } from './modules/sweeps/schedule.js';

const config = loadConfig();
const db = await openDb(config).catch((e) => {
  if (!(e instanceof DomainError)) throw e;
  console.error(`${e.text.zh}\n${e.text.en}`);
  process.exit(1);
});
const ctx = createContext(db, config);
await migrate(db, ctx.crypto);
if (config.seedDemo) await seedDemoIfEmpty(ctx, (m) => console.log(m));
const app = await buildApp(ctx);
// CARD-2 expiry and TRF-4 candidates, every day at 02:00 China time
const sweep = scheduleDailySweep(ctx, { info: (m) => app.log.info(m), error: (m) => app.log.error(m) });
await app.listen({ port: config.port, host: config.host });
console.log(`Tongban 通办 listening on http://localhost:${config.port} (API docs: /api/docs; database: ${db.driver}${db.driver === 'pglite' ? ` in ${config.dataDir}` : ''})`);

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    sweep.stop();
    await app.close();
    await db.close();
    process.exit(0);
  });
}
