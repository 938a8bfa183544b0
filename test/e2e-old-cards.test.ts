/**
 * CARD-1 e2e, by clicking: a county clerk logs a card the family hands in, a year passes, the clerk
 * ticks it among the cards due, confirms the destruction in a dialog and prints the record.
 */
import assert from 'node:assert/strict';
import { addCalendarDays, addCalendarYears } from '../src/domain/dates.js';
import { certifiedHolder } from './fixtures.js';
import { axeCheck, closeAfter, e2e, loginAs, named, newPage, screenshot, scrollsSideways, server, settle } from './browser.js';

e2e('CARD-1 e2e: a clerk logs a handed-in card, a year later confirms its destruction and opens the printable record', async (t) => {
  const { h } = await server();
  const holder = await certifiedHolder(h, '交证人');
  const masked = `${holder.idNumber.slice(0, 3)}${'*'.repeat(11)}${holder.idNumber.slice(14)}42`;
  const t0 = h.clock.today();

  const page = await newPage('xihu.clerk');
  closeAfter(t, page);
  await page.getByRole('link', { name: '旧证回收', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '旧证回收' }).waitFor();
  await page.getByLabel('残疾人证号（20位）').fill(holder.number);
  await page.getByLabel('备注（可选）').fill('持证人去世，家属交回');
  const logging = page.waitForResponse((r) => r.url().endsWith('/api/old-cards') && r.request().method() === 'POST');
  await page.getByRole('button', { name: named('登记') }).click();
  assert.equal((await logging).status(), 201);
  await page.getByRole('status').filter({ hasText: `已登记：${masked}（交**）` }).waitFor();
  const held = page.getByRole('table', { name: /保管中的旧证/ });
  await held.getByRole('row').filter({ hasText: masked }).getByText('案件外交回').waitFor();
  await settle(page);
  await axeCheck(page, 'old cards: held');
  await screenshot(page, 'old-cards-held');

  try {
    // a year and a day later (the session has long expired: log in again)
    h.clock.setToday(addCalendarDays(addCalendarYears(t0, 1), 1));
    await loginAs(page, 'xihu.clerk');
    await page.getByRole('link', { name: '旧证回收', exact: true }).click();
    await page.getByRole('tab', { name: '待销毁' }).click();
    const due = page.getByRole('table', { name: /待销毁的旧证/ });
    const destroy = page.getByRole('button', { name: /确认销毁所选旧证/ });
    assert.ok(await destroy.isDisabled(), 'nothing ticked, nothing to destroy');
    // ticked from the keyboard
    const tick = due.getByRole('checkbox', { name: `选择 ${masked}` });
    await tick.focus();
    await page.keyboard.press('Space');
    assert.ok(await tick.isChecked());
    await page.getByRole('button', { name: named('确认销毁所选旧证（1张）') }).click();
    const dialog = page.getByRole('dialog', { name: '确认销毁旧证' });
    await dialog.getByText(`${masked} 交**`).waitFor();
    await dialog.getByLabel('销毁说明（可选，如销毁方式、监销人）').fill('碎纸机销毁，监销人：王芳');
    await settle(page);
    await axeCheck(page, 'old cards: confirm destruction');
    await screenshot(page, 'old-cards-confirm');
    const confirming = page.waitForResponse((r) => r.url().endsWith('/api/card-destructions') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: named('确认销毁') }).click();
    assert.equal((await confirming).status(), 201);

    await page.waitForURL(/\/old-cards\/destructions\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: '旧证销毁记录' }).waitFor();
    await page.getByText(/^CD-330106-\d{4}-\d{4}$/).waitFor();
    await page.getByText('碎纸机销毁，监销人：王芳').waitFor();
    const record = page.getByRole('table', { name: /销毁的旧证清单/ });
    await record.getByRole('cell', { name: masked }).waitFor();
    await record.getByRole('cell', { name: '交**' }).waitFor();
    await settle(page);
    await axeCheck(page, 'old cards: destruction record');
    await screenshot(page, 'old-cards-record');
    // printed, the record leaves the navigation and buttons off the paper
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('button', { name: named('打印') }).isVisible(), false);
    assert.equal(await page.getByRole('navigation').isVisible(), false);
    assert.ok(await record.isVisible());
    await page.emulateMedia({ media: 'screen' });

    // the card now shows as destroyed, linked to its record
    await page.getByRole('link', { name: '返回旧证回收' }).click();
    await page.getByRole('tab', { name: '已销毁' }).click();
    await page.getByRole('table', { name: /已销毁的旧证/ }).getByRole('row').filter({ hasText: masked }).getByRole('link', { name: /^销毁记录 CD-330106-/ }).waitFor();

    // in English at 200% zoom (half the width) the register reflows instead of scrolling sideways
    const zoomed = await newPage('xihu.clerk', { viewport: { width: 640, height: 900 } });
    closeAfter(t, zoomed);
    await zoomed.getByRole('button', { name: '切换到英文界面' }).click();
    await zoomed.getByRole('link', { name: 'Old cards', exact: true }).click();
    await zoomed.getByRole('heading', { level: 1, name: 'Old cards' }).waitFor();
    await zoomed.getByRole('tab', { name: 'Destroyed' }).click();
    await zoomed.getByRole('table', { name: /Destroyed cards/ }).getByRole('row').filter({ hasText: masked }).waitFor();
    await settle(zoomed);
    assert.equal(await scrollsSideways(zoomed), false);
    await screenshot(zoomed, 'old-cards-en-zoomed');
  } finally {
    h.clock.reset();
  }
});
