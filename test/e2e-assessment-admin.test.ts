/**
 * ASMT-1 and NEW-1 in the browser: an administrator creates and designates an institution and
 * retires a doctor on the admin screens, and the API then refuses what those settings forbid; a
 * supervisor lets a person whose certificate was cancelled re-apply, from the person file.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apply, ok, toResultReview, XIHU_VILLAGE } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, pickOption, screenshot, server, settle } from './browser.js';

/** Clicks the dialog's save button and waits for the server's answer to the PUT, which must be 200. */
async function saveDialog(page: Page, dialogName: string) {
  const dialog = page.getByRole('dialog', { name: dialogName });
  const answer = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/admin/'));
  await dialog.getByRole('button', { name: named('保存') }).click();
  const res = await answer;
  assert.equal(res.status(), 200, await res.text());
  await dialog.waitFor({ state: 'detached' });
}

e2e('ASMT-1 e2e: an admin designates an institution and retires a doctor on the screens; the clerk and the doctor are then refused', async (t) => {
  const { h } = await server();
  const n = `${Date.now() % 1e6}`;
  const name = `屏幕指定医院${n}`;
  const page = await newPage('admin');
  closeAfter(t, page);
  await page.goto('/admin');
  await page.getByRole('tab', { name: '评定机构' }).click();

  // --- a new institution in 西湖区, picked level by level (the picker stops at the county)
  const create = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: '新建评定机构' }) });
  await create.getByLabel('机构名称').fill(name);
  const county = create.getByRole('group', { name: '所在县（区）' });
  await pickOption(page, county.getByRole('combobox', { name: '所在县（区）：省' }), '浙江省');
  await pickOption(page, county.getByRole('combobox', { name: '所在县（区）：市' }), '杭州市');
  await pickOption(page, county.getByRole('combobox', { name: '所在县（区）：县（区）' }), '西湖区');
  assert.equal(await county.getByRole('combobox', { name: '所在县（区）：乡镇（街道）' }).count(), 0, 'no township level for an institution');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/admin/org-units'));
  await create.getByRole('button', { name: named('新建评定机构') }).click();
  const createdRes = await created;
  assert.equal(createdRes.status(), 201, await createdRes.text());
  const institutionId = (await createdRes.json()).id as string;

  // --- the designation dialog opens at once: vision and hearing, from today
  const designate = page.getByRole('dialog', { name: `指定评定机构：${name}` });
  await designate.waitFor();
  await designate.getByRole('checkbox', { name: '视力残疾' }).check();
  await designate.getByRole('checkbox', { name: '听力残疾' }).check();
  await designate.getByLabel('有效期至').fill('2099-12-31');
  await designate.getByLabel('有效期至').press('Tab'); // the date picker takes a typed date when the focus moves on
  await settle(page);
  await screenshot(page, 'admin-designation-dialog');
  await t.test('ASMT-1 axe: the designation dialog', () => axeCheck(page, 'admin: designation dialog'));
  await saveDialog(page, `指定评定机构：${name}`);
  const row = page.getByRole('row').filter({ hasText: name });
  await row.getByText('视力残疾、听力残疾').waitFor();
  await row.getByText('有效', { exact: true }).waitFor();
  await row.getByText('浙江省 杭州市 西湖区').waitFor();
  await settle(page);
  await screenshot(page, 'admin-institutions');
  await t.test('ASMT-1 axe: the institutions tab', () => axeCheck(page, 'admin: institutions'));

  // the clerk may now name it for vision, not for a physical disability
  const clerk = await login(h, 'xihu.clerk');
  const physical = await apply(clerk, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, categories: [4], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const refused = await clerk.act(physical.id, 'accept', { institutionId });
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.zh, /未被指定评定：肢体残疾/);
  const vision = await apply(clerk, { idNumber: makeCitizenId({ division: '330106' }), hukouCode: XIHU_VILLAGE, categories: [1], materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(vision.id, 'accept', { institutionId }));

  // --- a doctor of that institution, qualified for vision and then retired on the doctors tab
  const admin = await login(h, 'admin');
  const username = `dr.screen.${n}`;
  await ok(admin.post('/api/admin/users', { username, displayName: `屏幕医生${n}`, password: 'Doctor123', grants: [{ role: 'doctor', orgUnitId: institutionId }] }), 201);
  await page.getByRole('tab', { name: '评定医生' }).click();
  const doctorRow = page.getByRole('row').filter({ hasText: username });
  await doctorRow.getByText('未登记资质，不能评定').waitFor();
  await doctorRow.getByRole('button', { name: `编辑资质：屏幕医生${n}` }).click();
  const qualifyName = `医生资质：屏幕医生${n}`;
  const qualify = page.getByRole('dialog', { name: qualifyName });
  await qualify.getByLabel('职称').fill('副主任医师');
  await qualify.getByLabel('培训合格证号').fill(`PX-E2E-${n}`);
  await qualify.getByLabel('培训日期').fill('2025-03-01');
  await qualify.getByLabel('培训日期').press('Tab'); // the date picker takes a typed date when the focus moves on
  await qualify.getByLabel('培训合格证有效期至').fill('2099-02-28');
  await qualify.getByLabel('培训合格证有效期至').press('Tab'); // the date picker takes a typed date when the focus moves on
  await qualify.getByRole('checkbox', { name: '视力残疾' }).check();
  await qualify.getByRole('radio', { name: '退休，不能评定' }).check();
  await settle(page);
  await screenshot(page, 'admin-qualification-dialog');
  await t.test('ASMT-1 axe: the qualification dialog', () => axeCheck(page, 'admin: qualification dialog'));
  await saveDialog(page, qualifyName);
  await doctorRow.getByText('退休，不能评定').waitFor();
  await doctorRow.getByText(`PX-E2E-${n}`).waitFor();
  await settle(page);
  await screenshot(page, 'admin-doctors');
  await t.test('ASMT-1 axe: the doctors tab', () => axeCheck(page, 'admin: doctors'));

  const doctor = await login(h, username, 'Doctor123');
  const result = { qualified: true, disabilities: [{ category: 1, level: 2 }], assessedOn: h.clock.today() };
  const retired = await doctor.act(vision.id, 'record_assessment', result);
  assert.equal(retired.status, 403);
  assert.match(retired.body.error.zh, /已登记为退休/);

  // back to active with a lapsed training certificate: the list says so in words, and so does the API
  await doctorRow.getByRole('button', { name: `编辑资质：屏幕医生${n}` }).click();
  await page.getByRole('dialog', { name: qualifyName }).getByLabel('培训日期').fill('2019-03-01');
  await page.getByRole('dialog', { name: qualifyName }).getByLabel('培训日期').press('Tab'); // the date picker takes a typed date when the focus moves on
  await page.getByRole('dialog', { name: qualifyName }).getByLabel('培训合格证有效期至').fill('2021-02-28');
  await page.getByRole('dialog', { name: qualifyName }).getByLabel('培训合格证有效期至').press('Tab'); // the date picker takes a typed date when the focus moves on
  await page.getByRole('dialog', { name: qualifyName }).getByRole('radio', { name: '在职' }).check();
  await saveDialog(page, qualifyName);
  await doctorRow.getByText('已过期，不能评定').waitFor();
  assert.match((await doctor.act(vision.id, 'record_assessment', result)).body.error.zh, /培训合格证已于2021年2月28日过期/);

  // an expired designation is marked in words on the institutions tab too
  await page.getByRole('tab', { name: '评定机构' }).click();
  await row.getByRole('button', { name: `编辑指定：${name}` }).click();
  await designate.getByLabel('有效期自').fill('2020-01-01');
  await designate.getByLabel('有效期自').press('Tab'); // the date picker takes a typed date when the focus moves on
  await designate.getByLabel('有效期至').fill('2021-12-31');
  await designate.getByLabel('有效期至').press('Tab'); // the date picker takes a typed date when the focus moves on
  await saveDialog(page, `指定评定机构：${name}`);
  await row.getByText('已过期，不能评定').waitFor();
});

