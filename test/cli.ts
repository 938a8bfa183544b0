/**
 * The command line as a user runs it: a child process on its own database (a temp data folder, or a
 * fresh PostgreSQL schema), and the service opened on that database afterwards to check the result
 * through the API.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, createContext } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { dropSchema, openDb } from '../src/platform/db.js';

const run = promisify(execFile);
let databases = 0;

export type CliEnv = Record<string, string>;

/** A throwaway database for CLI runs; `onDone` registers its removal (t.after, or after for a whole file). */
export function cliDatabase(onDone: (fn: () => Promise<void>) => void): { dir: string; env: CliEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-cli-'));
  const schema = process.env.DATABASE_URL ? `cli_${Date.now()}_${process.pid}_${++databases}` : '';
  onDone(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
  });
  // no demo cases: the CLI tests count the certificates and persons they load themselves
  return { dir, env: { DATA_DIR: dir, DB_SCHEMA: schema, LOG_LEVEL: 'silent', SEED_DEMO_CASES: 'false' } };
}

/** Runs `npm run cli -- <args>`; the exit code and everything it printed (stdout, then stderr). */
export async function cli(args: string[], env: CliEnv) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env: { ...process.env, ...env }, cwd: new URL('..', import.meta.url).pathname });
    return { code: 0, out: stdout + stderr };
  } catch (e: any) {
    return { code: e.code as number, out: String(e.stdout) + String(e.stderr) };
  }
}

/** The service on a CLI database. Close it before the next command: an embedded database has one process. */
export async function appOn(env: CliEnv) {
  const config = loadConfig({ ...process.env, ...env });
  const db = await openDb(config);
  const app = await buildApp(createContext(db, config));
  return { app, db, close: async () => { await app.close(); await db.close(); } };
}
