/**
 * HOME-5: the monthly home-assessment report, through the API — a county's figures from requests
 * walked through the real home flow (reviews, visit batches, assessments, delivery), the city roll-up,
 * due day 25 against month end, the .xlsx export, and submission.
 *
 * Everything happens in June 2027 on the settable clock, a month no other test writes to, so the
 * counts are exact whatever else the shared database holds.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { type Client, type Harness, harness, login, makeCitizenId } from './harness.js';
import { DEMO_PASSWORD } from '../src/cli/seed-demo.js';
import { apply, institutionOf, ok, recordResult, XIHU_VILLAGE } from './fixtures.js';

const MONTH = '2027-06';
const XIHU_TOWNSHIP = XIHU_VILLAGE.slice(0, 9);
const SHANGCHENG = '330102'; // 杭州市上城区: given a federation (and one clerk) by the admin below

/** Moves the clock and logs the named people in again (sessions last 12 hours of clock time). */
async function at(h: Harness, day: string, ...users: string[]): Promise<Client[]> {
  h.clock.setToday(day);
  return Promise.all(users.map((u) => login(h, u)));
}

/** Every test leaves the clock as it found it. */
function restoreClock(t: TestContext, h: Harness) {
  t.after(() => h.clock.reset());
}

const me = async (c: Client) => (await ok(c.get('/api/auth/me'))).id as string;

/** A request the village worker takes for someone living and registered in 西湖区 (Zhejiang profile: no publicity). */
async function homeRequest(village: Client, categories = [4]) {
  return apply(village, {
    idNumber: makeCitizenId({ division: '330106' }),
    hukouCode: XIHU_VILLAGE,
    categories,
    materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'],
    homeAssessment: { reason: '长期卧床，无法外出', channel: 'phone' },
  });
}

let made: Promise<void> | null = null;

/**
 * 西湖区, June 2027: five requests — A and E assessed at home and delivered (on day 10 and day 27),
 * D planned for a centralized visit but not at home, B refused by the township, C by the village.
 * 上城区 gets a federation and a clerk, and nothing else.
 */
function juneData(h: Harness): Promise<void> {
  made ??= (async () => {
    try {
      const [village, township, clerk, approver, doctor, admin] = await at(h, '2027-06-01', 'xihu.village', 'xihu.township', 'xihu.clerk', 'xihu.approver', 'xihu.doctor', 'admin');
      const institutionId = await institutionOf(clerk);
      const forward = async (id: string) => {
        for (const [who, action] of [[village, 'approve_home_village'], [township, 'approve_home_township'], [clerk, 'approve_home_county']] as const) await ok(who.act(id, action, {}));
        await ok(clerk.act(id, 'accept', { institutionId }));
      };
      const a = await homeRequest(village);
      const e = await homeRequest(village, [1, 4]);
      const d = await homeRequest(village);
      for (const c of [a, e, d]) await forward(c.id);
      const b = await homeRequest(village);
      await ok(village.act(b.id, 'approve_home_village', {}));
      await ok(township.act(b.id, 'refuse_home', { reason: '本人可自行前往评定机构', toldVia: 'phone' }));
      const c = await homeRequest(village);
      await ok(village.act(c.id, 'refuse_home', { reason: '不属于行动不便情形', toldVia: 'visit' }));

      const doctorId = await me(doctor);
      const batch = async (mode: 'home' | 'centralized', caseIds: string[]) => {
        const created = await ok(clerk.post('/api/visit-batches', {
          townshipCode: XIHU_TOWNSHIP, visitOn: '2027-06-01', mode, place: mode === 'centralized' ? '宝石社区居委会活动室' : '', institutionId, doctors: { 1: doctorId, 4: doctorId },
        }), 201);
        await ok(clerk.post(`/api/visit-batches/${created.id}/cases`, { caseIds, expectedVersion: created.version }));
      };
      await batch('home', [a.id, e.id]);
      await batch('centralized', [d.id]);
      await ok(recordResult(doctor, a.id, { qualified: true, disabilities: [{ category: 4, level: 1 }], assessedOn: '2027-06-01' }));
      await ok(recordResult(doctor, e.id, { qualified: true, disabilities: [{ category: 1, level: 2 }, { category: 4, level: 3 }], assessedOn: '2027-06-01' }));
      await ok(doctor.act(d.id, 'record_visit_outcome', { outcome: 'not_home', note: '家中无人' }));
      for (const id of [a.id, e.id]) {
        await ok(clerk.act(id, 'forward_to_hukou', {}));
        await ok(approver.act(id, 'approve', { photoOnFile: true }));
        await ok(clerk.act(id, 'print', {}));
        await ok(clerk.act(id, 'ship', { method: 'hand', deliverer: '宝石社区专职委员' }));
      }

      const org = await ok(admin.post('/api/admin/org-units', { kind: 'federation', name: '杭州市上城区残疾人联合会', divisionCode: SHANGCHENG }), 201);
      await ok(admin.post('/api/admin/users', { username: 'shangcheng.clerk', displayName: '上城区办证员', password: DEMO_PASSWORD, grants: [{ role: 'clerk', orgUnitId: org.id }] }), 201);

      const [clerk11] = await at(h, '2027-06-11', 'xihu.clerk');
      await ok(clerk11.act(a.id, 'mark_delivered', {}));
      const [clerk28] = await at(h, '2027-06-28', 'xihu.clerk');
      await ok(clerk28.act(e.id, 'mark_delivered', {}));
    } finally {
      h.clock.reset();
    }
  })();
  return made;
}

