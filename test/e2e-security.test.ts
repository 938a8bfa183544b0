/**
 * SEC-3, SEC-1, SEC-5 in the browser, under the service's Content-Security-Policy: the login's TOTP
 * step, setting up the authenticator on "My account" (QR code, recovery codes shown once), the
 * who-viewed-what screen, the agreements screen and the applicant's "who viewed my information" —
 * by keyboard, axe-checked, screenshotted, and with no CSP violation on any of them.
 */
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { freshPhone, registerApplicant } from './applicants.js';
import { apply, ok, uploadScan, XIHU_VILLAGE } from './fixtures.js';
import { Client, login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, newPage, screenshot, server, settle } from './browser.js';

/** Collects the CSP violations a page reports (Chromium logs them to the console). */
function cspWatch(page: Page) {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

let n = 0;
async function staff(role: string, division: string) {
  const { h } = await server();
  const admin = await login(h, 'admin');
  const [org] = await ok(admin.get(`/api/org-units?kind=federation&under=${division}`));
  const username = `e2esec.${role}.${Date.now() % 1e7}.${++n}`;
  await ok(admin.post('/api/admin/users', { username, displayName: '安全测试人员', password: 'Right12345', grants: [{ role, orgUnitId: org.id }] }), 201);
  return username;
}

const codeNow = async (secret: string) => {
  const { h } = await server();
  return generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
};

e2e('SEC-3 e2e: a staff member sets up the authenticator by QR code, keeps the recovery codes, and logs in with password then code — by keyboard, axe clean', { timeout: 300_000 }, async (t) => {
  const username = await staff('approver', '330106');
  const page = await newPage();
  closeAfter(t, page);
  const violations = cspWatch(page);

  // password only, the first time: then My account → set up the authenticator
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('Right12345');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '我的待办' }).waitFor();
  await page.getByRole('link', { name: '我的账号' }).click();
  await page.getByRole('heading', { level: 1, name: '我的账号' }).waitFor();
  await settle(page);
  await axeCheck(page, 'account, authenticator off');
  await page.getByRole('button', { name: '绑定身份验证器' }).focus();
  await page.keyboard.press('Enter');
  const qr = page.getByRole('img', { name: '绑定身份验证器的二维码' });
  await qr.waitFor();
  assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code renders under the CSP');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'enrol-title', 'the focus moves to the step that is asked now');
  const secret = (await page.locator('code').first().innerText()).trim();
  await settle(page);
  await screenshot(page, 'sec-account-enrol');
  await axeCheck(page, 'account, enrolling');
  await page.getByLabel('第二步：输入应用显示的6位验证码').fill(await codeNow(secret));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '请保存恢复码（只显示这一次）' }).waitFor();
  const codes = await page.locator('.recovery-codes li').allInnerTexts();
  assert.equal(codes.length, 10);
  assert.ok(codes.every((c) => /^[0-9a-z]{4}-[0-9a-z]{4}$/.test(c.trim())));
  await settle(page);
  await screenshot(page, 'sec-account-recovery-codes');
  await axeCheck(page, 'account, recovery codes');
  await page.getByRole('button', { name: '我已保存恢复码' }).click();
  await page.getByText('已启用：登录时除密码外还须输入身份验证器上的验证码。').waitFor();

  // the next login asks for the code on a second step
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('Right12345');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '请输入身份验证器上的验证码' }).waitFor();
  await settle(page);
  await screenshot(page, 'sec-login-totp');
  await axeCheck(page, 'login, TOTP step');
  await page.getByLabel('验证码或恢复码').fill(codes[0].trim());
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '我的待办' }).waitFor();
  assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
});

e2e('SEC-1 SEC-5 e2e: the who-viewed-what screen, the agreements screen and the applicant’s list of who viewed their file, axe clean under the CSP', { timeout: 300_000 }, async (t) => {
  const { h } = await server();
  // an applicant whose scan the 西湖区 clerk opened
  const { phone, cookie } = await registerApplicant(h, { phone: freshPhone('138') });
  const applicantApi = new Client(h.app, cookie);
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(applicantApi, { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name: '浏览测试人', phone }, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const doc = await ok(uploadScan(applicantApi, c.id, 'id_and_hukou', '身份证.png'), 201);
  await ok((await login(h, 'xihu.clerk')).get(`/api/cases/${c.id}/documents/${doc.id}?purpose=${encodeURIComponent('核对身份证件')}`));
  // an agreement drafted by one supervisor, for the screen
  const drafter = await staff('supervisor', '3301');
  await ok((await login(h, drafter, 'Right12345')).post('/api/agreements', { party: '杭州市民政局', partyKind: 'civil_affairs', legalBasis: '困难残疾人生活补贴制度', purpose: '核对补贴对象持证情况', fields: ['name', 'certificate_state'], channels: ['api'], validFrom: h.clock.today(), validUntil: h.clock.today() }), 201);

  const supervisor = await newPage('hangzhou.supervisor');
  const portal = await newPage();
  closeAfter(t, supervisor, portal);
  const sv = cspWatch(supervisor);
  const pv = cspWatch(portal);

  await supervisor.getByRole('link', { name: '查阅记录' }).click();
  await supervisor.getByRole('heading', { level: 1, name: '个人信息查阅记录' }).waitFor();
  await supervisor.getByLabel('被查阅人身份证号').fill(idNumber);
  await supervisor.keyboard.press('Enter');
  await supervisor.getByRole('cell', { name: '核对身份证件' }).waitFor();
  await settle(supervisor);
  await screenshot(supervisor, 'sec-data-views');
  await axeCheck(supervisor, 'data views');
  assert.ok(!(await supervisor.locator('table').innerText()).includes(idNumber.slice(3, 14)), 'the list shows the ID number masked');

  await supervisor.getByRole('link', { name: '数据共享协议' }).click();
  await supervisor.getByRole('heading', { level: 1, name: '数据共享协议' }).waitFor();
  await supervisor.getByRole('cell', { name: /杭州市民政局/ }).first().waitFor();
  await settle(supervisor);
  await screenshot(supervisor, 'sec-agreements');
  await axeCheck(supervisor, 'agreements');

  // the applicant logs in through the portal and sees who viewed their file
  await portal.goto('/portal/login');
  await portal.getByRole('tabpanel').getByLabel('手机号').fill(phone);
  await portal.getByRole('tabpanel').getByLabel('密码').fill('Secret123');
  await portal.keyboard.press('Enter');
  await portal.getByRole('heading', { name: '谁查看了我的信息' }).waitFor();
  await portal.getByText(/杭州市西湖区残疾人联合会.*案件扫描件/).waitFor();
  await settle(portal);
  await screenshot(portal, 'sec-portal-views');
  await axeCheck(portal, 'portal: who viewed my information');
  assert.deepEqual([...sv, ...pv], [], 'no Content-Security-Policy violation');
});
