/**
 * End-to-end tests in a real browser: the shared test service (test/harness.ts) listening on a
 * loopback port, Debian's Chromium driven by playwright-core, axe-core for accessibility.
 *
 * One server and one Chromium per test process, both started lazily by the first browser test and
 * closed after the last. Without Chromium the browser tests are skipped with a loud warning — except
 * in CI (CI set), where they run and fail, because CI must never silently skip them.
 */
import { after, test, type TestContext } from 'node:test';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/cli/seed-demo.js';
import { freshPhone, smsCode } from './applicants.js';
import { harness, type Harness } from './harness.js';
import { PNG } from './fixtures.js';

const root = new URL('..', import.meta.url).pathname;
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SCREENSHOTS = join(root, 'test-results', 'screenshots');

const haveChromium = existsSync(CHROMIUM_PATH);
/** The skip reason for every browser test, or undefined when they run (always in CI). */
export const browserSkip: string | undefined = haveChromium || process.env.CI ? undefined : `no Chromium at ${CHROMIUM_PATH}`;

if (!haveChromium) {
  const bar = '!'.repeat(78);
  console.error(
    [
      '',
      bar,
      `!!  NO CHROMIUM AT ${CHROMIUM_PATH}`,
      process.env.CI
        ? '!!  CI is set: the browser (e2e) tests will FAIL. Install it: apt-get install -y chromium fonts-noto-cjk'
        : '!!  The browser (e2e) tests are SKIPPED. They prove the web app works — install Chromium',
      process.env.CI ? '' : '!!  (apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM_PATH, and run them.',
      bar,
      '',
    ].filter((l) => l !== '').join('\n'),
  );
}

