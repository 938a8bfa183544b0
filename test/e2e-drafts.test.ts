/** Issue 15 item 13: form drafts hold personal data; on a shared desk PC the next person never sees them. */
import assert from 'node:assert/strict';
import { closeAfter, e2e, loginAs, newPage } from './browser.js';

const draftKeys = (page: import('playwright-core').Page) =>
  page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('tongban.draft.')));

e2e('SEC-1 e2e: a half-typed application survives a reload for its clerk, is wiped at logout, and is never shown to the next person at the desk', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.getByRole('link', { name: '窗口受理' }).click();
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  const applicant = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '申请人信息' }) });
  await applicant.getByLabel('姓名').fill('草稿张三');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  assert.equal(await applicant.getByLabel('姓名').inputValue(), '草稿张三', 'the clerk’s own draft comes back after a reload');
  assert.equal((await draftKeys(page)).length, 1);

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
  assert.deepEqual(await draftKeys(page), [], 'logging out wipes every draft of the tab');

  // the next clerk at the same desk, in the same tab, opens the same form: empty
  await loginAs(page, 'xihu.reviewer');
  await page.getByRole('link', { name: '窗口受理' }).click();
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  assert.equal(await applicant.getByLabel('姓名').inputValue(), '');

  // a draft left by another account (its session timed out, nobody logged out) is not shown either
  await applicant.getByLabel('姓名').fill('审核员草稿');
  await page.evaluate(() => {
    for (const k of Object.keys(sessionStorage)) {
      if (k.startsWith('tongban.draft.')) sessionStorage.setItem(k, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(k)!), owner: 'staff:someone-else' }));
    }
  });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  assert.equal(await applicant.getByLabel('姓名').inputValue(), '');
});

e2e('ACC-1 e2e: care mode belongs to the person who chose it: the next clerk at a shared desk PC gets the normal view, the first one gets theirs back', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  const care = () => page.evaluate(() => document.documentElement.classList.contains('care'));
  await page.getByRole('button', { name: '关怀模式' }).click();
  assert.equal(await care(), true);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
  assert.equal(await care(), false, 'the login page keeps its own choice');
  await loginAs(page, 'xihu.reviewer');
  assert.equal(await care(), false, 'the next clerk is not in the first one’s care mode');
  await page.getByRole('button', { name: '退出登录' }).click();
  await loginAs(page, 'xihu.clerk');
  assert.equal(await care(), true, 'the first clerk’s choice comes back with their login');
  assert.equal(await page.getByRole('button', { name: '关怀模式' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: '关怀模式' }).click(); // leave the demo account as it was
});
