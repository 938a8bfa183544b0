/**
 * Keyboard only (WCAG 2.1.1): the staff login and the on-site application form — division picker
 * included — are filled in and submitted with Tab, typing, arrows, Space and Enter; no mouse.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { makeCitizenId } from './harness.js';
import { closeAfter, e2e, newPage, openDropdown, screenshot, tabTo, until } from './browser.js';

const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/**
 * Chooses in a searchable select by keyboard: focus it with Tab, type, wait for the match, arrow
 * down to it, Enter. A Select starts with its first match active; the place search box (an
 * AutoComplete, `search`) starts with none, so it takes one more ArrowDown — and it is cleared
 * once a place is chosen, so only the selects show the choice afterwards.
 */
async function typeAndChoose(page: Page, combobox: Locator, typed: string, expect: RegExp, search = false) {
  await tabTo(page, combobox);
  await page.keyboard.type(typed);
  await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: expect }).first().waitFor();
  // the first match is active; move onto the exact one if it is not the first
  const options = await openDropdown(page).locator('.ant-select-item-option').allTextContents();
  const index = options.findIndex((o) => expect.test(o));
  for (let i = 0; i < index + (search ? 1 : 0); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  if (!search) await until(async () => expect.test((await combobox.evaluate((el) => el.closest('.ant-select')?.textContent ?? '')).trim()), `the select shows ${expect}`);
}