/** `test()` for browser tests: skipped (loudly) without Chromium outside CI. */
export function e2e(name: string, fn: (t: TestContext) => Promise<void>): void;
export function e2e(name: string, options: { todo?: string; timeout?: number }, fn: (t: TestContext) => Promise<void>): void;
export function e2e(name: string, a: any, b?: any) {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b];
  test(name, { timeout: 120_000, ...options, ...(browserSkip ? { skip: browserSkip } : {}) }, async (t: TestContext) => {
    try {
      await fn(t);
    } catch (e) {
      // what each open page showed when the test failed, for the person reading the CI log
      const slug = name.replace(/^[A-Z0-9- ]+e2e: /, '').replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 40);
      let n = 0;
      for (const page of openPages) {
        if (page.isClosed()) continue;
        const file = `failed-${slug}-${++n}`;
        await screenshot(page, file).then(() => console.error(`e2e: screenshot of ${page.url()} at test-results/screenshots/${file}.png`), () => {});
      }
      throw e;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The web build

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

/**
 * The server serves dist/web only if it exists when the app is built, and lists its files then;
 * so the build must be there (and current) before the shared harness starts. Missing → build it.
 * Older than its sources → rebuild, then `start()` checks the server really serves the new files.
 */
function ensureWebBuild() {
  const index = join(root, 'dist', 'web', 'index.html');
  const sources = [join(root, 'web', 'src'), join(root, 'web', 'index.html'), join(root, 'src', 'domain')];
  const why = !existsSync(index) ? 'dist/web/index.html is missing' : newestMtime(index) < Math.max(...sources.map(newestMtime)) ? 'dist/web is older than web/src' : null;
  if (!why) return;
  console.error(`e2e: ${why} — running \`npm run build\` once…`);
  try {
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new Error(`e2e: \`npm run build\` failed (${(e as Error).message}); the browser tests need the web build in dist/web.`);
  }
}

// ---------------------------------------------------------------------------------------------
// One server and one browser per process

type Server = { h: Harness; baseURL: string };
let serverP: Promise<Server> | null = null;
let browserP: Promise<Browser> | null = null;
const openPages = new Set<Page>();

export function server(): Promise<Server> {
  serverP ??= startServer();
  return serverP;
}

async function startServer(): Promise<Server> {
  ensureWebBuild();
  const h = await harness();
  // the harness may have been started (by an API test) before the build existed or changed
  const html = readFileSync(join(root, 'dist', 'web', 'index.html'), 'utf8');
  const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  const probe = asset ? await h.app.inject({ url: asset }) : null;
  if (!probe || probe.statusCode !== 200) {
    throw new Error('e2e: the test server does not serve the current web build (it started before `npm run build` finished). Run `npm run build`, then the tests again.');
  }
  const baseURL = await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, baseURL };
}

export function browser(): Promise<Browser> {
  if (!haveChromium) throw new Error(`e2e: no Chromium at ${CHROMIUM_PATH}; CI must run the browser tests (apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH).`);
  browserP ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return browserP;
}

// Registered after harness.ts's own `after`, which closes the app; the browser goes with it.
after(async () => {
  if (browserP) await (await browserP).close().catch(() => {});
});

// ---------------------------------------------------------------------------------------------
// Pages

export type PageOptions = Pick<BrowserContextOptions, 'viewport' | 'deviceScaleFactor' | 'locale'> & { lang?: 'zh' | 'en' };

/** A fresh browser context (own cookies and storage) at the service; logged in through the staff login form when `user` is given. */
export async function newPage(user?: string, opts: PageOptions = {}): Promise<Page> {
  const { baseURL } = await server();
  const context = await (await browser()).newContext({
    baseURL,
    locale: opts.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
  });
  context.setDefaultTimeout(15_000);
  if (opts.lang) await context.addInitScript((lang) => localStorage.setItem('tongban.lang', lang), opts.lang);
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.on('pageerror', (e) => console.error(`e2e: page error on ${page.url()}: ${e.message}`));
  if (user) await loginAs(page, user);
  return page;
}

/** Logs in through the staff login form (as a person would) and waits for the worklist. */
export async function loginAs(page: Page, user: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
  const res = await answer;
  if (res.status() !== 200) throw new Error(`e2e: login ${user} answered ${res.status()}`);
  await page.getByRole('heading', { level: 1, name: '我的待办' }).waitFor();
}

/** Asks for a code on the portal's 注册 or 重设密码 form and answers the code the phone received (from the log SMS adapter). */
export async function textedCode(page: Page, form: Locator, phone: string): Promise<string> {
  const { h } = await server();
  await form.getByLabel('手机号').fill(phone);
  const sent = page.waitForResponse((r) => r.url().endsWith('/code') && r.request().method() === 'POST');
  await form.getByRole('button', { name: '获取验证码' }).click();
  const res = await sent;
  if (res.status() !== 202) throw new Error(`e2e: asking for a code answered ${res.status()} ${await res.text()}`);
  await form.getByRole('status').getByText('短信已发送到该手机号，请按短信提示操作（验证码10分钟内有效）。').waitFor();
  const code = smsCode(h.ctx, phone);
  if (!code) throw new Error(`e2e: the message to ${phone} carries no code`);
  return code;
}

/** Registers in the portal as a family does — phone, 获取验证码, the texted code, name, password — and waits for 我的申请. */
export async function registerInPortal(page: Page, name: string, phone = freshPhone(), password = 'Applicant2026') {
  await page.goto('/portal/login');
  await page.getByRole('tab', { name: '注册' }).click();
  const register = page.getByRole('tabpanel', { name: '注册' });
  await register.getByLabel('短信验证码（6位数字）').fill(await textedCode(page, register, phone));
  await register.getByLabel('申请人或家属姓名').fill(name);
  await register.getByLabel('密码（至少8位，含字母和数字）').fill(password);
  await register.getByRole('button', { name: named('注册') }).click();
  await page.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  return phone;
}

/** Closes the page's whole context (cookies, storage) when the test ends. */
export function closeAfter(t: TestContext, ...pages: Page[]) {
  t.after(async () => {
    for (const p of pages) await p.context().close().catch(() => {});
  });
}

// ---------------------------------------------------------------------------------------------
// Accessibility and screenshots

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe (WCAG 2.2 AA) on the page as it is now; fails on serious or critical violations, listing them readably. */
export async function axeCheck(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const describe = (v: (typeof result.violations)[number]) =>
    [
      `  [${v.impact}] ${v.id}: ${v.help}`,
      `    ${v.helpUrl}`,
      ...v.nodes.slice(0, 6).map((n) => `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replaceAll('\n', '\n      ')}`),
      ...(v.nodes.length > 6 ? [`    … and ${v.nodes.length - 6} more`] : []),
    ].join('\n');
  const minor = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (minor.length) console.error(`axe (${name}, ${page.url()}): ${minor.length} moderate/minor issue(s):\n${minor.map(describe).join('\n')}`);
  if (bad.length) throw new Error(`axe: ${bad.length} serious/critical accessibility violation(s) on "${name}" (${page.url()}):\n${bad.map(describe).join('\n')}`);
}

/** Waits until the page is quiet: no requests in flight, no spinner, and the fade-in of loaded content over. */
export async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await until(async () => (await page.locator('.ant-spin-spinning, .ant-spin-blur, .ant-skeleton').count()) === 0, 'no spinner shows', 10_000);
  await page.waitForTimeout(350); // antd fades loaded content in over 0.3 s
}

