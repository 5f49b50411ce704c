/**
 * What a client of the workflows needs (`@tlo/workflows`): each lifecycle's messages (updates,
 * queries, their answers) and the workflow functions as types only, for typed starts and handles.
 * The worker registers `./index.ts` instead; no workflow code runs outside the worker's sandbox.
 */
export * from './push-provisioning.definitions';
export * from './manual-provisioning.definitions';
export * from './fop-authentication.definitions';
export * from './fop-instrument.definitions';
export * from './smart-tap-keys.definitions';
export * from './saved-card.definitions';
export type * from './push-provisioning.workflow';
export type * from './manual-provisioning.workflow';
export type * from './fop-authentication.workflow';
export type * from './fop-instrument.workflow';
export type * from './smart-tap-keys.workflow';
export type * from './saved-card.workflow';
export * from './failures';
export * from './shared/failures';
