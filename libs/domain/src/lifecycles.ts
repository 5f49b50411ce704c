import type { Wallet } from './wallet';

/**
 * Every lifecycle the product runs, in one place: its name (the `Lifecycle` search attribute and the
 * projection discriminator), the workflow type the worker registers, the slice folder that holds its
 * HTTP routes and activities, how its workflow id is built, and how many transitions one run takes
 * before it continues as new (it also does when Temporal suggests it).
 *
 * A newcomer finds a lifecycle by following `apps/api/src/<slice>` → `workflows/<name>.workflow.ts`
 * → `libs/machines/src/<name>.machine.ts` → `activities/<slice>`; a test checks that each registered
 * lifecycle has those files, a chart test, a workflow test and a committed history.
 */
export const LIFECYCLES = {
  pushProvisioning: {
    name: 'push-provisioning',
    workflowType: 'pushProvisioning',
    slice: 'push-provisioning',
    workflowId: (proxy: string, wallet: Wallet) => `push-provisioning:${proxy}:${wallet}`,
    maxTransitionsPerRun: 500,
  },
  manualProvisioning: {
    name: 'manual-provisioning',
    workflowType: 'manualProvisioning',
    slice: 'manual-provisioning',
    workflowId: (requestId: string) => `manual-provisioning:${requestId}`,
    maxTransitionsPerRun: 500,
  },
  fopAuthentication: {
    name: 'fop-authentication',
    workflowType: 'fopAuthentication',
    slice: 'tokenized-fop',
    workflowId: (authenticationRequestId: string) => `fop-authentication:${authenticationRequestId}`,
    maxTransitionsPerRun: 500,
  },
  fopInstrument: {
    name: 'fop-instrument',
    workflowType: 'fopInstrument',
    slice: 'tokenized-fop',
    workflowId: (associationId: string) => `fop-instrument:${associationId}`,
    maxTransitionsPerRun: 500,
  },
  smartTapKeys: {
    name: 'smart-tap-keys',
    workflowType: 'smartTapKeys',
    slice: 'smart-tap',
    workflowId: (issuerId: string) => `smart-tap-keys:${issuerId}`,
    maxTransitionsPerRun: 200,
  },
  savedCard: {
    name: 'saved-card',
    workflowType: 'savedCard',
    slice: 'saved-card',
    workflowId: (paymentMethodToken: string) => `saved-card:${paymentMethodToken}`,
    maxTransitionsPerRun: 500,
  },
} as const;

export type LifecycleKey = keyof typeof LIFECYCLES;
export type LifecycleName = (typeof LIFECYCLES)[LifecycleKey]['name'];

/** The registered lifecycles' names, in registry order. */
export const LIFECYCLE_NAMES: readonly LifecycleName[] = Object.values(LIFECYCLES).map((l) => l.name);
