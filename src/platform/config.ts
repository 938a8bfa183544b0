import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json — the same whether we run from src/ (tsx) or dist/ (built). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + import.meta.url);
    dir = up;
  }
  return dir;
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /**
   * SEC-2 least privilege (MIGRATION_DATABASE_URL): the owner role that runs migrations and then grants the
   * service role (DATABASE_URL) only what it needs. Unset: one role does both, as on PGlite.
   */
  migrationDatabaseUrl?: string;
  /** SEC-2: the Ed25519 key that signs audit checkpoints (AUDIT_SIGNING_KEY_FILE), kept outside the database. */
  auditSigningKeyFile: string;
  /** SEC-4: the Ed25519 key that signs card verification tokens (CARD_SIGNING_KEY_FILE), kept outside the database. */
  cardSigningKeyFile: string;
  /** SEC-4: the public address printed in the cards' QR codes (PUBLIC_BASE_URL), e.g. https://tongban.example.gov.cn */
  publicBaseUrl: string;
  /** SEC-2: where signed audit checkpoints are appended (AUDIT_CHECKPOINT_DIR), outside the database. */
  auditCheckpointDir: string;
  /** PostgreSQL schema to run in; tests use a fresh one per run so runs never collide. */
  dbSchema?: string;
  logLevel: string;
  /** Seed the demo data when the database is empty. */
  seedDemo: boolean;
  /** With the demo, cases in every stage for the walks (SEED_DEMO_CASES=false: accounts only; the tests turn them off). */
  seedDemoCases: boolean;
  /** Module whose default export scans every upload before it is stored (src/modules/documents/scanner.ts). */
  documentScanner?: string;
  /**
   * Which proxies may speak for the client in X-Forwarded-For/-Proto/-Host (TRUST_PROXY): false (none,
   * the default), a hop count, or a comma list of addresses/CIDRs. Trusting everyone would let any
   * caller choose the address the login backoff counts against, and fake HTTPS.
   */
  trustProxy: boolean | number | string;
  /** SEC-3: a session ends after this many minutes without a request (SESSION_IDLE_MINUTES), beside its absolute limit. */
  sessionIdleMinutes: number;
  /** Cookies are Secure when the request came over HTTPS; COOKIE_SECURE=true forces it always. */
  cookieSecureAlways: boolean;
  /** Extra origins a browser may post from (PUBLIC_ORIGINS, comma list), besides the origin the request was addressed to. */
  publicOrigins: string[];
  /** The HTTP SMS gateway that carries phone confirmation codes (SMS_GATEWAY_URL); unset = the log adapter (demo only). */
  smsGatewayUrl?: string;
  /** Bearer token for the SMS gateway (SMS_GATEWAY_TOKEN). */
  smsGatewayToken?: string;
  /** Bearer token that lets a scraper read /metrics from another machine (METRICS_TOKEN); without it only loopback may. */
  metricsToken?: string;
};

/** TRUST_PROXY: unset/false → trust no proxy; a number → that many hops; otherwise addresses/CIDRs. */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') throw new Error('TRUST_PROXY=true would trust any caller’s X-Forwarded-* headers; give the proxy’s addresses (e.g. 127.0.0.1,10.0.0.0/8) or a hop count');
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.DATA_DIR ?? join(projectRoot(), 'data'));
  // a migration role only means something beside a server the service reaches as another role
  if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) throw new Error('MIGRATION_DATABASE_URL needs DATABASE_URL (the service role) as well');
  return {
    port: Number(env.PORT ?? 3000),
    // the demo answers this machine only; a server that others reach sets HOST (e.g. 0.0.0.0) on purpose
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || undefined,
    auditSigningKeyFile: resolve(env.AUDIT_SIGNING_KEY_FILE || join(dataDir, 'audit-signing-key.pem')),
    cardSigningKeyFile: resolve(env.CARD_SIGNING_KEY_FILE || join(dataDir, 'card-signing-key.pem')),
    publicBaseUrl: (env.PUBLIC_BASE_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, ''),
    auditCheckpointDir: resolve(env.AUDIT_CHECKPOINT_DIR || join(dataDir, 'audit-checkpoints')),
    dbSchema: env.DB_SCHEMA || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: env.SEED_DEMO !== 'false',
    seedDemoCases: env.SEED_DEMO_CASES !== 'false',
    documentScanner: env.DOCUMENT_SCANNER || undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    sessionIdleMinutes: Number(env.SESSION_IDLE_MINUTES ?? 30),
    cookieSecureAlways: env.COOKIE_SECURE === 'true',
    publicOrigins: (env.PUBLIC_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
    smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
  };
}
