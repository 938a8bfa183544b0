/** SEC-2 through the command line: sealing the chain heads, verifying the checkpoints, and the role setup. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkDigit } from '../src/domain/citizen-id.js';
import { cli, cliDatabase } from './cli.js';

test('SEC-2 audit-seal writes a signed checkpoint outside the database and audit-verify checks it, failing on an edited line', async (t) => {
  const { dir, env } = cliDatabase((fn) => t.after(fn));
  const seeded = await cli(['seed-demo'], env);
  assert.equal(seeded.code, 0, seeded.out);
  // a hukou-move import is one audit entry on the system chain: something to seal
  const moves = join(dir, 'moves.csv');
  writeFileSync(moves, `身份证号码,迁出地区划代码,迁入地区划代码,迁移日期\r\n${'41010519800101001' + checkDigit('41010519800101001')},410105,330106,2025-06-01\r\n`);
  const imported = await cli(['import-hukou-moves', moves], env);
  assert.equal(imported.code, 0, imported.out);
  const sealed = await cli(['audit-seal'], env);
  assert.equal(sealed.code, 0, sealed.out);
  assert.match(sealed.out, /sealed 1 audit chain heads/);

  const verified = await cli(['audit-verify'], env);
  assert.equal(verified.code, 0, verified.out);
  assert.match(verified.out, /signed checkpoints: 1\n/);
  assert.match(verified.out, /audit trail: intact/);

  const [name] = readdirSync(join(dir, 'audit-checkpoints'));
  const file = join(dir, 'audit-checkpoints', name);
  const line = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...line, at: '2020-01-01T00:00:00.000Z' }) + '\n');
  const tampered = await cli(['audit-verify'], env);
  assert.equal(tampered.code, 1, tampered.out);
  assert.match(tampered.out, new RegExp(`BAD CHECKPOINT ${name.replaceAll('.', '\\.')}:1: signature does not match`));
  assert.match(tampered.out, /audit trail: TAMPERED/);
});

test('SEC-2 db-roles asks for a role name, and on the embedded database explains that one role cannot be split', async (t) => {
  const { env } = cliDatabase((fn) => t.after(fn));
  const usage = await cli(['db-roles'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.out, /usage: npm run cli -- db-roles --service-role ROLE/);
  const run = await cli(['db-roles', '--service-role', 'tongban_test_service'], process.env.DATABASE_URL ? env : { ...env, DATABASE_URL: '' });
  if (process.env.DATABASE_URL) {
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /role tongban_test_service can log in/);
  } else {
    assert.equal(run.code, 2, run.out);
    assert.match(run.out, /The embedded database \(PGlite\) has a single role/);
  }
});