const figuresOf = (report: any, code: string) => report.counties.find((c: any) => c.code === code);

test('HOME-5 a county sees its month: requests, decisions at each level, visits, assessments by category and level, deliveries and days', async (t) => {
  const h = await harness();
  restoreClock(t, h);
  await juneData(h);
  const [clerk] = await at(h, '2027-06-30', 'xihu.clerk');
  const report = await ok(clerk.get(`/api/home-reports?month=${MONTH}`));
  assert.equal(report.view, 'county');
  assert.deepEqual(report.counties.map((c: any) => c.code), ['330106'], 'a county desk sees its own county only');
  const xihu = report.counties[0];
  assert.equal(xihu.name, '西湖区');
  assert.deepEqual(xihu.period, { from: '2027-06-01', to: '2027-06-30', dueOn: '2027-06-30' }, 'Zhejiang reports at month end');
  assert.deepEqual([xihu.source, xihu.submitted, xihu.overdue, xihu.canSubmit], ['live', null, false, true]);
  const f = xihu.figures;
  assert.equal(f.requests, 5);
  assert.deepEqual(f.reviews, { village: { approved: 4, refused: 1 }, township: { approved: 3, refused: 1 }, county: { approved: 3, refused: 0 } });
  assert.deepEqual(f.visits, {
    home: { assessed: 2, not_home: 0, refused: 0, moved: 0 },
    centralized: { assessed: 0, not_home: 1, refused: 0, moved: 0 },
  });
  assert.deepEqual([f.assessments.total, f.assessments.qualified], [2, 2]);
  assert.deepEqual(f.assessments.byCategory['4'], [1, 0, 0, 0]);
  assert.deepEqual(f.assessments.byCategory['7'], [0, 1, 0, 0], 'vision 2 + physical 3 counts once, as 多重 level 2');
  assert.deepEqual(f.assessments.byCategory['1'], [0, 0, 0, 0]);
  assert.equal(f.delivered, 2);
  assert.equal(f.avgDaysToDelivery, 18.5, 'delivered after 10 and 27 days');
  assert.deepEqual(report.total, f, 'one county: the total is that county');

  const may = await ok(clerk.get('/api/home-reports?month=2027-05'));
  assert.equal(may.counties[0].figures.requests, 0, 'June’s requests are not May’s');
  assert.equal(may.counties[0].overdue, true, 'May was never submitted');

  const other = await ok((await login(h, 'jinshui.clerk')).get(`/api/home-reports?month=${MONTH}`));
  assert.deepEqual(other.counties.map((c: any) => c.code), ['410105']);
  assert.equal(other.counties[0].figures.requests, 0, '金水区 has none of 西湖区’s requests');
});

