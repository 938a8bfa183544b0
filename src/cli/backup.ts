/**
 * SEC-2 backup and restore (`npm run cli -- backup FILE` / `restore FILE`), for both drivers:
 * - PGlite: a gzipped tarball of the data folder, made by the process that holds it (the running
 *   service, asked over its snapshot socket; or this process when no service runs).
 * - PostgreSQL: pg_dump's custom format (-Fc), only DB_SCHEMA when one is set; restored with pg_restore.
 * The encryption keys are never in the backup file: a stolen backup without its keys is unreadable.
 * `--with-keys` writes them to a separate file, to be kept somewhere else.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { conflict, invalid } from '../domain/errors.js';
import { verifyAuditChains } from '../modules/audit/audit-chain.js';
import type { Config } from '../platform/config.js';
import { FieldCrypto, loadKeys } from '../platform/crypto.js';
import { lockDataDir, openDb, openPglite, type Db, type Queryable } from '../platform/db.js';
import { requestSnapshot } from '../platform/snapshot-socket.js';

const run = promisify(execFile);

export type BackupKind = 'pglite' | 'postgres';

/** What a backup file holds, from its first bytes: gzip (a PGlite tarball) or pg_dump's custom format. */
export function backupKind(bytes: Buffer): BackupKind | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'pglite';
  if (bytes.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return null;
}

const driverOf = (config: Config): BackupKind => (config.databaseUrl ? 'postgres' : 'pglite');

/** Writes the backup to FILE (through FILE.partial, so a failed run never leaves a file that looks whole). */
export async function writeBackup(config: Config, file: string): Promise<{ kind: BackupKind; bytes: number }> {
  const partial = `${file}.partial`;
  try {
    if (config.databaseUrl) await pgTool('pg_dump', ['-Fc', '-f', partial, ...(config.dbSchema ? ['--schema', config.dbSchema] : []), '-d', config.databaseUrl]);
    else writeFileSync(partial, await pgliteSnapshot(config.dataDir));
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { kind: driverOf(config), bytes: readFileSync(file).length };
}

/** Asks the running service for a snapshot; when none runs, opens the folder (and takes its lock) here. */
async function pgliteSnapshot(dataDir: string): Promise<Buffer> {
  const served = await requestSnapshot(dataDir);
  if (served) return served;
  if (!existsSync(join(dataDir, 'pg'))) {
    throw invalid('backup.no_database', `数据目录 ${dataDir} 中没有数据库。请检查 DATA_DIR。`, `There is no database in the data folder ${dataDir}. Check DATA_DIR.`);
  }
  const db = await openPglite(dataDir);
  try {
    return await db.snapshot!();
  } finally {
    await db.close();
  }
}

/**
 * The keys in force, for `--with-keys`: from TONGBAN_DATA_KEY/TONGBAN_INDEX_KEY, else the development
 * key file. Never generated here: fresh keys would not open the data being backed up.
 */
export function keysFileText(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  if (!(env.TONGBAN_DATA_KEY && env.TONGBAN_INDEX_KEY) && !existsSync(join(config.dataDir, 'dev-keys.json'))) {
    throw invalid(
      'backup.no_keys',
      `找不到加密密钥：未设置 TONGBAN_DATA_KEY/TONGBAN_INDEX_KEY，${config.dataDir} 中也没有 dev-keys.json。`,
      `No encryption keys found: TONGBAN_DATA_KEY/TONGBAN_INDEX_KEY are not set and there is no dev-keys.json in ${config.dataDir}.`,
    );
  }
  const keys = loadKeys(config.dataDir, env);
  // the development key file's own format, so restoring it is a copy to DATA_DIR/dev-keys.json
  return JSON.stringify({ dataKey: keys.dataKey.toString('base64'), indexKey: keys.indexKey.toString('base64') }, null, 2);
}

/** Restores FILE into the configured database, which must be empty (nothing is overwritten). */
export async function restoreBackup(config: Config, file: string): Promise<void> {
  const bytes = readFileSync(file);
  const kind = backupKind(bytes);
  if (kind !== driverOf(config)) {
    const from = { pglite: ['内置数据库（PGlite）', 'the embedded database (PGlite)'], postgres: ['PostgreSQL 服务器', 'a PostgreSQL server'] } as const;
    const here = from[driverOf(config)];
    throw invalid(
      'backup.wrong_kind',
      kind ? `${file} 备份自${from[kind][0]}，当前配置使用${here[0]}，无法恢复到这里。` : `${file} 不是通办备份文件。`,
      kind ? `${file} was made from ${from[kind][1]}, but this configuration uses ${here[1]}; it cannot be restored here.` : `${file} is not a Tongban backup file.`,
    );
  }
  if (config.databaseUrl) await restorePostgres(config.databaseUrl, config.dbSchema, file);
  else await restorePglite(config.dataDir, bytes);
}

async function restorePglite(dataDir: string, tarball: Buffer) {
  // the lock first: a running service must be refused with the usual message, not "folder not empty"
  const release = lockDataDir(dataDir);
  try {
    const target = join(dataDir, 'pg');
    if (existsSync(target) && readdirSync(target).length) throw notEmpty(target, { zh: `先停止服务并移走现有数据（如 mv ${target} ${target}.old）`, en: `stop the service and move the existing data away first (e.g. mv ${target} ${target}.old)` });
  } finally {
    release();
  }
  const db = await openPglite(dataDir, new Blob([new Uint8Array(tarball)], { type: 'application/x-gzip' }));
  await db.close();
}

async function restorePostgres(url: string, schema: string | undefined, file: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const target = schema ?? 'public';
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind IN ('r', 'p')`, [target])).rows;
    if (n > 0) {
      throw notEmpty(schema ? `schema ${schema}` : url.replace(/:[^:@/]*@/, ':***@'), { zh: '请新建一个空数据库（createdb）并让 DATABASE_URL 指向它', en: 'create an empty database (createdb) and point DATABASE_URL at it' });
    }
    const dumped = await dumpedSchemas(file);
    if (schema ? !dumped.includes(schema) : dumped.length > 0) {
      throw invalid(
        'backup.schema_mismatch',
        `该备份${dumped.length ? `属于 schema ${dumped.join(', ')}` : '是整个数据库'}，请用相同的 DB_SCHEMA 设置恢复。`,
        `This backup holds ${dumped.length ? `schema ${dumped.join(', ')}` : 'a whole database'}; restore it with the same DB_SCHEMA setting.`,
      );
    }
    // A schema's dump does not carry the pg_trgm extension (it lives in public), and pg_restore
    // creates the schema itself, so an empty one left by an earlier start must go first.
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    if (schema) await client.query(`DROP SCHEMA IF EXISTS ${schema}`);
  } finally {
    await client.end();
  }
  await pgTool('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, file]);
}

/** The schemas a custom-format dump creates (none for a whole-database dump, whose public schema is implicit). */
async function dumpedSchemas(file: string): Promise<string[]> {
  const toc = await pgTool('pg_restore', ['-l', file]);
  return [...toc.matchAll(/^\d+; \d+ \d+ SCHEMA - (\S+) /gm)].map((m) => m[1]);
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<string> {
  try {
    return (await run(tool, args, { maxBuffer: 64 << 20 })).stdout;
  } catch (e: any) {
    if (e.code === 'ENOENT') {
      throw invalid(
        'backup.tool_missing',
        `找不到 ${tool}。请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client-15），版本不低于服务器。`,
        `${tool} was not found. Install the PostgreSQL client tools (Debian: apt-get install postgresql-client-15), at least the server's version.`,
      );
    }
    throw new Error(`${tool} failed: ${String(e.stderr ?? e.message).trim()}`);
  }
}

