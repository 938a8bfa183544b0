/**
 * SEC-2 signed checkpoints (issue 10 item 4). The hash chain exposes an entry altered in place, but
 * whoever can disable the triggers can also cut a chain's tail, or replace its last entries with
 * freshly hashed ones, and set `audit_chain` to match: the chain then verifies. So the server seals
 * the chain heads on a schedule and at shutdown — the heads that moved since the last seal, signed
 * with Ed25519 — as one JSON line appended to a file outside the database, with the key in a file
 * outside the database too. Verification checks every line's signature and that, for each chain, the
 * entry at the last sealed seq is still there with exactly the sealed hash. A chain growing past its
 * checkpoint is normal; a checkpointed entry gone or different is not.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../platform/crypto.js';
import type { Db, Queryable } from '../../platform/db.js';
import { verifyAuditChains, type VerifyReport } from './audit-chain.js';

export type SealedHead = [chain: string, seq: number, hash: string];
export type Checkpoint = { v: 1; at: string; key: string; chains: SealedHead[] };
export type CheckpointProblem = { file: string; line: number; problem: string };
export type CheckpointReport = {
  checkpoints: number;
  broken: { chain: string; seq: number; problem: string }[];
  badCheckpoints: CheckpointProblem[];
};

type AuditKey = { id: string; publicKey: KeyObject; privateKey?: KeyObject };

/** A PEM file: a private key (the server, which signs) or only the public key (an auditor's copy, which verifies). */
function readKey(file: string): AuditKey {
  const pem = readFileSync(file, 'utf8');
  const privateKey = pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : undefined;
  const publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 key`);
  // lines name the key that signed them, so a rotated key is told apart from a forgery
  const id = sha256Hex(publicKey.export({ type: 'spki', format: 'der' }).toString('hex')).slice(0, 16);
  return { id, publicKey, privateKey };
}

/** What the signature covers: the fields in a fixed order, so the bytes do not depend on how a line was parsed. */
const signedBytes = (c: Checkpoint) => Buffer.from(JSON.stringify({ v: c.v, at: c.at, key: c.key, chains: c.chains }));

const FILE_PATTERN = /^checkpoints-\d{4}-\d{2}-\d{2}\.jsonl$/;

export class AuditCheckpoints {
  /** Each chain's last sealed seq, read from the files at the first seal; null until then. */
  private sealed: Map<string, number> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string, readonly keyFile: string) {}

  /** The server's key, made on first use (mode 0600); production points AUDIT_SIGNING_KEY_FILE at a managed file. */
  private signingKey(): AuditKey {
    if (!existsSync(this.keyFile)) {
      mkdirSync(dirname(this.keyFile), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(this.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
    const key = readKey(this.keyFile);
    if (!key.privateKey) throw new Error(`${this.keyFile} holds only a public key: this server cannot sign audit checkpoints`);
    return key;
  }

  /**
   * Seals the heads that moved since the last seal; returns how many (0 writes nothing). Seals run one
   * at a time, so the shutdown seal never interleaves with a scheduled one.
   */
  seal(db: Queryable, at: Date): Promise<number> {
    const run = this.queue.then(() => this.sealNow(db, at));
    this.queue = run.catch(() => {});
    return run;
  }

  private async sealNow(db: Queryable, at: Date): Promise<number> {
    const key = this.signingKey();
    this.sealed ??= new Map(this.readAll().lines.flatMap(({ checkpoint }) => checkpoint?.chains.map(([c, s]) => [c, s] as const) ?? []));
    const heads = await db.query<{ chain: string; last_seq: number; last_hash: string }>('SELECT chain, last_seq, last_hash FROM audit_chain ORDER BY chain');
    const moved: SealedHead[] = heads
      .filter((h) => Number(h.last_seq) > 0 && this.sealed!.get(h.chain) !== Number(h.last_seq))
      .map((h) => [h.chain, Number(h.last_seq), h.last_hash]);
    if (moved.length === 0) return 0;
    const checkpoint: Checkpoint = { v: 1, at: at.toISOString(), key: key.id, chains: moved };
    const sig = sign(null, signedBytes(checkpoint), key.privateKey!).toString('base64');
    mkdirSync(this.dir, { recursive: true });
    // one file per day keeps files small enough to copy off the box as they close
    const fd = openSync(join(this.dir, `checkpoints-${checkpoint.at.slice(0, 10)}.jsonl`), 'a');
    try {
      writeSync(fd, JSON.stringify({ ...checkpoint, sig }) + '\n');
      fsyncSync(fd); // a checkpoint that a crash can lose protects nothing
    } finally {
      closeSync(fd);
    }
    for (const [chain, seq] of moved) this.sealed.set(chain, seq);
    return moved.length;
  }

  /** Every line of every checkpoint file, oldest file first, parsed (checkpoint null when the line is not one). */
  private readAll() {
    const files = existsSync(this.dir) ? readdirSync(this.dir).filter((f) => FILE_PATTERN.test(f)).sort() : [];
    const lines: { file: string; line: number; checkpoint: Checkpoint | null; sig: string }[] = [];
    for (const file of files) {
      readFileSync(join(this.dir, file), 'utf8').split('\n').forEach((text, i) => {
        if (!text.trim()) return;
        lines.push({ file, line: i + 1, ...parseLine(text) });
      });
    }
    return { files, lines };
  }

  /** Checks every checkpoint line, then each chain's last sealed entry against the database. */
  async verify(db: Queryable): Promise<CheckpointReport> {
    const report: CheckpointReport = { checkpoints: 0, broken: [], badCheckpoints: [] };
    const { lines } = this.readAll();
    if (lines.length === 0) return report;
    if (!existsSync(this.keyFile)) {
      report.badCheckpoints.push({ file: this.keyFile, line: 0, problem: 'the key that signed the checkpoints is missing' });
      return report;
    }
    const key = readKey(this.keyFile);
    const latest = new Map<string, { seq: number; hash: string }>();
    for (const { file, line, checkpoint, sig } of lines) {
      const problem = !checkpoint
        ? 'not a checkpoint line'
        : checkpoint.key !== key.id
          ? `signed by another key (${checkpoint.key})`
          : !verify(null, signedBytes(checkpoint), key.publicKey, Buffer.from(sig, 'base64'))
            ? 'signature does not match'
            : null;
      if (problem) {
        report.badCheckpoints.push({ file, line, problem });
        continue;
      }
      report.checkpoints++;
      for (const [chain, seq, hash] of checkpoint!.chains) {
        if (seq >= (latest.get(chain)?.seq ?? 0)) latest.set(chain, { seq, hash });
      }
    }
    // looked up by (chain, seq) in audit_entry itself: a rewritten audit_chain row cannot hide a cut
    for (const [chain, sealed] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
      const [row] = await db.query<{ hash: string }>('SELECT hash FROM audit_entry WHERE chain = $1 AND seq = $2', [chain, sealed.seq]);
      if (!row) report.broken.push({ chain, seq: sealed.seq, problem: 'entry sealed in a checkpoint is missing (chain cut)' });
      else if (row.hash !== sealed.hash) report.broken.push({ chain, seq: sealed.seq, problem: 'entry differs from the one sealed in a checkpoint' });
    }
    return report;
  }
}

function parseLine(text: string): { checkpoint: Checkpoint | null; sig: string } {
  try {
    const o = JSON.parse(text);
    const ok =
      o?.v === 1 && typeof o.at === 'string' && typeof o.key === 'string' && typeof o.sig === 'string' && Array.isArray(o.chains) &&
      o.chains.every((c: unknown) => Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && Number.isSafeInteger(c[1]) && typeof c[2] === 'string');
    return ok ? { checkpoint: { v: 1, at: o.at, key: o.key, chains: o.chains }, sig: o.sig } : { checkpoint: null, sig: '' };
  } catch {
    return { checkpoint: null, sig: '' };
  }
}

export type TrailReport = VerifyReport & { checkpoints: number; badCheckpoints: CheckpointProblem[] };

/** The whole SEC-2 check, as `audit-verify` and GET /api/audit/verify run it: the hash chains, then the checkpoints. */
export async function verifyAuditTrail(db: Db, checkpoints: AuditCheckpoints): Promise<TrailReport> {
  const chains = await verifyAuditChains(db);
  const sealed = await checkpoints.verify(db);
  return { ...chains, broken: [...chains.broken, ...sealed.broken], checkpoints: sealed.checkpoints, badCheckpoints: sealed.badCheckpoints };
}
