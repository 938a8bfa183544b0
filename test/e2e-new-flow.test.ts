/**
 * NEW end to end in the browser, by clicking, as the right people: a 西湖区 clerk files a child's
 * application on site (hukou 金水区, Henan; residence 西湖区, Zhejiang — the national profile, no
 * publicity for a minor), the institution's doctor records the result, the clerk sends it on, the
 * 金水区 approver approves and the 金水区 clerk prints, ships and marks it delivered.
 */
import assert from 'node:assert/strict';
import { apply, institutionOf, ok, toResultReview, XIHU_VILLAGE } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import { attachScan, closeAfter, e2e, named, newPage, openDropdown, pickOption, screenshot, server, takeAction, waitForState } from './browser.js';

e2e('NEW-2 NEW-3 NEW-6 NEW-7 ID-1 MAT-1 e2e: a child\'s NEW case, filed on site by clicking, crosses two provinces to 已送达 with every step in the history', async (t) => {
  const { h } = await server();
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);

  // --- the on-site application form
  await clerk.getByRole('link', { name: '窗口受理' }).click();
  await clerk.getByRole('heading', { level: 1, name: '新办残疾人证申请' }).waitFor();
  const applicantCard = clerk.locator('.ant-card').filter({ has: clerk.getByRole('heading', { name: '申请人信息' }) });
  const idBox = applicantCard.getByLabel('居民身份证号');
  const childId = makeCitizenId({ division: '410105', birth: '20160315', sex: 'F' });
  const wrongCheck = childId.slice(0, 17) + (childId[17] === '1' ? '2' : '1');

  // ID-1: checked as it is typed — too short, then a wrong check digit, then valid
  await idBox.pressSequentially(childId.slice(0, 10));
  await applicantCard.getByText('您输入了10位').waitFor();
  await idBox.fill(wrongCheck);
  await applicantCard.getByText(/最后一位（校验码）与前面的数字不符/).waitFor();
  // sending now is refused on the page, with every problem marked and counted at the top
  await clerk.getByRole('button', { name: '提交申请' }).click();
  await clerk.getByRole('alert').filter({ hasText: '请先更正' }).waitFor();
  assert.ok(clerk.url().endsWith('/apply'), 'an invalid ID number is not sent');
  await t.test('ID-1 the live message is tied to the ID field for screen readers (aria-invalid + aria-describedby)', async () => {
    assert.equal(await idBox.getAttribute('aria-invalid'), 'true', 'the ID field is marked invalid');
    const described = await idBox.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    assert.match(described, /校验码/, 'the field is described by the message');
  });
  await idBox.fill(childId);
  await applicantCard.getByText(/^号码有效：2016\D+0?3\D+15\D* ?出生，女$/).waitFor();

  await applicantCard.getByLabel('姓名').fill('测试儿童');
  await applicantCard.getByLabel('联系电话').fill('13800138001');
  await applicantCard.getByLabel('现住址').fill('杭州市西湖区北山街道宝石社区1号');
  await applicantCard.getByRole('checkbox', { name: '肢体残疾' }).check();

  // hukou: search by name, then narrow down with the cascading selects
  const hukou = clerk.getByRole('group', { name: '户籍地' });
  await hukou.getByRole('combobox', { name: /户籍地：输入地名搜索/ }).pressSequentially('金水区');
  await openDropdown(clerk).locator('.ant-select-item-option').filter({ hasText: /^河南省 郑州市 金水区$/ }).click();
  await hukou.getByText('河南省').waitFor();
  await hukou.getByText('郑州市').waitFor();
  await hukou.getByText('金水区').waitFor();
  await pickOption(clerk, hukou.getByRole('combobox', { name: '户籍地：乡镇（街道）' }), '经八路街道');
  await pickOption(clerk, hukou.getByRole('combobox', { name: '户籍地：村（社区）' }), /^体育社区/, '体育');

  // residence: the cascading selects, province down to community
  const residence = clerk.getByRole('group', { name: '经常居住地' });
  await pickOption(clerk, residence.getByRole('combobox', { name: '经常居住地：省' }), '浙江省');
  await pickOption(clerk, residence.getByRole('combobox', { name: '经常居住地：市' }), '杭州市');
  await pickOption(clerk, residence.getByRole('combobox', { name: '经常居住地：县（区）' }), '西湖区');
  await pickOption(clerk, residence.getByRole('combobox', { name: '经常居住地：乡镇（街道）' }), '北山街道');
  await pickOption(clerk, residence.getByRole('combobox', { name: '经常居住地：村（社区）' }), '宝石社区');
  await clerk.getByText('居住地与户籍地不在同一县（区），须提供有效居住证。').waitFor();

  // a minor needs a guardian
  const guardian = clerk.locator('.ant-card').filter({ has: clerk.getByRole('heading', { name: '监护人' }) });
  await guardian.getByLabel('监护人身份证号').fill(makeCitizenId({ division: '410105', birth: '19850610', sex: 'F' }));
  await guardian.getByLabel('监护人姓名').fill('测试母亲');
  await guardian.getByLabel('监护人电话').fill('13800138002');
  await guardian.getByLabel('与申请人关系').fill('母女');

  await clerk.getByLabel('送达地址').fill('杭州市西湖区北山街道宝石社区1号');
  const materials = clerk.getByRole('group', { name: '已收取的材料' });
  for (const m of ['近期二寸免冠彩色照片3张', '申请人居民身份证及户口簿', '监护人身份证及监护关系证明（同一户口簿或监护证明）', '有效居住证']) {
    await materials.getByRole('checkbox', { name: m }).check();
  }
  await screenshot(clerk, 'apply-filled');
  const filing = clerk.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await clerk.getByRole('button', { name: '提交申请' }).click();
  const filed = await filing;
  assert.equal(filed.status(), 201, await filed.text());
  const { id, case: created } = await filed.json();
  await clerk.waitForURL(`**/cases/${id}`);
  const caseNo: string = created.caseNo;
  await clerk.getByRole('heading', { level: 1, name: `案件 ${caseNo}` }).waitFor();
  await waitForState(clerk, '待受理');
  assert.equal(created.profile, 'national');
  await clerk.getByText('✔ 已提供：有效居住证').waitFor();

  // --- NEW-2: accept and name the institution
  await takeAction(clerk, '受理并指定评定机构', async (form) => {
    await pickOption(clerk, form.getByLabel('评定机构'), '西湖区残疾评定定点医院（演示）');
  });
  await waitForState(clerk, '评定中');

  // --- NEW-3: the doctor finds it on the worklist and records category + level
  const doctor = await newPage('xihu.doctor');
  closeAfter(t, doctor);
  await doctor.getByRole('link', { name: caseNo }).click();
  await waitForState(doctor, '评定中');
  // ASMT-2: the signed, stamped paper form is scanned in with the result
  await attachScan(doctor, '残疾评定表（医生签字、机构盖章后的扫描件）');
  await takeAction(doctor, '录入评定结果', async (form) => {
    await form.getByRole('radio', { name: '达到残疾标准', exact: true }).check();
    await pickOption(doctor, form.getByLabel('类别 1'), '肢体');
    await pickOption(doctor, form.getByLabel('等级 1'), '二级');
  });
  await waitForState(doctor, '评定结果待处理');
  await doctor.getByText('肢体 二级').waitFor();

  // --- the clerk sends it on: a minor is never publicised (NEW-4)
  await clerk.reload();
  await waitForState(clerk, '评定结果待处理');
  await t.test('NEW-4 a minor is not offered publicity, nor a qualified result "not qualified"', async () => {
    assert.equal(await clerk.getByRole('button', { name: named('开始公示') }).count(), 0, 'a minor is never publicised, yet 开始公示 is offered');
    assert.equal(await clerk.getByRole('button', { name: named('告知未达标准') }).count(), 0, 'the result met the standard, yet 告知未达标准 is offered');
  });
  await takeAction(clerk, '报户籍地审核（免公示）', undefined, '确认报户籍地审核（免公示）');
  await waitForState(clerk, '户籍地审核');

  // --- NEW-6: the hukou county's approver approves (a photo is on file)
  const approver = await newPage('jinshui.approver');
  closeAfter(t, approver);
  await approver.getByRole('link', { name: caseNo }).click();
  await takeAction(approver, '审批通过', async (form) => {
    await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).check();
  });
  await waitForState(approver, '待制证');
  await approver.getByText(/证号 \d{3}\*+[\dX]{4}42/).waitFor();

  // --- NEW-7: the hukou county's clerk prints, ships by courier, marks delivered
  const hukouClerk = await newPage('jinshui.clerk');
  closeAfter(t, hukouClerk);
  await hukouClerk.getByRole('link', { name: caseNo }).click();
  await takeAction(hukouClerk, '制证', undefined, '确认制证');
  await waitForState(hukouClerk, '待寄送');
  await takeAction(hukouClerk, '寄送', async (form) => {
    assert.ok(await form.getByRole('radio', { name: '快递邮寄', exact: true }).isChecked(), 'courier is the default');
    await form.getByLabel('快递公司').fill('EMS');
    await form.getByLabel('运单号').fill('EMS1234567890');
  });
  await waitForState(hukouClerk, '寄送中');
  await takeAction(hukouClerk, '确认送达', async (form) => {
    await form.getByLabel('签收人').fill('测试母亲');
  });
  await waitForState(hukouClerk, '已送达');
  await hukouClerk.getByText('当前阶段没有需要您办理的操作。').waitFor();

  // every step is in the history, in order
  const steps = ['提交申请', '受理并指定评定机构', '录入评定结果', '报户籍地审核（免公示）', '审批通过', '制证', '寄送', '确认送达'];
  const history = hukouClerk.locator('.ant-card').filter({ has: hukouClerk.getByRole('heading', { name: '办理过程' }) });
  await history.getByText('确认送达', { exact: true }).waitFor();
  const shown = await history.locator('.ant-timeline-item strong').allTextContents();
  assert.deepEqual(shown, steps);
  await history.getByText('（金水区审批人 赵刚）').waitFor();
  await t.test('NEW-7 the case page shows how the card went out: courier, tracking number, who received it', async () => {
    const main = await hukouClerk.locator('main').innerText();
    for (const shown of ['EMS1234567890', '测试母亲']) assert.ok(main.includes(shown), `the case page shows ${shown}`);
  });
  await screenshot(hukouClerk, 'case-delivered');

  const api = await login(h, 'jinshui.clerk');
  const events = await ok(api.get(`/api/cases/${id}/history`));
  assert.deepEqual(events.map((e: any) => e.action), ['apply', 'accept', 'record_assessment', 'forward_to_hukou', 'approve', 'print', 'ship', 'mark_delivered']);
});