const notEmpty = (what: string, todo: { zh: string; en: string }) =>
  conflict(
    'backup.target_not_empty',
    `${what} 中已有数据。恢复只写入空数据库，不覆盖现有数据：${todo.zh}。`,
    `${what} already holds data. A restore only writes into an empty database and never overwrites: ${todo.en}.`,
  );

export type RestoredCheck = {
  tables: number;
  rows: number;
  auditChains: number;
  auditBroken: number;
  /** Whether the keys in force decrypt a sample person's name; null when there is no person or no key at all. */
  keysOpen: boolean | null;
};

/** Row counts of every table in the database's own schema, by table name. */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await db.query(`SELECT count(*) AS n FROM "${name}"`))[0].n);
  return counts;
}

/** After a restore: what came back, whether the audit chains are whole, and whether the keys fit. */
export async function checkRestored(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<RestoredCheck> {
  const db: Db = await openDb(config);
  try {
    const counts = Object.values(await tableCounts(db));
    const audit = await verifyAuditChains(db);
    const haveKeys = Boolean(env.TONGBAN_DATA_KEY && env.TONGBAN_INDEX_KEY) || existsSync(join(config.dataDir, 'dev-keys.json'));
    const [sample] = await db.query<{ name_enc: string }>('SELECT name_enc FROM person ORDER BY id LIMIT 1');
    let keysOpen: boolean | null = null;
    if (sample && haveKeys) {
      try {
        new FieldCrypto(loadKeys(config.dataDir, env)).decrypt(sample.name_enc);
        keysOpen = true;
      } catch {
        keysOpen = false;
      }
    }
    return { tables: counts.length, rows: counts.reduce((a, b) => a + b, 0), auditChains: audit.chains, auditBroken: audit.broken.length, keysOpen };
  } finally {
    await db.close();
  }
}
