/**
 * SEC-2 signed checkpoints: an attacker who can disable the triggers and rewrite `audit_chain` leaves
 * a chain that verifies on its own; the checkpoints sealed before the attack still show it. These
 * tests tamper on purpose, so they run on a database of their own (never the suite's shared one) and
 * each keeps its checkpoints and key in its own folder.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, test } from 'node:test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAudit, verifyAuditChains } from '../src/modules/audit/audit-chain.js';
import { AuditCheckpoints, verifyAuditTrail } from '../src/modules/audit/checkpoints.js';
import { loadConfig } from '../src/platform/config.js';
import { FieldCrypto, loadKeys } from '../src/platform/crypto.js';
import { dropSchema, openDb, openMemoryDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';

let db: Db;
let dropOwn = async () => {};
const folders: string[] = [];

before(async () => {
  const url = process.env.DATABASE_URL;
  const schema = url ? `ckpt_${Date.now()}_${process.pid}` : undefined;
  db = url ? await openDb({ ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), dbSchema: schema }) : await openMemoryDb();
  await migrate(db, new FieldCrypto(loadKeys(mkdtempSync(join(tmpdir(), 'ckpt-keys-')))));
  if (schema) dropOwn = () => dropSchema(url!, schema);
});
after(async () => {
  await db.close();
  await dropOwn();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** A fresh checkpoint folder and key file, and a chain of `n` entries that no other test touches. */
async function setup(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-ckpt-'));
  folders.push(dir);
  const checkpoints = new AuditCheckpoints(join(dir, 'checkpoints'), join(dir, 'keys', 'audit-signing-key.pem'));
  const chain = `test-chain-${Math.random().toString(36).slice(2)}`;
  for (let i = 1; i <= n; i++) await append(chain, i);
  return { dir, checkpoints, chain };
}

const append = (chain: string, i: number, action = 'test.step') =>
  db.tx((q) => appendAudit(q, { chain, actor: 'system', action, objectType: 'test', objectId: String(i), detail: { i }, at: new Date(Date.UTC(2026, 0, 1, 0, i)) }));

/** What someone with the owner's rights can do: go around the trigger, cut the chain back to `keep` entries, and make the head agree. */
async function cutChain(chain: string, keep: number) {
  const [prev] = await db.query('SELECT hash FROM audit_entry WHERE chain = $1 AND seq = $2', [chain, keep]);
  await db.tx(async (q) => {
    await q.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update');
    await q.query('DELETE FROM audit_entry WHERE chain = $1 AND seq > $2', [chain, keep]);
    await q.query('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update');
    await q.query('UPDATE audit_chain SET last_seq = $2, last_hash = $3 WHERE chain = $1', [chain, keep, prev.hash]);
  });
}

const chainBroken = async (chain: string) => (await verifyAuditChains(db)).broken.filter((b) => b.chain === chain);

