/**
 * The demo: real divisions from the national tree (every province, city and county, plus the
 * townships and villages of four demo counties in Zhejiang and Henan), the two policy profiles,
 * the published holiday calendars, and for 西湖区 (Zhejiang) and 金水区 (Henan) a full set of staff.
 * All demo accounts share the password in DEMO_PASSWORD (printed in README.md). On the first seed,
 * cases in every stage too (seed-demo-cases.ts) unless SEED_DEMO_CASES=false.
 */
import type { AppContext } from '../app-context.js';
import { createUser } from '../modules/auth/users.js';
import { seedDemoCases } from './seed-demo-cases.js';
import { designate, qualify, setContact } from '../modules/assessment/qualifications.js';
import { createOrgUnit } from '../modules/org/org-units.js';
import type { StaffRole } from '../domain/workflow/types.js';
import { seedPublishedCalendar } from '../modules/calendar/calendar.js';
import { importDivisions, nationalDivisionRows, NATIONAL_CODE } from '../modules/org/divisions.js';
import { assignProvinceProfiles, seedProfiles } from '../modules/org/profiles.js';

export const DEMO_PASSWORD = 'Tongban2026';
export const DEMO_COUNTIES = ['330106', '330102', '410105', '410802'];

export function demoDivisionRows() {
  const counties = new Set(DEMO_COUNTIES);
  const top = nationalDivisionRows(['provinces', 'cities', 'areas']);
  const below = nationalDivisionRows(['streets', 'villages']).filter((r) => counties.has(r.code.slice(0, 6)));
  return [...top, ...below];
}

/** Everything the service needs before anyone can work: divisions, profiles, calendar. Idempotent. */
export async function seedReferenceData(ctx: AppContext, log: (m: string) => void = () => {}) {
  // import the demo subset unless every place the demo refers to is already there (e.g. after --national)
  // distinct codes: two org units share a county, and a count of distinct rows never reaches a list with repeats (issue 13: a re-import on every start)
  const needed = [...new Set(ORGS.map((o) => o.division))];
  const [{ n }] = await ctx.db.query('SELECT count(*)::int AS n FROM division WHERE code = ANY($1)', [needed]);
  if (n < needed.length) log(`imported ${await importDivisions(ctx.db, demoDivisionRows())} demo divisions`);
  await ctx.db.tx(async (q) => {
    await seedProfiles(q);
    await assignProvinceProfiles(q, { '33': 'zhejiang' });
  });
  await seedPublishedCalendar(ctx.db);
}

type OrgSpec = { key: string; kind: 'federation' | 'township' | 'village' | 'institution'; name: string; division: string };
type UserSpec = { username: string; displayName: string; role: StaffRole; org: string };

const ORGS: OrgSpec[] = [
  { key: 'national', kind: 'federation', name: '中国残疾人联合会（演示）', division: NATIONAL_CODE },
  { key: 'hangzhou', kind: 'federation', name: '杭州市残疾人联合会', division: '3301' },
  { key: 'xihu', kind: 'federation', name: '杭州市西湖区残疾人联合会', division: '330106' },
  { key: 'xihu-inst', kind: 'institution', name: '西湖区残疾评定定点医院（演示）', division: '330106' },
  { key: 'xihu-township', kind: 'township', name: '北山街道办事处', division: '330106002' },
  { key: 'xihu-village', kind: 'village', name: '宝石社区居民委员会', division: '330106002052' },
  { key: 'zhengzhou', kind: 'federation', name: '郑州市残疾人联合会', division: '4101' },
  { key: 'jinshui', kind: 'federation', name: '郑州市金水区残疾人联合会', division: '410105' },
  { key: 'jinshui-inst', kind: 'institution', name: '金水区残疾评定定点医院（演示）', division: '410105' },
  { key: 'jinshui-township', kind: 'township', name: '经八路街道办事处', division: '410105001' },
  { key: 'jinshui-village', kind: 'village', name: '体育社区居民委员会', division: '410105001003' },
];

