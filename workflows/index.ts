/** Every workflow the worker registers. Workflow code only: deterministic, sandboxed. */
export { manualProvisioning } from './manual-provisioning.workflow';
export { pushProvisioning } from './push-provisioning.workflow';
export { fopAuthentication } from './fop-authentication.workflow';
export { fopInstrument } from './fop-instrument.workflow';
export { smartTapKeys } from './smart-tap-keys.workflow';
export { savedCard } from './saved-card.workflow';
