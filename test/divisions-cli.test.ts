/** ORG-1 the division tree through the API and the CLI; the CLI's workflow diagram and audit verification. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliDatabase } from './cli.js';
import { Client, harness, login } from './harness.js';
import { ok } from './fixtures.js';

test('ORG-1 the tree is served lazily: children of a node, search by name with the full place name, never the whole tree', async () => {
  const h = await harness();
  const anon = new Client(h.app);
  const provinces = await ok(anon.get('/api/divisions/000000/children'));
  assert.equal(provinces.length, 31);
  assert.ok(provinces.some((p: any) => p.code === '33' && p.name === '浙江省' && p.hasChildren));
  const townships = await ok(anon.get('/api/divisions/330106/children'));
  assert.ok(townships.length >= 10 && townships.every((t: any) => t.level === 4));
  const hits = await ok(anon.get(`/api/divisions?q=${encodeURIComponent('西湖')}&limit=5`));
  assert.ok(hits.length <= 5);
  assert.ok(hits.some((d: any) => d.code === '330106' && d.fullName === '浙江省 杭州市 西湖区'));
  const scoped = await ok(anon.get(`/api/divisions?q=${encodeURIComponent('社区')}&under=410105`));
  assert.ok(scoped.length > 0 && scoped.every((d: any) => d.code.startsWith('410105')));
  assert.equal((await anon.get('/api/divisions/999999/children')).status, 404);
  assert.equal((await anon.get('/api/divisions/abc/children')).status, 422);
});

test('ORG-1 SEC-2 the CLI imports a division CSV (refusing a bad one whole), prints the workflow diagram and verifies the audit chain', async (t) => {
  const { dir, env } = cliDatabase((fn) => t.after(fn));
  const good = join(dir, 'jl.csv');
  writeFileSync(good, 'code,name\n22,"吉林省"\n2201,"长春市"\n220102,"南关区"\n220102001,"南岭街道"\n220102001001,"某社区"\n');
  const imported = await cli(['import-divisions', good], env);
  assert.equal(imported.code, 0, imported.out);
  assert.match(imported.out, /imported 5 divisions/);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'code,name\n22,"吉林省"\n2201x,"错误"\n220103,""\n');
  const refused = await cli(['import-divisions', bad], env);
  assert.equal(refused.code, 1);
  assert.match(refused.out, /line 3/);
  assert.match(refused.out, /line 4/);
  const orphan = join(dir, 'orphan.csv');
  writeFileSync(orphan, '990101,"无上级"\n');
  assert.match((await cli(['import-divisions', orphan], env)).out, /no parent/);

  const diagram = await cli(['workflow-diagram', 'new'], env);
  assert.match(diagram.out, /^stateDiagram-v2/);
  assert.match(diagram.out, /hukou_review --> rerouting/);

  const seeded = await cli(['seed-demo'], env);
  assert.equal(seeded.code, 0, seeded.out);
  const verified = await cli(['audit-verify'], env);
  assert.equal(verified.code, 0, verified.out);
  assert.match(verified.out, /intact/);
});

test('SLA-1 the workflow diagrams in docs/ are the ones the definitions draw (regenerate with npm run cli -- workflow-docs)', async () => {
  const { workflowDocs } = await import('../src/cli/workflow-docs.js');
  const { readFileSync } = await import('node:fs');
  for (const doc of workflowDocs()) {
    assert.equal(readFileSync(new URL(`../${doc.file}`, import.meta.url), 'utf8'), doc.text, `${doc.file} is out of date`);
  }
});

test('ORG-1 an admin imports a division CSV through the API; a bad file is refused whole with line numbers; others may not', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const csv = 'code,name\n22,"吉林省"\n2202,"吉林市"\n220202,"昌邑区"\n';
  const res = await admin.call('POST', '/api/admin/divisions/import', csv, { 'content-type': 'text/csv' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.imported, 3);
  assert.ok((await ok(admin.get('/api/divisions/2202/children'))).some((d: any) => d.code === '220202'));
  const bad = await admin.call('POST', '/api/admin/divisions/import', 'code,name\n22,"吉林省"\nABC,"x"\n', { 'content-type': 'text/csv' });
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.zh, /第3行/);
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.call('POST', '/api/admin/divisions/import', csv, { 'content-type': 'text/csv' })).status, 403);
});
