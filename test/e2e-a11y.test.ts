/**
 * Accessibility in the browser: axe (WCAG 2.0/2.1 A+AA, 2.2 AA) on every page of the staff console
 * and the applicant portal, and reflow (WCAG 1.4.10) of the busiest pages at 320 CSS px and at 200 % zoom.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apply, ok, toResultReview, XIHU_VILLAGE } from './fixtures.js';
import { freshPhone, smsCode } from './applicants.js';
import { login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, scrollsSideways, server, settle, waitForState } from './browser.js';

/** Cases for the pages to show, made through the API: one waiting for materials, one approved (so a person file exists). */
async function cases() {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const approver = await login(h, 'xihu.approver');
  // 西湖区 → 西湖区: the Zhejiang profile (a commitment letter instead of publicity)
  const local = { hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] };
  const waiting = await apply(clerk, { ...local, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos'] });
  await ok(clerk.act(waiting.id, 'request_materials', { note: '请补齐' }));
  const approved = await toResultReview(h, clerk, doctor, { ...local, idNumber: makeCitizenId({ division: '330106' }) });
  await ok(clerk.act(approved.id, 'forward_to_hukou'));
  const done = await ok(approver.act(approved.id, 'approve', { photoOnFile: true }));
  return { waiting, approved, personId: done.case.personId as string, idNumber: approved.form.applicant.idNumber as string };
}

/** Loads a page, waits for what shows it has rendered, then screenshots and checks it. */
async function check(page: Page, path: string, ready: string | RegExp, name: string) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: ready }).waitFor();
  await settle(page);
  await screenshot(page, `page-${name}`);
  await axeCheck(page, name);
}

e2e('e2e: axe finds no serious or critical WCAG 2.2 AA violation on any staff page', async (t) => {
  const made = await cases();
  const anon = await newPage();
  const clerk = await newPage('xihu.clerk');
  const admin = await newPage('admin');
  closeAfter(t, anon, clerk, admin);

  await t.test('login', () => check(anon, '/login', '工作人员登录', 'login'));
  await t.test('login with errors', async () => {
    await anon.getByRole('button', { name: named('登录') }).click();
    await anon.getByText('请输入用户名和密码').first().waitFor();
    await axeCheck(anon, 'login with errors');
  });
  await t.test('worklist', () => check(clerk, '/', '我的待办', 'worklist'));
  await t.test('apply form', () => check(clerk, '/apply', '新办残疾人证申请', 'apply'));
  await t.test('apply form with a guardian and errors', async () => {
    await clerk.locator('.ant-card').first().getByLabel('居民身份证号').fill(makeCitizenId({ division: '330106', birth: '20150101' }));
    await clerk.getByRole('heading', { name: '监护人' }).waitFor();
    await clerk.getByRole('button', { name: '提交申请' }).click();
    await clerk.getByRole('alert').first().waitFor();
    await screenshot(clerk, 'page-apply-errors');
    await axeCheck(clerk, 'apply form with a guardian and errors');
  });
  await t.test('MAT-2 an incomplete application is told, in plain words and beside each field, everything that is missing', async () => {
    const alert = await clerk.getByRole('alert').first().innerText();
    assert.doesNotMatch(alert, /body\.|Too small|expected/, `a developer message reached the clerk: ${alert}`);
    const applicant = clerk.locator('.ant-card').first();
    for (const field of ['姓名', '联系电话']) {
      assert.equal(await applicant.getByLabel(field).getAttribute('aria-invalid'), 'true', `${field} is marked invalid`);
    }
    assert.ok(await clerk.getByText(/请选择.*户籍地|户籍地.*必填|请选择户籍地/).count(), 'the missing hukou place is named');
  });
  await t.test('case page', () => check(clerk, `/cases/${made.waiting.id}`, /^案件 /, 'case'));
  await t.test('case page with an action form open', async () => {
    await clerk.getByRole('button', { name: named('补正材料') }).click();
    await clerk.getByRole('region', { name: '补正材料' }).waitFor();
    await axeCheck(clerk, 'case page with an action form open');
  });
  await t.test('missing-materials notice', () => check(clerk, `/cases/${made.waiting.id}/notice`, '残疾人证申请材料一次性告知单', 'notice'));
  await t.test('approved case', async () => {
    await check(clerk, `/cases/${made.approved.id}`, /^案件 /, 'case-approved');
    await waitForState(clerk, '待制证');
  });
  await t.test('person page', () => check(clerk, `/persons/${made.personId}`, '人员档案', 'person'));
  await t.test('search page', async () => {
    await check(clerk, `/persons?q=${made.idNumber}`, '查找人员', 'search');
    await clerk.getByRole('heading', { name: '人员档案' }).waitFor();
    await axeCheck(clerk, 'search page with results');
  });
  await t.test('admin: users', () => check(admin, '/admin', '系统管理', 'admin-users'));
  await t.test('admin: calendar', async () => {
    await admin.getByRole('tab', { name: '工作日历' }).click();
    await admin.getByLabel('年份').waitFor();
    await screenshot(admin, 'page-admin-calendar');
    await axeCheck(admin, 'admin: calendar');
  });
  await t.test('admin: divisions', async () => {
    await admin.getByRole('tab', { name: '行政区划导入' }).click();
    await admin.getByLabel('选择区划 CSV 文件（代码,名称）').waitFor();
    await screenshot(admin, 'page-admin-divisions');
    await axeCheck(admin, 'admin: divisions');
  });
});

