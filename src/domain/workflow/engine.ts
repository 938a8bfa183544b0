/**
 * The pure heart of every state change: given a case, an action and who asks, decide the next
 * state, the new data, the clocks and who the case waits on next — or refuse with a bilingual reason.
 * The service wraps this in one transaction with the version check, history event and audit entry.
 */
import { DomainError, invalid, conflict, type Bilingual } from '../errors.js';
import type { ClockName } from '../profiles.js';
import {
  type CalendarData,
  type SlaClock,
  clockStatus,
  pauseClock,
  resumeClock,
  startClock,
} from '../working-days.js';
import type { ActionDef, CaseClock, CaseData, ClockEffects, CaseSnapshot, Effect, Grant, MatterDef, Role, Side } from './types.js';
import { issueText, type IssueLike } from '../validation-text.js';

export type Decision = {
  action: string;
  from: string;
  to: string;
  role: Role;
  side: Side;
  input: unknown;
  data: CaseData;
  clocks: Partial<Record<ClockName, CaseClock>>;
  waiting: { side: Side; roles: Role[] } | null;
  activeClock: ClockName | null;
  dueOn: string | null;
  effects: Effect[];
  final: boolean;
};

export function decide(
  matter: MatterDef,
  snap: CaseSnapshot,
  actionCode: string,
  grants: Grant[],
  rawInput: unknown,
  today: string,
  cal: CalendarData,
): Decision {
  // own keys only: 'constructor' or '__proto__' are not actions (issue 10: they answered 500)
  const action = Object.hasOwn(matter.actions, actionCode) ? matter.actions[actionCode] : undefined;
  if (!action) {
    throw invalid(
      'workflow.unknown_action',
      `事项“${matter.label.zh}”没有操作“${actionCode}”。请从案件页面列出的可用操作中选择。`,
      `The matter "${matter.label.en}" has no action "${actionCode}". Choose one of the actions the case lists.`,
    );
  }
  if (!action.from.includes(snap.state)) {
    const st = matter.states[snap.state]?.label ?? { zh: snap.state, en: snap.state };
    throw conflict(
      'workflow.illegal_action',
      `案件当前状态为“${st.zh}”，不能执行“${action.label.zh}”。请刷新页面查看当前可用操作。`,
      `The case is "${st.en}"; "${action.label.en}" is not possible in that state. Reload the case to see what can be done now.`,
    );
  }
  const grant = grants.find((g) => mayTake(action, snap.state, g));
  if (!grant) {
    throw new DomainError('forbidden', 'workflow.not_permitted', {
      zh: `您的角色不能对本案件执行“${action.label.zh}”。该操作由${sidesOf(action).map((s) => sideName(s).zh).join('或')}办理。`,
      en: `Your role may not "${action.label.en}" on this case; it is done by the ${sidesOf(action).map((s) => sideName(s).en).join(' or ')}.`,
    });
  }
  const parsed = action.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || undefined;
    // the field in words and what is wrong, plainly (issue 15): never zod's "Too small: expected …"
    const text = issueText(issue as IssueLike);
    throw invalid(
      'workflow.bad_input',
      `“${action.label.zh}”的填写内容有误：${text.zh}请更正后重新提交。`,
      `The form for "${action.label.en}" is not valid: ${text.en} Correct it and submit again.`,
      field,
    );
  }
  const ctx = { snap, input: parsed.data, today, cal };
  for (const guard of [...(action.appliesWhen ? [action.appliesWhen] : []), ...(action.guards ?? [])]) {
    const reason = guard(ctx);
    if (reason) {
      throw conflict(
        'workflow.guard',
        `不能执行“${action.label.zh}”：${reason.zh}`,
        `Cannot "${action.label.en}": ${reason.en}`,
      );
    }
  }
  const to = typeof action.to === 'function' ? action.to(ctx) : action.to;
  const toState = matter.states[to];
  if (!toState) throw new Error(`matter ${matter.code}: action ${actionCode} leads to unknown state ${to}`);
  const clocks = applyClockEffects(typeof action.clock === 'function' ? action.clock(to) : action.clock ?? {}, snap, today, cal);
  const activeClock = toState.clock ?? null;
  const running = activeClock ? clocks[activeClock] : undefined;
  const dueOn = running ? clockStatus(cal, running, today).dueOn : null;
  return {
    action: actionCode,
    from: snap.state,
    to,
    role: grant.role,
    side: grant.side,
    input: parsed.data,
    data: { ...snap.data, ...(action.apply?.(ctx) ?? {}) },
    clocks,
    waiting: toState.waitingOn ?? null,
    activeClock,
    dueOn,
    effects: action.effects ?? [],
    final: Boolean(toState.final),
  };
}

