/**
 * Synthetic population for the benchmark, written straight into the tables in batches
 * (INSERT … SELECT FROM unnest(arrays)) — going through the API would take hours at 100k persons
 * and would measure the API, which is what run.ts does afterwards on purpose.
 *
 * Rows carry exactly what the app writes (see persons.ts upsertPerson, certificates.ts
 * issueCertificate, cases/application.ts openApplication and cases/actions.ts runAction): the same
 * AES-GCM ciphertexts and citizen-id blind index from FieldCrypto, valid citizen IDs, masked values,
 * SLA clocks and due dates computed with the real calendar, and waiting_side/path/roles as the
 * workflow sets them. Audit entries are not generated: their hash chain is per org unit and nothing
 * measured here reads them.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../src/app-context.js';
import { DEMO_COUNTIES } from '../src/cli/seed-demo.js';
import { createOrgUnit } from '../src/modules/org/org-units.js';
import { maskCertificateNumber } from '../src/domain/certificate-number.js';
import { checkDigit, maskCitizenId } from '../src/domain/citizen-id.js';
import { certificateNumberIndex } from '../src/modules/certificates/certificate-numbers.js';
import { validityEnd } from '../src/domain/certificates.js';
import { requiredMaterials } from '../src/domain/materials.js';
import { profileForCase, SEED_PROFILES, type ClockName, type ProfileSettings } from '../src/domain/profiles.js';
import { NEW_MATTER } from '../src/domain/workflow/matters/new.js';
import { clockStatus, startClock, type CalendarData, type SlaClock } from '../src/domain/working-days.js';
import { splitCaseData } from '../src/modules/cases/case-data.js';
import { countyPathOf } from '../src/modules/org/divisions.js';
import { idIndex, maskName, nameIndex } from '../src/modules/persons/persons.js';

/** The county whose clerk's worklist is stressed: most open cases are accepted there. */
export const BUSY_COUNTY = '330106';
const BATCH = 1000;

/** Seeded PRNG (mulberry32) so two runs of the same size generate the same population shape. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}
type Rng = ReturnType<typeof prng>;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰红梅志强海燕子涵浩然欣怡宇轩梓萱一诺';
const randomName = (r: Rng) => r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.next() < 0.6 ? r.pick([...GIVEN]) : '');

/**
 * Valid, run-unique 18-digit citizen IDs. Birth dates walk 1940-01-01 … 1999-12-xx with a stride
 * coprime to the span (a permutation, so no two counters share a date) and the sequence number
 * counts the laps; everyone is an adult, so no application needs a guardian.
 */
