import { openMemoryDb } from '../src/platform/db.js';
const db = await openMemoryDb();
await db.exec('CREATE TABLE t (a int); INSERT INTO t SELECT g FROM generate_series(1,200000) g;');
for (const s of [0, 70, 140]) {
  await new Promise((r) => setTimeout(r, (s ? 70 : 0) * 1000));
  console.log(s, JSON.stringify(await db.query(`SELECT relname, last_autoanalyze, last_autovacuum, n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables`)), JSON.stringify(await db.query(`SELECT reltuples FROM pg_class WHERE relname='t'`)));
}
console.log(await db.query(`select count(*) from pg_stat_activity`));
await db.close();
