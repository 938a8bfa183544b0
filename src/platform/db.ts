/**
 * One small database interface over the two drivers we support: PGlite (embedded PostgreSQL in
 * WASM, the zero-setup default) and node-postgres (a real server when DATABASE_URL is set).
 * Both speak the same SQL dialect, so every query in the code base runs unchanged on either.
 * See docs/decisions/0001-sql-access.md for why this is plain parameterised SQL.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { conflict } from '../domain/errors.js';
import type { Config } from './config.js';
import { serveSnapshots } from './snapshot-socket.js';

export type Row = Record<string, any>;

export interface Queryable {
  query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  /** Runs fn in one transaction; rolls back on any throw. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly driver: 'pglite' | 'postgres';
  /** PGlite only: a gzipped tarball of the whole data folder, consistent (see openPglite). */
  snapshot?(): Promise<Buffer>;
  /** PostgreSQL only: the pool's connections (for /metrics). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

// Dates and timestamps come back as strings on both drivers: date maths is done on 'YYYY-MM-DD'
// strings in the domain, and a JS Date would silently shift dates by the server's time zone.
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(1114, (v) => v); // timestamp
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(20, (v) => Number(v)); // bigint counters fit in a double

export async function openDb(config: Config): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.dbSchema) : openPglite(config.dataDir);
}

/**
 * `restore`: the tarball of a snapshot to start from (PGlite unpacks it into an empty folder). With a
 * data folder, the process holding it also serves snapshots to `npm run cli -- backup`.
 */
export async function openPglite(dataDir: string | null, restore?: Blob): Promise<Db> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  const parsers = {
    [types.DATE]: (v: string) => v,
    [types.TIMESTAMP]: (v: string) => v,
    [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(),
    [types.INT8]: (v: string) => Number(v),
  };
  const lite = new PGlite({ dataDir: dataDir ? `${dataDir}/pg` : undefined, extensions: { pg_trgm }, parsers, loadDataDir: restore });
  await lite.waitReady;
  const snapshot = () =>
    // Holding the transaction lock keeps every other transaction out (each query takes it too), and
    // the checkpoint puts all committed pages into the files the tarball is made of. The dump itself
    // reads the files in one synchronous pass, so nothing changes underneath it.
    lite.transaction(async (t) => {
      await t.query('CHECKPOINT');
      return Buffer.from(await (await lite.dumpDataDir('gzip')).arrayBuffer());
    });
  const stopServing = dataDir ? await serveSnapshots(dataDir, snapshot) : async () => {};
  const q: Queryable = {
    async query(text, params) {
      return (await lite.query(text, params)).rows as any[];
    },
  };
  return {
    driver: 'pglite',
    query: q.query,
    async tx(fn) {
      return lite.transaction(async (t) =>
        fn({ query: async (text, params) => (await t.query(text, params)).rows as any[] }),
      );
    },
    async exec(sql) {
      await lite.exec(sql);
    },
    snapshot,
    async close() {
      await stopServing();
      await lite.close();
      releaseLock();
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad DB_SCHEMA ${schema}`);
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    // looked up first: a service role without CREATE on the database may still open a schema the owner made
    const [found] = (await setup.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rows;
    if (!found) await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await setup.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    // Extensions (pg_trgm) live in public, so it stays on the path after our own schema.
    options: schema ? `-c search_path=${schema},public` : undefined,
  });
  return {
    driver: 'postgres',
    async query(text, params) {
      return (await pool.query(text, params as any[])).rows;
    },
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (text, params) => (await client.query(text, params as any[])).rows });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await pool.end();
    },
  };
}

/** Drops a throwaway schema (a test or benchmark run's) with everything in it. */
export async function dropSchema(url: string, schema: string) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

/** An in-memory PGlite, for tests and benchmarks that want a throwaway database (optionally a snapshot's copy). */
export const openMemoryDb = (restore?: Blob) => openPglite(null, restore);

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * The lock file records the owner's pid and, on Linux, the process's start time: after a crash the
 * pid may be reused by an unrelated process, which must not make the lock look held forever. A lock
 * whose pid is gone, or now belongs to a process started at another time, is stale and taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'tongban.lock');
  const owner = existsSync(file) ? readLock(readFileSync(file, 'utf8')) : null;
  if (owner && owner.pid !== process.pid && ownerAlive(owner)) {
    throw conflict(
      'data.locked',
      `数据目录 ${dataDir} 正被另一个进程（pid ${owner.pid}）使用。请先停止该服务再运行此命令，或设置 DATABASE_URL 使用 PostgreSQL 服务器。`,
      `The data folder ${dataDir} is in use by another process (pid ${owner.pid}). Stop it first, or set DATABASE_URL to use a PostgreSQL server.`,
    );
  }
  const mine: LockOwner = { pid: process.pid, start: processStartTime(process.pid) };
  writeFileSync(file, JSON.stringify(mine));
  return () => rmSync(file, { force: true });
}

export type LockOwner = { pid: number; start: string | null };

/** Today's JSON, or the bare pid written by earlier versions (no start time: judged by the pid alone). */
function readLock(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text);
    if (typeof v === 'number') return { pid: v, start: null };
    if (v && Number.isInteger(v.pid)) return { pid: v.pid, start: typeof v.start === 'string' ? v.start : null };
  } catch {}
  return null;
}

function ownerAlive(owner: LockOwner) {
  try {
    process.kill(owner.pid, 0);
  } catch (e: any) {
    // EPERM: the pid exists but belongs to another user — alive, and compared by start time below
    if (e.code !== 'EPERM') return false;
  }
  // a recorded start time was read from /proc, so a missing /proc entry now means the process is gone
  return owner.start === null || processStartTime(owner.pid) === owner.start;
}

/**
 * Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot — with the pid it names one
 * process for the whole uptime. Null where there is no /proc (macOS, Windows): the pid alone decides.
 */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // field 2 (the command name) is in parentheses and may itself hold spaces and ')'; fields 3… follow the last ')'
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}
