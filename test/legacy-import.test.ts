/**
 * Issue 5 item 8: `npm run cli -- import-certificates FILE.csv --county CODE` loads a county's existing
 * certificate holders, all or nothing, and a re-run skips what is already there. Run as a user runs it;
 * what it loaded is then checked through the API.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkDigit } from '../src/domain/citizen-id.js';
import { appOn, cli, cliDatabase } from './cli.js';
import { ok } from './fixtures.js';
import { login } from './harness.js';

const HEADER = '身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码,电话,地址';
const id = (first17: string) => first17 + checkDigit(first17);
const { dir, env } = cliDatabase(after);
let seeded: Promise<void> | null = null;

/**
 * Writes a file — lines under the header, or bytes as they are — and imports it (into 西湖区 unless
 * told otherwise) on the demo database, seeded by the first import.
 */
async function importFile(name: string, content: string[] | Buffer, county = '330106') {
  await (seeded ??= cli(['seed-demo'], env).then((r) => assert.equal(r.code, 0, r.out)));
  const file = join(dir, name);
  writeFileSync(file, Array.isArray(content) ? [HEADER, ...content].join('\r\n') + '\r\n' : content);
  return cli(['import-certificates', file, '--county', county], env);
}

/** Opens the service on the CLI's database, runs fn, closes it again (the next command needs the database). */
async function throughApi<T>(fn: (app: Awaited<ReturnType<typeof appOn>>) => Promise<T>): Promise<T> {
  const service = await appOn(env);
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

test('LEGACY CARD-2 ID-1 ORG-3 SEC-1 SEC-2 a county’s holders load from CSV — active or expired, findable by ID in the county only — and a re-run skips them', async () => {
  const active = id('33010619580412003');
  const old15 = '330106490101001'; // a legacy 15-digit ID: 林桂兰, born 1949
  const multiple = id('33010619760923004');
  const lines = [
    `${active},周建国,4-2,2019-06-18,2029-06-18,否,330106002052,13805710001,"北山街道宝石社区保俶路12号, 3单元201"`,
    `${old15},林桂兰,2-1,2013-11-05,2023-11-05,是,330106005,,`,
    `${multiple},陈秀英,1-3；4-2,2020/3/2,2030/3/2,否,330106004`,
  ];
  const first = await importFile('xihu.csv', lines);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /imported 3 certificates \(2 active, 1 expired, 1 visually assessed; 3 new persons\), skipped 0 already on file/);
  assert.match(first.out, /导入3张残疾人证（有效2张、过期1张、目测1张，新建人员3人），跳过已有0张/);

  const again = await importFile('xihu.csv', lines);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /imported 0 certificates .*skipped 3 already on file/);

  await throughApi(async ({ app, db }) => {
    const clerk = await login({ app }, 'xihu.clerk');
    const [found] = (await ok(clerk.get(`/api/persons?idNumber=${active}`))).items;
    assert.equal(found.nameMasked, '周**');
    const file = await ok(clerk.get(`/api/persons/${found.id}`));
    assert.equal(file.certificates.length, 1, 'the re-run added nothing');
    assert.deepEqual(
      { ...file.certificates[0], id: undefined, history: file.certificates[0].history.map((h: any) => ({ ...h, at: undefined })) },
      {
        id: undefined, numberMasked: `330***********${active.slice(14)}42`, cardNo: 1, replacedBy: null, category: 4, level: 2, disabilities: [{ category: 4, level: 2 }],
        state: 'active', validFrom: '2019-06-18', validUntil: '2029-06-18', visualAssessment: false, source: 'legacy',
        history: [{ from: null, to: 'active', at: undefined, reason: 'legacy_import', caseId: null }],
      },
    );
    const full = await ok(clerk.post(`/api/persons/${found.id}/reveal`, { purpose: '核对存量数据' }));
    assert.deepEqual([full.name, full.phone, full.address, full.hukouCode, full.residenceCode], ['周建国', '13805710001', '北山街道宝石社区保俶路12号, 3单元201', '330106002052', '330106002052']);

    // the 15-digit ID was stored in its 18-digit form; pre-2018 and expired
    const [lin] = (await ok(clerk.get(`/api/persons?idNumber=${old15}`))).items;
    const linFile = await ok(clerk.get(`/api/persons/${lin.id}`));
    assert.equal(linFile.idNumberMasked, `330***********${id('33010619490101001').slice(14)}`);
    assert.deepEqual([linFile.certificates[0].state, linFile.certificates[0].visualAssessment], ['expired', true]);
    assert.deepEqual(linFile.certificates[0].history.map((h: any) => [h.from, h.to, h.reason]), [[null, 'expired', 'legacy_import']]);
    const [chen] = (await ok(clerk.get(`/api/persons?idNumber=${multiple}`))).items;
    const chenCert = (await ok(clerk.get(`/api/persons/${chen.id}`))).certificates[0];
    assert.deepEqual([chenCert.category, chenCert.level, chenCert.validFrom], [7, 2, '2020-03-02']);

    // another county's clerk cannot tell the person exists (ORG-3)
    assert.deepEqual((await ok((await login({ app }, 'jinshui.clerk')).get(`/api/persons?idNumber=${active}`))).items, []);

    // nothing personal in clear text; one audit entry per run, on the county federation's chain
    const persons = await db.query('SELECT row_to_json(p)::text AS j FROM person p');
    for (const secret of [active, '周建国', '13805710001', '保俶路']) assert.ok(!persons.some((r) => r.j.includes(secret)), `person holds "${secret}"`);
    const audit = await db.query(
      `SELECT a.actor, a.detail, o.division_code FROM audit_entry a JOIN org_unit o ON o.id::text = a.chain WHERE a.action = 'certificate.legacy_import' ORDER BY a.seq`,
    );
    assert.deepEqual(audit.map((a) => [a.actor, a.division_code, a.detail.file, a.detail.imported, a.detail.skipped]), [['system', '330106', 'xihu.csv', 3, 0], ['system', '330106', 'xihu.csv', 0, 3]]);
    assert.match(audit[0].detail.sha256, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(audit).includes(active));
  });
  const verified = await cli(['audit-verify'], env);
  assert.equal(verified.code, 0, verified.out);
});

