/**
 * Issue 15 item 18: the demo a newcomer gets from `npm start` has cases in every stage, one with its
 * publicity already over, so each walk of the README can be finished today. A database of its own
 * (the shared test service seeds no demo cases), driven through the API as the demo users.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildApp, createContext } from '../src/app.js';
import type { AppContext } from '../src/app-context.js';
import { seedDemoIfEmpty } from '../src/cli/seed-demo.js';
import { addCalendarDays } from '../src/domain/dates.js';
import { loadConfig } from '../src/platform/config.js';
import { dropSchema, openDb, openMemoryDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { ok, uploadScan } from './fixtures.js';
import { type Client, login } from './harness.js';

let app: Awaited<ReturnType<typeof buildApp>>;
let ctx: AppContext;
let db: Db;
const dataDir = mkdtempSync(join(tmpdir(), 'tongban-demo-'));
const base = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO_CASES: 'true' });
const schema = base.databaseUrl ? `demo_${Date.now()}_${process.pid}` : undefined;

before(async () => {
  const config = { ...base, dbSchema: schema };
  db = config.databaseUrl ? await openDb(config) : await openMemoryDb();
  ctx = createContext(db, config);
  await migrate(db, ctx.crypto);
  assert.equal(await seedDemoIfEmpty(ctx), true);
  app = await buildApp(ctx);
});
after(async () => {
  await app?.close();
  await db?.close();
  if (schema) await dropSchema(base.databaseUrl!, schema);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The demo case of that (exact) applicant name, as `who` finds it. */
async function find(who: Client, name: string) {
  const { items } = await ok(who.get(`/api/cases?q=${encodeURIComponent(name)}`));
  assert.equal(items.length, 1, `one case for ${name}`);
  return ok(who.get(`/api/cases/${items[0].id}`));
}

test('NEW-2…NEW-4 HOME-2 (issue 15.18) the demo seeds a NEW case in every stage, one with its publicity over, through the service (history and audit intact)', async () => {
  const as = (u: string) => login({ app }, u);
  const [xihu, jinshui, village] = [await as('xihu.clerk'), await as('jinshui.clerk'), await as('xihu.village')];
  const stages = [
    [xihu, '演示待补材料', 'submitted'],
    [xihu, '演示待评定', 'assessing'],
    [xihu, '演示结果待处理', 'result_review'],
    [jinshui, '演示公示期满', 'in_publicity'],
    [jinshui, '演示户籍地审核', 'hukou_review'],
    [xihu, '演示待制证', 'printing'],
    [village, '演示上门评定', 'home_township_review'],
  ] as const;
  for (const [who, name, state] of stages) assert.equal((await find(who, name)).state.code, state, name);
  // filed and publicised 14 days ago; the national profile's 7 days are over
  const { startsOn, endsOn } = (await find(jinshui, '演示公示期满')).data.publicity;
  assert.deepEqual([startsOn, endsOn], [addCalendarDays(ctx.clock.today(), -14), addCalendarDays(ctx.clock.today(), -7)]);
  const history = await ok(jinshui.get(`/api/cases/${(await find(jinshui, '演示公示期满')).id}/history`));
  assert.deepEqual(history.map((e: any) => e.action), ['apply', 'accept', 'record_assessment', 'start_publicity']);
  const audit = await ok((await as('admin')).get('/api/audit/verify'));
  assert.deepEqual(audit.broken, [], 'the back-dated steps keep every chain in order');
  // a restart finds the accounts and adds nothing
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM case_file');
  assert.equal(await seedDemoIfEmpty(ctx), false);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM case_file'), [{ n }]);
  assert.equal(n, stages.length);
});

test('NEW-2…NEW-4 HOME-2 (issue 15.18) each walk of the README can be finished today from its demo case', async () => {
  const as = (u: string) => login({ app }, u);
  const step = async (who: Client, name: string, action: string, input: Record<string, unknown> = {}) => {
    const c = await find(who, name);
    const res = await ok(who.act(c.id, action, input));
    return res.to as string;
  };
  const [xihu, doctor] = [await as('xihu.clerk'), await as('xihu.doctor')];
  const [jinshui, jinshuiApprover] = [await as('jinshui.clerk'), await as('jinshui.approver')];

  // tick the materials brought in, then accept
  const missing = (await find(xihu, '演示待补材料')).materials.missing.map((m: any) => m.code);
  assert.equal(await step(xihu, '演示待补材料', 'supplement_materials', { provided: missing }), 'submitted');
  assert.equal(await step(xihu, '演示待补材料', 'accept', { institutionId: (await find(xihu, '演示待评定')).institutionId }), 'assessing');
  // the doctor uploads the form's scan, then records the result
  await ok(uploadScan(doctor, (await find(doctor, '演示待评定')).id, 'assessment_form', '残疾评定表.png'), 201);
  const today = ctx.clock.today();
  assert.equal(await step(doctor, '演示待评定', 'record_assessment', { qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn: today }), 'result_review');
  // Zhejiang: no publicity, on to the hukou county
  assert.equal(await step(xihu, '演示结果待处理', 'forward_to_hukou'), 'hukou_review');
  // the publicity is over today: close it, and the hukou county approves with the photo box ticked
  assert.equal(await step(jinshui, '演示公示期满', 'finish_publicity'), 'hukou_review');
  assert.equal(await step(jinshuiApprover, '演示公示期满', 'approve', { photoOnFile: true }), 'printing');
  assert.equal(await step(jinshuiApprover, '演示户籍地审核', 'approve', { photoOnFile: true }), 'printing');
  // print, ship, deliver
  assert.equal(await step(xihu, '演示待制证', 'print'), 'shipping');
  assert.equal(await step(xihu, '演示待制证', 'ship', { method: 'hand', deliverer: '社区专职委员 郑伟' }), 'in_delivery');
  assert.equal(await step(xihu, '演示待制证', 'mark_delivered', { receivedBy: '本人' }), 'delivered');
  // the home assessment: township, then county agree; the clerk accepts
  assert.equal(await step(await as('xihu.township'), '演示上门评定', 'approve_home_township'), 'home_county_review');
  assert.equal(await step(xihu, '演示上门评定', 'approve_home_county'), 'submitted');
  assert.equal(await step(xihu, '演示上门评定', 'accept', { institutionId: (await find(xihu, '演示待评定')).institutionId }), 'awaiting_visit');
});