test('HOME-5 the city supervisor sees every county of the city with its flags, and the roll-up; nobody sees outside their scope', async (t) => {
  const h = await harness();
  restoreClock(t, h);
  await juneData(h);
  const [supervisor, clerk, jinshui, doctor] = await at(h, '2027-07-01', 'hangzhou.supervisor', 'xihu.clerk', 'jinshui.clerk', 'xihu.doctor');
  const report = await ok(supervisor.get(`/api/home-reports?month=${MONTH}`));
  assert.equal(report.view, 'supervisor');
  const codes = report.counties.map((c: any) => c.code);
  assert.ok(codes.includes('330106') && codes.includes(SHANGCHENG), `西湖区 and 上城区 are listed: ${codes}`);
  assert.ok(codes.every((c: string) => c.startsWith('3301')), 'only counties of 杭州市');
  assert.ok(!codes.includes('330105'), 'a county without a federation has no one to report');
  for (const c of report.counties) {
    assert.equal(c.overdue, true, `${c.name}: due 30 June, nothing submitted, now 1 July`);
    assert.equal(c.canSubmit, false, 'a supervisor does not submit for a county');
  }
  const xihu = figuresOf(report, '330106');
  const own = (await ok(clerk.get(`/api/home-reports?month=${MONTH}`))).counties[0];
  assert.deepEqual(xihu.figures, own.figures, 'the supervisor sees what the county sees');
  assert.equal(figuresOf(report, SHANGCHENG).figures.requests, 0);
  assert.equal(report.total.requests, report.counties.reduce((n: number, c: any) => n + c.figures.requests, 0));
  assert.equal(report.total.delivered, 2);
  assert.equal(report.total.avgDaysToDelivery, 18.5, '上城区 delivered nothing and does not pull the average down');
  assert.deepEqual(report.cities.map((c: any) => [c.code, c.counties, c.overdue]), [['3301', report.counties.length, report.counties.length]]);

  const one = await ok(supervisor.get(`/api/home-reports?month=${MONTH}&county=330106`));
  assert.deepEqual(one.counties.map((c: any) => c.code), ['330106']);
  for (const [who, url] of [[supervisor, `/api/home-reports?month=${MONTH}&county=410105`], [jinshui, `/api/home-reports?month=${MONTH}&county=330106`], [clerk, `/api/home-reports.xlsx?month=${MONTH}&county=410105`]] as const) {
    const res = await who.get(url);
    assert.equal(res.status, 404, `${url}: outside the caller’s scope`);
    assert.ok(res.body.error.zh && res.body.error.en);
  }
  assert.equal((await doctor.get(`/api/home-reports?month=${MONTH}`)).status, 403, 'a doctor has no report');
  for (const bad of ['2027-13', '2027-6', 'june']) {
    const res = await clerk.get(`/api/home-reports?month=${bad}`);
    assert.equal(res.status, 422, bad);
    assert.equal(res.body.error.field, 'querystring.month');
    assert.match(res.body.error.zh, /月份格式为 YYYY-MM/);
    assert.match(res.body.error.en, /month as YYYY-MM/);
  }
});

test('HOME-5 due on the 25th (Jiaozuo-style) the period ends on the 25th and a county is overdue from the 26th; at month end from the 1st', async (t) => {
  const h = await harness();
  restoreClock(t, h);
  await juneData(h);
  const [before] = await h.db.query(`SELECT settings FROM policy_profile WHERE code = 'zhejiang'`);
  t.after(() => h.db.query(`UPDATE policy_profile SET settings = $1 WHERE code = 'zhejiang'`, [JSON.stringify(before.settings)]));
  const xihu = async (day: string) => (await ok((await at(h, day, 'xihu.clerk'))[0].get(`/api/home-reports?month=${MONTH}`))).counties[0];

  assert.equal((await xihu('2027-06-26')).overdue, false, 'month end: not due yet on the 26th');
  assert.equal((await xihu('2027-06-30')).overdue, false, 'the due day itself is on time');
  assert.equal((await xihu('2027-07-01')).overdue, true);

  await h.db.query(`UPDATE policy_profile SET settings = jsonb_set(settings, '{homeReportDueDay}', '25') WHERE code = 'zhejiang'`);
  const on25 = await xihu('2027-06-25');
  assert.deepEqual(on25.period, { from: '2027-05-26', to: '2027-06-25', dueOn: '2027-06-25' });
  assert.equal(on25.dueDay, 25);
  assert.equal(on25.overdue, false);
  assert.equal((await xihu('2027-06-26')).overdue, true, 'due on the 25th: overdue from the 26th');
  const f = on25.figures;
  assert.equal(f.requests, 5, 'all five requests fall between 26 May and 25 June');
  assert.deepEqual([f.delivered, f.avgDaysToDelivery], [1, 10], 'the delivery on 28 June belongs to July’s period');
  const july = (await ok((await at(h, '2027-07-01', 'xihu.clerk'))[0].get('/api/home-reports?month=2027-07'))).counties[0];
  assert.deepEqual(july.period, { from: '2027-06-26', to: '2027-07-25', dueOn: '2027-07-25' });
  assert.deepEqual([july.figures.delivered, july.figures.avgDaysToDelivery], [1, 27]);
});

