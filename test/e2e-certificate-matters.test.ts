/**
 * The five matters on an existing certificate end to end in the browser, by clicking, as the right
 * people — from the application on the 证件业务 screen to the new card delivered (or the
 * certificate cancelled). The starting certificate is made through the API (the NEW flow's clicks
 * are proved in e2e-new-flow); everything after is done on the screens.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { maskCertificateNumber } from '../src/domain/certificate-number.js';
import { CANCEL_REASON_LABELS } from '../src/domain/certificates.js';
import { materialLabel } from '../src/domain/materials.js';
import { guardian, type Holder, holder, ok } from './fixtures.js';
import { type Harness, login } from './harness.js';
import { attachScan, axeCheck, closeAfter, e2e, named, newPage, openDropdown, pickOption, registerInPortal, screenshot, scrollsSideways, server, settle, takeAction, waitForState } from './browser.js';

const label = (code: string) => materialLabel(code).zh;

type Filing = {
  matter: string;
  variant?: string;
  holder: Holder;
  /** what the matter needs besides the holder: filled in the form before the materials */
  fill?: (page: Page) => Promise<void>;
  materials: string[];
  oldCard?: boolean;
  /** the screenshot's name; axe runs on the filled form too */
  name: string;
};

/**
 * On the 证件业务 screen: chooses the matter and kind, types the holder's ID number, checks the
 * holder and the certificate the lookup shows, fills the rest and files it; returns the new case.
 */
