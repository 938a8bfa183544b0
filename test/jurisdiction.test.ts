/** ORG-2/3/4 and SEC-3: who sees what, applicants online, deactivation, lockout. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWorkingDay } from '../src/domain/working-days.js';
import { CLIENT_HEADER, Client, harness, login, makeCitizenId } from './harness.js';
import { freshPhone, registerApplicant, smsCode } from './applicants.js';
import { addDays, apply, institutionOf, JINSHUI_VILLAGE, ok, recordResult, XIHU_VILLAGE } from './fixtures.js';

test('ORG-3 a clerk cannot open another county’s case or person: 404, never "forbidden"', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  let jinshui = await login(h, 'jinshui.clerk');
  let xihu = await login(h, 'xihu.clerk');
  // a case entirely inside 金水区
  const c = await apply(jinshui, { residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE, materialsProvided: ['photos', 'id_and_hukou'] });
  const res = await xihu.get(`/api/cases/${c.id}`);
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'not_found');
  assert.equal((await xihu.get(`/api/cases/${c.id}/history`)).status, 404);
  assert.equal((await xihu.act(c.id, 'return_application', { reason: '试图越权' })).status, 404);
  assert.ok(!(await ok(xihu.get('/api/worklist?pageSize=100'))).items.some((i: any) => i.id === c.id));
  // a Xihu clerk cannot file for another county either
  const elsewhere = await xihu.post('/api/cases', { ...c.form, applicant: { ...c.form.applicant, idNumber: makeCitizenId({ division: '410105' }) } });
  assert.equal(elsewhere.status, 403);

  // persons: after approval in 金水区 the person exists; 西湖区 cannot find or open them
  const doctor = await login(h, 'jinshui.doctor');
  await ok(jinshui.act(c.id, 'supplement_materials', { provided: ['photos'] }));
  await ok(jinshui.act(c.id, 'accept', { institutionId: await institutionOf(jinshui) }));
  await ok(recordResult(doctor, c.id, { qualified: true, disabilities: [{ category: 3, level: 4 }], assessedOn: h.clock.today() }));
  await ok(jinshui.act(c.id, 'start_publicity', { place: '社区公示栏' }));
  h.clock.setToday(addDays(h.clock.today(), 8));
  jinshui = await login(h, 'jinshui.clerk');
  xihu = await login(h, 'xihu.clerk');
  await ok(jinshui.act(c.id, 'finish_publicity'));
  await ok((await login(h, 'jinshui.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const found = await ok(jinshui.get(`/api/persons?idNumber=${c.form.applicant.idNumber}`));
  assert.equal(found.items.length, 1);
  assert.deepEqual((await ok(xihu.get(`/api/persons?idNumber=${c.form.applicant.idNumber}`))).items, []);
  assert.equal((await xihu.get(`/api/persons/${found.items[0].id}`)).status, 404);
  assert.equal((await xihu.post(`/api/persons/${found.items[0].id}/reveal`, { purpose: '查看' })).status, 404);
});

test('ORG-3 a city supervisor reads the cases of their subtree and nothing outside', async () => {
  const h = await harness();
  const xihu = await login(h, 'xihu.clerk');
  const jinshui = await login(h, 'jinshui.clerk');
  const supervisor = await login(h, 'hangzhou.supervisor');
  const inside = await apply(xihu, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }) });
  const outside = await apply(jinshui, { residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE });
  const seen = await ok(supervisor.get(`/api/cases/${inside.id}`));
  assert.deepEqual(seen.availableActions, [], 'supervisors read; they do not act');
  assert.equal((await supervisor.get(`/api/cases/${outside.id}`)).status, 404);
  const admin = await login(h, 'admin');
  assert.equal((await admin.get(`/api/cases/${inside.id}`)).status, 404, 'the system admin manages accounts, not personal data');
});

test('ORG-2 applicants register with a phone number, apply online, and see only their own cases', async () => {
  const h = await harness();
  const anon = new Client(h.app);
  const phone = freshPhone();
  assert.equal((await anon.post('/api/applicant/register/code', { phone })).status, 202);
  const weak = await anon.post('/api/applicant/register', { phone, code: smsCode(h.ctx, phone), password: 'short', name: '申请人' });
  assert.equal(weak.status, 422);
  const reg = await registerApplicant(h, { phone });
  const me = new Client(h.app, reg.cookie);

  const c = await apply(me, { materialsProvided: ['photos', 'id_and_hukou'] });
  assert.equal(c.body.case.channel, 'online');
  const mine = await ok(me.get('/api/worklist'));
  assert.deepEqual(mine.items.map((i: any) => i.id), [c.id]);
  // the residence county's desk has it on its worklist
  const clerk = await login(h, 'xihu.clerk');
  assert.ok((await ok(clerk.get('/api/worklist?pageSize=100&state=submitted'))).items.some((i: any) => i.id === c.id));
  await ok(clerk.act(c.id, 'request_materials'));
  // the applicant supplies the missing items online
  await ok(me.act(c.id, 'supplement_materials', { provided: ['residence_permit'] }));
  const cannotAccept = await me.act(c.id, 'accept', { institutionId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(cannotAccept.status, 403);
  // someone else's case does not exist for them
  const other = await apply(clerk);
  assert.equal((await me.get(`/api/cases/${other.id}`)).status, 404);
  assert.equal((await me.get('/api/persons?idNumber=' + other.form.applicant.idNumber)).status, 403);

  const relog = await anon.post('/api/applicant/login', { phone, password: 'Secret123' });
  assert.equal(relog.status, 200);
});

test('ORG-4 a deactivated account cannot log in and its open sessions end at once', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const orgs = await ok(admin.get('/api/org-units?kind=federation&under=330106'));
  const username = `temp.${Date.now() % 1e6}`;
  const created = await admin.post('/api/admin/users', { username, displayName: '临时办证员', password: 'Temp12345', grants: [{ role: 'clerk', orgUnitId: orgs[0].id }] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const misplaced = await admin.post('/api/admin/users', { username: username + 'x', displayName: 'x', password: 'Temp12345', grants: [{ role: 'doctor', orgUnitId: orgs[0].id }] });
  assert.equal(misplaced.status, 422, 'a doctor belongs to an institution');
  const temp = await login(h, username, 'Temp12345');
  assert.equal((await temp.get('/api/worklist')).status, 200);
  const noReason = await admin.post(`/api/admin/users/${created.body.id}/deactivate`, {});
  assert.equal(noReason.status, 422);
  await ok(admin.post(`/api/admin/users/${created.body.id}/deactivate`, { reason: '调离岗位' }));
  assert.equal((await temp.get('/api/worklist')).status, 401, 'the open session ended');
  const relogin = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Temp12345' }, headers: CLIENT_HEADER });
  assert.equal(relogin.statusCode, 401);
  assert.equal(JSON.parse(relogin.body).error.code, 'auth.deactivated');
  const clerk = await login(h, 'xihu.clerk');
  assert.equal((await clerk.post(`/api/admin/users/${created.body.id}/deactivate`, { reason: '越权停用' })).status, 403, 'only admins');
});

test('SEC-3 repeated wrong passwords hold back that address for a while, not the real user elsewhere; logout ends the session', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const orgs = await ok(admin.get('/api/org-units?kind=federation&under=410105'));
  const username = `lock.${Date.now() % 1e6}`;
  await ok(admin.post('/api/admin/users', { username, displayName: '锁定测试', password: 'Right12345', grants: [{ role: 'reviewer', orgUnitId: orgs[0].id }] }), 201);
  const attacker = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const attempt = (password: string, remoteAddress: string) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: CLIENT_HEADER, remoteAddress });
  for (let i = 0; i < 5; i++) assert.equal((await attempt('Wrong12345', attacker)).statusCode, 401);
  const held = await attempt('Right12345', attacker);
  assert.equal(held.statusCode, 429);
  assert.equal(JSON.parse(held.body).error.code, 'auth.throttled');
  assert.ok(Number(held.headers['retry-after']) > 0 && Number(held.headers['retry-after']) <= 60, 'a short wait, not a lockout');
  const realUser = await attempt('Right12345', '203.0.113.7');
  assert.equal(realUser.statusCode, 200, 'the real user at their own desk still gets in');
  const [row] = await h.db.query('SELECT password_hash FROM staff_user WHERE username = $1', [username]);
  assert.match(row.password_hash, /^\$argon2id\$/);

  const clerk = await login(h, 'xihu.clerk');
  await ok(clerk.post('/api/auth/logout'));
  assert.equal((await clerk.get('/api/auth/me')).status, 401);
});

test('ORG-4 the daily login report lists desk staff who logged in fewer times than their profile requires', async (t) => {
  const h = await harness();
  t.after(() => h.clock.reset());
  // The test's own desk staff: other tests log in as the demo clerks on simulated days that can fall on
  // this one, so only accounts nobody else uses give exact login counts on any day and in any order.
  const admin = await login(h, 'admin');
  const tag = `r${Date.now() % 1e6}${Math.floor(Math.random() * 1e3)}`;
  const federation = async (division: string) => (await ok(admin.get(`/api/org-units?kind=federation&under=${division}`)))[0].id;
  const staff = async (who: string, role: 'clerk' | 'approver', orgUnitId: string) => {
    const username = `${tag}.${who}`;
    await ok(admin.post('/api/admin/users', { username, displayName: '报表测试', password: 'Report12345', grants: [{ role, orgUnitId }] }), 201);
    return username;
  };
  const xihuOrg = await federation('330106');
  const jinshuiOrg = await federation('410105');
  const xihuOnce = await staff('xc1', 'clerk', xihuOrg);
  const xihuTwice = await staff('xc2', 'clerk', xihuOrg);
  const xihuNone = await staff('xa', 'approver', xihuOrg);
  const jinshuiOnce = await staff('jc', 'clerk', jinshuiOrg);
  const jinshuiNone = await staff('ja', 'approver', jinshuiOrg);
  // a working day from today on (the accounts exist before it ends)
  const cal = await h.ctx.calendar.get();
  let day = addDays(h.clock.today(), 7);
  while (!isWorkingDay(cal, day)) day = addDays(day, 1);
  h.clock.setToday(day);
  await login(h, xihuOnce, 'Report12345'); // once: Zhejiang requires two logins a day
  await login(h, xihuTwice, 'Report12345');
  await login(h, xihuTwice, 'Report12345');
  await login(h, jinshuiOnce, 'Report12345'); // once: enough under the national profile
  const adminToday = await login(h, 'admin');
  const report = await ok(adminToday.get(`/api/reports/missed-logins?date=${day}`));
  assert.equal(report.workingDay, true);
  // this test's accounts among all staff in scope, by username (the report's org-name order depends on collation)
  const mine = (items: any[]) =>
    items
      .filter((i) => i.username.startsWith(`${tag}.`))
      .map((i) => [i.username, i.logins, i.required])
      .sort((x, y) => (x[0] < y[0] ? -1 : 1));
  assert.deepEqual(mine(report.items), [
    [jinshuiNone, 0, 1], // national profile: one a day, none made
    [xihuNone, 0, 2], // Zhejiang profile: two a day, none made
    [xihuOnce, 1, 2], // once is not enough
  ]);
  const supervisor = await login(h, 'hangzhou.supervisor');
  const city = await ok(supervisor.get(`/api/reports/missed-logins?date=${day}`));
  assert.deepEqual(mine(city.items), [[xihuNone, 0, 2], [xihuOnce, 1, 2]], 'a city supervisor sees their own city only');
  assert.ok(!city.items.some((i: any) => i.username.startsWith('jinshui.')), 'none of Zhengzhou’s demo staff either');
  // the latest day off up to the report's day (a past date whatever day the suite runs)
  let dayOff = day;
  while (isWorkingDay(cal, dayOff)) dayOff = addDays(dayOff, -1);
  assert.deepEqual(await ok(adminToday.get(`/api/reports/missed-logins?date=${dayOff}`)), { date: dayOff, workingDay: false, items: [] }, 'a day off needs no login');
  const clerk = await login(h, xihuOnce, 'Report12345');
  assert.equal((await clerk.get(`/api/reports/missed-logins?date=${day}`)).status, 403);
});

test('ORG-3 cases are found by ID number or exact name, only inside the jurisdiction', async () => {
  const h = await harness();
  const xihu = await login(h, 'xihu.clerk');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await apply(xihu, { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name: '司马相如', phone: '13800000001' } });
  const byId = await ok(xihu.get(`/api/cases?q=${idNumber}`));
  assert.deepEqual(byId.items.map((i: any) => i.id), [c.id]);
  const byName = await ok(xihu.get(`/api/cases?q=${encodeURIComponent('司马相如')}`));
  assert.ok(byName.items.some((i: any) => i.id === c.id));
  assert.ok(!JSON.stringify(byName).includes('司马相如'), 'results stay masked');
  const jinshui = await login(h, 'jinshui.clerk');
  assert.deepEqual((await ok(jinshui.get(`/api/cases?q=${idNumber}`))).items, []);
});

test('ORG-4 an administrator cannot deactivate their own account', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const me = await ok(admin.get('/api/auth/me'));
  const res = await admin.post(`/api/admin/users/${me.id}/deactivate`, { reason: '误操作测试' });
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'user.self_deactivate');
  assert.equal((await admin.get('/api/auth/me')).status, 200);
});
