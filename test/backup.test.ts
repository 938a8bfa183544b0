/** SEC-2 backup and restore (library and CLI, both drivers) and the embedded database's folder lock. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { restoreBackup, tableCounts, writeBackup } from '../src/cli/backup.js';
import { DomainError } from '../src/domain/errors.js';
import { verifyAuditChains } from '../src/modules/audit/audit-chain.js';
import { idIndex } from '../src/modules/persons/persons.js';
import { loadConfig } from '../src/platform/config.js';
import { FieldCrypto, loadKeys } from '../src/platform/crypto.js';
import { lockDataDir, openDb, openMemoryDb, processStartTime, type Db } from '../src/platform/db.js';
import { appOn, cli, cliDatabase, type CliEnv } from './cli.js';
import { legacyHolder, legacyName } from './fixtures.js';
import { harness, makeCitizenId } from './harness.js';

type Cleanup = (fn: () => Promise<void>) => void;
let databases = 0;

/** A new empty PostgreSQL database beside DATABASE_URL's (a dump of a schema restores under the same schema name). */
async function throwawayDatabase(onDone: Cleanup): Promise<string> {
  const name = `tongban_restore_${process.pid}_${Date.now()}_${++databases}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  onDone(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty place to restore a CLI database's backup: a new data folder, and on PostgreSQL a new database holding no schema yet. */
async function emptyTarget(source: CliEnv, onDone: Cleanup): Promise<{ dir: string; env: CliEnv }> {
  const { dir, env } = cliDatabase(onDone);
  return { dir, env: source.DB_SCHEMA ? { ...env, DB_SCHEMA: source.DB_SCHEMA, DATABASE_URL: await throwawayDatabase(onDone) } : env };
}

const nameOf = async (db: Db, crypto: FieldCrypto, personId: string) =>
  crypto.decrypt((await db.query('SELECT name_enc FROM person WHERE id = $1', [personId]))[0].name_enc);

test('SEC-2 backup and restore round-trip: row counts, audit chains and decrypted samples survive', async (t) => {
  const h = await harness();
  const sample = await legacyHolder(h, '2020-03-01', false);
  const before = await tableCounts(h.db);
  const chains = await verifyAuditChains(h.db);
  assert.ok(before.person >= 1 && before.audit_entry >= 1 && chains.broken.length === 0);

  let restored: Db;
  if (h.db.driver === 'pglite') {
    // the in-memory database's own snapshot, loaded into a fresh one
    restored = await openMemoryDb(new Blob([new Uint8Array(await h.db.snapshot!())]));
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'tongban-backup-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'tongban.dump');
    assert.deepEqual(await writeBackup(h.ctx.config, file), { kind: 'postgres', bytes: statSync(file).size });
    const target = { ...h.ctx.config, databaseUrl: await throwawayDatabase((fn) => t.after(fn)) };
    await restoreBackup(target, file);
    restored = await openDb(target);
  }
  try {
    assert.deepEqual(await tableCounts(restored), before);
    const audit = await verifyAuditChains(restored);
    assert.deepEqual(audit.broken, []);
    assert.deepEqual([audit.chains, audit.entries], [chains.chains, chains.entries]);
    assert.equal(await nameOf(restored, h.ctx.crypto, sample.personId), legacyName(sample.idNumber));
    // the blind index still finds the person by ID number
    const [found] = await restored.query('SELECT id FROM person WHERE id_bidx = $1', [idIndex(h.ctx.crypto, sample.idNumber)]);
    assert.equal(found.id, sample.personId);
  } finally {
    await restored.close();
  }
});

test('SEC-2 the CLI backs up while the service runs and restores into an empty database; the keys go to their own file and are checked', async (t) => {
  const { dir, env } = cliDatabase((fn) => t.after(fn));
  assert.equal((await cli(['seed-demo'], env)).code, 0);
  const idNumber = makeCitizenId({ division: '330106' });
  const csv = join(dir, 'holders.csv');
  writeFileSync(csv, `${idNumber},备份测试人,4-2,2020-03-01,2030-03-01,否,330106002052\n`);
  const imported = await cli(['import-certificates', csv, '--county', '330106'], env);
  assert.equal(imported.code, 0, imported.out);

  // the service runs (and on PGlite holds the data folder) while the backup is taken
  const service = await appOn(env);
  const crypto = new FieldCrypto(loadKeys(dir));
  const [person] = await service.db.query('SELECT id FROM person WHERE id_bidx = $1', [idIndex(crypto, idNumber)]);
  const before = await tableCounts(service.db);
  const file = join(dir, 'tongban.backup');
  let backedUp;
  try {
    backedUp = await cli(['backup', file, '--with-keys'], env);
  } finally {
    await service.close();
  }
  assert.equal(backedUp.code, 0, backedUp.out);
  assert.match(backedUp.out, /without the encryption keys/);
  const keyFile = `${file}.keys.json`;
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(keyFile, 'utf8')), JSON.parse(readFileSync(join(dir, 'dev-keys.json'), 'utf8')));
  const bytes = readFileSync(file);
  const dataKey = JSON.parse(readFileSync(keyFile, 'utf8')).dataKey;
  assert.equal((env.DB_SCHEMA ? bytes : gunzipSync(bytes)).includes(dataKey), false, 'the backup must not hold the keys');

  const { dir: dir2, env: target } = await emptyTarget(env, (fn) => t.after(fn));
  // as the operations guide says: the key file goes back into the data folder
  copyFileSync(keyFile, join(dir2, 'dev-keys.json'));
  const restored = await cli(['restore', file], target);
  assert.equal(restored.code, 0, restored.out);
  const rows = Object.values(before).reduce((a, b) => a + b, 0);
  assert.match(restored.out, new RegExp(`restored ${Object.keys(before).length} tables, ${rows} rows; audit chains: \\d+, broken: 0`));
  assert.match(restored.out, /keys: they decrypt the personal data/);

  const after = await appOn(target);
  try {
    assert.deepEqual(await tableCounts(after.db), before);
    assert.deepEqual((await verifyAuditChains(after.db)).broken, []);
    assert.equal(await nameOf(after.db, new FieldCrypto(loadKeys(dir2)), person.id), '备份测试人');
  } finally {
    await after.close();
  }

  // a restore never overwrites: the same target again is refused, and so is a file that is no backup
  const again = await cli(['restore', file], target);
  assert.equal(again.code, 1);
  assert.match(again.out, /already holds data/);
  const junk = join(dir, 'junk.bin');
  writeFileSync(junk, 'not a backup');
  const refused = await cli(['restore', junk], target);
  assert.equal(refused.code, 1);
  assert.match(refused.out, /is not a Tongban backup file/);

  // restored where other keys are in force (a machine set up afresh): the data is back but unreadable, and the command says so
  const other = await emptyTarget(env, (fn) => t.after(fn));
  loadKeys(other.dir);
  const unreadable = await cli(['restore', file], other.env);
  assert.equal(unreadable.code, 1);
  assert.match(unreadable.out, /broken: 0/);
  assert.match(unreadable.out, /keys: the keys in force do NOT decrypt this data/);
});

test('SEC-2 a backup restores only into the kind of database it was made from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-kind-'));
  try {
    const pgDump = join(dir, 'pg.backup');
    writeFileSync(pgDump, 'PGDMP\x01\x0e\x00');
    const tarball = join(dir, 'lite.backup');
    writeFileSync(tarball, gzipSync('pg/PG_VERSION'));
    const lite = loadConfig({ DATA_DIR: dir });
    // checked before any database is opened: this server address answers nothing
    const server = loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const refusal = (en: string) => (e: unknown) => e instanceof DomainError && e.code === 'backup.wrong_kind' && e.text.en === en;
    await assert.rejects(restoreBackup(lite, pgDump), refusal(`${pgDump} was made from a PostgreSQL server, but this configuration uses the embedded database (PGlite); it cannot be restored here.`));
    await assert.rejects(restoreBackup(server, tarball), refusal(`${tarball} was made from the embedded database (PGlite), but this configuration uses a PostgreSQL server; it cannot be restored here.`));
    assert.equal(existsSync(join(dir, 'pg')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SEC-2 the data-folder lock: a pid reused after a crash is taken over, a live owner is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-lock-'));
  try {
    const file = join(dir, 'tongban.lock');
    const other = process.ppid; // a live process that is not us
    const started = processStartTime(other);
    assert.match(String(started), /^\d+$/, 'this test needs /proc (Linux)');

    // the lock a crashed service left, its pid now reused by another process started at another time
    writeFileSync(file, JSON.stringify({ pid: other, start: String(Number(started) - 1) }));
    const release = lockDataDir(dir);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { pid: process.pid, start: processStartTime(process.pid) });
    release();
    assert.equal(existsSync(file), false);

    // the same pid and start time: the owner is alive and keeps its folder
    writeFileSync(file, JSON.stringify({ pid: other, start: started }));
    assert.throws(() => lockDataDir(dir), (e: unknown) => e instanceof DomainError && e.code === 'data.locked' && e.text.en.includes(`(pid ${other})`) && e.text.zh.includes(`pid ${other}`));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { pid: other, start: started });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SEC-2 a restore into the data folder of a running service is refused with the lock\'s message', { skip: Boolean(process.env.DATABASE_URL) && 'PGlite only' }, async (t) => {
  const { dir, env } = cliDatabase((fn) => t.after(fn));
  const service = await openDb(loadConfig({ ...process.env, ...env }));
  const file = join(dir, 'tongban.backup');
  try {
    writeFileSync(file, await service.snapshot!());
    const refused = await cli(['restore', file], env);
    assert.equal(refused.code, 1);
    assert.match(refused.out, new RegExp(`is in use by another process \\(pid ${process.pid}\\)`));
  } finally {
    await service.close();
  }
});
