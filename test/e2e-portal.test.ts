/**
 * The applicant's side in the browser: register in the portal, apply online choosing residence and
 * hukou places, follow the case in plain language, and see every missing item once the clerk asks.
 */
import assert from 'node:assert/strict';
import { makeCitizenId } from './harness.js';
import { closeAfter, e2e, named, newPage, openDropdown, pickOption, screenshot, takeAction, waitForState } from './browser.js';

/** A mobile number nobody in this run has registered yet. */
const freshPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

e2e('MAT-2 NEW-2 e2e: an applicant registers in the portal, applies online, follows the case in plain words and sees every missing item the clerk asks for', async (t) => {
  const applicant = await newPage();
  closeAfter(t, applicant);

  // --- register
  await applicant.goto('/portal/login');
  await applicant.getByRole('heading', { level: 1, name: '残疾人证网上办理' }).waitFor();
  await applicant.getByRole('tab', { name: '注册' }).click();
  const register = applicant.getByRole('tabpanel', { name: '注册' });
  await register.getByLabel('申请人或家属姓名').fill('测试家属');
  await t.test('the register form\'s phone and password fields carry their labels', async () => {
    assert.equal(await register.getByLabel('手机号').count(), 1, 'the 手机号 field of the 注册 tab is labelled');
    assert.equal(await register.getByLabel('密码（至少8位，含字母和数字）').count(), 1, 'the password field of the 注册 tab is labelled');
  });
  // until then, reach them as the browser's autofill does
  await register.locator('input[autocomplete="tel"]').fill(freshPhone());
  await register.locator('input[autocomplete="new-password"]').fill('Applicant2026');
  await register.getByRole('button', { name: named('注册') }).click();
  await applicant.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  await applicant.getByText('您还没有申请。').waitFor();

  // --- apply online
  await applicant.getByRole('button', { name: named('新办残疾人证') }).click();
  await applicant.getByRole('heading', { level: 1, name: '网上申请残疾人证' }).waitFor();
  assert.equal(await applicant.getByRole('group', { name: '已收取的材料' }).count(), 0, 'the applicant does not tick materials');
  const idNumber = makeCitizenId({ division: '410105', birth: '19900520', sex: 'M' });
  const card = applicant.locator('.ant-card').filter({ has: applicant.getByRole('heading', { name: '申请人信息' }) });
  await card.getByLabel('居民身份证号').fill(idNumber);
  await card.getByText(/^号码有效：1990\D+0?5\D+20\D* ?出生，男$/).waitFor();
  await card.getByLabel('姓名').fill('测试网上申请人');
  await card.getByLabel('联系电话').fill('13900139000');
  await card.getByRole('checkbox', { name: '听力残疾' }).check();

  const hukou = applicant.getByRole('group', { name: '户籍地' });
  await pickOption(applicant, hukou.getByRole('combobox', { name: '户籍地：省' }), '河南省');
  await pickOption(applicant, hukou.getByRole('combobox', { name: '户籍地：市' }), '郑州市');
  await pickOption(applicant, hukou.getByRole('combobox', { name: '户籍地：县（区）' }), '金水区');
  const residence = applicant.getByRole('group', { name: '经常居住地' });
  await residence.getByRole('combobox', { name: /经常居住地：输入地名搜索/ }).pressSequentially('西湖区');
  await openDropdown(applicant).locator('.ant-select-item-option').filter({ hasText: /^浙江省 杭州市 西湖区$/ }).click();
  await residence.getByText('西湖区', { exact: true }).waitFor();
  await applicant.getByLabel('送达地址').fill('杭州市西湖区北山街道宝石社区2号');
  await screenshot(applicant, 'portal-apply-filled');

  const filing = applicant.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await applicant.getByRole('button', { name: '提交申请' }).click();
  const filed = await filing;
  assert.equal(filed.status(), 201, await filed.text());
  const { id, case: created } = await filed.json();
  assert.equal(created.channel, 'online');
  await applicant.waitForURL(`**/portal/cases/${id}`);
  await applicant.getByRole('heading', { level: 1, name: `案件 ${created.caseNo}` }).waitFor();
  await waitForState(applicant, '待受理');
  await applicant.getByText('您的申请已提交，受理地残联正在审核材料。').waitFor();
  await screenshot(applicant, 'portal-case-submitted');

  // --- MAT-2: the residence county's clerk asks for everything missing at once
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  // opened from its address: the 西湖区 test worklist holds hundreds of cases by now, this one maybe not on page 1
  await clerk.goto(`/cases/${id}`);
  await waitForState(clerk, '待受理');
  await takeAction(clerk, '一次性告知补正材料', async (form) => {
    await form.getByLabel('备注（可选）').fill('请一次补齐照片、身份证户口簿和居住证。');
  });
  await waitForState(clerk, '待补正材料');
  await clerk.getByRole('link', { name: '打印一次性告知单' }).click();
  await clerk.getByRole('heading', { level: 1, name: '残疾人证申请材料一次性告知单' }).waitFor();
  const noticeItems = await clerk.locator('article ol li').allTextContents();
  assert.deepEqual(noticeItems, ['近期二寸免冠彩色照片3张', '申请人居民身份证及户口簿', '有效居住证']);
  await screenshot(clerk, 'notice');

  // --- the applicant sees what is missing, in plain words, on the case and on the list
  await applicant.reload();
  await waitForState(applicant, '待补正材料');
  await applicant.getByText('材料不齐，请按告知单补齐全部材料后交给受理地残联或在网上上传。').waitFor();
  const missingLine = applicant.getByText(/^请补齐以下材料：/);
  await missingLine.waitFor();
  const missing = await missingLine.innerText();
  for (const item of noticeItems) assert.ok(missing.includes(item), `the applicant is told "${item}" is missing: ${missing}`);
  await screenshot(applicant, 'portal-case-missing');

  await applicant.getByRole('link', { name: '我的申请' }).first().click();
  await applicant.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  await applicant.getByRole('link', { name: `新办残疾人证 · ${created.caseNo}` }).waitFor();
  await applicant.getByText('待补正材料 — 材料不齐，请按告知单补齐全部材料后交给受理地残联或在网上上传。').waitFor();
  await screenshot(applicant, 'portal-home');
});