/** NEW-2: the demo institutions' address, phone and opening hours (invented, for the demo). */
const DEMO_INSTITUTION_CONTACT: Record<string, { address: string; phone: string; hours: string }> = {
  'xihu-inst': { address: '杭州市西湖区文三路123号 门诊楼3楼 残疾评定室', phone: '0571-87654321', hours: '工作日 8:30–11:30，13:30–16:30' },
  'jinshui-inst': { address: '郑州市金水区经八路45号 门诊楼2楼 残疾评定室', phone: '0371-65432198', hours: '工作日 8:00–12:00，14:30–17:30' },
};

export const DEMO_USERS: UserSpec[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', org: 'national' },
  { username: 'xihu.clerk', displayName: '西湖区办证员 王丽', role: 'clerk', org: 'xihu' },
  { username: 'xihu.reviewer', displayName: '西湖区初审员 李强', role: 'reviewer', org: 'xihu' },
  { username: 'xihu.approver', displayName: '西湖区审批人 陈静', role: 'approver', org: 'xihu' },
  { username: 'xihu.doctor', displayName: '评定医生 周明（西湖）', role: 'doctor', org: 'xihu-inst' },
  { username: 'xihu.township', displayName: '北山街道专职委员 吴芳', role: 'township_worker', org: 'xihu-township' },
  { username: 'xihu.village', displayName: '社区专职委员 郑伟', role: 'village_worker', org: 'xihu-village' },
  { username: 'hangzhou.supervisor', displayName: '杭州市残联督导 孙涛', role: 'supervisor', org: 'hangzhou' },
  { username: 'jinshui.clerk', displayName: '金水区办证员 张敏', role: 'clerk', org: 'jinshui' },
  { username: 'jinshui.reviewer', displayName: '金水区初审员 刘洋', role: 'reviewer', org: 'jinshui' },
  { username: 'jinshui.approver', displayName: '金水区审批人 赵刚', role: 'approver', org: 'jinshui' },
  { username: 'jinshui.doctor', displayName: '评定医生 马红（金水）', role: 'doctor', org: 'jinshui-inst' },
  { username: 'jinshui.township', displayName: '经八路街道专职委员 何静', role: 'township_worker', org: 'jinshui-township' },
  { username: 'jinshui.village', displayName: '体育社区专职委员 高峰', role: 'village_worker', org: 'jinshui-village' },
  { username: 'zhengzhou.supervisor', displayName: '郑州市残联督导 林晨', role: 'supervisor', org: 'zhengzhou' },
];

export async function seedDemoIfEmpty(ctx: AppContext, log: (m: string) => void = () => {}) {
  await seedReferenceData(ctx, log);
  const [{ n }] = await ctx.db.query('SELECT count(*)::int AS n FROM staff_user');
  if (n > 0) return false;
  await ctx.db.tx(async (q) => {
    const ids = new Map<string, string>();
    for (const o of ORGS) ids.set(o.key, await createOrgUnit(q, o.kind, o.name, o.division));
    for (const o of ORGS.filter((o) => o.kind === 'institution')) {
      await designate(q, ids.get(o.key)!, { categories: [1, 2, 3, 4, 5, 6], validFrom: '2026-01-01', validUntil: '2030-12-31' });
      await setContact(q, ids.get(o.key)!, DEMO_INSTITUTION_CONTACT[o.key]); // NEW-2: where the applicant goes
    }
    for (const u of DEMO_USERS) {
      const id = await createUser(q, { username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, grants: [{ role: u.role, orgUnitId: ids.get(u.org)! }] });
      if (u.role === 'doctor') {
        await qualify(q, id, { title: '主治医师', trainingCertNo: `PX-${u.username}`, trainingDate: '2025-03-01', trainingExpires: '2029-12-31', categories: [1, 2, 3, 4, 5, 6], status: 'active' });
      }
    }
  });
  log(`seeded demo: ${ORGS.length} org units, ${DEMO_USERS.length} staff accounts (password ${DEMO_PASSWORD})`);
  // only on this first seed: a restart never adds more
  if (ctx.config.seedDemoCases) await seedDemoCases(ctx, log);
  return true;
}
