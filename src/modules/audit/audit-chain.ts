/**
 * SEC-2: the audit trail. Each chain (one per org unit, so counties never queue behind each other)
 * is a sequence where every entry stores the hash of the one before it; `verifyAuditChains`
 * recomputes them all and reports the first broken link per chain. Rows are insert-only (a trigger
 * refuses UPDATE and DELETE), and a change made around the trigger breaks the hashes.
 */
import { sha256Hex } from '../../platform/crypto.js';
import type { Db, Queryable } from '../../platform/db.js';

export type AuditInput = {
  chain: string;
  actor: string; // 'staff:<uuid>' | 'applicant:<uuid>' | 'system'
  action: string;
  objectType: string;
  objectId: string;
  detail: Record<string, unknown>;
  at: Date;
};

const GENESIS = '0'.repeat(64);

type HashedFields = Omit<AuditInput, 'at'> & { at: string };

function entryHash(prev: string, seq: number, e: HashedFields) {
  // Key order is fixed here so the hash does not depend on how JSON columns come back from the driver.
  return sha256Hex(
    JSON.stringify([prev, e.chain, seq, e.at, e.actor, e.action, e.objectType, e.objectId, canonical(e.detail)]),
  );
}

/** JSON with sorted keys: jsonb does not keep key order, so hashing must not depend on it. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as any)[k])]));
  }
  return v;
}

/** Appends one entry inside the caller's transaction; locks only this chain's head row. */
export async function appendAudit(q: Queryable, e: AuditInput): Promise<void> {
  await q.query(
    `INSERT INTO audit_chain (chain, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING`,
    [e.chain, GENESIS],
  );
  const [head] = await q.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_chain WHERE chain = $1 FOR UPDATE',
    [e.chain],
  );
  const seq = Number(head.last_seq) + 1;
  const at = e.at.toISOString();
  const hash = entryHash(head.last_hash, seq, { ...e, at });
  await q.query(
    `INSERT INTO audit_entry (chain, seq, at, actor, action, object_type, object_id, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [e.chain, seq, at, e.actor, e.action, e.objectType, e.objectId, JSON.stringify(e.detail), head.last_hash, hash],
  );
  await q.query('UPDATE audit_chain SET last_seq = $2, last_hash = $3 WHERE chain = $1', [e.chain, seq, hash]);
}

export type VerifyReport = { chains: number; entries: number; broken: { chain: string; seq: number; problem: string }[] };

/** Walks every chain in order, in pages, so a national audit table never has to fit in memory. */
export async function verifyAuditChains(db: Db): Promise<VerifyReport> {
  const report: VerifyReport = { chains: 0, entries: 0, broken: [] };
  const chains = await db.query<{ chain: string; last_seq: number; last_hash: string }>(
    'SELECT chain, last_seq, last_hash FROM audit_chain ORDER BY chain',
  );
  for (const c of chains) {
    report.chains++;
    let prev = GENESIS;
    let expectSeq = 1;
    let problem: { seq: number; problem: string } | null = null;
    for (let after = 0; !problem; ) {
      const rows = await db.query(
        `SELECT seq, at, actor, action, object_type, object_id, detail, prev_hash, hash
         FROM audit_entry WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
        [c.chain, after],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        report.entries++;
        const seq = Number(r.seq);
        const at = new Date(r.at).toISOString();
        const recomputed = entryHash(prev, seq, { chain: c.chain, at, actor: r.actor, action: r.action, objectType: r.object_type, objectId: r.object_id, detail: r.detail });
        if (seq !== expectSeq) problem = { seq, problem: `missing entry ${expectSeq}` };
        else if (r.prev_hash !== prev) problem = { seq, problem: 'link to previous entry broken' };
        else if (r.hash !== recomputed) problem = { seq, problem: 'entry content altered' };
        if (problem) break;
        prev = r.hash;
        expectSeq++;
        after = seq;
      }
    }
    if (!problem && (expectSeq - 1 !== Number(c.last_seq) || prev !== c.last_hash)) {
      problem = { seq: expectSeq, problem: 'entries missing at the end of the chain' };
    }
    if (problem) report.broken.push({ chain: c.chain, ...problem });
  }
  return report;
}
