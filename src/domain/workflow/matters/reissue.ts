/**
 * REISSUE — 挂失补办 (002 §4.4). The lost card is reported lost the moment the application is taken
 * (the service does it with the application, so verification answers "reported lost" at once, and
 * nothing can reactivate it); the hukou county prints a new card with the same number and validity.
 */
import {
  ACCEPTANCE_ACTIONS, ACCEPTANCE_STATES, approveReplacement, CARD_ACTIONS, CARD_STATES, certificateMatter, forwardWithoutAssessment,
  HUKOU_ACTIONS, HUKOU_STATES, label, pickActions, pickStates,
} from './shared.js';

export const REISSUE_MATTER = certificateMatter({
  code: 'reissue',
  label: label('挂失补办残疾人证', 'Lost card: report and reissue'),
  states: pickStates(...ACCEPTANCE_STATES, ...HUKOU_STATES, ...CARD_STATES),
  actions: {
    ...pickActions(...ACCEPTANCE_ACTIONS, ...HUKOU_ACTIONS, ...CARD_ACTIONS),
    forward_reissue: forwardWithoutAssessment(),
    approve: approveReplacement(label('审批通过，补发新证', 'Approve and reissue the card')),
  },
});