e2e('ORG-3 e2e: a clerk of another county opening a 西湖区-only case by its address sees "not found", not the case', async (t) => {
  const { h } = await server();
  const xihu = await login(h, 'xihu.clerk');
  const c = await apply(xihu, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, materialsProvided: ['photos'] });

  const page = await newPage('jinshui.clerk');
  closeAfter(t, page);
  for (const path of [`/cases/${c.id}`, `/cases/${c.id}/notice`]) {
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${c.id}`) || r.url().includes(`/api/cases/${c.id}/notices`));
    await page.goto(path);
    assert.equal((await answer).status(), 404);
    await page.getByRole('alert').filter({ hasText: '未找到该案件，或不在您的管辖范围内。请核对编号。' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes(c.body.case.caseNo), `${path}: the case number must not show`);
    assert.equal(await page.getByRole('heading', { name: /^案件 / }).count(), 0);
  }
  await screenshot(page, 'case-not-found');
});

e2e('NEW-4 e2e: an adult’s result is publicised in the browser; when the publicity period has ended the clerk closes it and the hukou county approves', async (t) => {
  const { h } = await server();
  t.after(() => h.clock.reset());
  // filed, accepted and assessed through the API (the clicks for those are proved above)
  const c = await toResultReview(h, await login(h, 'xihu.clerk'), await login(h, 'xihu.doctor'));
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  await clerk.goto(`/cases/${c.id}`);
  await waitForState(clerk, '评定结果待处理');
  await takeAction(clerk, '开始公示', async (form) => {
    await form.getByLabel('公示地点').fill('北山街道宝石社区公示栏');
  });
  await waitForState(clerk, '公示中');
  // the period has not ended: closing it is not offered yet, and the page says why
  assert.equal(await clerk.getByRole('button', { name: named('公示期满，报户籍地') }).count(), 0);
  await clerk.getByText(/公示期至\d{4}年\d{1,2}月\d{1,2}日，期满后方可结束/).waitFor();

  // eight days later, a new working session
  const ended = new Date(Date.now() + 8 * 86400_000).toISOString().slice(0, 10);
  h.clock.setToday(ended);
  const later = await newPage('xihu.clerk');
  closeAfter(t, later);
  await later.goto(`/cases/${c.id}`);
  await waitForState(later, '公示中');
  await takeAction(later, '公示期满，报户籍地', undefined, '确认公示期满，报户籍地');
  await waitForState(later, '户籍地审核');

  const approver = await newPage('jinshui.approver');
  closeAfter(t, approver);
  await approver.goto(`/cases/${c.id}`);
  await takeAction(approver, '审批通过', async (form) => {
    await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).check();
  });
  await waitForState(approver, '待制证');
  const history = await ok((await login(h, 'xihu.clerk')).get(`/api/cases/${c.id}/history`));
  assert.deepEqual(history.map((e: any) => e.action).slice(-3), ['start_publicity', 'finish_publicity', 'approve']);
});

e2e('ASMT-2 e2e: the doctor enters measurements; a conclusion that departs from them is refused until justified, then flagged', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, categories: [2], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(c.id, 'accept', { institutionId: await institutionOf(clerk) }));
  const doctor = await newPage('xihu.doctor');
  closeAfter(t, doctor);
  await doctor.goto(`/cases/${c.id}`);
  await waitForState(doctor, '评定中');
  await doctor.getByRole('button', { name: named('录入评定结果') }).click();
  const form = doctor.getByRole('region', { name: '录入评定结果' });
  await form.getByRole('radio', { name: '达到残疾标准', exact: true }).check();
  await pickOption(doctor, form.getByLabel('类别 1'), '听力');
  await pickOption(doctor, form.getByLabel('等级 1'), '一级');
  await form.getByLabel('左耳平均听力损失（dB HL）').fill('95');
  await form.getByLabel('右耳平均听力损失（dB HL）').fill('85');
  await form.getByLabel('听力：年龄（岁）').fill('40');
  await form.getByRole('button', { name: named('提交') }).click();
  await form.getByRole('alert').filter({ hasText: '填写理由' }).waitFor();
  await form.getByLabel('结论与测量值不一致时的理由').fill('言语识别率极差，结合临床综合判定');
  const answer = doctor.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/actions/record_assessment'));
  await form.getByRole('button', { name: named('提交') }).click();
  assert.equal((await answer).status(), 200);
  await waitForState(doctor, '评定结果待处理');
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.equal(view.data.assessment.flaggedForAudit, true);
  assert.deepEqual(view.data.assessment.gradingCheck, [{ category: 2, implied: 2, concluded: 1, agrees: false }]);
});
