/**
 * Demo cases in every stage of a NEW (新办) application, so a visitor can walk each step today
 * without filing and waiting first — among them one whose 7-day publicity has already ended. They
 * go through the real service functions (openApplication, the documents upload, runAction) as the
 * demo staff, so each carries its full history and audit trail; the one in publicity is taken
 * through its first steps on a clock set back, as if it had been filed two weeks ago.
 *
 * Seeded once, with the demo accounts (seedDemoIfEmpty), unless SEED_DEMO_CASES=false — the test
 * suite turns them off and owns its data.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.js';
import { checkDigit } from '../domain/citizen-id.js';
import { minimalPdf } from '../platform/minimal-pdf.js';
import { addCalendarDays } from '../domain/dates.js';
import type { StaffPrincipal } from '../modules/auth/principal.js';
import { loadGrants } from '../modules/auth/sessions.js';
import type { ApplicationInput } from '../modules/cases/application.js';
import { openApplication } from '../modules/cases/application.js';
import { runAction } from '../modules/cases/actions.js';
import { attachDocument, checkUpload } from '../modules/documents/documents.js';

/** What a visitor finds, where, and what they do next (README "Demo cases"). */
export type DemoCase = { name: string; state: string; next: string };

const XIHU_VILLAGE = '330106002052';
const JINSHUI_VILLAGE = '410105001003';
/** Days back for the case in publicity: past the national profile's 7-day publicity, and working days for the SLA to show. */
const PUBLICITY_STARTED_DAYS_AGO = 14;

/** A valid citizen ID (GB 11643) born on the given day in the given county; the sequence keeps them apart. */
function demoId(county: string, birth: string, seq: number) {
  const first17 = county + birth + String(seq).padStart(3, '0');
  return first17 + checkDigit(first17);
}

/** A one-page PDF standing in for the scanned assessment form; random bytes inside keep each file distinct. */
function scannedForm(): Buffer {
  return minimalPdf(randomBytes(6).toString('hex'));
}

