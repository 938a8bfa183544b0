import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, type Config } from './config.js';
import { FieldCrypto, loadKeys } from './crypto.js';
import { openDb, type Db, type Queryable } from './db.js';
import { grantServiceRole } from './db-roles.js';
import { dataSteps } from './migration-steps.js';

/**
 * A step of a migration that needs the service's keys (SQL alone cannot encrypt or compute a blind
 * index): the file marks where it runs with a line `-- @data-step NAME`, in the same transaction.
 */
export type DataStep = (q: Queryable, crypto: FieldCrypto) => Promise<void>;
const STEP_MARKER = /^-- @data-step ([a-z0-9-]+)\s*$/m;

/**
 * Opens the service's database, migrated. With MIGRATION_DATABASE_URL (SEC-2 least privilege) the
 * migrations run as that owner role, which then grants the service's own role (whoever DATABASE_URL
 * logs in as) its limited rights on any new tables; the service connection never changes the schema.
 */
export async function openMigratedDb(config: Config): Promise<Db> {
  // the service's own keys, for migrations' data steps
  const crypto = new FieldCrypto(loadKeys(config.dataDir));
  if (!config.migrationDatabaseUrl) {
    const db = await openDb(config);
    await migrate(db, crypto).catch(async (e) => {
      await db.close();
      throw e;
    });
    return db;
  }
  const owner = await openDb({ ...config, databaseUrl: config.migrationDatabaseUrl });
  try {
    await migrate(owner, crypto);
    const db = await openDb(config);
    const [{ service }] = await db.query<{ service: string }>('SELECT current_user AS service');
    await grantServiceRole(owner, service).catch(async (e) => {
      await db.close();
      throw e;
    });
    return db;
  } finally {
    await owner.close();
  }
}

/** The checked-in migrations, in the order they apply. */
export const migrationNames = () => readdirSync(join(projectRoot(), 'migrations')).filter((f) => f.endsWith('.sql')).sort();

/** Migrations not yet applied to this database (readiness: the service must not take traffic with an old schema). */
export async function pendingMigrations(db: Queryable): Promise<string[]> {
  const done = new Set((await db.query('SELECT name FROM schema_migration')).map((r) => r.name));
  return migrationNames().filter((n) => !done.has(n));
}

/** Applies the checked-in SQL migrations in name order, each once, each in its own transaction. */
export async function migrate(db: Db, crypto: FieldCrypto): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const dir = join(projectRoot(), 'migrations');
  const done = new Set((await db.query('SELECT name FROM schema_migration')).map((r) => r.name));
  const applied: string[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    if (done.has(name)) continue;
    const sql = readFileSync(join(dir, name), 'utf8');
    await db.tx(async (q) => {
      // exec-style multi statements run through the same transaction connection; a data step, if
      // the file has one, runs between the statements before and after its marker
      const [before, stepName, after = ''] = sql.split(STEP_MARKER);
      for (const stmt of splitSql(before)) await q.query(stmt);
      if (stepName) {
        const step = dataSteps[stepName];
        if (!step) throw new Error(`migration ${name}: unknown data step ${stepName}`);
        await step(q, crypto);
      }
      for (const stmt of splitSql(after)) await q.query(stmt);
      await q.query('INSERT INTO schema_migration (name) VALUES ($1)', [name]);
    });
    applied.push(name);
  }
  return applied;
}

/** Splits a migration on statement-ending semicolons, keeping $$-quoted function bodies whole. */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (line.trim().startsWith('--')) continue;
    cur += line + '\n';
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && line.trimEnd().endsWith(';')) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