test('HOME-5 the report downloads as an .xlsx workbook holding the counties, the figures and the category table', async (t) => {
  const h = await harness();
  restoreClock(t, h);
  await juneData(h);
  const [supervisor] = await at(h, '2027-07-01', 'hangzhou.supervisor');
  const res = await h.app.inject({ method: 'GET', url: `/api/home-reports.xlsx?month=${MONTH}`, headers: { cookie: supervisor.cookie! } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="home-assessment-report-2027-06\.xlsx"; filename\*=UTF-8''/);
  assert.match(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]), /^上门评定月报-2027-06\.xlsx$/);
  const files = unzipSync(new Uint8Array(res.rawPayload));
  assert.match(strFromU8(files['xl/workbook.xml']), /汇总 Summary.*类别等级 By category/);
  const summary = strFromU8(files['xl/worksheets/sheet1.xml']);
  const text = (s: string) => `<is><t>${s}</t></is>`;
  assert.ok(summary.includes(text('西湖区')) && summary.includes(text('上城区')), 'a row per county');
  assert.ok(summary.includes(text('逾期未报 Overdue')));
  assert.ok(summary.includes(text('上门评定申请 Requests')));
  // 西湖区's row: its requests (5) right after the status, and the average days (18.5) last
  const xihuRow = summary.split('<row ').find((r) => r.includes(text('西湖区')))!;
  assert.match(xihuRow, /逾期未报 Overdue<\/t><\/is><\/c><c r="G\d+"><v>5<\/v>/);
  assert.match(xihuRow, /<v>18\.5<\/v><\/c><\/row>/);
  assert.ok(summary.includes(text('合计 Total')), 'the roll-up row');
  const categories = strFromU8(files['xl/worksheets/sheet2.xml']);
  const multiple = categories.split('<row ').find((r) => r.includes(text('西湖区')) && r.includes('多重残疾'))!;
  assert.match(multiple, /<v>0<\/v><\/c><c r="D\d+"><v>1<\/v>/, '西湖区: one 多重 level 2');
  const county = await (await at(h, '2027-07-01', 'xihu.clerk'))[0].call('GET', `/api/home-reports.xlsx?month=${MONTH}`);
  assert.equal(county.status, 200, 'a county exports its own report too');
});

test('HOME-5 a county submits its month once: the figures are kept as sent, audited, shown as submitted; a second submission is refused', async (t) => {
  const h = await harness();
  restoreClock(t, h);
  await juneData(h);
  const [clerk, supervisor, township] = await at(h, '2027-07-02', 'xihu.clerk', 'hangzhou.supervisor', 'xihu.township');
  const future = await clerk.post('/api/home-reports/2027-08/submit', {});
  assert.equal(future.status, 422);
  assert.equal(future.body.error.code, 'home_report.future');
  assert.equal((await township.post(`/api/home-reports/${MONTH}/submit`, {})).status, 403, 'a township does not submit the county’s report');
  assert.equal((await supervisor.post(`/api/home-reports/${MONTH}/submit`, {})).status, 403);
  assert.equal((await clerk.post(`/api/home-reports/${MONTH}/submit`, { county: '410105' })).status, 404, 'not for another county');

  const sent = await ok(clerk.post(`/api/home-reports/${MONTH}/submit`, {}), 201);
  const xihu = sent.counties[0];
  assert.equal(xihu.source, 'submitted');
  assert.match(xihu.submitted.by, /王丽/);
  assert.equal(xihu.overdue, false, 'late, but submitted: no longer overdue');
  assert.equal(xihu.canSubmit, false);
  assert.equal(xihu.figures.requests, 5);
  const [audit] = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'home_report.submit' AND object_id = $1`, [`330106:${MONTH}`]);
  assert.equal(audit.actor, `staff:${await me(clerk)}`);
  assert.equal(audit.detail.figures.requests, 5);

  const again = await clerk.post(`/api/home-reports/${MONTH}/submit`, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'home_report.already_submitted');
  assert.match(again.body.error.zh, /已经报送，不能重复报送/);
  assert.match(again.body.error.en, /already been submitted/);
  const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM home_report_submission WHERE month = $1 AND county_path = '33.3301.330106.'`, [MONTH]);
  assert.equal(n, 1);

  // a request filed later but dated in June would change the live count; the submitted report stays as sent
  const [village] = await at(h, '2027-06-30', 'xihu.village');
  await homeRequest(village);
  const [clerkAfter, supervisorAfter, shangcheng] = await at(h, '2027-07-03', 'xihu.clerk', 'hangzhou.supervisor', 'shangcheng.clerk');
  assert.equal((await ok(clerkAfter.get(`/api/home-reports?month=${MONTH}`))).counties[0].figures.requests, 5);
  const view = await ok(supervisorAfter.get(`/api/home-reports?month=${MONTH}`));
  assert.deepEqual([figuresOf(view, '330106').submitted !== null, figuresOf(view, '330106').overdue], [true, false]);
  assert.deepEqual([figuresOf(view, SHANGCHENG).submitted, figuresOf(view, SHANGCHENG).overdue], [null, true], '上城区 is still overdue');
  await ok(shangcheng.post(`/api/home-reports/${MONTH}/submit`, {}), 201);
  assert.equal(figuresOf(await ok(supervisorAfter.get(`/api/home-reports?month=${MONTH}`)), SHANGCHENG).overdue, false);
});