export async function seedDemoCases(ctx: AppContext, log: (m: string) => void = () => {}): Promise<DemoCase[]> {
  const staff = new Map<string, StaffPrincipal>();
  const as = async (username: string): Promise<StaffPrincipal> => {
    if (!staff.has(username)) {
      const [u] = await ctx.db.query('SELECT id, display_name FROM staff_user WHERE username = $1', [username]);
      staff.set(username, { kind: 'staff', id: u.id, username, displayName: u.display_name, grants: await loadGrants(ctx.db, u.id) });
    }
    return staff.get(username)!;
  };
  const institutionOf = async (county: string) =>
    (await ctx.db.query(`SELECT id FROM org_unit WHERE kind = 'institution' AND division_code = $1 ORDER BY name LIMIT 1`, [county]))[0].id as string;

  /** One application and its steps, each its own transaction as through the API, on `at`'s clock. */
  const walk = async (at: AppContext, filer: string, form: ApplicationInput, steps: [who: string, action: string, input: Record<string, unknown>][]) => {
    // principals are read before each transaction opens: PGlite has one connection, so a query outside the open transaction would wait on it
    const by = await as(filer);
    const caseId = await at.db.tx(async (q) => (await openApplication(at, q, by, form)).caseId);
    for (const [who, action, input] of steps) {
      const p = await as(who);
      if (action === 'record_assessment') {
        // ASMT-2: the signed, stamped form is scanned in before its data is entered
        const checked = await checkUpload(at, { materialCode: 'assessment_form', fileName: '残疾评定表.pdf', bytes: scannedForm() }, { error: () => {} });
        await at.db.tx((q) => attachDocument(at, q, p, caseId, checked));
      }
      await at.db.tx(async (q) => {
        const [{ version }] = await q.query('SELECT version FROM case_file WHERE id = $1', [caseId]);
        await runAction(at, q, p, caseId, action, version, input);
      });
    }
    return caseId;
  };

  const today = ctx.clock.today();
  const back = (days: number): AppContext => {
    const shift = days * 86400_000;
    return { ...ctx, clock: { now: () => new Date(ctx.clock.now().getTime() - shift), today: () => addCalendarDays(ctx.clock.today(), -days) } };
  };
  const xihuInst = await institutionOf('330106');
  const jinshuiInst = await institutionOf('410105');
  const adult = (name: string, county: string, seq: number, residenceCode: string, hukouCode: string, over: Partial<ApplicationInput> = {}): ApplicationInput => ({
    matter: 'new',
    applicant: { idNumber: demoId(county, '19800101', seq), name, phone: '13800138000', address: '演示地址' },
    residenceCode,
    hukouCode,
    categories: [4],
    materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter', ...(residenceCode.slice(0, 6) === hukouCode.slice(0, 6) ? [] : ['residence_permit'])],
    delivery: { method: 'hand' },
    ...over,
  });
  const physical = (assessedOn: string) => ({ qualified: true, disabilities: [{ category: 4, level: 3 }], assessedOn });

  const seeded: DemoCase[] = [];
  const add = (name: string, state: string, next: string) => seeded.push({ name, state, next });

  // First the back-dated one, so every audit chain still reads forward in time.
  const past = back(PUBLICITY_STARTED_DAYS_AGO);
  await walk(past, 'jinshui.clerk', adult('演示公示期满', '410105', 901, JINSHUI_VILLAGE, JINSHUI_VILLAGE), [
    ['jinshui.clerk', 'accept', { institutionId: jinshuiInst }],
    ['jinshui.doctor', 'record_assessment', physical(past.clock.today())],
    ['jinshui.clerk', 'start_publicity', { place: '体育社区公示栏' }],
  ]);
  add('演示公示期满', 'in_publicity', 'jinshui.clerk: 公示期满，报户籍地; then jinshui.approver approves');

  await walk(ctx, 'xihu.clerk', adult('演示待补材料', '330106', 902, XIHU_VILLAGE, XIHU_VILLAGE, { materialsProvided: ['photos'] }), []);
  add('演示待补材料', 'submitted', 'xihu.clerk: tick the materials brought in, then accept');

  await walk(ctx, 'xihu.clerk', adult('演示待评定', '330106', 903, XIHU_VILLAGE, XIHU_VILLAGE), [['xihu.clerk', 'accept', { institutionId: xihuInst }]]);
  add('演示待评定', 'assessing', 'xihu.doctor: upload the assessment-form scan, record the result');

  await walk(ctx, 'xihu.clerk', adult('演示结果待处理', '330106', 904, XIHU_VILLAGE, XIHU_VILLAGE), [
    ['xihu.clerk', 'accept', { institutionId: xihuInst }],
    ['xihu.doctor', 'record_assessment', physical(today)],
  ]);
  add('演示结果待处理', 'result_review', 'xihu.clerk: send it on (Zhejiang: a commitment letter instead of publicity)');

  // between provinces, a child as in scripts/walkthrough.sh: a minor needs no publicity (NEW-4)
  const child = adult('演示户籍地审核', '410105', 905, XIHU_VILLAGE, JINSHUI_VILLAGE, {
    guardian: { idNumber: demoId('410105', '19800101', 915), name: '演示家长', phone: '13900139000', relation: '父亲' },
    materialsProvided: ['photos', 'id_and_hukou', 'guardian_proof', 'residence_permit'],
  });
  child.applicant.idNumber = demoId('410105', `${Number(today.slice(0, 4)) - 10}0601`, 905);
  await walk(ctx, 'xihu.clerk', child, [
    ['xihu.clerk', 'accept', { institutionId: xihuInst }],
    ['xihu.doctor', 'record_assessment', physical(today)],
    ['xihu.clerk', 'forward_to_hukou', {}],
  ]);
  add('演示户籍地审核', 'hukou_review', 'jinshui.approver: tick the photo box, approve');

  await walk(ctx, 'xihu.clerk', adult('演示待制证', '330106', 906, XIHU_VILLAGE, XIHU_VILLAGE), [
    ['xihu.clerk', 'accept', { institutionId: xihuInst }],
    ['xihu.doctor', 'record_assessment', physical(today)],
    ['xihu.clerk', 'forward_to_hukou', {}],
    ['xihu.approver', 'approve', { photoOnFile: true }],
  ]);
  add('演示待制证', 'printing', 'xihu.clerk: print, ship, mark delivered');

  await walk(ctx, 'xihu.village', adult('演示上门评定', '330106', 907, XIHU_VILLAGE, XIHU_VILLAGE, { homeAssessment: { reason: '长期卧床，无法外出', channel: 'phone' } }), [
    ['xihu.village', 'approve_home_village', { opinion: '属实，长期卧床' }],
  ]);
  add('演示上门评定', 'home_township_review', 'xihu.township agrees, then xihu.clerk agrees, accepts and plans a visit batch');

  log(`seeded ${seeded.length} demo cases in every stage (one with its publicity over)`);
  return seeded;
}
