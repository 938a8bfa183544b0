/** The language switch: Chinese first, English second, the choice kept across reloads. */
import assert from 'node:assert/strict';
import { closeAfter, e2e, newPage, screenshot, settle } from './browser.js';

e2e('e2e: switching to English changes the interface text, and the choice survives a reload', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.getByRole('button', { name: '切换到英文界面' }).click();
  await page.getByRole('heading', { level: 1, name: 'My worklist' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const link of ['My worklist', 'New application', 'Find a person']) await nav.getByRole('link', { name: link }).waitFor();

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'My worklist' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  // other pages follow, the login page too
  await nav.getByRole('link', { name: 'New application' }).click();
  await page.getByRole('heading', { level: 1, name: 'New certificate application' }).waitFor();
  await page.getByRole('button', { name: 'Submit the application' }).waitFor();
  await settle(page);
  await screenshot(page, 'english-apply');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Staff login' }).waitFor();

  await t.test('the switch is named by the words it shows (WCAG 2.5.3 label in name)', async () => {
    assert.equal(await page.getByRole('button', { name: /中文/ }).count(), 1, 'a speech user says "中文" — the button must be called that');
  });

  // and back
  await page.getByRole('button', { name: 'Switch to Chinese' }).click();
  await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
});
