/** ID-3 in the browser: a supervisor finds a possible duplicate on the worklist and merges it with a note. */
import assert from 'node:assert/strict';
import { maskCitizenId } from '../src/domain/citizen-id.js';
import { importLegacyCertificates } from '../src/modules/certificates/legacy-import.js';
import { legacyHolder, legacyName, ok, XIHU_VILLAGE } from './fixtures.js';
import { login } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, server, settle } from './browser.js';

e2e('ID-3 e2e: a supervisor resolves a possible duplicate from the worklist with a note (none given: nothing sent), and axe finds nothing serious', async (t) => {
  const { h } = await server();
  const holder = await legacyHolder(h, '2020-05-01', false);
  // the county's old system also holds the person's earlier, expired certificate
  const csv = `身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码\n${holder.idNumber},${legacyName(holder.idNumber)},1-3,2008-03-01,2018-03-01,是,${XIHU_VILLAGE}\n`;
  const loaded = await importLegacyCertificates(h.ctx, { fileName: 'old.csv', bytes: Buffer.from(csv), countyCode: '330106', operator: 'test' });
  assert.ok(loaded.ok && loaded.duplicates === 1, JSON.stringify(loaded));
  const masked = maskCitizenId(holder.idNumber);

  const page = await newPage('hangzhou.supervisor');
  closeAfter(t, page);
  const section = page.getByRole('region', { name: '疑似重复人员' });
  const button = section.getByRole('button', { name: `核实处理：${masked}` });
  await button.waitFor();
  await settle(page);
  await screenshot(page, 'page-worklist-duplicates');
  await axeCheck(page, 'worklist with duplicate candidates');

  await button.click();
  const dialog = page.getByRole('dialog', { name: `核实处理：${masked}` });
  await dialog.getByRole('radio', { name: '同一人，将导入的证并入此人档案' }).check();
  let sent = 0;
  page.on('request', (r) => void (r.url().includes('/api/duplicate-candidates/') && r.method() === 'POST' && sent++));
  await dialog.getByRole('button', { name: named('保存') }).click();
  await dialog.getByText('请填写核实情况').waitFor();
  assert.equal(sent, 0, 'no note: nothing was sent');
  await dialog.getByLabel('核实情况').fill('核对户口簿，系同一人');
  await axeCheck(page, 'duplicate resolution dialog');
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/duplicate-candidates\/[^/]+\/resolve$/.test(r.url()));
  await dialog.getByRole('button', { name: named('保存') }).click();
  assert.equal((await answer).status(), 200);
  await dialog.waitFor({ state: 'detached' });
  await button.waitFor({ state: 'detached' });

  const file = await ok((await login(h, 'xihu.clerk')).get(`/api/persons/${holder.personId}`));
  assert.deepEqual(file.certificates.map((c: any) => c.state), ['active', 'expired']);
});
