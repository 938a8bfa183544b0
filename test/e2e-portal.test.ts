/**
 * The applicant's side in the browser: register in the portal, apply online choosing residence and
 * hukou places, follow the case in plain language, and see every missing item once the clerk asks.
 */
import assert from 'node:assert/strict';
import { freshPhone, registerApplicant } from './applicants.js';
import { CLIENT_HEADER, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, openDropdown, pickOption, registerInPortal, screenshot, server, settle, takeAction, textedCode, waitForState } from './browser.js';

e2e('MAT-2 NEW-2 e2e: an applicant registers in the portal, applies online, follows the case in plain words and sees every missing item the clerk asks for', async (t) => {
  const applicant = await newPage();
  closeAfter(t, applicant);

  // --- register (phone, texted code, name, password: the SEC-3 test below looks at each step)
  await registerInPortal(applicant, '测试家属');
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

e2e('SEC-3 e2e: registering asks for a texted code (then 60 s before another), a wrong code is announced at its field, and 忘记密码 resets the password with a code', async (t) => {
  const { h } = await server();
  const page = await newPage();
  closeAfter(t, page);
  await page.goto('/portal/login');
  await page.getByRole('tab', { name: '注册' }).click();
  const register = page.getByRole('tabpanel', { name: '注册' });

  await t.test('every field carries its label; 获取验证码 first wants a mobile number', async () => {
    for (const label of ['手机号', '短信验证码（6位数字）', '申请人或家属姓名', '密码（至少8位，含字母和数字）']) assert.equal(await register.getByLabel(label).count(), 1, `${label} is labelled`);
    await register.getByRole('button', { name: '获取验证码' }).click();
    await register.getByText('请输入1开头的11位手机号').waitFor();
  });

  const phone = freshPhone();
  const code = await textedCode(page, register, phone);
  await t.test('the button counts down before another code may be asked for', async () => {
    const again = register.getByRole('button', { name: /^重新获取（\d+秒）$/ });
    await again.waitFor();
    assert.equal(await again.isDisabled(), true);
    assert.match((await again.textContent())!, /^重新获取（(60|59|58)秒）$/);
    await register.getByRole('button', { name: '重新获取（59秒）' }).waitFor(); // it ticks
  });

  await register.getByLabel('申请人或家属姓名').fill('验证码测试');
  await register.getByLabel('密码（至少8位，含字母和数字）').fill('Applicant2026');
  await register.getByLabel('短信验证码（6位数字）').fill(code === '000000' ? '111111' : '000000');
  await register.getByRole('button', { name: named('注册') }).click();
  const wrongCode = '验证码不正确或已失效。请核对短信中的6位验证码；验证码10分钟内有效，输错5次后失效，失效后请重新获取。';
  await page.getByRole('alert').filter({ hasText: wrongCode }).waitFor();
  assert.equal(await register.getByLabel('短信验证码（6位数字）').getAttribute('aria-invalid'), 'true', 'the code field is marked wrong');
  await settle(page);
  await screenshot(page, 'portal-register-code');
  await axeCheck(page, 'portal register, code sent and a wrong code');

  await register.getByLabel('短信验证码（6位数字）').fill(code);
  await register.getByRole('button', { name: named('注册') }).click();
  await page.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();

  // --- 忘记密码: a family that registered earlier resets its password in another browser
  const family = await registerApplicant(h, { password: 'Forgotten2026' });
  const other = await newPage();
  closeAfter(t, other);
  await other.goto('/portal/login');
  await other.getByRole('button', { name: '忘记密码？' }).click();
  const heading = other.getByRole('heading', { level: 2, name: '重设密码' });
  await heading.waitFor();
  assert.equal(await heading.evaluate((el) => el === document.activeElement), true, 'the focus moves to the reset form’s heading');
  const reset = other.getByRole('region', { name: '重设密码' });
  await reset.getByLabel('短信验证码（6位数字）').fill(await textedCode(other, reset, family.phone));
  await reset.getByLabel('新密码（至少8位，含字母和数字）').fill('Remembered2026');
  await settle(other);
  await screenshot(other, 'portal-reset-password');
  await axeCheck(other, 'portal password reset');
  await reset.getByRole('button', { name: '重设密码并登录' }).click();
  await other.getByRole('heading', { level: 1, name: '我的申请' }).waitFor();
  const relog = await h.app.inject({ method: 'POST', url: '/api/applicant/login', payload: { phone: family.phone, password: 'Remembered2026' }, headers: CLIENT_HEADER, remoteAddress: '198.18.200.1' });
  assert.equal(relog.statusCode, 200, 'the new password works');
});
