/** Issue 14 item 6: every matter's definition passes the linter, and the linter finds each kind of mistake. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { lintMatter } from './lint.js';
import { MATTERS } from './registry.js';
import type { MatterDef } from './types.js';

test('SLA-1 NEW-1 every matter definition is sound: no dangling state, every state reachable and left, every started clock stopped or paused', () => {
  const matters = Object.values(MATTERS);
  assert.deepEqual(matters.map((m) => m.code).sort(), ['cancel', 'change', 'new', 'reissue', 'renew', 'transfer']);
  for (const m of matters) assert.deepEqual(lintMatter(m), [], m.code);
});

const label = { zh: '测试', en: 'test' };
const action = (from: string[], to: string, extra: Partial<MatterDef['actions'][string]> = {}) =>
  ({ label, from, to, side: 'residence', roles: ['clerk'], input: z.object({}), ...extra }) as MatterDef['actions'][string];

test('SLA-1 the definition linter finds a dangling target, an unreachable and a stuck state, a final state that waits, and a clock never stopped', () => {
  const broken: MatterDef = {
    code: 'broken',
    label,
    family: 'broken',
    initial: 'start',
    states: {
      start: { label, waitingOn: { side: 'residence', roles: ['clerk'] } },
      stuck: { label, waitingOn: { side: 'residence', roles: ['clerk'] } },
      island: { label, waitingOn: { side: 'residence', roles: ['clerk'] } },
      done: { label, final: 'completed', waitingOn: { side: 'residence', roles: ['clerk'] } },
    },
    actions: {
      go: action(['start'], 'stuck', { clock: { start: ['assessment'] } }),
      nowhere: action(['start'], 'limbo'),
      guess: action(['start'], 'done', { to: () => 'done' }),
      away: action(['island'], 'done'),
    },
  };
  assert.deepEqual(lintMatter(broken), [
    { matter: 'broken', where: 'action nowhere', problem: 'it leads to "limbo", which is not a state of the matter' },
    { matter: 'broken', where: 'action guess', problem: 'its target is computed but it declares no `targets`' },
    { matter: 'broken', where: 'state island', problem: 'no path from the start reaches it' },
    { matter: 'broken', where: 'state done', problem: 'no path from the start reaches it' },
    { matter: 'broken', where: 'state stuck', problem: 'an open state needs an action for some role, or the case is stuck in it' },
    { matter: 'broken', where: 'state done', problem: 'a final state waits on nobody, but it names who the case waits on' },
    { matter: 'broken', where: 'clock assessment', problem: 'it is started but no action stops or pauses it' },
  ]);
});
