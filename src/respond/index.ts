// Attack disruption: policies over incidents, responders, the record of every action.
export { respond, DISRUPTION_TAG, type RespondOptions, type RespondSummary } from './respond.js';
export { loadPolicies, parsePolicy, policiesDir, type Policy } from './policies.js';
export { planIncident, planResponses, matchPolicy, type PlannedAction, type TriggerMatch } from './engine.js';
export { createResponders, RESPONDER_NAMES, type Responder } from './responders/index.js';
export { loadActions, ACTIONS_TABLE, type StoredAction } from './store.js';
