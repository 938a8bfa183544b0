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
// Graceful shutdown on SIGTERM (systemd, docker stop, npm forwarding it) and SIGINT (Ctrl-C), issue 13
// item 6 and issue 15 item 19: stop accepting connections and let the requests in flight finish
// (Fastify answers 503 to new requests on kept-alive connections meanwhile), let a running sweep finish
// the certificate in hand, seal the audit chain heads after the last request, close the database and
// exit 0. A second signal while this runs changes nothing; a shutdown stuck for 30 s exits 1.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: draining requests');
  setTimeout(() => {
    app.log.error('shutdown took over 30 s; exiting without finishing');
    process.exit(1);
  }, 30_000).unref();
  await seal.stop();
  await Promise.all([app.close(), sweep.stop()]);
  // after the last request, so the final heads are sealed
  await sealAuditChains(ctx, log);
  await db.close();
  app.log.info('shut down cleanly');
  process.exit(0);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(sig));

await app.listen({ port: config.port, host: config.host });
console.log(`Tongban 通办 listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port} (API docs: /api/docs; database: ${db.driver}${db.driver === 'pglite' ? ` in ${config.dataDir}` : ''})`);