test('SEC-2 a checkpoint is one signed line, in a file outside the database, sealing only the heads that moved', async () => {
  const { dir, checkpoints, chain } = await setup(3);
  const at = new Date('2026-03-04T05:06:07.000Z');
  const first = await checkpoints.seal(db, at);
  assert.equal(first, 1, 'the only chain in this database');
  assert.equal(await checkpoints.seal(db, at), 0, 'nothing moved, nothing written');
  await append(chain, 4);
  assert.equal(await checkpoints.seal(db, new Date('2026-03-04T05:16:07.000Z')), 1);

  assert.deepEqual(readdirSync(join(dir, 'checkpoints')), ['checkpoints-2026-03-04.jsonl']);
  const lines = readFileSync(join(dir, 'checkpoints', 'checkpoints-2026-03-04.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  const [head4] = await db.query('SELECT hash FROM audit_entry WHERE chain = $1 AND seq = 4', [chain]);
  assert.deepEqual(lines[1].chains, [[chain, 4, head4.hash]]);
  assert.equal(lines[1].at, '2026-03-04T05:16:07.000Z');
  assert.match(lines[1].sig, /^[A-Za-z0-9+/]{86}==$/, 'a 64-byte Ed25519 signature');
  assert.equal(statSync(join(dir, 'keys', 'audit-signing-key.pem')).mode & 0o777, 0o600);

  // growing past a checkpoint is what chains do
  await append(chain, 5);
  const report = await verifyAuditTrail(db, checkpoints);
  assert.deepEqual(report.broken, []);
  assert.deepEqual(report.badCheckpoints, []);
  assert.equal(report.checkpoints, 2);

  // an auditor's copy of the public key alone verifies the same lines
  const publicOnly = join(dir, 'auditor.pem');
  writeFileSync(publicOnly, createPublicKey(readFileSync(join(dir, 'keys', 'audit-signing-key.pem'))).export({ type: 'spki', format: 'pem' }));
  const audited = await verifyAuditTrail(db, new AuditCheckpoints(checkpoints.dir, publicOnly));
  assert.deepEqual([audited.checkpoints, audited.badCheckpoints, audited.broken], [2, [], []]);
});

test('SEC-2 a tail cut with the triggers disabled and the chain head rewritten to match is found by the checkpoint', async () => {
  const { checkpoints, chain } = await setup(5);
  await checkpoints.seal(db, new Date());
  await cutChain(chain, 3);
  assert.deepEqual(await chainBroken(chain), [], 'the chain alone no longer shows the cut');
  const report = await verifyAuditTrail(db, checkpoints);
  assert.deepEqual(report.broken, [{ chain, seq: 5, problem: 'entry sealed in a checkpoint is missing (chain cut)' }]);
  assert.deepEqual(report.badCheckpoints, []);
});

test('SEC-2 a rewritten head — the last entry replaced by a freshly hashed one — is found by the checkpoint', async () => {
  const { checkpoints, chain } = await setup(5);
  await checkpoints.seal(db, new Date());
  await cutChain(chain, 4);
  await append(chain, 5, 'test.forged');
  assert.deepEqual(await chainBroken(chain), [], 'the rewritten chain is consistent');
  const report = await verifyAuditTrail(db, checkpoints);
  assert.deepEqual(report.broken, [{ chain, seq: 5, problem: 'entry differs from the one sealed in a checkpoint' }]);
});

test('SEC-2 a checkpoint line that was edited or forged fails its signature check and is named', async () => {
  const { dir, checkpoints, chain } = await setup(5);
  await checkpoints.seal(db, new Date('2026-05-06T00:00:00Z'));
  const file = join(dir, 'checkpoints', 'checkpoints-2026-05-06.jsonl');
  const genuine = JSON.parse(readFileSync(file, 'utf8'));
  // the attacker cut the chain to 3 and tries to make the checkpoint agree, keeping the old signature
  await cutChain(chain, 3);
  const [h3] = await db.query('SELECT hash FROM audit_entry WHERE chain = $1 AND seq = 3', [chain]);
  const edited = { ...genuine, chains: genuine.chains.map((c: [string, number, string]) => (c[0] === chain ? [chain, 3, h3.hash] : c)) };
  writeFileSync(file, JSON.stringify(edited) + '\n' + 'not json\n');
  const report = await verifyAuditTrail(db, checkpoints);
  assert.deepEqual(report.badCheckpoints, [
    { file: 'checkpoints-2026-05-06.jsonl', line: 1, problem: 'signature does not match' },
    { file: 'checkpoints-2026-05-06.jsonl', line: 2, problem: 'not a checkpoint line' },
  ]);
  assert.equal(report.checkpoints, 0);
  assert.deepEqual(report.broken, [], 'an untrusted line vouches for nothing');
});

test('SEC-2 checkpoints signed with another key are not trusted', async () => {
  const { dir, checkpoints } = await setup(2);
  await checkpoints.seal(db, new Date('2026-05-07T00:00:00Z'));
  // the same folder checked with a different key file, as if the attacker had signed with a key of their own
  const other = new AuditCheckpoints(checkpoints.dir, join(dir, 'other-key.pem'));
  await other.seal(db, new Date('2026-05-07T00:10:00Z')); // makes the other key; nothing moved, so no line
  const report = await verifyAuditTrail(db, other);
  assert.equal(report.badCheckpoints.length, 1);
  assert.match(report.badCheckpoints[0].problem, /^signed by another key \([0-9a-f]{16}\)$/);
  assert.equal(report.checkpoints, 0);
  // and with no key at all, the checkpoints are not silently skipped
  const keyless = new AuditCheckpoints(checkpoints.dir, join(dir, 'missing.pem'));
  assert.deepEqual((await keyless.verify(db)).badCheckpoints, [{ file: join(dir, 'missing.pem'), line: 0, problem: 'the key that signed the checkpoints is missing' }]);
});
