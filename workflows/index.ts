/** Every workflow the worker registers. Workflow code only: deterministic, sandboxed. */
export { manualProvisioning } from './manual-provisioning.workflow';
export { pushProvisioning } from './push-provisioning.workflow';
