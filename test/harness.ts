/**
 * One running service per test process, reached through Fastify's inject — the full HTTP pipeline
 * (routing, validation, hooks, error handler) without a socket. The database is PGlite in memory,
 * or, with DATABASE_URL, a fresh PostgreSQL schema created for this run and dropped after it.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createContext } from '../src/app.js';
import type { AppContext } from '../src/app-context.js';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { loadConfig } from '../src/platform/config.js';
import { SettableClock } from '../src/platform/clock.js';
import { dropSchema, openDb, openMemoryDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';

export { makeCitizenId } from './payloads.js';

type App = Awaited<ReturnType<typeof buildApp>>;
export type Harness = { app: App; ctx: AppContext; clock: SettableClock; db: Db };

let shared: Promise<Harness> | null = null;
let cleanup: (() => Promise<void>) | null = null;

// Registered when this module loads, so it hangs off the root test and runs once after every test.
after(async () => {
  await cleanup?.();
});

export function harness(): Promise<Harness> {
  shared ??= start();
  return shared;
}

async function start(): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-test-'));
  const base = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const schema = base.databaseUrl ? `test_${Date.now()}_${process.pid}` : undefined;
  // the demo's accounts and places, but no demo cases: every test owns the cases it counts
  const config = { ...base, dbSchema: schema, seedDemoCases: false };
  const db = config.databaseUrl ? await openDb(config) : await openMemoryDb();
  const clock = new SettableClock();
  const ctx = createContext(db, config, clock);
  await migrate(db, ctx.crypto);
  await seedDemoIfEmpty(ctx);
  const app = await buildApp(ctx);
  cleanup = async () => {
    await app.close();
    await db.close();
    if (schema) await dropSchema(config.databaseUrl!, schema);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { app, ctx, clock, db };
}

export type Reply = { status: number; body: any; headers: Record<string, any> };

/** The web client's CSRF header (src/platform/http-guards.ts): every test client sends it, as the web app does. */
export const CLIENT_HEADER = { 'x-tongban-client': 'test' };

/** A logged-in client (or anonymous when no cookie) that speaks JSON to the API. */
export class Client {
  constructor(private readonly app: App, public cookie?: string) {}

  async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await this.app.inject({
      method: method as any,
      url,
      payload: body === undefined ? undefined : (body as any),
      headers: { ...CLIENT_HEADER, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
    });
    let parsed: any = res.body;
    try {
      parsed = JSON.parse(res.body);
    } catch {}
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }
  get = (url: string) => this.call('GET', url);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.call('POST', url, body ?? {}, headers);

  /** Takes an action with the case's current version, as a client that just loaded the case would. */
  async act(caseId: string, action: string, input: Record<string, unknown> = {}, headers?: Record<string, string>) {
    const current = await this.get(`/api/cases/${caseId}`);
    if (current.status !== 200) return current;
    return this.post(`/api/cases/${caseId}/actions/${action}`, { expectedVersion: current.body.version, input }, headers);
  }
}

/** The session cookie (name=value) among a response's Set-Cookie headers. */
export const sessionCookie = (setCookie: string | string[] | undefined) => [setCookie ?? []].flat().find((c) => c.startsWith('tb_session='))?.split(';')[0];

export async function login(h: Pick<Harness, 'app'>, username: string, password = DEMO_PASSWORD): Promise<Client> {
  const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: CLIENT_HEADER });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return new Client(h.app, sessionCookie(res.headers['set-cookie']));
}

export const uniqueKey = () => `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
