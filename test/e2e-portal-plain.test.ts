/**
 * Issue 15 in the browser: the applicant's case page in plain words (NEW-2, MSG-1), a home-assessment
 * request filed online (HOME-2), one empty state, page titles, and care mode (ACC-1) — each checked
 * by what the page shows and measured, with screenshots in normal and care mode at 1280 and 390 px.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { freshPhone, smsCode } from './applicants.js';
import { XIHU_VILLAGE } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, newPage, screenshot, server, settle } from './browser.js';

const headers = { 'x-tongban-client': 'test' };

/** A new applicant account, logged in in this page's own session: the texted code first, as the portal does. */
async function applicantSession(page: Page, name: string) {
  await page.goto('/portal/login');
  const phone = freshPhone('138');
  const asked = await page.request.post('/api/applicant/register/code', { headers, data: { phone } });
  assert.equal(asked.status(), 202, await asked.text());
  const code = smsCode((await server()).h.ctx, phone);
  const reg = await page.request.post('/api/applicant/register', { headers, data: { name, phone, code, password: 'Applicant2026' } });
  assert.equal(reg.status(), 201, await reg.text());
}

async function fileOnline(page: Page, name: string, extra: Record<string, unknown> = {}) {
  const idNumber = makeCitizenId({ division: '330106' });
  const filed = await page.request.post('/api/cases', {
    headers,
    data: { matter: 'new', applicant: { idNumber, name, phone: '13700137000' }, residenceCode: XIHU_VILLAGE, hukouCode: XIHU_VILLAGE, categories: [4], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'], delivery: { method: 'hand' }, ...extra },
  });
  assert.equal(filed.status(), 201, await filed.text());
  return (await filed.json()) as { id: string; case: { caseNo: string } };
}

/** Normal and care mode, desktop and phone width: four pictures of the page as it is. */
async function pictures(page: Page, name: string) {
  for (const [w, tag] of [[1280, 'desktop'], [390, 'phone']] as const) {
    await page.setViewportSize({ width: w, height: 900 });
    await settle(page);
    await screenshot(page, `${name}-${tag}${(await page.evaluate(() => document.documentElement.classList.contains('care'))) ? '-care' : ''}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

e2e('NEW-2 MSG-1 e2e: after acceptance the applicant sees the institution with address, phone, opening hours, what to bring and the date to attend by, in plain words, and a progress stepper', async (t) => {
  const { h } = await server();
  const page = await newPage();
  closeAfter(t, page);
  await applicantSession(page, '机构告知测试');
  const { id, case: created } = await fileOnline(page, '机构告知测试');
  const clerk = await login(h, 'xihu.clerk');
  const institutions = (await clerk.get('/api/org-units?kind=institution')).body;
  const institutionId = institutions.find((o: any) => o.name === '西湖区残疾评定定点医院（演示）').id;
  assert.equal((await clerk.act(id, 'accept', { institutionId })).status, 200);
  const dueOn: string = (await clerk.get(`/api/cases/${id}`)).body.clocks.attendance.dueOn;
  const [y, m, d] = dueOn.split('-').map(Number);
  const dateZh = `${y}年${m}月${d}日`;

  await page.goto(`/portal/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: `案件 ${created.caseNo}` }).waitFor();
  const where = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '到哪里评定' }) });
  await where.getByText('西湖区残疾评定定点医院（演示）', { exact: true }).waitFor();
  await where.getByText('杭州市西湖区文三路123号 门诊楼3楼 残疾评定室', { exact: true }).waitFor();
  assert.equal(await where.getByRole('link', { name: '0571-87654321' }).getAttribute('href'), 'tel:057187654321');
  await where.getByText('工作日 8:30–11:30，13:30–16:30', { exact: true }).waitFor();
  await where.getByText(`${dateZh}前`, { exact: true }).waitFor();
  await where.getByText('居民身份证和户口簿', { exact: true }).waitFor();
  await page.getByText(`请在${dateZh}前到下方评定机构进行残疾评定，逾期视为放弃申请。`, { exact: true }).waitFor();

  // MSG-1: the stepper, status in words; no staff countdown, no ⏰ (it renders as an empty box)
  const steps = page.getByRole('list').filter({ has: page.locator('.step') });
  assert.deepEqual(await steps.locator('li').allInnerTexts().then((xs) => xs.map((x) => x.replace(/\s+/g, ' ').trim())),
    ['✓ 提交申请 已完成', '✓ 受理 已完成', '3 残疾评定 正在办理', '4 公示或承诺 尚未开始', '5 审批制证 尚未开始', '6 寄送证件 尚未开始', '7 送达 尚未开始']);
  assert.equal(await steps.locator('li[aria-current="step"]').innerText().then((x) => x.replace(/\s+/g, ' ')), '3 残疾评定 正在办理');
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /⏰|临期|个工作日/);
  assert.equal(await page.title(), `案件 ${created.caseNo} - 残疾人证网上办理`);
  await settle(page);
  await axeCheck(page, 'portal case after acceptance');
  await pictures(page, 'portal-case-institution');

  // ACC-1: the same page in care mode
  await page.getByRole('button', { name: '关怀模式' }).click();
  await page.locator('html.care').waitFor({ state: 'attached' });
  await settle(page);
  await axeCheck(page, 'portal case after acceptance, care mode');
  await pictures(page, 'portal-case-institution');
});