export class CitizenIds {
  private n = 0;
  private static readonly SPAN = 21900; // days from 1940-01-01, all born before 2000
  next(county6: string): { id: string; birthDate: string; sex: 'M' | 'F' } {
    const n = this.n++;
    const day = (n * 7919) % CitizenIds.SPAN;
    const seq = Math.floor(n / CitizenIds.SPAN) % 1000;
    const birthDate = new Date(Date.UTC(1940, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const first17 = county6 + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
    return { id: first17 + checkDigit(first17), birthDate, sex: seq % 2 === 1 ? 'M' : 'F' };
  }
}

export type Place = { code: string; path: string };
export type County = Place & { federationId: string; institutionId: string; institutionPath: string; villages: Place[] };

/**
 * The demo counties with their villages and org units. The demo seed gives 西湖区 and 金水区 a
 * federation and an institution; the other two demo counties get theirs here, because certificates
 * need an issuer and accepted cases an institution.
 */
export async function loadCounties(ctx: AppContext): Promise<Map<string, County>> {
  const out = new Map<string, County>();
  for (const code of DEMO_COUNTIES) {
    const [county] = await ctx.db.query<{ path: string }>('SELECT path FROM division WHERE code = $1', [code]);
    const villages = await ctx.db.query<Place>(`SELECT code, path FROM division WHERE level = 5 AND path LIKE $1 ORDER BY code`, [county.path + '%']);
    const orgOf = async (kind: 'federation' | 'institution', name: string) => {
      const [o] = await ctx.db.query('SELECT id, path FROM org_unit WHERE division_code = $1 AND kind = $2 ORDER BY name LIMIT 1', [code, kind]);
      if (o) return o as { id: string; path: string };
      const id = await ctx.db.tx((q) => createOrgUnit(q, kind, name, code));
      return (await ctx.db.query('SELECT id, path FROM org_unit WHERE id = $1', [id]))[0] as { id: string; path: string };
    };
    const fed = await orgOf('federation', `${code} 残疾人联合会（压测）`);
    const inst = await orgOf('institution', `${code} 评定机构（压测）`);
    out.set(code, { code, path: county.path, federationId: fed.id, institutionId: inst.id, institutionPath: inst.path, villages });
  }
  return out;
}

const isoDaysAgo = (today: string, days: number) => new Date(Date.parse(today + 'T00:00:00Z') - days * 86_400_000).toISOString().slice(0, 10);

/** Persons with one active certificate each (and its 'issued' history event), spread over the demo counties. */
export async function generatePersons(ctx: AppContext, counties: Map<string, County>, ids: CitizenIds, total: number, r: Rng) {
  const { crypto } = ctx;
  const codes = [...counties.keys()];
  // the busy county holds 40%, the other three share the rest
  const countyFor = () => (r.next() < 0.4 ? BUSY_COUNTY : r.pick(codes.filter((c) => c !== BUSY_COUNTY)));
  const today = ctx.clock.today();
  const busyIds: string[] = []; // ID numbers the busy county's clerk may look up
  for (let done = 0; done < total; done += BATCH) {
    const p = { id: [] as string[], bidx: [] as string[], enc: [] as string[], masked: [] as string[], name: [] as string[], sex: [] as string[], birth: [] as string[], details: [] as string[], hc: [] as string[], hp: [] as string[], rc: [] as string[], rp: [] as string[] };
    const c = { id: [] as string[], number: [] as string[], masked: [] as string[], person: [] as string[], cat: [] as number[], level: [] as number[], dis: [] as string[], from: [] as string[], until: [] as string[], issuer: [] as string[] };
    for (let i = done; i < Math.min(total, done + BATCH); i++) {
      const hukou = counties.get(countyFor())!;
      const village = r.pick(hukou.villages);
      // one in ten lives in another demo county than their hukou (cross-region holders)
      const residence = r.next() < 0.1 ? r.pick(counties.get(r.pick(codes))!.villages) : village;
      const who = ids.next(hukou.code);
      const personId = randomUUID();
      if (hukou.code === BUSY_COUNTY) busyIds.push(who.id);
      p.id.push(personId), p.bidx.push(idIndex(crypto, who.id)), p.enc.push(crypto.encrypt(who.id)), p.masked.push(maskCitizenId(who.id));
      p.name.push(crypto.encrypt(randomName(r))), p.sex.push(who.sex), p.birth.push(who.birthDate);
      p.details.push(crypto.encryptJson({ phone: `138${String(i).padStart(8, '0')}`, address: `${village.code} 某路${1 + r.int(200)}号`, ethnicity: '汉族' }));
      p.hc.push(village.code), p.hp.push(village.path), p.rc.push(residence.code), p.rp.push(residence.path);
      const category = 1 + r.int(6);
      const level = 1 + r.int(4);
      const validFrom = isoDaysAgo(today, r.int(3650)); // issued within the last ten years: still valid
      c.id.push(randomUUID()), c.number.push(certificateNumberIndex(ctx.crypto, `${who.id}${category}${level}`)), c.masked.push(maskCertificateNumber(`${who.id}${category}${level}`)), c.person.push(personId), c.cat.push(category), c.level.push(level);
      c.dis.push(JSON.stringify([{ category, level }])), c.from.push(validFrom), c.until.push(validityEnd(validFrom)), c.issuer.push(hukou.federationId);
    }
    await ctx.db.tx(async (q) => {
      await q.query(
        `INSERT INTO person (id, id_bidx, id_enc, id_masked, name_enc, sex, birth_date, details_enc, hukou_code, hukou_path, residence_code, residence_path)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::char(1)[], $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
        [p.id, p.bidx, p.enc, p.masked, p.name, p.sex, p.birth, p.details, p.hc, p.hp, p.rc, p.rp],
      );
      await q.query(
        `INSERT INTO certificate (id, number_bidx, number_masked, person_id, category, level, disabilities, state, valid_from, valid_until, issuer_org_id, state_changed_at)
         SELECT id, number_bidx, number_masked, person_id, category, level, dis::jsonb, 'active', valid_from, valid_until, issuer, valid_from::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::smallint[], $5::smallint[], $6::text[], $7::date[], $8::date[], $9::uuid[], $10::text[])
           AS t(id, number_bidx, person_id, category, level, dis, valid_from, valid_until, issuer, number_masked)`,
        [c.id, c.number, c.person, c.cat, c.level, c.dis, c.from, c.until, c.issuer, c.masked],
      );
      await q.query(
        `INSERT INTO certificate_event (certificate_id, from_state, to_state, at, reason)
         SELECT id, NULL, 'active', valid_from::timestamptz, 'issued (新办核发)' FROM unnest($1::uuid[], $2::date[]) AS t(id, valid_from)`,
        [c.id, c.from],
      );
    });
  }
  return busyIds;
}

/**
 * A county's existing holders as its old system would export them, in the import-certificates CSV
 * format: issued over the last twelve years (so about a sixth have expired), one in ten with a
 * multiple disability, and about a third of the pre-2018 ones assessed by sight (目测).
 */
export function legacyCsv(county: County, ids: CitizenIds, total: number, r: Rng, today: string): string {
  const lines = ['身份证号码,姓名,残疾类别等级,发证日期,有效期至,目测,户籍地区划代码,电话,地址'];
  for (let i = 0; i < total; i++) {
    const who = ids.next(county.code);
    const issued = isoDaysAgo(today, r.int(4380));
    const disabilities = r.next() < 0.1 ? `${1 + r.int(3)}-${1 + r.int(4)};${4 + r.int(3)}-${1 + r.int(4)}` : `${1 + r.int(6)}-${1 + r.int(4)}`;
    const visual = issued < '2018-01-01' && r.next() < 0.3 ? '是' : '否';
    const village = r.pick(county.villages);
    lines.push([who.id, randomName(r), disabilities, issued, validityEnd(issued), visual, village.code, `139${String(i).padStart(8, '0')}`, `某路${1 + r.int(200)}号`].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Open-state mix: most cases wait at the residence desk, as in a real county. */
const STATE_MIX: [string, number][] = [['submitted', 0.4], ['awaiting_materials', 0.1], ['assessing', 0.2], ['result_review', 0.15], ['hukou_review', 0.15]];
/** Versions a case has in each state: one per action taken since it was filed. */
const VERSION: Record<string, number> = { submitted: 1, awaiting_materials: 2, assessing: 2, result_review: 3, hukou_review: 4 };
const PROFILES = Object.fromEntries(SEED_PROFILES.map((p) => [p.code, p.settings])) as Record<string, ProfileSettings>;

/** A case in the busy county, still 'submitted', missing exactly the photos: request_materials can run on it. */
export type ActionableCase = { id: string; missing: string[] };

/**
 * Open NEW cases. 80% are accepted by the busy county; hukou is mostly in the same county, else in
 * the same or the other province (which switches the case to the national profile, as the app does).
 */
export async function generateCases(ctx: AppContext, counties: Map<string, County>, ids: CitizenIds, total: number, r: Rng, cal: CalendarData) {
  const { crypto } = ctx;
  const today = ctx.clock.today();
  const codes = [...counties.keys()];
  const actionable: ActionableCase[] = [];
  const pickState = () => {
    let x = r.next();
    for (const [s, w] of STATE_MIX) if ((x -= w) < 0) return s;
    return 'submitted';
  };
  for (let done = 0; done < total; done += BATCH) {
    const cols: Record<string, unknown[]> = {};
    const push = (k: string, v: unknown) => (cols[k] ??= []).push(v);
    for (let i = done; i < Math.min(total, done + BATCH); i++) {
      const accept = counties.get(r.next() < 0.8 ? BUSY_COUNTY : r.pick(codes.filter((c) => c !== BUSY_COUNTY)))!;
      const roll = r.next();
      const sameProvince = codes.filter((c) => c !== accept.code && c.slice(0, 2) === accept.code.slice(0, 2));
      const otherProvince = codes.filter((c) => c.slice(0, 2) !== accept.code.slice(0, 2));
      const hukou = counties.get(roll < 0.7 ? accept.code : roll < 0.85 ? r.pick(sameProvince) : r.pick(otherProvince))!;
      const residence = r.pick(accept.villages);
      const hukouVillage = r.pick(hukou.villages);
      const who = ids.next(hukou.code);
      const name = randomName(r);
      const state = pickState();
      const category = 1 + r.int(4); // physical/visual/hearing/speech: no guardian needed
      const profileCode = profileForCase(accept.code.slice(0, 2), hukou.code.slice(0, 2), (p) => (p === '33' ? 'zhejiang' : 'national'));
      const profile = PROFILES[profileCode];
      const crossRegion = accept.path !== hukou.path;
      const required = requiredMaterials('new', { needsGuardian: false, crossRegion, profile }).map((m) => m.code);
      // half of the still-submitted cases lack the photos: those are the ones request_materials can act on
      const missing = state === 'submitted' && r.next() < 0.5 ? ['photos'] : state === 'awaiting_materials' ? ['photos'] : [];
      const provided = required.filter((m) => !missing.includes(m));
      const ageDays = 1 + r.int(25); // filed 1-25 days ago (never today, so case numbers cannot clash with the API's)
      const filed = isoDaysAgo(today, ageDays);
      const stageStart = isoDaysAgo(today, r.int(ageDays));
      const accepted = !['submitted', 'awaiting_materials'].includes(state);

      const clocks: Partial<Record<ClockName, SlaClock>> = {};
      const acceptanceLimit = profile.sla.acceptance;
      if (acceptanceLimit) {
        const c = startClock(filed, acceptanceLimit);
        // paused while the applicant supplies materials, stopped (paused for good) once accepted
        clocks.acceptance = state === 'submitted' ? c : { ...c, usedWd: 1, runningSince: null };
      }
      const stateDef = NEW_MATTER.states[state];
      const active = (stateDef.clock ?? null) as ClockName | null;
      const limit = active ? profile.sla[active] : null;
      if (active && active !== 'acceptance' && limit) clocks[active] = startClock(stageStart, limit);
      const running = active ? clocks[active] : undefined;
      const dueOn = running ? clockStatus(cal, running, today).dueOn : null;

      const waiting = stateDef.waitingOn!;
      const waitingPath = waiting.side === 'institution' ? accept.institutionPath : waiting.side === 'hukou' ? countyPathOf(hukouVillage.path) : accept.path;
      const data: Record<string, unknown> = { needsGuardian: false, materials: { provided }, missingAtApplication: missing };
      if (state === 'awaiting_materials') data.notices = [{ kind: 'missing_materials', on: stageStart, items: [{ code: 'photos' }], note: '' }];
      if (accepted) Object.assign(data, { acceptedOn: stageStart, institutionId: accept.institutionId, institutionName: '评定机构' });
      if (state === 'result_review' || state === 'hukou_review') {
        data.assessment = { qualified: true, disabilities: [{ category, level: 2 }], assessedOn: stageStart };
      }

      const id = randomUUID();
      if (accept.code === BUSY_COUNTY && state === 'submitted' && missing.length) actionable.push({ id, missing });
      push('id', id);
      push('case_no', `NEW-${accept.code}-${filed.replaceAll('-', '')}-${String(i % 1e6).padStart(6, '0')}`);
      push('state', state);
      push('version', VERSION[state]);
      push('profile_code', profileCode);
      push('applicant_bidx', idIndex(crypto, who.id));
      push('applicant_enc', crypto.encryptJson({ idNumber: who.id, name, phone: '13800138000', address: `${residence.code} 某路1号`, delivery: { method: 'hand' } }));
      push('applicant_masked', maskCitizenId(who.id));
      push('applicant_name_masked', maskName(name));
      push('applicant_name_bidx', nameIndex(crypto, name));
      push('birth_date', who.birthDate);
      push('categories', `{${category}}`);
      push('residence_code', residence.code), push('residence_path', residence.path);
      push('hukou_code', hukouVillage.code), push('hukou_path', hukouVillage.path);
      push('accept_code', accept.code), push('accept_path', accept.path);
      push('institution_id', accepted ? accept.institutionId : null), push('institution_path', accepted ? accept.institutionPath : null);
      // the assessment goes into the encrypted health column, as actions.ts stores it (SEC-1)
      const split = splitCaseData(crypto, data);
      push('data', JSON.stringify(split.data)), push('health_enc', split.healthEnc), push('clocks', JSON.stringify(clocks));
      push('waiting_side', waiting.side), push('waiting_path', waitingPath), push('waiting_roles', `{${waiting.roles.join(',')}}`);
      push('active_clock', active), push('due_on', dueOn); // the app stores the state's clock name even when the profile sets no limit
      push('created_at', `${filed}T02:00:00Z`), push('updated_at', `${stageStart}T03:00:00Z`);
      push('org', accept.federationId);
      push('event_payload', crypto.encryptJson({ channel: 'onsite', categories: [category], materialsProvided: provided, missing }));
    }
    await ctx.db.tx(async (q) => {
      await q.query(
        `INSERT INTO case_file (id, case_no, matter, state, version, profile_code, channel, applicant_bidx, applicant_enc, applicant_masked,
           applicant_name_masked, birth_date, categories, residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path,
           institution_id, institution_path, data, clocks, waiting_side, waiting_path, waiting_roles, active_clock, due_on, created_at, updated_at,
           applicant_name_bidx, health_enc, family)
         SELECT id, case_no, 'new', state, version, profile_code, 'onsite', applicant_bidx, applicant_enc, applicant_masked,
           applicant_name_masked, birth_date, categories::smallint[], residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path,
           institution_id, institution_path, data::jsonb, clocks::jsonb, waiting_side, waiting_path, waiting_roles::text[], active_clock, due_on, created_at, updated_at,
           applicant_name_bidx, health_enc, 'new'
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::date[],
           $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::uuid[], $19::text[], $20::text[], $21::text[],
           $22::text[], $23::text[], $24::text[], $25::text[], $26::date[], $27::timestamptz[], $28::timestamptz[], $29::text[], $30::text[])
           AS t(id, case_no, state, version, profile_code, applicant_bidx, applicant_enc, applicant_masked, applicant_name_masked, birth_date,
             categories, residence_code, residence_path, hukou_code, hukou_path, accept_code, accept_path, institution_id, institution_path, data,
             clocks, waiting_side, waiting_path, waiting_roles, active_clock, due_on, created_at, updated_at, applicant_name_bidx, health_enc)`,
        ['id', 'case_no', 'state', 'version', 'profile_code', 'applicant_bidx', 'applicant_enc', 'applicant_masked', 'applicant_name_masked', 'birth_date',
          'categories', 'residence_code', 'residence_path', 'hukou_code', 'hukou_path', 'accept_code', 'accept_path', 'institution_id', 'institution_path', 'data',
          'clocks', 'waiting_side', 'waiting_path', 'waiting_roles', 'active_clock', 'due_on', 'created_at', 'updated_at', 'applicant_name_bidx', 'health_enc'].map((k) => cols[k]),
      );
      // the 'apply' history event every case starts with (later events are not needed by anything measured)
      await q.query(
        `INSERT INTO case_event (case_id, action, from_state, to_state, actor_kind, actor_name, actor_role, org_unit_id, at, payload_enc)
         SELECT id, 'apply', NULL, 'submitted', 'staff', '办证员（压测）', 'clerk', org, created_at, $4
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS t(id, org, created_at)`,
        [cols.id, cols.org, cols.created_at, ctx.crypto.encryptJson({ channel: 'onsite' })],
      );
    });
  }
  return actionable;
}