test('LEGACY CARD-2 a file with bad rows loads nothing and names every bad line with a bilingual reason', async () => {
  const holder = id('33010619650312005');
  const base = await importFile('base.csv', [`${holder},郑大勇,4-3,2018-03-01,2028-03-01,否,330106002052`]);
  assert.equal(base.code, 0, base.out);

  const good = id('33010619801010007');
  const bad = await importFile('bad.csv', [
    `${good},吴小燕,4-2,2019-01-01,2029-01-01,否,330106002051`, // line 2: fine on its own
    `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'},钱一,4-2,2019-01-01,2029-01-01,否,330106002051`, // 3: check digit
    `${id('33010619801010015')},孙二,4-2,2019-01-01,2029-01-01,否,330102001`, // 4: 上城区, not 西湖区
    `${id('33010619801010023')},李三,4-2,2019-01-01,2029-01-01,否,330106999999`, // 5: no such village
    `${good},吴小燕,1-2,2019-01-01,2029-01-01,否,330106002051`, // 6: same person as line 2
    `${holder},郑大勇,1-2,2021-03-01,2031-03-01,否,330106002052`, // 7: already holds a valid certificate
    `${id('33010619801010031')},周四,4-2,2019-01-01,2029-01-01,是,330106002051,12345`, // 8: visual after 2018, bad phone
  ]);
  assert.equal(bad.code, 1, bad.out);
  for (const line of [3, 4, 5, 6, 7, 8]) {
    assert.match(bad.out, new RegExp(`^第${line}行【`, 'm'), `line ${line} reported in Chinese`);
    assert.match(bad.out, new RegExp(`^  line ${line} \\[`, 'm'), `line ${line} reported in English`);
  }
  assert.doesNotMatch(bad.out, /第2行【/);
  assert.match(bad.out, /第3行【身份证号码】身份证号码最后一位（校验码）/);
  assert.match(bad.out, /line 4 \[hukou division code\] The hukou division "330102001" is not in 西湖区/);
  assert.match(bad.out, /第5行【户籍地区划代码】户籍地区划代码“330106999999”不存在/);
  assert.match(bad.out, /line 6 \[ID number\] Same ID number as line 2/);
  assert.match(bad.out, /第7行【身份证号码】此人已持有另一张状态为“有效”的残疾人证（330\*{11}\d{3}[\dX]43）/);
  assert.match(bad.out, /第8行【目测】.*\n.*\n第8行【电话】/);
  assert.match(bad.out, /6行有问题（共7行），未导入任何数据/);
  assert.match(bad.out, /6 of 7 rows have problems; nothing was imported/);
  assert.ok(!bad.out.includes(holder), 'the report masks ID numbers from the database');

  await throughApi(async ({ app }) => {
    const clerk = await login({ app }, 'xihu.clerk');
    assert.deepEqual((await ok(clerk.get(`/api/persons?idNumber=${good}`))).items, [], 'the good row was not loaded either');
    const [zheng] = (await ok(clerk.get(`/api/persons?idNumber=${holder}`))).items;
    assert.equal((await ok(clerk.get(`/api/persons/${zheng.id}`))).certificates.length, 1);
  });
});

