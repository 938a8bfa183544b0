/** ARCH-1 in the browser: the archive card on the person file — listed in filing order, one file opened, the whole archive exported. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { ok, pngImage, toResultReview, uploadScan, XIHU_VILLAGE } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, scrollsSideways, server, settle } from './browser.js';

e2e('ARCH-1 e2e: a clerk reads a person’s archive in filing order, opens a file and exports the archive as a ZIP', async (t) => {
  const { h } = await server();
  const clerkApi = await login(h, 'xihu.clerk');
  const local = { hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'], idNumber: makeCitizenId({ division: '330106' }) };
  const c = await toResultReview(h, clerkApi, await login(h, 'xihu.doctor'), local);
  const idCard = pngImage();
  await ok(uploadScan(clerkApi, c.id, 'id_and_hukou', '身份证.png', idCard), 201);
  await ok(clerkApi.act(c.id, 'forward_to_hukou'));
  const personId = (await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }))).case.personId as string;
  const caseNo = (await ok(clerkApi.get(`/api/cases/${c.id}`))).caseNo as string;

  const page = await newPage('xihu.clerk');
  const zoomed = await newPage('xihu.clerk', { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  closeAfter(t, page, zoomed);
  await page.goto(`/persons/${personId}`);
  const card = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: '档案' }) });
  const table = card.locator('table', { has: page.locator('caption', { hasText: '档案材料，按归档顺序：2份文件，2次归档' }) });
  await table.waitFor();

  await t.test('the archive lists the files in filing order with type, origin and case', async () => {
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 2);
    const first = rows.nth(0);
    for (const text of ['1', '残疾评定表（医生签字、机构盖章后的扫描件）', '残疾评定表.png', '西湖区残疾评定定点医院（演示）', '浙江省 杭州市 西湖区', caseNo]) {
      await first.getByText(text, { exact: true }).first().waitFor();
    }
    const second = rows.nth(1);
    for (const text of ['2', '申请人居民身份证及户口簿', '身份证.png', '杭州市西湖区残疾人联合会', caseNo]) await second.getByText(text, { exact: true }).first().waitFor();
    await second.getByText(/^\d{4}年\d{1,2}月\d{1,2}日$/).waitFor();
    await second.getByRole('link', { name: caseNo }).waitFor();
    await settle(page);
    await screenshot(page, 'person-archive');
    await axeCheck(page, 'person: archive');
  });

  await t.test('a file opens from its row (a logged full view)', async () => {
    const link = table.getByRole('link', { name: '查看第2份：申请人居民身份证及户口簿' });
    const res = await page.context().request.get((await link.getAttribute('href'))!);
    assert.equal(res.status(), 200);
    assert.deepEqual(Buffer.from(await res.body()), idCard);
    assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'person.archive_document' AND object_id = $1`, [personId]))[0].n, 1);
  });

  await t.test('the export downloads one ZIP with the files in order and the index', async () => {
    const download = page.waitForEvent('download');
    await card.getByRole('link', { name: named('导出档案（ZIP）') }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^人员档案_330x{11}\d{3}[\dX]_\d{4}-\d{2}-\d{2}\.zip$/);
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync((await file.path())!))));
    assert.equal(names.length, 3);
    assert.match(names[0], new RegExp(`^01_\\d{4}-\\d{2}-\\d{2}_残疾评定表_${caseNo}\\.png$`));
    assert.match(names[1], new RegExp(`^02_\\d{4}-\\d{2}-\\d{2}_申请人居民身份证及户口簿_${caseNo}\\.png$`));
    assert.equal(names[2], 'index.html');
    assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'person.archive_export' AND object_id = $1`, [personId]))[0].n, 1);
  });

  await t.test('at 200 % zoom the archive scrolls inside its own region, not the page (WCAG 1.4.10)', async () => {
    await zoomed.goto(`/persons/${personId}`);
    await zoomed.locator('caption', { hasText: '档案材料，按归档顺序' }).waitFor();
    await settle(zoomed);
    await screenshot(zoomed, 'person-archive-zoom200');
    assert.ok(!(await scrollsSideways(zoomed)));
    await zoomed.getByRole('region', { name: '档案' }).waitFor();
  });
});
