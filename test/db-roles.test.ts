/**
 * SEC-2 least privilege on PostgreSQL: migrations run as the owner (here the suite's superuser
 * connection), the service logs in as a role of its own. Each run works in a fresh schema; the role
 * is cluster-wide, so it is made idempotently and shared by every run (grants are per schema).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../src/app.js';
import { seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { appendAudit } from '../src/modules/audit/audit-chain.js';
import { loadConfig } from '../src/platform/config.js';
import { dropSchema, openDb, type Db } from '../src/platform/db.js';
import { APPEND_ONLY_TABLES, ensureServiceRole } from '../src/platform/db-roles.js';
import { openMigratedDb } from '../src/platform/migrate.js';

const PG_ONLY = process.env.DATABASE_URL ? undefined : 'PostgreSQL only: PGlite has a single role, so there is no other role to withhold rights from (set DATABASE_URL)';
const ROLE = 'tongban_test_service';
/** A column of each append-only table, for an UPDATE that would change nothing — it must be refused all the same. */
const SOME_COLUMN: Record<(typeof APPEND_ONLY_TABLES)[number], string> = {
  audit_entry: 'actor',
  case_event: 'action',
  certificate_event: 'reason',
  personal_data_view: 'purpose',
};

const refused = (db: Db, sql: string, message: RegExp) =>
  assert.rejects(db.query(sql), (e: any) => {
    assert.equal(e.code, '42501', `${sql}: ${e.message}`); // insufficient_privilege
    assert.match(e.message, message);
    return true;
  });

let schemas = 0;
async function serviceDatabase(onDone: (fn: () => Promise<void>) => void) {
  const url = process.env.DATABASE_URL!;
  const schema = `roles_${Date.now()}_${process.pid}_${++schemas}`;
  const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), dbSchema: schema };
  const owner = await openDb(config);
  await ensureServiceRole(owner, ROLE);
  await ensureServiceRole(owner, ROLE); // a second run (or a racing test schema) finds it made
  await owner.close();
  const service = new URL(url);
  service.username = ROLE;
  service.password = '';
  const db = await openMigratedDb({ ...config, databaseUrl: service.toString(), migrationDatabaseUrl: url });
  onDone(async () => {
    await db.close();
    await dropSchema(url, schema);
  });
  return { db, config };
}

test('SEC-2 the service role cannot update, delete, truncate or disable triggers on the audit trail', { skip: PG_ONLY }, async (t) => {
  const { db } = await serviceDatabase((fn) => t.after(fn));
  assert.deepEqual(await db.query('SELECT current_user AS who'), [{ who: ROLE }]);

  // what the service does: append (which also moves the chain head) and read back
  await db.tx((q) => appendAudit(q, { chain: 'test-roles', actor: 'system', action: 'test.insert', objectType: 'test', objectId: '1', detail: {}, at: new Date('2026-01-01T00:00:00Z') }));
  assert.deepEqual(await db.query(`SELECT seq::int AS seq FROM audit_entry WHERE chain = 'test-roles'`), [{ seq: 1 }]);
  assert.deepEqual(await db.query(`SELECT last_seq::int AS seq FROM audit_chain WHERE chain = 'test-roles'`), [{ seq: 1 }]);

  for (const table of APPEND_ONLY_TABLES) {
    const [rights] = await db.query(
      `SELECT has_table_privilege($1, $2, 'SELECT') AS s, has_table_privilege($1, $2, 'INSERT') AS i,
              has_table_privilege($1, $2, 'UPDATE') AS u, has_table_privilege($1, $2, 'DELETE') AS d,
              has_table_privilege($1, $2, 'TRUNCATE') AS t, has_table_privilege($1, $2, 'TRIGGER') AS g`,
      [ROLE, table],
    );
    assert.deepEqual(rights, { s: true, i: true, u: false, d: false, t: false, g: false }, table);
    const column = SOME_COLUMN[table];
    await refused(db, `UPDATE ${table} SET ${column} = ${column}`, new RegExp(`permission denied for table ${table}`));
    await refused(db, `DELETE FROM ${table}`, new RegExp(`permission denied for table ${table}`));
    await refused(db, `TRUNCATE ${table}`, new RegExp(`permission denied for table ${table}`));
    // not the owner: the trigger cannot be switched off, nor the table dropped
    await refused(db, `ALTER TABLE ${table} DISABLE TRIGGER ALL`, new RegExp(`must be owner of table ${table}`));
    await refused(db, `DROP TABLE ${table}`, new RegExp(`must be owner of table ${table}`));
  }
  await refused(db, `INSERT INTO schema_migration (name) VALUES ('9999_sneaky.sql')`, /permission denied for table schema_migration/);
  await refused(db, 'CREATE TABLE sneaky (x int)', /permission denied for schema/);
  assert.deepEqual(await db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE chain = 'test-roles'`), [{ n: 1 }]);
});

test('SEC-2 the service role can still do its work: the demo seeds and the service writes ordinary tables', { skip: PG_ONLY }, async (t) => {
  const { db, config } = await serviceDatabase((fn) => t.after(fn));
  await seedDemoIfEmpty(createContext(db, config));
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM staff_user WHERE username = 'xihu.clerk'`);
  assert.equal(n, 1);
  const [updated] = await db.query(`UPDATE staff_user SET display_name = display_name WHERE username = 'xihu.clerk' RETURNING username`);
  assert.deepEqual(updated, { username: 'xihu.clerk' });
});

test('SEC-2 making the service role is safe when several schemas ask at once (roles are cluster-wide)', { skip: PG_ONLY }, async (t) => {
  const owner = await openDb(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }));
  const role = `tongban_test_race_${process.pid}_${Date.now()}`;
  t.after(async () => {
    await owner.query(`DROP ROLE IF EXISTS ${role}`);
    await owner.close();
  });
  // each call takes its own pooled connection, so the CREATE ROLEs really race
  await Promise.all([1, 2, 3, 4].map(() => ensureServiceRole(owner, role)));
  assert.deepEqual(await owner.query('SELECT rolcanlogin AS login, rolsuper AS super FROM pg_roles WHERE rolname = $1', [role]), [{ login: true, super: false }]);
});
