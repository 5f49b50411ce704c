export { CONFIG } from '@tlo/config';
export { MONGO } from '@tlo/persistence';
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** Every repository, built once by `createRepositories` (indexes ensured). */
export const REPOSITORIES = Symbol('REPOSITORIES');
