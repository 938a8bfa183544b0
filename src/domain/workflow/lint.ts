/**
 * A linter for matter definitions (issue 14 item 6), run in CI over every matter: a definition is data,
 * so its mistakes are found by reading it, before any case meets them. It finds an action leading to
 * or from a state that does not exist, a state no path reaches, a state a case could never leave, a
 * final state that still waits on someone (or an open one that waits on nobody), and an SLA clock that
 * some action starts but none ever stops or pauses — a deadline that would run for ever.
 */
import type { ClockName } from '../profiles.js';
import type { ActionDef, ClockEffects, MatterDef } from './types.js';

export type LintProblem = { matter: string; where: string; problem: string };

/** Every state an action may lead to: its fixed target, or the declared targets of a computed one. */
export function targetsOf(a: ActionDef): string[] {
  return typeof a.to === 'string' ? [a.to] : a.targets ?? [];
}

/** The clock effects of an action for each state it may lead to. */
function clockEffectsOf(a: ActionDef): ClockEffects[] {
  if (!a.clock) return [];
  const clock = a.clock;
  return typeof clock === 'function' ? targetsOf(a).map((to) => clock(to)) : [clock];
}

export function lintMatter(m: MatterDef): LintProblem[] {
  const problems: LintProblem[] = [];
  const report = (where: string, problem: string) => problems.push({ matter: m.code, where, problem });
  const states = new Set(Object.keys(m.states));
  const entries = [m.initial, ...(m.entries ?? [])];
  for (const e of entries) if (!states.has(e)) report(`entry ${e}`, 'the matter starts in a state it does not define');

  for (const [code, a] of Object.entries(m.actions)) {
    if (!a.from.length) report(`action ${code}`, 'it can be taken from no state');
    for (const s of a.from) if (!states.has(s)) report(`action ${code}`, `it is taken from "${s}", which is not a state of the matter`);
    if (typeof a.to === 'function' && !a.targets?.length) report(`action ${code}`, 'its target is computed but it declares no `targets`');
    for (const s of targetsOf(a)) if (!states.has(s)) report(`action ${code}`, `it leads to "${s}", which is not a state of the matter`);
    if (!a.roles.length) report(`action ${code}`, 'no role may take it');
  }

  // reachability: from the entry states along every action
  const reached = new Set(entries.filter((e) => states.has(e)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of Object.values(m.actions)) {
      if (!a.from.some((s) => reached.has(s))) continue;
      for (const s of targetsOf(a)) if (states.has(s) && !reached.has(s)) (reached.add(s), (grew = true));
    }
  }
  for (const s of states) if (!reached.has(s)) report(`state ${s}`, 'no path from the start reaches it');

  for (const [code, st] of Object.entries(m.states)) {
    const leaving = Object.values(m.actions).filter((a) => a.from.includes(code));
    if (st.final) {
      if (st.waitingOn) report(`state ${code}`, 'a final state waits on nobody, but it names who the case waits on');
      if (leaving.length) report(`state ${code}`, 'a final state has actions leaving it');
    } else {
      if (!leaving.length) report(`state ${code}`, 'an open state needs an action for some role, or the case is stuck in it');
      if (!st.waitingOn) report(`state ${code}`, 'an open state must say who the case waits on (worklists are built from it)');
    }
  }

  // every clock some action starts is stopped or paused by some action
  const started = new Set<ClockName>();
  const ended = new Set<ClockName>();
  for (const a of Object.values(m.actions)) {
    for (const fx of clockEffectsOf(a)) {
      for (const c of fx.start ?? []) started.add(c);
      for (const c of [...(fx.stop ?? []), ...(fx.pause ?? [])]) ended.add(c);
    }
  }
  for (const c of started) if (!ended.has(c)) report(`clock ${c}`, 'it is started but no action stops or pauses it');
  return problems;
}