/** Saves a full-page screenshot as test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // toasts are fixed to the window and would float over the middle of a full-page picture
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, style: '.ant-message { display: none !important; }' });
}

/** True when the page body scrolls sideways (WCAG 1.4.10 reflow). */
export async function scrollsSideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

// ---------------------------------------------------------------------------------------------
// Working the antd widgets the way a person does

/**
 * An accessible-name pattern for `text`. antd puts a space between two CJK characters in a button
 * ("提 交"), so each character may be followed by one space.
 */
export function named(text: string): RegExp {
  const esc = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^\\s*${esc.join('\\s?')}\\s*$`);
}

/** The open antd Select/AutoComplete dropdown. */
export const openDropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/**
 * Opens a Select (its combobox) and clicks the option showing `text` (exactly, or matching the
 * pattern). A searchable Select is typed into first (`search`, or `text` itself), since its list
 * is virtual and shows only a screenful of options.
 */
export async function pickOption(page: Page, combobox: Locator, text: string | RegExp, search?: string) {
  await combobox.click();
  const typed = search ?? (typeof text === 'string' ? text : undefined);
  if (typed && (await combobox.evaluate((el) => !(el as HTMLInputElement).readOnly))) await combobox.pressSequentially(typed);
  const exact = typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text;
  await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: exact }).first().click();
  await until(async () => exact.test((await combobox.evaluate((el) => el.closest('.ant-select')?.textContent ?? '')).trim()), `the select shows ${exact}`);
}

/** Polls `check` (every 50 ms, up to `timeoutMs`) until it is true; fails with `what` otherwise. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`e2e: timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The state shown on a case page (the coloured tag beside the case number). */
export const caseState = (page: Page) => page.locator('main .ant-tag').first();

/** Waits until the case page shows the given state label. */
export async function waitForState(page: Page, label: string) {
  await caseState(page).filter({ hasText: new RegExp(`^${label}$`) }).waitFor();
}

/**
 * On a case page: opens the action's form, lets `fill` work inside it, submits (with `submit`, the
 * button's words) and waits for the server's answer, which must be 200.
 */
export async function takeAction(page: Page, action: string, fill?: (form: Locator) => Promise<void>, submit = '提交') {
  await page.getByRole('button', { name: named(action) }).click();
  const form = page.getByRole('region', { name: action });
  await form.waitFor();
  await fill?.(form);
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/cases\/[^/]+\/actions\//.test(r.url()));
  await form.getByRole('button', { name: named(submit) }).click();
  const res = await answer;
  if (res.status() !== 200) throw new Error(`e2e: action "${action}" answered ${res.status()}: ${await res.text()}`);
  await form.waitFor({ state: 'detached' });
}

/**
 * On a case page: scans in a document for the materials list's item `label` (a 1×1 PNG stands in
 * for the scan) through its upload button, and waits for the server to store it.
 */
export async function attachScan(page: Page, label: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `上传扫描件：${label}` }).click();
  const stored = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/cases\/[^/]+\/documents$/.test(r.url()));
  await (await chooser).setFiles({ name: '残疾评定表.png', mimeType: 'image/png', buffer: PNG });
  const res = await stored;
  if (res.status() !== 201) throw new Error(`e2e: the scan of "${label}" answered ${res.status()}: ${await res.text()}`);
  await page.getByRole('link', { name: '已上传：残疾评定表.png' }).first().waitFor();
}

/** Presses Tab until `target` has the focus (at most `max` times); fails if it never does. */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`e2e: ${max} presses of Tab never reached ${target}; the focus is on ${at}`);
}
