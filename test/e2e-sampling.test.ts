/** ASMT-3 in the browser: a supervisor draws a sample of assessments, records a finding, reads the doctor statistics. */
import assert from 'node:assert/strict';
import { login } from './harness.js';
import { ok, toResultReview } from './fixtures.js';
import { axeCheck, closeAfter, e2e, named, newPage, pickOption, screenshot, scrollsSideways, server, settle } from './browser.js';

e2e('ASMT-3 e2e: a supervisor draws a seeded sample, records a finding on an item, and axe finds nothing serious', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  for (let i = 0; i < 2; i++) await toResultReview(h, clerk, doctor);
  const today = h.clock.today();
  const page = await newPage('hangzhou.supervisor');
  closeAfter(t, page);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '抽查' }).click();
  await page.getByRole('heading', { level: 1, name: '评定与发证抽查' }).waitFor();
  await settle(page);
  await axeCheck(page, 'sampling page');

  const draw = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: '抽取样本' }) });
  await draw.getByLabel('期间开始').fill(today);
  await draw.getByLabel('期间开始').press('Enter'); // the date picker takes a typed date on Enter
  await draw.getByLabel('期间结束').fill(today);
  await draw.getByLabel('期间结束').press('Enter'); // the date picker takes a typed date on Enter
  await pickOption(page, draw.getByRole('combobox', { name: '评定医生（可选）' }), /^评定医生 周明（西湖）/, '周明');
  await draw.getByLabel('抽取数量').fill('2');
  await draw.getByLabel('随机种子（可选）').fill('e2e-抽查');
  const drawn = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/samples'));
  await draw.getByRole('button', { name: named('抽取') }).click();
  const res = await drawn;
  assert.equal(res.status(), 201, await res.text());
  const sample = await res.json();
  assert.equal(sample.items.length, 2);

  const detail = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: `样本 ${sample.sampleNo}` }) });
  await detail.waitFor();
  const items = detail.getByRole('table', { name: `样本 ${sample.sampleNo} 的抽查项` });
  await items.getByText(sample.items[0].caseNo).waitFor();
  await detail.getByText('e2e-抽查').waitFor();

  await detail.getByRole('button', { name: '记录第 1 项的核查结论' }).click();
  const dialog = page.getByRole('dialog', { name: /第 1 项核查结论/ });
  await dialog.waitFor();
  await dialog.getByText(/只记录处理决定/).waitFor();
  await pickOption(page, dialog.getByRole('combobox', { name: '核查结论' }), '等级不当');
  await pickOption(page, dialog.getByRole('combobox', { name: '后续处理' }), '责令重新评定');
  await dialog.getByLabel('说明').fill('复核肢体功能，等级应为三级');
  await settle(page);
  await screenshot(page, 'page-sampling-finding');
  await axeCheck(page, 'finding dialog');
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && /\/api\/samples\/[^/]+\/items\/1$/.test(r.url()));
  await dialog.getByRole('button', { name: named('保存') }).click();
  assert.equal((await saved).status(), 200);
  await dialog.waitFor({ state: 'detached' });
  const row = items.getByRole('row').filter({ hasText: sample.items[0].caseNo });
  await row.getByText('等级不当').waitFor();
  await row.getByText('责令重新评定').waitFor();

  await page.getByRole('table', { name: /各评定医生的等级分布与不一致率/ }).getByText('评定医生 周明（西湖）').waitFor();
  await settle(page);
  await screenshot(page, 'page-sampling');
  await axeCheck(page, 'sampling page with a sample');
  // WCAG 1.4.10: at 200% zoom (half the width) the page reflows; only the wide tables scroll inside themselves
  await page.setViewportSize({ width: 640, height: 900 });
  await settle(page);
  assert.equal(await scrollsSideways(page), false, 'the page does not scroll sideways at 200% zoom');
  await screenshot(page, 'page-sampling-zoom');

  const stored = await ok((await login(h, 'hangzhou.supervisor')).get(`/api/samples/${sample.id}`));
  assert.equal(stored.items[0].finding, 'wrong_level');
  assert.equal(stored.items[0].followUp, 'reassessment_ordered');
  assert.equal(stored.reviewed, 1);
});
