/**
 * DOC-1 e2e, by clicking: the hukou county's clerk opens a case waiting to be printed, adds its card to
 * a print batch, opens the batch PDF and confirms; the case moves on to shipping. SEC-4 / DOC-3: the
 * QR's status page on a phone-sized screen — readable, no sideways scroll, WCAG 2.2 AA by axe.
 */
import assert from 'node:assert/strict';
import { signCardToken } from '../src/modules/verification/tokens.js';
import { certifiedHolder } from './fixtures.js';
import { axeCheck, closeAfter, e2e, named, newPage, screenshot, scrollsSideways, server, settle } from './browser.js';

e2e('DOC-1 e2e: a clerk adds a case’s card to a print batch, opens the batch PDF and confirms; the case moves to shipping', async (t) => {
  const { h } = await server();
  const holder = await certifiedHolder(h, '制证测试人');
  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.goto(`/cases/${holder.caseId}`);
  const panel = page.getByRole('heading', { level: 2, name: '制证' });
  await panel.waitFor();
  assert.equal(await page.getByRole('link', { name: '打开打印预览（PDF）' }).getAttribute('href'), `/api/cases/${holder.caseId}/card-preview.pdf`);
  const creating = page.waitForResponse((r) => r.url().endsWith('/api/card-batches') && r.request().method() === 'POST');
  await page.getByRole('button', { name: named('加入制证批次') }).click();
  assert.equal((await creating).status(), 201);
  const pdfLink = page.getByRole('link', { name: '打开制证批次PDF并打印' });
  const href = (await pdfLink.getAttribute('href'))!;
  const pdf = await page.request.get(href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await settle(page);
  await axeCheck(page, 'case: card printing');
  await screenshot(page, 'card-print-panel');
  const confirming = page.waitForResponse((r) => r.url().endsWith('/confirm'));
  await page.getByRole('button', { name: named('已打印完成，确认制证') }).click();
  assert.equal((await confirming).status(), 200);
  await page.getByText('待寄送').first().waitFor();
  assert.equal((await h.db.query('SELECT state FROM case_file WHERE id = $1', [holder.caseId]))[0].state, 'shipping');
});

e2e('SEC-4 DOC-3 e2e: the QR’s status page on a phone: status in words, masked name only, no sideways scroll, WCAG 2.2 AA', async (t) => {
  const { h } = await server();
  const holder = await certifiedHolder(h, '扫码测试人');
  const [row] = await h.db.query('SELECT card_no, valid_from FROM certificate WHERE id = $1', [holder.certificateId]);
  const token = signCardToken(h.ctx.config.cardSigningKeyFile, { certificateId: holder.certificateId, cardNo: row.card_no, issuedOn: String(row.valid_from).slice(0, 10) });
  const page = await newPage(undefined, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  closeAfter(t, page);
  await page.goto(`/verify/${token}`);
  await page.getByRole('heading', { level: 1, name: /残疾人证核验/ }).waitFor();
  await page.getByRole('status').filter({ hasText: '有效' }).waitFor();
  const text = await page.locator('main').innerText();
  assert.ok(text.includes('扫****') && !text.includes(holder.idNumber) && !text.includes('扫码测试人'));
  assert.equal(await scrollsSideways(page), false);
  await axeCheck(page, 'verify: valid');
  await screenshot(page, 'verify-valid-phone');
  await page.goto(`/verify/${token.slice(0, -2)}xx`);
  await page.getByRole('alert').filter({ hasText: '无法核验' }).waitFor();
  await axeCheck(page, 'verify: refused');
  await screenshot(page, 'verify-refused-phone');
});