test('LEGACY the county must be a county with a federation; a file saved in GBK by a Chinese spreadsheet keeps its names', async () => {
  const person = id('33010619900101009');
  const row = `${person},林小,4-2,2019-01-01,2029-01-01,否,330102001`;
  const noFederation = await importFile('shangcheng.csv', [row], '330102');
  assert.equal(noFederation.code, 1);
  assert.match(noFederation.out, /上城区（330102）还没有县级残联机构/);
  assert.match(noFederation.out, /has no county federation yet/);
  assert.match((await importFile('city.csv', [row], '3301')).out, /“3301”不是县级区划代码[\s\S]*not a county division code/);
  const usage = await cli(['import-certificates', join(dir, 'city.csv')], env);
  assert.equal(usage.code, 2);
  assert.match(usage.out, /usage: npm run cli -- import-certificates FILE\.csv\|FILE\.xlsx --county CODE/);
  const missing = await cli(['import-certificates', join(dir, 'nope.csv'), '--county', '330106'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /找不到文件 .*nope\.csv\nNo such file/);

  // 张三 in GB18030 (GBK), as Excel on Chinese Windows saves "CSV"; no header line this time
  const gbk = Buffer.concat([Buffer.from(`${person},`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',4-2,2019-01-01,2029-01-01,0,330106002052\n')]);
  const loaded = await importFile('gbk.csv', gbk);
  assert.equal(loaded.code, 0, loaded.out);
  await throughApi(async ({ app }) => {
    const clerk = await login({ app }, 'xihu.clerk');
    const [found] = (await ok(clerk.get(`/api/persons?idNumber=${person}`))).items;
    assert.equal((await ok(clerk.post(`/api/persons/${found.id}/reveal`, { purpose: '核对存量数据' }))).name, '张三');
  });
});

test('LEGACY ID-3 a holder already on file, even under the old 15-digit number, is held for a supervisor, and the run says so', async () => {
  const holder = id('33010619550505002');
  const base = await importFile('base-xihu.csv', [`${holder},冯国强,4-2,2019-06-18,2029-06-18,否,330106002052`]);
  assert.equal(base.code, 0, base.out);
  // 金水区's old system knows him by his pre-1999 number
  const held = await importFile('jinshui.csv', [`330106550505002,冯国强,2-3,2015-03-01,2025-03-01,否,410105001003`], '410105');
  assert.equal(held.code, 0, held.out);
  assert.match(held.out, /imported 0 certificates \(0 active, 0 expired, 0 visually assessed; 0 new persons\), skipped 0 already on file/);
  assert.match(held.out, /^1行的持证人已在系统中登记，未导入，已列入“疑似重复人员”名单，由督导核实处理$/m);
  assert.match(held.out, /^1 rows are for persons already on file: not loaded, but put on the duplicate-candidates list for a supervisor to resolve$/m);
  await throughApi(async ({ app }) => {
    const list = await ok((await login({ app }, 'zhengzhou.supervisor')).get('/api/duplicate-candidates'));
    assert.deepEqual(list.items.map((c: any) => [c.source, c.incoming.idNumberMasked, c.onFile.idNumberMasked]), [['jinshui.csv:2', `330***********${holder.slice(14)}`, `330***********${holder.slice(14)}`]]);
  });
});