function applyClockEffects(fx: ClockEffects, snap: CaseSnapshot, today: string, cal: CalendarData) {
  const clocks = { ...snap.clocks };
  for (const name of fx.pause ?? []) {
    const c = clocks[name];
    if (c && c.runningSince) clocks[name] = pauseClock(cal, c, today);
  }
  // A stopped clock is a paused one that is never resumed, marked so that screens and reports can
  // tell "done in N working days" from "waiting for the applicant".
  for (const name of fx.stop ?? []) {
    const c = clocks[name];
    if (c && !c.stoppedOn) clocks[name] = { ...(c.runningSince ? pauseClock(cal, c, today) : c), stoppedOn: today };
  }
  for (const name of fx.resume ?? []) {
    const c = clocks[name];
    if (c && !c.runningSince && !c.stoppedOn) clocks[name] = resumeClock(c, today);
  }
  for (const name of fx.start ?? []) {
    const limit = snap.profile.sla[name];
    if (limit != null) clocks[name] = startClock(today, limit);
    else delete clocks[name];
  }
  return clocks;
}

/**
 * The actions this caller may take now — the buttons a case page shows — and, apart, the ones their
 * role allows but the case's facts rule out, with the reason (guards that need the form's input are
 * judged when the form is sent). An action that does not apply to the case at all (`appliesWhen`)
 * is in neither list: its reason would not help anyone.
 */
export function availableActions(matter: MatterDef, snap: CaseSnapshot, grants: Grant[], today: string, cal: CalendarData) {
  const open: string[] = [];
  const blocked: { code: string; reason: Bilingual }[] = [];
  for (const [code, a] of Object.entries(matter.actions)) {
    if (!a.from.includes(snap.state) || !grants.some((g) => mayTake(a, snap.state, g))) continue;
    if (a.appliesWhen?.({ snap, input: {}, today, cal })) continue;
    const reason = (a.guards ?? []).map((guard) => guard({ snap, input: {}, today, cal })).find(Boolean);
    if (reason) blocked.push({ code, reason });
    else open.push(code);
  }
  return { open, blocked };
}

/** The starting values of an action's form, as its definition derives them from the case. */
export function formDefaults(matter: MatterDef, code: string, snap: CaseSnapshot, today: string, cal: CalendarData): Record<string, unknown> {
  return matter.actions[code]?.defaults?.({ snap, today, cal }) ?? {};
}

/** The day a case in its state waits for (e.g. publicity's end), when that is still ahead of `today`. */
export function waitingUntil(matter: MatterDef, state: string, data: CaseData, today: string): string | null {
  const until = matter.states[state]?.waitsUntil?.(data) ?? null;
  return until && until > today ? until : null;
}

export const sidesOf = (a: ActionDef): Side[] => (Array.isArray(a.side) ? a.side : [a.side]);
const mayTake = (a: ActionDef, state: string, g: Grant) => sidesOf(a).includes(g.side) && (a.rolesIn?.[state] ?? a.roles).includes(g.role);

export function sideName(side: Side) {
  return {
    residence: { zh: '居住地县级残联', en: 'residence county federation' },
    hukou: { zh: '户籍地县级残联', en: 'hukou county federation' },
    institution: { zh: '评定机构', en: 'assessment institution' },
    applicant: { zh: '申请人或监护人', en: 'applicant or guardian' },
    origin: { zh: '原户籍地县级残联', en: 'former hukou county federation' },
  }[side];
}

/**
 * A running clock given the limit that depends on the record the action names (SLA-3: an
 * out-of-county institution), known only once the service has looked that record up. A stage
 * without any limit under the profile stays without one.
 */
export function withClockLimit(d: Decision, name: ClockName, limitWd: number | null, today: string, cal: CalendarData): Decision {
  const c = d.clocks[name];
  if (!c || c.stoppedOn || limitWd == null || c.limitWd === limitWd) return d;
  const clocks = { ...d.clocks, [name]: { ...c, limitWd } };
  const running = d.activeClock === name ? clocks[name] : undefined;
  return { ...d, clocks, dueOn: d.activeClock === name ? (running ? clockStatus(cal, running, today).dueOn : null) : d.dueOn };
}
