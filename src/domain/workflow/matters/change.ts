/**
 * CHANGE — 残疾类别/等级变更 (002 §4.6): the same flow and conditions as NEW (assessment, publicity or
 * commitment letter, hukou approval, new card). When the category or level digits change, the new
 * card has a new number; the old number stays findable and points to it.
 */
import { NEW_MATTER } from './new.js';
import { approveReplacement, certificateMatter, label } from './shared.js';

export const CHANGE_MATTER = certificateMatter({
  code: 'change',
  label: label('残疾类别/等级变更', 'Category/level change'),
  states: NEW_MATTER.states,
  // a change may be assessed at home too (the request starts at the village's review, HOME-2)
  entries: NEW_MATTER.entries,
  actions: {
    ...NEW_MATTER.actions,
    approve: approveReplacement(label('审批通过，制发新证', 'Approve and issue the new card'), NEW_MATTER.actions.approve.guards),
  },
});