e2e('e2e: axe finds no serious or critical WCAG 2.2 AA violation on any portal page', async (t) => {
  const { h } = await server();
  const visitor = await newPage();
  const applicant = await newPage();
  closeAfter(t, visitor, applicant);

  await t.test('portal login', () => check(visitor, '/portal/login', '残疾人证网上办理', 'portal-login'));
  await t.test('portal register tab', async () => {
    await visitor.getByRole('tab', { name: '注册' }).click();
    await visitor.getByRole('tabpanel', { name: '注册' }).getByLabel('申请人或家属姓名').waitFor();
    await axeCheck(visitor, 'portal register tab');
  });

  // an applicant account and a case of theirs, through the API in the browser's own session
  await applicant.goto('/portal/login');
  // the web client's CSRF header, as the app's own requests carry it (src/platform/http-guards.ts)
  const headers = { 'x-tongban-client': 'test' };
  const phone = freshPhone('137');
  assert.equal((await applicant.request.post('/api/applicant/register/code', { headers, data: { phone } })).status(), 202);
  const reg = await applicant.request.post('/api/applicant/register', { headers, data: { name: '无障碍测试', phone, code: smsCode(h.ctx, phone), password: 'Applicant2026' } });
  assert.equal(reg.status(), 201, await reg.text());
  const filed = await applicant.request.post('/api/cases', {
    headers,
    data: { matter: 'new', applicant: { idNumber: makeCitizenId({ division: '330106' }), name: '无障碍测试', phone: '13700137000' }, residenceCode: XIHU_VILLAGE, hukouCode: XIHU_VILLAGE, categories: [1], materialsProvided: [], delivery: { method: 'hand' } },
  });
  assert.equal(filed.status(), 201, await filed.text());
  const { id } = await filed.json();
  assert.ok(h);

  await t.test('portal home', async () => {
    await check(applicant, '/portal', '我的申请', 'portal-home');
  });
  await t.test('portal apply', () => check(applicant, '/portal/apply', '网上申请残疾人证', 'portal-apply'));
  await t.test('portal case', () => check(applicant, `/portal/cases/${id}`, /^案件 /, 'portal-case'));
});

e2e('e2e: the worklist and the application form reflow — no sideways scrolling at 320 px wide or at 200 % zoom (WCAG 1.4.10)', async (t) => {
  await cases();
  const sizes = [
    { name: '320px', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
    // a 1280×900 window at 200 % zoom lays out like 640×450 CSS px
    { name: 'zoom200', viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 },
  ];
  for (const size of sizes) {
    const page = await newPage('xihu.clerk', { viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
    closeAfter(t, page);
    for (const [path, title, name] of [['/', '我的待办', 'worklist'], ['/apply', '新办残疾人证申请', 'apply']] as const) {
      await t.test(`${name} at ${size.name}`, async () => {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        await settle(page);
        await screenshot(page, `reflow-${name}-${size.name}`);
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        assert.ok(!(await scrollsSideways(page)), `${path} at ${size.name}: the page is ${widths.scroll} px wide in a ${widths.inner} px window`);
      });
    }
  }
});