async function fileApplication(page: Page, f: Filing) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '证件业务' }).click();
  await page.getByRole('heading', { level: 1, name: /^证件业务：/ }).waitFor();
  await page.getByRole('group', { name: /^要办理的事项/ }).getByRole('radio', { name: f.matter, exact: true }).check();
  if (f.variant) await page.getByRole('group', { name: /^办理类型/ }).getByRole('radio', { name: f.variant, exact: true }).check();
  await page.getByLabel('持证人居民身份证号').fill(f.holder.idNumber);
  const found = page.getByRole('region', { name: '辖区档案中的持证人' });
  await found.getByText(maskCertificateNumber(f.holder.number), { exact: false }).waitFor();
  await found.getByText('有效', { exact: true }).waitFor();
  await f.fill?.(page);
  const materials = page.getByRole('group', { name: '已收取的材料' });
  for (const m of f.materials) await materials.getByRole('checkbox', { name: label(m) }).check();
  if (f.oldCard) await page.getByRole('checkbox', { name: /^旧证已交回/ }).check();
  await settle(page);
  await screenshot(page, `cert-apply-${f.name}`);
  await axeCheck(page, `certificate application: ${f.name}`);
  const filing = page.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '提交申请' }).click();
  const res = await filing;
  assert.equal(res.status(), 201, await res.text());
  const { id, case: created } = await res.json();
  await page.waitForURL(`**/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: `案件 ${created.caseNo}` }).waitFor();
  return { id: id as string, caseNo: created.caseNo as string };
}

/** The guardian section, for a child holder. */
async function fillGuardian(page: Page) {
  const card = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '监护人' }) });
  const g = guardian();
  await card.getByLabel('监护人身份证号').fill(g.idNumber);
  await card.getByLabel('监护人姓名').fill('测试母亲');
  await card.getByLabel('监护人电话').fill(g.phone);
  await card.getByLabel('与持证人关系').fill('母子');
}

/** A case page as `user` sees it. */
async function caseAs(t: Parameters<typeof closeAfter>[0], user: string, caseId: string) {
  const page = await newPage(user);
  closeAfter(t, page);
  await page.goto(`/cases/${caseId}`);
  return page;
}

/** The hukou county's clerk prints, ships by courier and marks the card delivered. */
async function printShipDeliver(page: Page) {
  await takeAction(page, '制证', undefined, '确认制证');
  await waitForState(page, '待寄送');
  await takeAction(page, '寄送', async (form) => {
    await form.getByLabel('快递公司').fill('EMS');
    await form.getByLabel('运单号').fill('EMS1234567890');
  });
  await waitForState(page, '寄送中');
  await takeAction(page, '确认送达', async (form) => {
    await form.getByLabel('签收人').fill('持证人本人');
  });
  await waitForState(page, '已送达');
}

/** The person page's section for one card (headed by its masked number and card count). */
const cardSection = (page: Page, number: string, cardNo: number): Locator =>
  page.getByRole('region', { name: `${maskCertificateNumber(number)}（第${cardNo}张）` });

/** The value of a description list's row (case page, person page), by its label. */
function item(scope: Page | Locator, text: string) {
  const page = 'mainFrame' in scope ? scope : scope.page();
  return scope.locator('.ant-descriptions-item').filter({ has: page.locator('.ant-descriptions-item-label', { hasText: new RegExp(`^${text}$`) }) }).locator('.ant-descriptions-item-content');
}

/** Waits until a card's section on the person page shows the state. */
const cardState = (section: Locator, state: string) => item(section, '状态').filter({ hasText: new RegExp(`^${state}$`) }).waitFor();

/** Whether the case is on the user's worklist, on any of its pages. */
async function onWorklist(h: Harness, user: string, caseId: string) {
  const api = await login(h, user);
  for (let page = 1; ; page++) {
    const list = await ok(api.get(`/api/worklist?pageSize=100&page=${page}`));
    if (list.items.some((i: any) => i.id === caseId)) return true;
    if (list.items.length < 100) return false;
  }
}

e2e('RENEW-3 CARD-1 e2e: a child’s damaged card, filed in 西湖区 and approved in 金水区, is replaced with the same validity to 已送达', async (t) => {
  const { h } = await server();
  const who = await holder(h, 'jinshui');
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  const c = await fileApplication(clerk, {
    matter: '换领', variant: '证件残损换新', holder: who, name: 'renew',
    fill: async (page) => {
      // the residence on file is filled in; a child needs a guardian
      await page.getByRole('group', { name: '经常居住地' }).getByText('宝石社区').waitFor();
      await fillGuardian(page);
    },
    materials: ['photos', 'id_and_hukou', 'old_card', 'guardian_proof', 'residence_permit'],
    oldCard: true,
  });
  await waitForState(clerk, '待受理');
  await item(clerk, '办理类型').filter({ hasText: '证件残损换新' }).waitFor();
  await item(clerk, '办理的残疾人证').filter({ hasText: maskCertificateNumber(who.number) }).waitFor();
  await item(clerk, '旧证').filter({ hasText: '已交回' }).waitFor();
  await clerk.getByText('✔ 已提供：原残疾人证（交回）').waitFor();
  await t.test('RENEW-3 only an expiry renewal is reassessed: no 受理并安排重新评定 is offered as an open action', async () => {
    assert.equal(await clerk.getByRole('button', { name: named('受理并安排重新评定') }).count(), 0);
  });
  await settle(clerk);
  await axeCheck(clerk, 'renewal case page');
  await takeAction(clerk, '审核通过，报户籍地');
  await waitForState(clerk, '户籍地审核');

  const approver = await caseAs(t, 'jinshui.approver', c.id);
  await takeAction(approver, '审批通过，制发新证', async (form) => {
    await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).check();
  });
  await waitForState(approver, '待制证');
  const hukouClerk = await caseAs(t, 'jinshui.clerk', c.id);
  await printShipDeliver(hukouClerk);
  await screenshot(hukouClerk, 'cert-renew-delivered');

  const file = await ok((await login(h, 'jinshui.clerk')).get(`/api/persons/${who.personId}`));
  const [card, old] = file.certificates;
  assert.deepEqual([card.numberMasked, card.cardNo, card.state, card.validFrom, card.validUntil], [old.numberMasked, 2, 'active', old.validFrom, old.validUntil], 'same number and validity, card 2');
  assert.equal(old.state, 'cancelled');
  const held = await ok((await login(h, 'xihu.clerk')).get('/api/old-cards?status=held'));
  assert.ok(held.items.some((x: any) => x.case?.caseNo === c.caseNo), 'CARD-1: the card handed in is on 西湖区’s register');
});

e2e('TRF-1 TRF-2 e2e: a 金水区 holder moves the hukou to 西湖区; 西湖区 approves, 金水区 uploads and hands over the archive, 西湖区 prints and delivers', async (t) => {
  const { h } = await server();
  const who = await holder(h, 'jinshui');
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  const c = await fileApplication(clerk, {
    matter: '迁移', holder: who, name: 'transfer',
    fill: async (page) => {
      const hukou = page.getByRole('group', { name: '新户籍地（迁入地）' });
      await hukou.getByRole('combobox', { name: /新户籍地（迁入地）：输入地名搜索/ }).pressSequentially('西湖区');
      await openDropdown(page).locator('.ant-select-item-option').filter({ hasText: /^浙江省 杭州市 西湖区$/ }).click();
      await pickOption(page, hukou.getByRole('combobox', { name: '新户籍地（迁入地）：乡镇（街道）' }), '北山街道');
      await pickOption(page, hukou.getByRole('combobox', { name: '新户籍地（迁入地）：村（社区）' }), '宝石社区');
      await fillGuardian(page);
    },
    materials: ['photos', 'id_and_hukou', 'hukou_transfer_proof', 'old_card'],
  });
  await waitForState(clerk, '待受理');
  await item(clerk, '原户籍地').filter({ hasText: /金水区/ }).waitFor();
  await settle(clerk);
  await axeCheck(clerk, 'transfer case page');

  // TRF-1: the new hukou county approves; the notice goes to the former county
  const approver = await caseAs(t, 'xihu.approver', c.id);
  await takeAction(approver, '审批迁入，通知原户籍地移交档案', async (form) => {
    await form.getByLabel('备注（可选）').fill('户口已迁入北山街道');
  });
  await waitForState(approver, '待原户籍地移交档案');
  await item(approver, '等待').filter({ hasText: '原户籍地县级残联' }).waitFor();

  // TRF-2: the former county finds it on its worklist, scans the archive in and hands it over
  const origin = await newPage('jinshui.clerk');
  closeAfter(t, origin);
  // it is on the former county's worklist (checked through the API: the shared test lists run to many pages); open it
  assert.ok(await onWorklist(h, 'jinshui.clerk', c.id), 'the transfer notice reaches the former county');
  await origin.goto(`/cases/${c.id}`);
  await waitForState(origin, '待原户籍地移交档案');
  await origin.getByText(/移交档案电子材料：请先上传档案电子材料/).waitFor();
  await attachScan(origin, label('archive_file'));
  await takeAction(origin, '移交档案电子材料', async (form) => {
    await form.getByLabel('纸质档案存放地点（可选）').fill('金水区残联档案室');
  });
  await waitForState(origin, '待制证');
  await item(origin, '档案移交').filter({ hasText: /纸质档案存放于金水区残联档案室/ }).waitFor();
  await screenshot(origin, 'cert-transfer-handed-over');

  const xihu = await caseAs(t, 'xihu.clerk', c.id);
  await printShipDeliver(xihu);
  const history = xihu.locator('.ant-card').filter({ has: xihu.getByRole('heading', { name: '办理过程' }) });
  await history.getByText('确认送达', { exact: true }).waitFor();
  assert.deepEqual(await history.locator('.ant-timeline-item strong').allTextContents(),
    ['提交申请', '审批迁入，通知原户籍地移交档案', '移交档案电子材料', '制证', '寄送', '确认送达']);
  const file = await ok((await login(h, 'xihu.clerk')).get(`/api/persons/${who.personId}`));
  assert.match(file.hukouName, /西湖区/, 'the hukou moved with the certificate');
  assert.equal(file.certificates[0].numberMasked, maskCertificateNumber(who.number), 'the number follows the person');
});

e2e('REISSUE-1 e2e: the person page shows 已挂失 right after the application; the reissued card is delivered with the same number', async (t) => {
  const { h } = await server();
  const who = await holder(h);
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  const c = await fileApplication(clerk, {
    matter: '挂失补办', holder: who, name: 'reissue', materials: ['photos', 'id_and_hukou', 'loss_statement'],
    fill: async (page) => assert.equal(await page.getByRole('checkbox', { name: /^旧证已交回/ }).count(), 0, 'a lost card cannot be handed in'),
  });
  await waitForState(clerk, '待受理');
  await settle(clerk);
  await axeCheck(clerk, 'reissue case page');

  // REISSUE-1: reported lost the moment the application is taken
  await clerk.getByRole('link', { name: '查看人员档案' }).click();
  await clerk.getByRole('heading', { level: 1, name: '人员档案' }).waitFor();
  const lost = cardSection(clerk, who.number, 1);
  await cardState(lost, '已挂失');
  await lost.getByRole('table', { name: '状态变更' }).getByRole('row').filter({ hasText: '挂失' }).getByRole('link', { name: c.caseNo }).waitFor();

  await clerk.goto(`/cases/${c.id}`);
  await takeAction(clerk, '审核通过，报户籍地');
  await waitForState(clerk, '户籍地审核');
  const approver = await caseAs(t, 'xihu.approver', c.id);
  await takeAction(approver, '审批通过，补发新证', async (form) => {
    await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).check();
  });
  await waitForState(approver, '待制证');
  await clerk.reload();
  await printShipDeliver(clerk);

  await clerk.getByRole('link', { name: '查看人员档案' }).click();
  const card = cardSection(clerk, who.number, 2);
  await cardState(card, '有效');
  const old = cardSection(clerk, who.number, 1);
  await cardState(old, '已挂失');
  await old.getByRole('link', { name: `${maskCertificateNumber(who.number)}（第2张）` }).waitFor();
  await screenshot(clerk, 'cert-reissue-person');
});

e2e('CANCEL-1 e2e: a whole cancellation on the holder’s death, with the death proof, ends 已注销 and the person page shows the certificate cancelled', async (t) => {
  const { h } = await server();
  const who = await holder(h);
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  const death = CANCEL_REASON_LABELS.death.zh;
  const c = await fileApplication(clerk, {
    matter: '注销', variant: '整证注销', holder: who, name: 'cancel',
    fill: async (page) => {
      await page.getByRole('group', { name: /^注销原因/ }).getByRole('radio', { name: death }).check();
      await page.getByLabel('情况说明（可选）').fill('家属提交死亡证明');
      // no card comes of a whole cancellation
      assert.equal(await page.getByRole('heading', { name: '证件送达方式' }).count(), 0);
    },
    materials: ['id_and_hukou', 'death_proof'],
    oldCard: true,
  });
  await waitForState(clerk, '待受理');
  await item(clerk, '注销原因').filter({ hasText: new RegExp(`^${death}；家属提交死亡证明$`) }).waitFor();
  await settle(clerk);
  await axeCheck(clerk, 'cancellation case page');
  await takeAction(clerk, '审核通过，报户籍地');
  await waitForState(clerk, '户籍地审核');
  const approver = await caseAs(t, 'xihu.approver', c.id);
  await t.test('CANCEL-1 a whole cancellation is not offered a new card', async () => {
    assert.equal(await approver.getByRole('button', { name: named('审批部分注销，制发新证') }).count(), 0);
  });
  await takeAction(approver, '审批注销', async (form) => {
    await form.getByLabel('备注（可选）').fill('核实死亡证明');
  });
  await waitForState(approver, '已注销');
  await item(approver, '注销').filter({ hasText: /已注销$/ }).waitFor();
  await screenshot(approver, 'cert-cancel-done');

  await approver.getByRole('link', { name: '查看人员档案' }).click();
  const card = cardSection(approver, who.number, 1);
  await cardState(card, '注销');
  await card.getByRole('table', { name: '状态变更' }).getByRole('row').filter({ hasText: death }).waitFor();
});

e2e('CHANGE-1 ASMT-2 e2e: a level change is accepted, assessed with the scanned form, sent on and approved; the person page shows the old number replaced by the new', async (t) => {
  const { h } = await server();
  const who = await holder(h);
  const clerk = await newPage('xihu.clerk');
  closeAfter(t, clerk);
  const c = await fileApplication(clerk, {
    matter: '类别/等级变更', holder: who, name: 'change',
    fill: async (page) => {
      await page.getByRole('group', { name: /^申请评定的残疾类别/ }).getByRole('checkbox', { name: '肢体残疾' }).check();
    },
    materials: ['photos', 'id_and_hukou', 'old_card', 'commitment_letter'],
    oldCard: true,
  });
  await waitForState(clerk, '待受理');
  await settle(clerk);
  await axeCheck(clerk, 'change case page');
  await takeAction(clerk, '受理并指定评定机构', async (form) => {
    await pickOption(clerk, form.getByLabel('评定机构'), '西湖区残疾评定定点医院（演示）');
  });
  await waitForState(clerk, '评定中');

  const doctor = await caseAs(t, 'xihu.doctor', c.id);
  await waitForState(doctor, '评定中');
  await attachScan(doctor, label('assessment_form'));
  await takeAction(doctor, '录入评定结果', async (form) => {
    await form.getByRole('radio', { name: '达到残疾标准', exact: true }).check();
    await pickOption(doctor, form.getByLabel('类别 1'), '肢体');
    await pickOption(doctor, form.getByLabel('等级 1'), '一级');
  });
  await waitForState(doctor, '评定结果待处理');

  await clerk.reload();
  await takeAction(clerk, '报户籍地审核（免公示）', undefined, '确认报户籍地审核（免公示）');
  await waitForState(clerk, '户籍地审核');
  const approver = await caseAs(t, 'xihu.approver', c.id);
  await takeAction(approver, '审批通过，制发新证', async (form) => {
    await form.getByRole('checkbox', { name: '已有照片（含数据共享获取的电子照片）' }).check();
  });
  await waitForState(approver, '待制证');

  const renumbered = who.number.slice(0, 18) + '41';
  await approver.getByRole('link', { name: '查看人员档案' }).click();
  const old = cardSection(approver, who.number, 1);
  await cardState(old, '注销');
  await old.getByRole('link', { name: `${maskCertificateNumber(renumbered)}（第1张）` }).click();
  const card = cardSection(approver, renumbered, 1);
  await item(card, '类别与等级').filter({ hasText: /^肢体 一级$/ }).waitFor();
  await cardState(card, '有效');
  await screenshot(approver, 'cert-change-person');
  const found = await ok((await login(h, 'xihu.clerk')).get(`/api/persons?certificateNumber=${who.number}`));
  assert.equal(found.items[0].certificate.replacedBy.numberMasked, maskCertificateNumber(renumbered), 'the old number leads to the new card');
});

e2e('RENEW-3 CANCEL-1 e2e: online, the family files a damaged-card renewal on the 证件业务 screen; a cancellation is not offered there', async (t) => {
  const { h } = await server();
  const who = await holder(h);
  const applicant = await newPage();
  closeAfter(t, applicant);
  await registerInPortal(applicant, '持证人家属');

  await applicant.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '证件业务' }).click();
  await applicant.getByRole('heading', { level: 1, name: /^网上办理证件业务/ }).waitFor();
  const matters = applicant.getByRole('group', { name: /^要办理的事项/ });
  assert.deepEqual(await matters.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.closest('label')?.textContent)), ['换领', '迁移', '挂失补办', '类别/等级变更']);
  await applicant.getByText('注销残疾人证须到县级残联办理，不能网上申请。').waitFor();
  await matters.getByRole('radio', { name: '换领', exact: true }).check();
  await applicant.getByRole('group', { name: /^办理类型/ }).getByRole('radio', { name: '证件残损换新' }).check();
  await applicant.getByLabel('持证人居民身份证号').fill(who.idNumber);
  assert.equal(await applicant.getByRole('group', { name: '已收取的材料' }).count(), 0, 'the applicant does not tick materials');
  const residence = applicant.getByRole('group', { name: '经常居住地' });
  await residence.getByRole('combobox', { name: /经常居住地：输入地名搜索/ }).pressSequentially('西湖区');
  await openDropdown(applicant).locator('.ant-select-item-option').filter({ hasText: /^浙江省 杭州市 西湖区$/ }).click();
  await residence.getByText('西湖区', { exact: true }).waitFor();
  await applicant.getByLabel('送达地址').fill('杭州市西湖区北山街道宝石社区3号');
  await settle(applicant);
  await axeCheck(applicant, 'certificate application online');
  await screenshot(applicant, 'cert-apply-portal');
  const filing = applicant.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await applicant.getByRole('button', { name: '提交申请' }).click();
  const filed = await filing;
  assert.equal(filed.status(), 201, await filed.text());
  const { id, case: created } = await filed.json();
  await applicant.waitForURL(`**/portal/cases/${id}`);
  assert.equal(created.channel, 'online');
  await applicant.getByText('您的申请已提交，受理地残联正在审核材料。').waitFor();
  await settle(applicant);
  await axeCheck(applicant, 'certificate case online');
});

e2e('e2e: the 证件业务 form in English at 200 % zoom: the holder lookup and the fields reflow without sideways scrolling', async (t) => {
  const { h } = await server();
  const who = await holder(h, 'xihu', [{ category: 1, level: 1 }, { category: 4, level: 3 }]);
  // a 1280×900 window at 200 % zoom lays out like 640×450 CSS px
  const page = await newPage('xihu.clerk', { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  closeAfter(t, page);
  await page.getByRole('button', { name: '切换到英文界面' }).click();
  await page.goto('/apply-certificate');
  await page.getByRole('heading', { level: 1, name: /^Matters on a certificate/ }).waitFor();
  await page.getByRole('group', { name: /^What to do/ }).getByRole('radio', { name: 'Cancellation' }).check();
  await page.getByRole('group', { name: /^Kind/ }).getByRole('radio', { name: 'Cancel some categories (multiple disability)' }).check();
  await page.getByLabel('Holder’s citizen ID number').fill(who.idNumber);
  await page.getByRole('region', { name: 'The holder in your records' }).getByText('Vision level 1、Physical level 3').waitFor();
  // CANCEL-2: only the categories on the certificate can be removed
  const remove = page.getByRole('group', { name: /^Categories to remove/ });
  assert.deepEqual(await remove.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.closest('label')?.textContent)), ['Vision', 'Physical']);
  await page.getByRole('button', { name: 'Submit the application' }).click();
  await page.getByRole('alert').filter({ hasText: 'Correct the 2 marked item(s) first.' }).waitFor();
  await remove.getByText('Choose the categories to remove, keeping at least one.').waitFor();
  await settle(page);
  assert.ok(!(await scrollsSideways(page)), 'the form scrolls sideways at 200 % zoom');
  await screenshot(page, 'cert-apply-en-zoom200');
  await axeCheck(page, 'certificate application in English at 200 % with errors');
});