e2e('ID-1 e2e: keyboard only — log in, then fill and submit the on-site application, division picker included', async (t) => {
  const page = await newPage();
  closeAfter(t, page);

  // --- login: the skip link comes first; the username field has the focus on arrival
  await page.goto('/login');
  const username = page.getByLabel('用户名');
  await username.waitFor();
  assert.ok(await focused(username), 'the username field has the focus');
  await page.keyboard.type('xihu.clerk');
  await page.keyboard.press('Tab');
  assert.ok(await focused(page.getByLabel('密码')), 'Tab goes from username to password');
  await page.keyboard.type('Tongban2026');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '我的待办' }).waitFor();

  await page.keyboard.press('Tab');
  assert.ok(await focused(page.getByRole('link', { name: '跳到主要内容' })), 'the first Tab reaches the skip link');
  await tabTo(page, page.getByRole('link', { name: '窗口受理' }));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();

  // --- the application form
  const applicant = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '申请人信息' }) });
  const idNumber = makeCitizenId({ division: '410105', birth: '19750808', sex: 'M' });
  await tabTo(page, applicant.getByLabel('居民身份证号'));
  await page.keyboard.type(idNumber);
  await applicant.getByText(/^号码有效：1975/).waitFor();
  await page.keyboard.press('Tab');
  assert.ok(await focused(applicant.getByLabel('姓名')), 'Tab goes from the ID number to the name');
  await page.keyboard.type('键盘申请人');
  await page.keyboard.press('Tab');
  assert.ok(await focused(applicant.getByLabel('联系电话')), 'then to the phone');
  await page.keyboard.type('13800138003');
  const physical = applicant.getByRole('checkbox', { name: '肢体残疾' });
  await tabTo(page, physical);
  await page.keyboard.press('Space');
  assert.ok(await physical.isChecked(), 'Space ticks a category');

  // hukou by the search box: type, arrow, Enter
  const hukou = page.getByRole('group', { name: '户籍地' });
  await typeAndChoose(page, hukou.getByRole('combobox', { name: /户籍地：输入地名搜索/ }), '金水区', /^河南省 郑州市 金水区$/, true);
  await hukou.getByRole('combobox', { name: '户籍地：乡镇（街道）' }).waitFor();
  await until(async () => /河南省[\s\S]*郑州市[\s\S]*金水区/.test(await hukou.innerText()), 'the picker shows 河南省 郑州市 金水区');

  // residence by the cascading selects
  const residence = page.getByRole('group', { name: '经常居住地' });
  await typeAndChoose(page, residence.getByRole('combobox', { name: '经常居住地：省' }), '浙江', /^浙江省$/);
  await typeAndChoose(page, residence.getByRole('combobox', { name: '经常居住地：市' }), '杭州', /^杭州市$/);
  await typeAndChoose(page, residence.getByRole('combobox', { name: '经常居住地：县（区）' }), '西湖', /^西湖区$/);
  await page.getByText('居住地与户籍地不在同一县（区），须提供有效居住证。').waitFor();

  // delivery: arrows move between the radio buttons
  const courier = page.getByRole('radio', { name: '快递邮寄（货到付款）' });
  await tabTo(page, courier);
  await page.keyboard.press('ArrowRight');
  assert.ok(await page.getByRole('radio', { name: '上门送达' }).isChecked(), 'ArrowRight chooses hand delivery');
  await page.keyboard.press('ArrowLeft');
  assert.ok(await courier.isChecked(), 'ArrowLeft goes back to courier');

  const materials = page.getByRole('group', { name: '已收取的材料' });
  for (const m of ['近期二寸免冠彩色照片3张', '申请人居民身份证及户口簿', '有效居住证']) {
    const box = materials.getByRole('checkbox', { name: m });
    await tabTo(page, box);
    await page.keyboard.press('Space');
    assert.ok(await box.isChecked(), `Space ticks ${m}`);
  }
  await screenshot(page, 'keyboard-apply-focus');

  const submit = page.getByRole('button', { name: '提交申请' });
  await tabTo(page, submit);
  const filing = page.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  const filed = await filing;
  assert.equal(filed.status(), 201, await filed.text());
  const { id } = await filed.json();
  await page.waitForURL(`**/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: /^案件 / }).waitFor();
});

/**
 * In the page: does the focused element show a focus indicator — an outline or a box-shadow ring on
 * it, on its antd wrapper, or on the box antd draws beside a hidden native checkbox/radio?
 * (A string, so the test compiler adds no helpers the browser lacks.)
 */
const FOCUS_SHOWN = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (e) => {
    if (!e) return false;
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== '');
  };
  const wrapper = el.closest('.ant-select, .ant-input-affix-wrapper, .ant-checkbox-wrapper, .ant-radio-wrapper');
  const box = el.parentElement ? el.parentElement.querySelector('.ant-checkbox-inner, .ant-radio-inner') : null;
  const ok = shows(el) || shows(wrapper) || shows(box) || shows(el.closest('.ant-checkbox, .ant-radio'));
  const label = el.closest('label');
  return { ok, what: el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || (label ? label.textContent : el.textContent) || '').trim().slice(0, 40) + '"' };
})()`;

e2e('e2e: Enter in the place search box picks the first match and never submits the application', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.goto('/apply');
  // with a valid ID number the submit button is enabled, so Enter in any field can submit the form
  await page.locator('.ant-card').first().getByLabel('居民身份证号').fill(makeCitizenId({ division: '410105' }));
  let submitted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/cases')) submitted = true;
  });
  const hukou = page.getByRole('group', { name: '户籍地' });
  await hukou.getByRole('combobox', { name: /户籍地：输入地名搜索/ }).focus();
  await page.keyboard.type('金水区');
  await openDropdown(page).locator('.ant-select-item-option').first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300); // a submission would start at once
  assert.equal(submitted, false, 'Enter in the search box submitted the whole application');
  await hukou.getByRole('combobox', { name: '户籍地：乡镇（街道）' }).waitFor({ timeout: 2000 });
});

e2e('e2e: the keyboard focus is always visible on the login and application forms (WCAG 2.4.7)', async (t) => {
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.goto('/apply');
  await page.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  await page.locator('body').focus();
  // Tab through the page; every stop must show a focus indicator (an outline or a box-shadow ring on it or its wrapper)
  const invisible: string[] = [];
  for (let i = 0; i < 45; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate<{ ok: boolean; what: string } | null>(FOCUS_SHOWN);
    if (stop && !stop.ok) invisible.push(stop.what);
  }
  assert.deepEqual(invisible, [], 'focus stops without a visible indicator');
});
