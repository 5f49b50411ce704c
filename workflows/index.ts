/** Every workflow the worker registers. Workflow code only: deterministic, sandboxed. */
export { pushProvisioning } from './push-provisioning.workflow';
