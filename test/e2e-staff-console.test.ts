/**
 * Issue 15 (staff console) in the browser: the doctor's form starts from the case's facts and names
 * its fields, the focus follows a submitted action, only helpful blocked actions show, the approve
 * form knows the photos, the worklist sets waiting cases apart and says why a case came back, and
 * the doctor's visit batch reads on a phone with the addresses to go to.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addDays, ALL_ADULT_MATERIALS, apply, institutionOf, ok, toResultReview, uploadScan, XIHU_VILLAGE } from './fixtures.js';
import { type Client, login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, openDropdown, screenshot, scrollsSideways, server, settle, waitForState } from './browser.js';

const XIHU_TOWNSHIP = XIHU_VILLAGE.slice(0, 9);
const me = async (c: Client) => (await ok(c.get('/api/auth/me'))).id as string;
const guardian = () => ({ idNumber: makeCitizenId({ division: '410105' }), name: '监护人', phone: '13700000000', relation: '母子' });

/** What has the focus: its role and text. */
const focused = (page: Page) => page.evaluate(() => ({ role: document.activeElement?.getAttribute('role') ?? document.activeElement?.tagName.toLowerCase(), text: document.activeElement?.textContent ?? '' }));

e2e('ASMT-2 ACC-1 e2e: the doctor\'s form starts at today\'s China date with the applied categories by name and named measurements; after submitting, the focus is on the result', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { categories: [1] }); // national profile: no attendance limit
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  await ok(uploadScan(await login(h, 'xihu.doctor'), c.id, 'assessment_form', '残疾评定表.png'), 201);
  const doctor = await newPage('xihu.doctor');
  closeAfter(t, doctor);
  await doctor.goto(`/cases/${c.id}`);
  await waitForState(doctor, '评定中');
  await settle(doctor);
  // issue 15 item 7: no attendance limit applies, so attendance is neither offered nor listed as blocked
  assert.equal(await doctor.getByRole('button', { name: named('登记申请人到场') }).count(), 0);
  assert.equal(await doctor.getByText('本地政策未规定到场期限').count(), 0);

  await doctor.getByRole('button', { name: '录入评定结果', exact: true }).click();
  const form = doctor.getByRole('region', { name: '录入评定结果' });
  const [y, m, d] = h.clock.today().split('-').map(Number);
  assert.equal(await form.getByLabel('评定日期').inputValue(), `${y}年${m}月${d}日`, 'the China date the server keeps, shown in Chinese');
  await form.getByRole('radio', { name: '达到残疾标准', exact: true }).check();
  const category = form.getByLabel('类别 1');
  assert.equal((await category.evaluate((el) => el.closest('.ant-select')?.textContent ?? '')).trim(), '视力');
  await category.click();
  const options = await openDropdown(doctor).locator('.ant-select-item-option').allTextContents();
  assert.deepEqual(options, ['视力', '听力', '言语', '肢体', '智力', '精神']);
  await doctor.keyboard.press('Escape');
  await form.getByLabel('左眼最佳矫正视力', { exact: true }).fill('0.03');
  await form.getByLabel('右眼最佳矫正视力', { exact: true }).fill('0.04');
  await form.getByLabel('等级 1').click();
  await openDropdown(doctor).locator('.ant-select-item-option').filter({ hasText: /^二级$/ }).click();
  // item 12: a two-character button reads 提交, without antd's inserted space
  assert.equal(await form.getByRole('button', { name: '提交', exact: true }).count(), 1);
  await screenshot(doctor, 'staff-console-doctor-form');
  await axeCheck(doctor, 'doctor form');
  const answer = doctor.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/actions/record_assessment'));
  await form.getByRole('button', { name: '提交', exact: true }).click();
  assert.equal((await answer).status(), 200);
  await waitForState(doctor, '评定结果待处理');
  await doctor.getByRole('status').filter({ hasText: '操作成功：录入评定结果' }).waitFor();
  assert.deepEqual(await focused(doctor), { role: 'status', text: '✔ 操作成功：录入评定结果' });
  const stored = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.deepEqual({ on: stored.data.assessment.assessedOn, d: stored.data.assessment.disabilities }, { on: h.clock.today(), d: [{ category: 1, level: 2 }] });
});

e2e('NEW-9 ACC-1 e2e: the approve form\'s 已有照片 is ticked when the photos were taken in; the clerk\'s notice button keeps AA contrast', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { idNumber: makeCitizenId({ division: '410105', birth: '20140302' }), guardian: guardian(), materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const approver = await newPage('jinshui.approver');
  closeAfter(t, approver);
  await approver.goto(`/cases/${c.id}`);
  await waitForState(approver, '户籍地审核');
  await approver.getByRole('button', { name: '审批通过', exact: true }).click();
  const form = approver.getByRole('region', { name: '审批通过' });
  assert.equal(await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).isChecked(), true);

  // the one-time notice button on a case with missing items
  const missing = await apply(clerk, { materialsProvided: ['photos'] });
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.goto(`/cases/${missing.id}`);
  await waitForState(page, '待受理');
  const notice = page.getByRole('button', { name: '一次性告知补正材料', exact: true });
  await notice.waitFor();
  await settle(page);
  await screenshot(page, 'staff-console-case-missing');
  await axeCheck(page, 'case with missing materials');
  await notice.hover();
  await axeCheck(page, 'case with missing materials, notice button hovered');
  await notice.focus();
  await axeCheck(page, 'case with missing materials, notice button focused');
  // open (the button turns primary), with the pointer resting on it
  await notice.click();
  await page.getByRole('region', { name: '一次性告知补正材料' }).waitFor();
  assert.equal(await notice.getAttribute('aria-expanded'), 'true');
  await notice.hover();
  await axeCheck(page, 'case with missing materials, notice form open');
});

