/** Reading cases: one case as its page shows it, its history, and the worklists (SLA-2). */
import type { AppContext } from '../../app-context.js';
import { clockStatus } from '../../domain/working-days.js';
import { availableActions, formDefaults, waitingUntil } from '../../domain/workflow/engine.js';
import { matterDef } from '../../domain/workflow/registry.js';
import type { MatterDef } from '../../domain/workflow/types.js';
import { missingFor } from '../../domain/workflow/matters/new.js';
import { progressOf } from '../../domain/workflow/progress.js';
import { institutionForCase } from '../assessment/qualifications.js';
import type { Principal, StaffPrincipal } from '../auth/principal.js';
import { caseworkGrants, scopePatterns } from '../auth/principal.js';
import { parseCitizenId } from '../../domain/citizen-id.js';
import { idIndex, nameIndex } from '../persons/persons.js';
import { isProvisional, type CalendarView } from '../calendar/calendar.js';
import { grantsOnCase, visibleCaseRow } from './access.js';
import { snapshotOf } from './actions.js';

export async function caseView(ctx: AppContext, p: Principal, caseId: string) {
  const row = await visibleCaseRow(ctx.db, p, caseId);
  const matter = matterDef(row.matter);
  const cal = await ctx.calendar.get();
  const today = ctx.clock.today();
  const snap = await snapshotOf(ctx.db, ctx.crypto, row);
  const names = await placeNames(ctx, [row.residence_path, row.hukou_path, row.accept_path, row.origin_path ?? ''].flatMap((p: string) => p.split('.').filter(Boolean)));
  const st = matter.states[row.state];
  return {
    id: row.id,
    caseNo: row.case_no,
    matter: { code: matter.code, ...matter.label },
    /** renewal: expiry | damaged | info_update; cancellation: whole | partial */
    variant: row.variant ?? null,
    state: { code: row.state, ...st.label, final: st.final ?? null },
    version: row.version,
    profile: row.profile_code,
    profileName: profileName(await ctx.db.query('SELECT name_zh, name_en FROM policy_profile WHERE code = $1', [row.profile_code])),
    channel: row.channel,
    applicant: { idNumberMasked: row.applicant_masked, nameMasked: row.applicant_name_masked, birthYear: Number(row.birth_date.slice(0, 4)) },
    personId: row.person_id,
    categories: row.categories,
    residence: { code: row.residence_code, name: names.get(row.residence_code), fullName: fullName(row.residence_path, names) },
    hukou: { code: row.hukou_code, name: names.get(row.hukou_code), fullName: fullName(row.hukou_path, names) },
    acceptingCounty: { code: row.accept_code, name: names.get(row.accept_code), fullName: fullName(row.accept_path, names) },
    // a transfer's former hukou county, which hands over the archive (TRF-2)
    origin: row.origin_path ? { code: row.origin_code, fullName: fullName(row.origin_path, names) } : null,
    institutionId: row.institution_id,
    // NEW-2 / MSG-1: the named institution with its address, phone and opening hours, for the applicant and staff
    institution: await institutionForCase(ctx.db, row.institution_id),
    // MSG-1: the applicant's progress stepper, from the matter's states
    progress: progressOf(matter, row.state),
    waitingOn: row.waiting_side ? { side: row.waiting_side, roles: row.waiting_roles } : null,
    sla: slaOf(cal, row, today, snap.profile.dueSoonWd),
    clocks: Object.fromEntries(Object.entries(snap.clocks).map(([k, c]) => [k, { ...c!, ...clockStatus(cal, c!, today, snap.profile.dueSoonWd), stopped: Boolean(c!.stoppedOn) }])),
    materials: {
      provided: snap.data.materials?.provided ?? [],
      missing: missingFor(snap, snap.data.materials?.provided ?? []).map((m) => ({ code: m.code, ...m.label })),
    },
    data: snap.data,
    ...actionsFor(matter, row.closed_at ? null : availableActions(matter, snap, grantsOnCase(p, row as any), today, cal), (code) => formDefaults(matter, code, snap, today, cal)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

function actionsFor(matter: MatterDef, a: ReturnType<typeof availableActions> | null, defaults: (code: string) => Record<string, unknown>) {
  return {
    // `defaults`: the form's starting values, as the action's definition derives them from the case
    availableActions: (a?.open ?? []).map((code) => ({ code, ...matter.actions[code].label, defaults: defaults(code) })),
    blockedActions: (a?.blocked ?? []).map(({ code, reason }) => ({ code, ...matter.actions[code].label, reason })),
  };
}

function slaOf(cal: CalendarView, row: any, today: string, dueSoonWd: number) {
  const clock = row.active_clock ? row.clocks[row.active_clock] : null;
  if (!clock || row.closed_at) return null;
  const s = clockStatus(cal, clock, today, dueSoonWd);
  return { clock: row.active_clock, ...s, provisional: isProvisional(cal, s.dueOn) };
}

const profileName = (rows: any[]) => ({ zh: rows[0]?.name_zh ?? '', en: rows[0]?.name_en ?? '' });
const fullName = (path: string, names: Map<string, string>) => path.split('.').filter(Boolean).map((c) => names.get(c) ?? c).join(' ');

async function placeNames(ctx: AppContext, codes: string[]) {
  const rows = await ctx.db.query('SELECT code, name FROM division WHERE code = ANY($1)', [codes]);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function caseHistory(ctx: AppContext, p: Principal, caseId: string) {
  const matter = matterDef((await visibleCaseRow(ctx.db, p, caseId)).matter);
  const rows = await ctx.db.query('SELECT * FROM case_event WHERE case_id = $1 ORDER BY id', [caseId]);
  return rows.map((e) => ({
    seq: e.id,
    action: e.action,
    actionLabel: e.action === 'apply' ? { zh: '提交申请', en: 'Application filed' } : matter.actions[e.action]?.label,
    from: e.from_state,
    to: e.to_state,
    actor: { kind: e.actor_kind, name: e.actor_name, role: e.actor_role, orgUnitId: e.org_unit_id },
    at: e.at,
    payload: e.payload_enc ? ctx.crypto.decryptJson(e.payload_enc) : {},
  }));
}

export type WorklistFilter = { matter?: string; state?: string; overdue?: boolean; page: number; pageSize: number };

/**
 * SLA-2: the cases waiting on me — for each grant, cases whose next step is for that role in that
 * org's subtree — plus, for supervisors, the overdue cases of their subtree (escalation). Ordered by
 * due date, then age, then id, so pages are stable.
 */
export async function worklist(ctx: AppContext, p: Principal, f: WorklistFilter) {
  const today = ctx.clock.today();
  const params: unknown[] = [];
  const add = (v: unknown) => (params.push(v), `$${params.length}`);
  let who: string;
  if (p.kind === 'applicant') who = `c.applicant_account_id = ${add(p.id)}`;
  else {
    const staff = p as StaffPrincipal;
    const parts = staff.grants
      .filter((g) => g.role !== 'supervisor')
      .map((g) => `(c.waiting_path LIKE ${add(scopePatterns([g])[0])} AND ${add(g.role)} = ANY(c.waiting_roles))`);
    const sup = staff.grants.filter((g) => g.role === 'supervisor');
    if (sup.length) parts.push(`(c.waiting_path LIKE ANY(${add(scopePatterns(sup))}) AND c.due_on < ${add(today)})`);
    who = parts.length ? `(${parts.join(' OR ')})` : 'false';
  }
  // staff see open cases only; `waiting_side IS NOT NULL` (true of every open case) lets the planner
  // use the partial index case_waiting_idx. Applicants see all their cases, closed ones included.
  const where = p.kind === 'applicant' ? [who] : [`c.closed_at IS NULL`, `c.waiting_side IS NOT NULL`, who];
  if (f.matter) where.push(`c.matter = ${add(f.matter)}`);
  if (f.state) where.push(`c.state = ${add(f.state)}`);
  if (f.overdue) where.push(`c.due_on < ${add(today)}`);
  const sqlWhere = where.join(' AND ');
  const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM case_file c WHERE ${sqlWhere}`, params);
  const rows = await ctx.db.query(
    `SELECT c.id, c.case_no, c.matter, c.state, c.version, c.applicant_masked, c.applicant_name_masked, c.due_on, c.active_clock,
            c.clocks, c.data, c.created_at, c.closed_at, c.waiting_side, pp.settings->>'dueSoonWd' AS due_soon_wd
     FROM case_file c JOIN policy_profile pp ON pp.code = c.profile_code
     WHERE ${sqlWhere} ORDER BY c.due_on ASC NULLS LAST, c.created_at ASC, c.id ASC
     LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
    params,
  );
  const cal = await ctx.calendar.get();
  return {
    total: n,
    page: f.page,
    pageSize: f.pageSize,
    items: rows.map((r) => ({
      ...caseSummary(r),
      version: r.version,
      waitingOn: r.waiting_side,
      sla: slaOf(cal, r, today, Number(r.due_soon_wd ?? 1)),
      // a case that can only wait for a date (publicity's end) says until when; the page sets it apart
      waitingUntil: waitingUntil(matterDef(r.matter), r.state, r.data ?? {}, today),
      // e.g. why the hukou county returned it
      note: matterDef(r.matter).states[r.state]?.rowNote?.(r.data ?? {}) ?? null,
    })),
  };
}

/** A case as lists show it: number, matter, stage and the masked applicant. */
function caseSummary(r: any) {
  const matter = matterDef(r.matter);
  return {
    id: r.id as string,
    caseNo: r.case_no as string,
    matter: { code: r.matter as string, ...matter.label },
    state: { code: r.state as string, ...matter.states[r.state].label },
    applicant: { idNumberMasked: r.applicant_masked as string, nameMasked: r.applicant_name_masked as string },
    createdAt: r.created_at as string,
    closedAt: r.closed_at as string | null,
  };
}

/**
 * Finds cases in the caller's jurisdiction by citizen ID number or exact full name (both through
 * blind indexes: the stored values stay encrypted), newest first.
 */
export async function searchCases(ctx: AppContext, staff: StaffPrincipal, q: string) {
  const text = q.trim();
  const looksLikeId = /^\d{15}$|^\d{17}[\dXx]$/.test(text);
  const index = looksLikeId ? idIndex(ctx.crypto, parseCitizenId(text).id) : nameIndex(ctx.crypto, text);
  const column = looksLikeId ? 'applicant_bidx' : 'applicant_name_bidx';
  const scope = scopePatterns(caseworkGrants(staff.grants));
  const rows = await ctx.db.query(
    `SELECT id, case_no, matter, state, applicant_masked, applicant_name_masked, created_at, closed_at FROM case_file
     WHERE ${column} = $1 AND (accept_path LIKE ANY($2) OR residence_path LIKE ANY($2) OR hukou_path LIKE ANY($2) OR institution_path LIKE ANY($2))
     ORDER BY created_at DESC LIMIT 50`,
    [index, scope],
  );
  return rows.map(caseSummary);
}
