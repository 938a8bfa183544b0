/** HOME-5 in the browser: a county desk reads and submits its month, the city supervisor follows the counties and exports them. */
import assert from 'node:assert/strict';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, scrollsSideways, settle } from './browser.js';

const thisMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

e2e('HOME-5 e2e: a county submits its monthly home-assessment report; the supervisor sees it submitted, exports it, and the page reflows at 200 %', async (t) => {
  const month = thisMonth();
  const clerk = await newPage('xihu.clerk');
  const supervisor = await newPage('hangzhou.supervisor');
  const zoomed = await newPage('hangzhou.supervisor', { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  closeAfter(t, clerk, supervisor, zoomed);

  await t.test('the county desk reaches the report from the main navigation and sees its figures', async () => {
    await clerk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '上门评定月报' }).click();
    await clerk.getByRole('heading', { level: 1, name: '上门评定月报' }).waitFor();
    // the month reads in Chinese (2026年12月), not as the browser's native month box
    assert.equal(await clerk.getByLabel('统计月份').inputValue(), `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`, 'this month is shown first');
    await clerk.getByRole('heading', { level: 2, name: '西湖区' }).waitFor();
    for (const caption of ['各级审核（同意/不同意）', '走访情况（按方式和结果）']) await clerk.locator('caption', { hasText: caption }).waitFor();
    await clerk.getByText('未报送', { exact: true }).waitFor();
    await settle(clerk);
    await screenshot(clerk, 'page-home-report-county');
    await axeCheck(clerk, 'home report (county)');
  });

  await t.test('the county submits after confirming, and the page says so', async () => {
    await clerk.getByRole('button', { name: named('报送本月报表') }).click();
    const confirm = clerk.locator('.ant-popconfirm');
    await confirm.getByText('不能再次报送').waitFor();
    await axeCheck(clerk, 'home report (confirm submission)');
    const answer = clerk.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/home-reports/'));
    await confirm.getByRole('button', { name: named('报送本月报表') }).click();
    assert.equal((await answer).status(), 201);
    await clerk.getByText(/^已报送（西湖区办证员 王丽，/).waitFor();
    assert.equal(await clerk.getByRole('button', { name: named('报送本月报表') }).count(), 0, 'no second submission is offered');
  });

  await t.test('the supervisor sees each county with its status as text, and the total', async () => {
    await supervisor.goto('/home-report');
    await supervisor.getByRole('heading', { level: 2, name: '各县（区）报送情况' }).waitFor();
    const counties = supervisor.locator('table', { has: supervisor.locator('caption', { hasText: /个县（区），已报送/ }) });
    const xihu = counties.getByRole('row').filter({ hasText: '西湖区' });
    await xihu.getByText(/^已报送（/).waitFor();
    await counties.getByText(/^合计（\d+个县区）$/).waitFor();
    await settle(supervisor);
    await screenshot(supervisor, 'page-home-report-supervisor');
    await axeCheck(supervisor, 'home report (supervisor)');
    await supervisor.getByLabel('显示哪一级的明细').click();
    await supervisor.locator('.ant-select-item-option', { hasText: /^西湖区$/ }).click();
    await supervisor.locator('caption', { hasText: '达到残疾标准的人数' }).waitFor();
  });

  await t.test('the export downloads a workbook named after the month', async () => {
    const download = supervisor.waitForEvent('download');
    await supervisor.getByRole('link', { name: named('导出 Excel') }).click();
    assert.equal((await download).suggestedFilename(), `上门评定月报-${month}.xlsx`);
  });

  await t.test('at 200 % zoom the page does not scroll sideways (WCAG 1.4.10)', async () => {
    await zoomed.goto('/home-report');
    await zoomed.getByRole('heading', { level: 2, name: '各县（区）报送情况' }).waitFor();
    await settle(zoomed);
    await screenshot(zoomed, 'reflow-home-report-zoom200');
    assert.ok(!(await scrollsSideways(zoomed)), 'the wide tables scroll inside themselves, not the page');
  });
});