e2e('HOME-2 e2e: a home-assessment request filed online shows in plain words on the portal (no blank page), and the list has one empty state before it', async (t) => {
  const page = await newPage();
  closeAfter(t, page);
  await applicantSession(page, '上门申请测试');
  await page.goto('/portal');
  await page.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  await page.getByText('您还没有申请。', { exact: true }).waitFor();
  await settle(page);
  // antd's empty picture is titled 暂无数据, read out before the sentence: it is hidden from screen readers
  assert.doesNotMatch(await page.locator('main').ariaSnapshot(), /暂无数据/, 'one empty state, not two');
  assert.equal(await page.title(), '我的申请 - 残疾人证网上办理');

  const { id, case: created } = await fileOnline(page, '上门申请测试', { homeAssessment: { reason: '长期卧床，无法出行', channel: 'online' } });
  await page.reload();
  await page.getByRole('link', { name: `新办残疾人证 · ${created.caseNo}` }).waitFor();
  await page.getByText('办理进度：上门评定申请：村（社区）初审 — 您的上门评定申请已提交，村（社区）正在初审，可能会联系您了解情况。', { exact: true }).waitFor();
  await page.getByRole('link', { name: `新办残疾人证 · ${created.caseNo}` }).click();
  await page.getByRole('heading', { level: 1, name: `案件 ${created.caseNo}` }).waitFor();
  await page.getByText('您的上门评定申请已提交，村（社区）正在初审，可能会联系您了解情况。', { exact: true }).waitFor();
  assert.equal(await page.locator('li[aria-current="step"]').innerText().then((x) => x.replace(/\s+/g, ' ')), '2 受理 正在办理');
  assert.ok(id);
  await settle(page);
  await axeCheck(page, 'portal case, home-assessment request');
  await pictures(page, 'portal-case-home');
});

