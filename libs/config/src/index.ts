export * from './config';
export * from './dev-secrets';
export * from './logger';
export * from './temporal-connection';
