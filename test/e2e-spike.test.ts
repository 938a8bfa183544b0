import { e2e, newPage, screenshot, closeAfter, axeCheck } from './browser.js';
e2e('spike', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await screenshot(page, 'spike-worklist');
  await page.goto('/apply');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await screenshot(page, 'spike-apply');
  console.log(await page.getByRole('group').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 3000))));
  try { await axeCheck(page, 'apply'); } catch (e) { console.log(String(e)); }
});