/** What care mode must give, measured on the page: type, spacing, target sizes, no motion. */
async function measureCare(page: Page, minTarget: number) {
  await page.evaluate('window.__name = (f) => f'); // the test runner's compiler names functions with a helper the page lacks
  const m = await page.evaluate(() => {
    const px = (el: Element | null, prop: string) => (el ? parseFloat(getComputedStyle(el).getPropertyValue(prop)) : NaN);
    const p = document.querySelector('main p, main li, main td');
    const h1 = document.querySelector('main h1');
    const h2 = document.querySelector('main h2');
    const buttons = [...document.querySelectorAll('main button, header button, header a, main .ant-btn')].filter((b) => (b as HTMLElement).offsetParent);
    const small = buttons.map((b) => ({ text: (b as HTMLElement).innerText.trim(), h: b.getBoundingClientRect().height })).filter((b) => b.h < 1);
    return {
      body: px(p, 'font-size'),
      lineRatio: px(p, 'line-height') / px(p, 'font-size'),
      h1: px(h1, 'font-size'),
      h2: h2 ? px(h2, 'font-size') : 30,
      minTarget: Math.min(...buttons.map((b) => b.getBoundingClientRect().height)),
      smallest: buttons.map((b) => ({ text: (b as HTMLElement).innerText.trim().slice(0, 20), h: Math.round(b.getBoundingClientRect().height) })).sort((a, b) => a.h - b.h).slice(0, 3),
      transitions: [...document.querySelectorAll('main *')].filter((e) => getComputedStyle(e).transitionDuration.split(',').some((d) => parseFloat(d) > 0)).length,
      small,
    };
  });
  assert.ok(m.body >= 18, `body text ${m.body}px ≥ 18`);
  assert.ok(m.lineRatio >= 1.3, `line spacing ${m.lineRatio} ≥ 1.3`);
  assert.ok(m.h1 >= 30 && m.h2 >= 30, `headings ${m.h1}/${m.h2}px ≥ 30`);
  assert.ok(m.minTarget >= minTarget, `targets ≥ ${minTarget}px: smallest ${JSON.stringify(m.smallest)}`);
  assert.equal(m.transitions, 0, 'no motion');
}