e2e('NEW-4 NEW-5 SLA-2 e2e: the worklist sets a case in publicity apart under 等待至 with its date, and a returned case shows the reason', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const inPublicity = await toResultReview(h, clerk, doctor);
  await ok(clerk.act(inPublicity.id, 'start_publicity', { place: '北山街道公示栏' }));
  const returned = await toResultReview(h, clerk, doctor, { idNumber: makeCitizenId({ division: '410105', birth: '20130911' }), guardian: guardian(), materialsProvided: [...ALL_ADULT_MATERIALS, 'guardian_proof'] });
  await ok(clerk.act(returned.id, 'forward_to_hukou'));
  const reason = '申请人户籍不在金水区，请核实后改派';
  await ok((await login(h, 'jinshui.approver')).act(returned.id, 'return_not_ours', { reason }));
  const noOf = async (id: string) => (await ok(clerk.get(`/api/cases/${id}`))).caseNo as string;
  const [publicNo, returnedNo] = [await noOf(inPublicity.id), await noOf(returned.id)];
  const ends = addDays(h.clock.today(), 7);
  const [y, m, d] = ends.split('-').map(Number);

  for (const width of [1280, 390]) {
    const page = await newPage('xihu.clerk', { viewport: { width, height: 900 } });
    closeAfter(t, page);
    // one page of the oldest-due cases is not enough to find these: filter by stage, as a clerk would
    await page.goto('/');
    await settle(page);
    const waiting = page.getByRole('region', { name: '等待期满的案件' });
    const main = page.locator('.ant-table');
    await pickStage(page, '公示中');
    await waiting.getByRole('listitem').filter({ has: page.getByRole('link', { name: publicNo, exact: true }) }).filter({ hasText: `等待至${y}年${m}月${d}日` }).waitFor();
    assert.equal(await main.getByRole('link', { name: publicNo, exact: true }).count(), 0, 'not among the work for today');
    await screenshot(page, `staff-console-worklist-waiting-${width}`);
    await pickStage(page, '户籍地退回，待改派');
    const row = main.getByRole('row').filter({ has: page.getByRole('link', { name: returnedNo, exact: true }) });
    await row.getByText(`原因：${reason}`).waitFor();
    await row.getByText('剩 3 个工作日', { exact: false }).waitFor();
    await screenshot(page, `staff-console-worklist-returned-${width}`);
    if (width === 390) assert.equal(await scrollsSideways(page), false);
    await axeCheck(page, `worklist ${width}`);
  }
});

async function pickStage(page: Page, label: string) {
  const answer = page.waitForResponse((r) => r.url().includes('/api/worklist?') && r.url().includes('state='));
  await page.getByLabel('办理阶段').click();
  await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).click();
  await answer;
  await settle(page);
}

e2e('HOME-3 SEC-1 ACC-1 e2e: at 390 px the doctor\'s batch is a readable list with the addresses to go to (a logged full view); at 320 px the visit pages do not scroll sideways', async (t) => {
  const { h } = await server();
  const [village, township, clerk, doctor] = [await login(h, 'xihu.village'), await login(h, 'xihu.township'), await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor')];
  const institutionId = await institutionOf(clerk);
  const address = `北山街道宝石社区${Math.floor(Math.random() * 90) + 10}幢1单元302`;
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(village, {
    idNumber, hukouCode: XIHU_VILLAGE, categories: [4], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    applicant: { idNumber, name: '卧床老人', phone: '13912345678', address },
    homeAssessment: { reason: '长期卧床，无法外出', channel: 'phone' },
  });
  for (const [who, action] of [[village, 'approve_home_village'], [township, 'approve_home_township'], [clerk, 'approve_home_county']] as const) await ok(who.act(c.id, action, {}));
  await ok(clerk.act(c.id, 'accept', { institutionId }));
  const batch = await ok(clerk.post('/api/visit-batches', { townshipCode: XIHU_TOWNSHIP, visitOn: addDays(h.clock.today(), 2), mode: 'home', place: '', institutionId, doctors: { 4: await me(doctor) } }), 201);
  await ok(clerk.post(`/api/visit-batches/${batch.id}/cases`, { caseIds: [c.id], expectedVersion: batch.version }));
  const views = async () => (await h.db.query(`SELECT count(*)::int AS n FROM personal_data_view WHERE case_id = $1 AND what = 'visit_list'`, [c.id]))[0].n as number;
  const before = await views();

  const phone = await newPage('xihu.doctor', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  closeAfter(t, phone);
  await phone.goto(`/visits/${batch.id}`);
  await settle(phone);
  const card = phone.getByRole('listitem').filter({ hasText: '卧床老人' });
  await card.getByText(address).waitFor();
  await card.getByRole('link', { name: '13912345678' }).waitFor();
  assert.equal(await views(), before + 1, 'the full view is logged');
  assert.equal(await phone.locator('main .ant-table').count(), 0, 'no table on a phone');
  assert.equal(await scrollsSideways(phone), false);
  await screenshot(phone, 'staff-console-batch-390');
  await axeCheck(phone, 'doctor batch 390');

  for (const [user, path] of [['xihu.doctor', `/visits/${batch.id}`], ['xihu.doctor', '/visits'], ['xihu.clerk', '/visits']] as const) {
    const narrow = await newPage(user, { viewport: { width: 320, height: 700 } });
    closeAfter(t, narrow);
    await narrow.goto(path);
    await settle(narrow);
    assert.equal(await scrollsSideways(narrow), false, `${user} ${path} at 320 px`);
    await screenshot(narrow, `staff-console-visits-320-${user}-${path === '/visits' ? 'list' : 'batch'}`);
  }
});
