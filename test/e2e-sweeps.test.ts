/** TRF-4 in the browser: a county clerk checks a freeze candidate on the worklist and confirms it with a reason. */
import assert from 'node:assert/strict';
import { addCalendarMonths } from '../src/domain/dates.js';
import { runDailySweep } from '../src/modules/sweeps/sweep.js';
import { JINSHUI_VILLAGE, ok, toResultReview, XIHU_VILLAGE } from './fixtures.js';
import { login, makeCitizenId } from './harness.js';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, scrollsSideways, server, settle } from './browser.js';

e2e('TRF-4 e2e: a clerk confirms a freeze from the worklist with a reason (none given: nothing sent), and axe finds nothing serious', async (t) => {
  const { h } = await server();
  const clerk = await login(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await toResultReview(h, clerk, await login(h, 'xihu.doctor'), { idNumber, hukouCode: XIHU_VILLAGE, materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  const approved = await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const number = approved.case.data.certificate.numberMasked as string;
  // the police report the hukou moved to 郑州市金水区 seven months ago; the night's sweep finds it
  const moves = `身份证号码,迁出地区划代码,迁入地区划代码,迁移日期\n${idNumber},${XIHU_VILLAGE},${JINSHUI_VILLAGE},${addCalendarMonths(h.clock.today(), -7)}\n`;
  await ok((await login(h, 'admin')).call('POST', '/api/admin/hukou-moves', moves, { 'content-type': 'text/csv' }));
  await runDailySweep(h.ctx, h.clock.today());

  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  const section = page.getByRole('region', { name: '待核查：户口迁出未办理迁移' });
  const row = section.getByRole('row').filter({ hasText: number });
  await row.getByText('冻结（迁出超过6个月）').waitFor();
  await row.getByText('河南省 郑州市 金水区').waitFor();
  await settle(page);
  await screenshot(page, 'page-worklist-hukou-reviews');
  await axeCheck(page, 'worklist with hukou-move reviews');

  await row.getByRole('button', { name: `核查处理：${number}` }).click();
  const dialog = page.getByRole('dialog', { name: `核查处理：${number}` });
  await dialog.getByText(/户口于\d{4}年\d{1,2}月\d{1,2}日迁往河南省 郑州市 金水区/).waitFor();
  await dialog.getByRole('radio', { name: '核实属实，冻结此证' }).check();
  let sent = 0;
  page.on('request', (r) => void (r.url().includes('/api/certificate-reviews/') && r.method() === 'POST' && sent++));
  await dialog.getByRole('button', { name: named('保存') }).click();
  await dialog.getByText('请填写理由（如何核实）').waitFor();
  assert.equal(sent, 0, 'no reason: nothing was sent');
  await dialog.getByLabel('理由（如何核实）').fill('已电话联系本人，户口已迁往郑州，暂不办理迁移');
  await settle(page);
  await screenshot(page, 'page-worklist-hukou-review-dialog');
  await axeCheck(page, 'hukou-move decision dialog');
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/certificate-reviews\/[^/]+\/decision$/.test(r.url()));
  await dialog.getByRole('button', { name: named('保存') }).click();
  assert.equal((await answer).status(), 200);
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });

  const file = await ok(clerk.get(`/api/persons/${approved.case.personId}`));
  assert.equal(file.certificates[0].state, 'frozen');
  assert.equal(file.certificates[0].history.at(-1).reason, 'hukou_moved_6m: 已电话联系本人，户口已迁往郑州，暂不办理迁移');

  // WCAG 1.4.10: at 200 % zoom the worklist reflows; the tables scroll inside themselves
  await page.setViewportSize({ width: 640, height: 900 });
  await settle(page);
  assert.equal(await scrollsSideways(page), false, 'the page does not scroll sideways at 200% zoom');
});