e2e('ACC-1 e2e: care mode — one click from the top bar on staff and portal pages, kept after reload; 18 px text, 30 px headings, 1.3 line spacing, 44 px (60 px portal) targets, no motion, axe clean', async (t) => {
  const staff = await newPage('xihu.clerk');
  closeAfter(t, staff);
  const toggle = staff.getByRole('banner').getByRole('button', { name: '关怀模式' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await staff.reload();
  await staff.getByRole('heading', { level: 1, name: '我的待办' }).waitFor();
  assert.equal(await staff.getByRole('banner').getByRole('button', { name: '关怀模式' }).getAttribute('aria-pressed'), 'true', 'kept after reload');
  await settle(staff);
  await measureCare(staff, 44);
  await axeCheck(staff, 'worklist in care mode');
  await pictures(staff, 'worklist');
  // two-character buttons read 提交/登录, not "提 交"
  await staff.goto('/apply');
  await staff.getByRole('heading', { level: 1 }).waitFor();
  await settle(staff);
  await measureCare(staff, 44);
  await axeCheck(staff, 'application form in care mode');
  await pictures(staff, 'apply');

  const portal = await newPage();
  closeAfter(t, portal);
  await applicantSession(portal, '关怀模式测试');
  await portal.goto('/portal');
  await portal.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  await portal.getByRole('banner').getByRole('button', { name: '关怀模式' }).click();
  await settle(portal);
  await measureCare(portal, 60);
  await axeCheck(portal, 'portal home in care mode');
  await pictures(portal, 'portal-home');
});

e2e('ACC-1 e2e: buttons of two Chinese characters read without an inserted space; every page has its own title', async (t) => {
  const page = await newPage();
  closeAfter(t, page);
  await page.goto('/login');
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal((await page.locator('button[type="submit"]').innerText()).trim(), '登录');
  assert.match(await page.title(), / - 通办 · 残疾人证服务$/);
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  assert.equal(await clerk.title(), '我的待办 - 通办 · 残疾人证服务');
  await clerk.goto('/persons');
  await clerk.getByRole('heading', { level: 1 }).waitFor();
  const h1 = (await clerk.getByRole('heading', { level: 1 }).innerText()).trim();
  assert.equal(await clerk.title(), `${h1} - 通办 · 残疾人证服务`);
});

e2e('NEW-2 ACC-1 e2e: in an English-language browser the month reads 2026年12月; the home-request channel radios have a visible group label; the admin keeps an institution’s address, phone and hours on its screen', async (t) => {
  const { h } = await server();
  // an institution of this test's own, created through the API
  const admin = await login(h, 'admin');
  const name = `联系信息屏幕测试医院${Date.now() % 1e6}`;
  const created = await admin.post('/api/admin/org-units', { kind: 'institution', name, divisionCode: '330106' });
  assert.equal(created.status, 201);

  const clerk = await newPage('xihu.clerk', { locale: 'en-US' });
  closeAfter(t, clerk);
  await clerk.goto('/home-report');
  await clerk.getByRole('heading', { level: 1, name: '上门评定月报' }).waitFor();
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  assert.equal(await clerk.getByLabel('统计月份').inputValue(), `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
  assert.equal(await clerk.locator('input[type="month"], input[type="date"]').count(), 0, 'no native date box (it reads mm/dd/yyyy in an English browser)');

  await clerk.goto('/apply');
  await clerk.getByRole('checkbox', { name: /^申请上门评定/ }).check();
  const channel = clerk.getByRole('radiogroup', { name: '申请方式' });
  await channel.getByRole('radio', { name: '书面申请' }).waitFor();
  assert.equal(await clerk.locator('#home-channel-label').innerText(), '申请方式', 'the group label is on screen');

  const page = await newPage('admin');
  closeAfter(t, page);
  await page.goto('/admin');
  await page.getByRole('tab', { name: '评定机构' }).click();
  // the browser's own checks speak plainly too, from the catalogues
  const create = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '新建评定机构' }) });
  await create.getByRole('button', { name: '新建评定机构' }).click();
  await create.getByText('请填写机构名称', { exact: true }).waitFor();
  await create.getByLabel('机构名称').fill('医');
  await create.getByText('机构名称至少需要2个字符', { exact: true }).waitFor();
  await page.getByRole('button', { name: `联系信息：${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `${name}：地址、电话、办公时间` });
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.getByText('请填写地址').waitFor();
  await dialog.getByLabel('地址').fill('杭州市西湖区天目山路100号');
  await dialog.getByLabel('电话').fill('0571-80000000');
  await dialog.getByLabel('办公时间').fill('工作日 9:00–17:00');
  await settle(page);
  await axeCheck(page, 'admin: institution contact dialog');
  await screenshot(page, 'admin-institution-contact-dialog');
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/contact'));
  await dialog.getByRole('button', { name: '保存' }).click();
  assert.equal((await saved).status(), 200);
  await page.getByRole('row').filter({ hasText: name }).getByText('杭州市西湖区天目山路100号；0571-80000000；工作日 9:00–17:00', { exact: true }).waitFor();
  await screenshot(page, 'admin-institutions');
});

e2e('HOME-2 e2e: a page that fails to render shows a message in Chinese and English with a way on, never a blank page', async (t) => {
  const page = await newPage();
  closeAfter(t, page);
  await applicantSession(page, '出错页面测试');
  const { id } = await fileOnline(page, '出错页面测试');
  // the case arrives in a shape the page cannot draw (as a half-deployed server might send it)
  await page.route(`**/api/cases/${id}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ id, caseNo: 'X' }) }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/portal/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: '页面显示出错 · This page could not be shown' }).waitFor();
  await page.getByText('很抱歉，页面出现错误，您的数据没有丢失。请刷新页面重试；如仍出现，请联系工作人员。').waitFor();
  await page.getByText('Sorry, something went wrong on this page; nothing you saved is lost.', { exact: false }).waitFor();
  assert.equal(await page.getByRole('link', { name: '返回首页 Home' }).getAttribute('href'), '/portal');
  await page.getByRole('banner').waitFor(); // the top bar stays, so the person can go on
  await axeCheck(page, 'error boundary');
  await screenshot(page, 'page-error-boundary');
  await page.unroute(`**/api/cases/${id}`);
  await page.getByRole('link', { name: '返回首页 Home' }).click();
  await page.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
});
