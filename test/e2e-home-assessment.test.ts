/**
 * HOME e2e, by clicking, as the people who do it: the community worker files a home-assessment
 * request, the township and the county agree, the county accepts it and plans a visit batch, the
 * doctor records the result on a phone, and the case goes on to a delivered card.
 */
import assert from 'node:assert/strict';
import { addDays, ok } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import type { Page } from 'playwright-core';
import { attachScan, axeCheck, closeAfter, e2e, named, newPage, pickOption, screenshot, scrollsSideways, server, settle, takeAction, waitForState } from './browser.js';

e2e('HOME-1 HOME-2 HOME-3 HOME-4 e2e: a village worker files a home request, township and county agree, the county plans a batch, the doctor records on a phone, the card is delivered', async (t) => {
  const { h } = await server();
  const village = await newPage('xihu.village');
  closeAfter(t, village);

  // --- HOME-2: the community worker takes the family's phone call and enters the request
  await village.getByRole('link', { name: '窗口受理' }).click();
  await village.getByText('村（社区）、乡镇（街道）专职委员在此录入本地居民的上门评定申请。').waitFor();
  const idNumber = makeCitizenId({ division: '330106', birth: '19480302' });
  const applicant = village.locator('.ant-card').filter({ has: village.getByRole('heading', { name: '申请人信息' }) });
  await applicant.getByLabel('居民身份证号').fill(idNumber);
  await applicant.getByLabel('姓名').fill('上门老人');
  await applicant.getByLabel('联系电话').fill('13900139000');
  await applicant.getByLabel('现住址').fill('宝石社区3幢2单元101');
  await applicant.getByRole('checkbox', { name: '肢体残疾' }).check();
  const hukou = village.getByRole('group', { name: '户籍地' });
  await pickOption(village, hukou.getByRole('combobox', { name: '户籍地：省' }), '浙江省');
  await pickOption(village, hukou.getByRole('combobox', { name: '户籍地：市' }), '杭州市');
  await pickOption(village, hukou.getByRole('combobox', { name: '户籍地：县（区）' }), '西湖区');
  await pickOption(village, hukou.getByRole('combobox', { name: '户籍地：乡镇（街道）' }), '北山街道');
  await pickOption(village, hukou.getByRole('combobox', { name: '户籍地：村（社区）' }), '宝石社区');
  await village.getByRole('checkbox', { name: '居住地与户籍地相同' }).check();
  const homeBox = village.getByRole('checkbox', { name: /申请上门评定/ });
  assert.ok(await homeBox.isChecked(), 'a village worker files home requests only');
  assert.ok(await homeBox.isDisabled());
  // the reason is required, checked before sending
  await village.getByRole('button', { name: '提交申请' }).click();
  await village.getByText('请说明行动不便的情况（至少4个字）。').waitFor();
  await village.getByLabel('行动不便的情况').fill('中风后长期卧床，无法下楼');
  await village.getByRole('radio', { name: '电话申请' }).check();
  await village.getByLabel('送达地址').fill('宝石社区3幢2单元101');
  // the worker collected the papers on the home visit
  const materials = village.getByRole('group', { name: '已收取的材料' });
  for (const m of ['近期二寸免冠彩色照片3张', '申请人居民身份证及户口簿', '申请人签署的承诺书']) await materials.getByRole('checkbox', { name: m }).check();
  await axeCheck(village, 'home request form');
  const filing = village.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await village.getByRole('button', { name: '提交申请' }).click();
  const filed = await filing;
  assert.equal(filed.status(), 201, await filed.text());
  const { id, case: created } = await filed.json();
  const caseNo: string = created.caseNo;
  await village.waitForURL(`**/cases/${id}`);
  await waitForState(village, '上门评定申请：村（社区）初审');
  await takeAction(village, '村（社区）初审同意', async (form) => {
    await form.getByLabel('审核意见（可选）').fill('入户核实，长期卧床属实');
  });
  await waitForState(village, '上门评定申请：乡镇（街道）审核');

  // --- the township and the county agree; the county accepts and names the hospital
  const township = await newPage('xihu.township');
  closeAfter(t, township);
  await township.getByRole('link', { name: caseNo }).click();
  await takeAction(township, '乡镇（街道）审核同意');
  await waitForState(township, '上门评定申请：县级残联审核');

  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  await clerk.goto(`/cases/${id}`);
  await takeAction(clerk, '县级残联同意上门评定');
  await waitForState(clerk, '待受理');
  await takeAction(clerk, '受理并指定评定机构', async (form) => {
    await pickOption(clerk, form.getByLabel('评定机构'), '西湖区残疾评定定点医院（演示）');
  });
  await waitForState(clerk, '待安排上门评定');
  await clerk.getByText(/上门评定不收取任何费用/).waitFor();

  // --- HOME-3: the county plans a batch for the township and puts the request on it
  await clerk.getByRole('link', { name: '上门评定', exact: true }).click();
  await clerk.getByRole('heading', { level: 1, name: '上门评定批次' }).waitFor();
  await clerk.getByRole('checkbox', { name: `选择 ${caseNo}` }).check();
  const plan = clerk.locator('.ant-card').filter({ has: clerk.getByRole('heading', { name: '新建走访批次' }) });
  await pickOption(clerk, plan.getByLabel('乡镇（街道）'), '北山街道');
  const visitOn = addDays(h.clock.today(), 2);
  await plan.getByLabel('评定日期').fill(visitOn);
  await plan.getByLabel('评定日期').press('Enter');
  await pickOption(clerk, plan.getByLabel('评定机构'), '西湖区残疾评定定点医院（演示）');
  await pickOption(clerk, plan.getByLabel('肢体残疾评定医生'), '评定医生 周明（西湖）');
  await axeCheck(clerk, 'visit planning');
  await screenshot(clerk, 'home-visit-planning');
  const adding = clerk.waitForResponse((r) => /\/api\/visit-batches\/[^/]+\/cases$/.test(r.url()));
  await plan.getByRole('button', { name: named('建立批次') }).click();
  const added = await adding;
  assert.equal(added.status(), 200);
  // this test's own batch, by its number: other tests plan batches in 西湖区 too, in any order
  const { batchNo } = await added.json();
  const batches = clerk.locator('.ant-card').filter({ has: clerk.getByRole('heading', { name: '走访批次' }) });
  await batches.getByRole('row').filter({ hasText: batchNo }).getByText('待评定 1').waitFor();
  await batches.getByRole('link', { name: batchNo, exact: true }).click();
  await clerk.getByRole('link', { name: '走访名单（可打印）' }).click();
  await clerk.getByRole('heading', { level: 1, name: '上门评定走访名单' }).waitFor();
  for (const shown of ['上门老人', '13900139000', '宝石社区3幢2单元101']) await clerk.getByRole('cell', { name: shown }).waitFor();
  await axeCheck(clerk, 'visit list');
  await screenshot(clerk, 'home-visit-list');

  // --- the doctor, on a phone, opens the batch and records the result on the spot
  const doctor = await newPage('xihu.doctor', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  closeAfter(t, doctor);
  await doctor.goto('/visits');
  await doctor.getByRole('link', { name: batchNo, exact: true }).click();
  await doctor.getByRole('link', { name: `打开案件（录入评定） ${caseNo}` }).click();
  await waitForState(doctor, '评定中');
  // ASMT-2: the signed, stamped paper form is scanned in with the result
  await attachScan(doctor, '残疾评定表（医生签字、机构盖章后的扫描件）');
  await takeAction(doctor, '录入评定结果', async (form) => {
    await form.getByRole('radio', { name: '达到残疾标准', exact: true }).check();
    await pickOption(doctor, form.getByLabel('类别 1'), '肢体');
    await pickOption(doctor, form.getByLabel('等级 1'), '一级');
    await screenshot(doctor, 'home-doctor-phone');
    assert.equal(await scrollsSideways(doctor), false, `the form fits a phone screen; too wide: ${await tooWide(doctor)}`);
  });
  await waitForState(doctor, '评定结果待处理');
  await settle(doctor);
  assert.equal(await scrollsSideways(doctor), false, `the case page fits a phone screen; too wide: ${await tooWide(doctor)}`);
  await axeCheck(doctor, 'case page on a phone');

  // --- HOME-4 and NEW-7: the rest of the way (its screens are proved in e2e-new-flow), to the door
  const api = await login(h, 'xihu.clerk');
  const approver = await login(h, 'xihu.approver');
  await ok(api.act(id, 'forward_to_hukou', {}));
  await ok(approver.act(id, 'approve', { photoOnFile: true }));
  await ok(api.act(id, 'print', {}));
  await ok(api.act(id, 'ship', { method: 'hand', deliverer: '社区专职委员 郑伟' }));
  await ok(api.act(id, 'mark_delivered', { receivedBy: '家属' }));
  const done = await ok(api.get(`/api/cases/${id}`));
  assert.equal(done.state.code, 'delivered');
  assert.equal(done.data.fee, 'waived_home');
  const batch = await ok(api.get(`/api/visit-batches/${done.data.visit.batchId}`));
  assert.equal(batch.visits.find((v: any) => v.caseId === id).outcome, 'assessed');
  const steps = (await ok(api.get(`/api/cases/${id}/history`))).map((e: any) => e.action);
  assert.deepEqual(steps, ['apply', 'approve_home_village', 'approve_home_township', 'approve_home_county', 'accept', 'schedule_visit', 'record_assessment', 'forward_to_hukou', 'approve', 'print', 'ship', 'mark_delivered']);
});

/** The innermost elements that stick out to the right of the window, to say what breaks a reflow. */
function tooWide(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)}px)`)
      .join(', ') || 'none',
  );
}
