/** SLA-1 and SLA-2: working-day countdowns, due soon / overdue, escalation, filters, stable pages; the calendar as data. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login, makeCitizenId } from './harness.js';
import { addDays, apply, JINSHUI_VILLAGE, ok } from './fixtures.js';
import { recomputeDueDates } from '../src/modules/calendar/calendar.js';
import { calendarFromEntries, clockStatus, fixedDateHolidays } from '../src/domain/working-days.js';

const inJinshui = () => ({ residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE, idNumber: makeCitizenId({ division: '410105' }) });

test('SLA-2 the worklist counts remaining working days and turns items due soon, then overdue and escalated', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  h.clock.setToday('2026-09-28'); // a Monday just before the National Day holiday
  let clerk = await login(h, 'jinshui.clerk');
  const c = await apply(clerk, inJinshui());
  const item = async () => (await ok(clerk.get('/api/worklist?state=submitted&pageSize=100'))).items.find((i: any) => i.id === c.id);
  const first = await item();
  assert.equal(first.sla.remainingWd, 3);
  // 3 working days after Monday 28 September: Tue 29, Wed 30, then the National Day holiday (1–7 Oct): Thu 8 Oct
  assert.equal(first.sla.dueOn, '2026-10-08');
  assert.equal(first.sla.dueSoon, false);

  h.clock.setToday('2026-10-08');
  clerk = await login(h, 'jinshui.clerk');
  const dueDay = await item();
  assert.deepEqual([dueDay.sla.remainingWd, dueDay.sla.dueSoon, dueDay.sla.overdue], [0, true, false]);
  let supervisor = await login(h, 'zhengzhou.supervisor');
  assert.ok(!(await ok(supervisor.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'not escalated before it is overdue');

  h.clock.setToday('2026-10-09');
  clerk = await login(h, 'jinshui.clerk');
  const late = await item();
  assert.equal(late.sla.overdue, true);
  const overdueOnly = await ok(clerk.get('/api/worklist?overdue=true&pageSize=100'));
  assert.ok(overdueOnly.items.some((i: any) => i.id === c.id));
  assert.ok(overdueOnly.items.every((i: any) => i.sla?.overdue));
  supervisor = await login(h, 'zhengzhou.supervisor');
  assert.ok((await ok(supervisor.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'overdue: escalated to the city supervisor');
  const otherCity = await login(h, 'hangzhou.supervisor');
  assert.ok(!(await ok(otherCity.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id));
});

test('SLA-1 waiting for the applicant pauses the clock; the clock resumes with the days already used', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  h.clock.setToday('2026-11-02'); // Monday
  let clerk = await login(h, 'jinshui.clerk');
  const c = await apply(clerk, { ...inJinshui(), materialsProvided: ['photos'] });
  h.clock.setToday('2026-11-03');
  clerk = await login(h, 'jinshui.clerk');
  const paused = await ok(clerk.act(c.id, 'request_materials'));
  assert.equal(paused.case.clocks.acceptance.paused, true);
  assert.equal(paused.case.clocks.acceptance.usedWd, 1);
  assert.equal(paused.case.sla, null, 'nothing is due from the county while the applicant is away');
  assert.ok(!(await ok(clerk.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id), 'waiting on the applicant, not on me');
  h.clock.setToday('2026-11-16'); // two weeks later
  clerk = await login(h, 'jinshui.clerk');
  const resumed = await ok(clerk.act(c.id, 'supplement_materials', { provided: ['id_and_hukou'] }));
  assert.equal(resumed.case.sla.remainingWd, 2);
  assert.equal(resumed.case.sla.dueOn, '2026-11-18');
});

test('SLA-2 worklist filters by matter and state and pages in a stable order', async () => {
  const h = await harness();
  const clerk = await login(h, 'jinshui.clerk');
  for (let i = 0; i < 3; i++) await apply(clerk, inJinshui());
  const all = await ok(clerk.get('/api/worklist?matter=new&state=submitted&pageSize=100'));
  assert.ok(all.total >= 3);
  assert.ok(all.items.every((i: any) => i.state.code === 'submitted' && i.matter.code === 'new'));
  const paged: string[] = [];
  for (let page = 1; paged.length < all.total; page++) {
    const p = await ok(clerk.get(`/api/worklist?matter=new&state=submitted&pageSize=2&page=${page}`));
    assert.ok(p.items.length > 0);
    paged.push(...p.items.map((i: any) => i.id));
  }
  assert.deepEqual(paged, all.items.map((i: any) => i.id));
  const bad = await clerk.get('/api/worklist?matter=teleport');
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.zh);
  const badPage = await clerk.get('/api/worklist?page=0');
  assert.equal(badPage.status, 422);
});

test('SLA-1 the calendar is data: published years are seeded, an admin publishes a later year, others cannot', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  const admin = await login(h, 'admin');
  const y2026 = await ok(admin.get('/api/calendar/2026'));
  assert.equal(y2026.published, true);
  assert.ok(y2026.days.some((d: any) => d.date === '2026-10-01' && d.kind === 'holiday'));
  assert.ok(y2026.days.some((d: any) => d.kind === 'workday'));
  assert.ok((await ok(admin.get('/api/calendar/2025'))).published);

  const clerk = await login(h, 'xihu.clerk');
  const body = { source: '国务院办公厅关于2099年部分节假日安排的通知（测试）', days: [{ date: '2099-01-01', kind: 'holiday', name: '元旦' }] };
  assert.equal((await clerk.call('PUT', '/api/calendar/2099', body)).status, 403);
  const wrong = await admin.call('PUT', '/api/calendar/2099', { ...body, days: [{ date: '2098-12-31', kind: 'holiday', name: 'x' }] });
  assert.equal(wrong.status, 422);
  assert.equal((await admin.call('PUT', '/api/calendar/2099', body)).status, 200);
  const y2099 = await ok(admin.get('/api/calendar/2099'));
  assert.deepEqual(y2099.days, [{ date: '2099-01-01', kind: 'holiday', name: '元旦' }]);
  await h.db.query(`DELETE FROM calendar_day WHERE day >= '2099-01-01'`);
  await h.db.query('DELETE FROM calendar_year WHERE year = 2099');
  h.ctx.calendar.invalidate();

  // a due date in a year not yet published is computed on weekdays and flagged provisional
  const lastPublished = Math.max(...(await h.db.query('SELECT year FROM calendar_year')).map((r) => Number(r.year)));
  h.clock.setToday(`${lastPublished}-12-29`);
  const c = await apply(await login(h, 'jinshui.clerk'), inJinshui());
  assert.equal(c.body.case.sla.dueOn.slice(0, 4), String(lastPublished + 1));
  assert.equal(c.body.case.sla.provisional, true);
});

test('SLA-1 before the State Council publishes a year, its fixed-date holidays still count; publishing the year recomputes open cases’ due dates', async () => {
  const h = await harness();
  const lastPublished = Math.max(...(await h.db.query('SELECT year FROM calendar_year')).map((r) => Number(r.year)));
  const next = lastPublished + 1;
  // a legal holiday of next year that falls on a weekday, and the weekday before it: the acceptance clock runs over it
  const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
  const holiday = fixedDateHolidays(next).map((e) => e.date).find((d) => weekday(d) && weekday(addDays(d, -1)) && d.slice(5) !== '01-01')!;
  h.clock.setToday(addDays(holiday, -1));
  const c = await apply(await login(h, 'jinshui.clerk'), inJinshui());
  const cal = await h.ctx.calendar.get();
  const clock = c.body.case.clocks.acceptance;
  const weekdaysOnly = calendarFromEntries([], [...cal.knownYears]);
  const lawOnly = calendarFromEntries(fixedDateHolidays(next), [...cal.knownYears]);
  assert.equal(c.body.case.sla.provisional, true);
  assert.equal(c.body.case.sla.dueOn, clockStatus(lawOnly, clock, h.clock.today()).dueOn);
  assert.notEqual(c.body.case.sla.dueOn, clockStatus(weekdaysOnly, clock, h.clock.today()).dueOn, `${holiday} is not a working day, notice or not`);

  // the admin publishes the year with one more holiday on the due date: the open case's due date moves at once
  const admin = await login(h, 'admin');
  const due = c.body.case.sla.dueOn as string;
  const body = { source: '国务院办公厅通知（测试）', days: [...fixedDateHolidays(next).map((e) => ({ ...e, name: '法定假日' })), { date: due, kind: 'holiday', name: '测试假日' }] };
  try {
    const published = await ok(admin.call('PUT', `/api/calendar/${next}`, body));
    assert.ok(published.dueDatesRecomputed >= 1);
    const [row] = await h.db.query('SELECT due_on FROM case_file WHERE id = $1', [c.id]);
    assert.ok(row.due_on > due, `due ${row.due_on} after the new holiday ${due}`);
    const view = await ok((await login(h, 'jinshui.clerk')).get(`/api/cases/${c.id}`));
    assert.equal(view.sla.dueOn, row.due_on);
    assert.equal(view.sla.provisional, false);
  } finally {
    await h.db.query(`DELETE FROM calendar_day WHERE day >= $1 AND day <= $2`, [`${next}-01-01`, `${next}-12-31`]);
    await h.db.query('DELETE FROM calendar_year WHERE year = $1', [next]);
    h.ctx.calendar.invalidate();
    // other tests' open cases go back to the due dates of the calendar as it was
    await recomputeDueDates(h.db, await h.ctx.calendar.get(), h.clock.today());
  }
});
