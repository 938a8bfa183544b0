/**
 * HOME-2 MSG-1: every state of every matter has applicant-facing words in both catalogues (a
 * home-assessment request filed online once blanked the portal: its states had none), and a stage
 * on the applicant's progress stepper.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MATTERS } from '../src/domain/workflow/registry.js';
import { progressOf, STAGE_OF_STATE } from '../src/domain/workflow/progress.js';

// the web catalogues, loaded at run time (they are compiled with the web app's settings, not the server's)
const load = (file: string) => import(new URL(`../web/src/i18n/${file}`, import.meta.url).href);
const { zh } = (await load('zh.ts')) as { zh: Record<string, string> };
const { en } = (await load('en.ts')) as { en: Record<string, string> };
const catalogues = { zh, en };

test('HOME-2 MSG-1 every state of every matter has plain applicant text in zh and en, and a progress stage', () => {
  const missing: string[] = [];
  for (const [matter, def] of Object.entries(MATTERS)) {
    for (const state of Object.keys(def.states)) {
      for (const [lang, cat] of Object.entries(catalogues)) {
        const text = cat[`plain.${state}`];
        if (!text || !text.trim()) missing.push(`${matter}.${state} (${lang})`);
        // the applicant is never shown the staff's alarm clock emoji (it renders as an empty box)
        else assert.doesNotMatch(text, /⏰/, `${matter}.${state} (${lang})`);
      }
      if (!STAGE_OF_STATE[state]) missing.push(`${matter}.${state} (stage)`);
    }
  }
  assert.deepEqual(missing, []);
  assert.equal(zh['plain.home_village_review'], '您的上门评定申请已提交，村（社区）正在初审，可能会联系您了解情况。');
});

test('MSG-1 the progress stepper is derived from the matter’s states: a reissue has no assessment step', () => {
  const steps = (matter: string, state: string) => progressOf(MATTERS[matter], state).map((s) => `${s.zh}:${s.status}`);
  assert.deepEqual(steps('new', 'assessing'), ['提交申请:done', '受理:done', '残疾评定:current', '公示或承诺:todo', '审批制证:todo', '寄送证件:todo', '送达:todo']);
  assert.deepEqual(steps('new', 'home_township_review'), ['提交申请:done', '受理:current', '残疾评定:todo', '公示或承诺:todo', '审批制证:todo', '寄送证件:todo', '送达:todo']);
  assert.deepEqual(steps('new', 'delivered'), ['提交申请:done', '受理:done', '残疾评定:done', '公示或承诺:done', '审批制证:done', '寄送证件:done', '送达:done']);
  assert.deepEqual(steps('new', 'not_qualified'), ['提交申请:done', '受理:done', '残疾评定:stopped', '公示或承诺:todo', '审批制证:todo', '寄送证件:todo', '送达:todo']);
  assert.deepEqual(steps('reissue', 'hukou_review'), ['提交申请:done', '受理:done', '审批制证:current', '寄送证件:todo', '送达:todo']);
});