e2e('NEW-1 e2e: a supervisor allows a person whose certificate was cancelled to re-apply, from the person file', async (t) => {
  const { h } = await server();
  const clerkApi = await login(h, 'xihu.clerk');
  const local = { hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'], idNumber: makeCitizenId({ division: '330106' }) };
  const c = await toResultReview(h, clerkApi, await login(h, 'xihu.doctor'), local);
  await ok(clerkApi.act(c.id, 'forward_to_hukou'));
  const personId = (await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }))).case.personId as string;
  // the certificate is cancelled today (as in the NEW-1 API test, until the CANCEL matter exists)
  await h.db.query(`UPDATE certificate SET state = 'cancelled', state_changed_at = now() WHERE case_id = $1`, [c.id]);
  await h.db.query(`UPDATE case_file SET closed_at = now() WHERE id = $1`, [c.id]);
  assert.equal((await clerkApi.post('/api/cases', c.form)).body.error.code, 'application.recently_cancelled');

  const clerk = await newPage('xihu.clerk');
  const supervisor = await newPage('hangzhou.supervisor');
  closeAfter(t, clerk, supervisor);
  await clerk.goto(`/persons/${personId}`);
  await clerk.getByRole('heading', { level: 1, name: '人员档案' }).waitFor();
  await settle(clerk);
  assert.equal(await clerk.getByRole('heading', { name: '允许提前重新申请' }).count(), 0, 'a clerk is offered no override');

  await supervisor.goto(`/persons/${personId}`);
  const card = supervisor.locator('.ant-card').filter({ has: supervisor.getByRole('heading', { name: '允许提前重新申请' }) });
  await card.waitFor();
  let sent = 0;
  supervisor.on('request', (r) => void (r.url().endsWith('/reapply-override') && sent++));
  await card.getByRole('button', { name: named('允许重新申请') }).click();
  await card.getByText('请填写批准理由（将记入审计日志）').waitFor();
  assert.equal(sent, 0, 'without a reason nothing is sent');
  await card.getByLabel('批准理由（将记入审计日志）').fill('病情加重，需尽快重新评定');
  const granted = supervisor.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/reapply-override'));
  await card.getByRole('button', { name: named('允许重新申请') }).click();
  assert.equal((await granted).status(), 201);
  await card.getByText(/^已批准提前重新申请，有效期至\d{4}年\d{1,2}月\d{1,2}日（杭州市残联督导 孙涛于.+批准）。$/).waitFor();
  await settle(supervisor);
  await screenshot(supervisor, 'person-reapply-override');
  await t.test('NEW-1 axe: the person file with the override form', () => axeCheck(supervisor, 'person: re-application override'));

  // the clerk's file shows the override too, and the new application now goes through
  await clerk.reload();
  await clerk.getByText(/^已批准提前重新申请，有效期至/).waitFor();
  await ok(clerkApi.post('/api/cases', c.form), 201);
});
