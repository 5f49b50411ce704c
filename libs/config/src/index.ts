export * from './config';
export * from './dev-secrets';
export * from './apple-trust-anchors';
export * from './logger';
export * from './temporal-connection';
export * from './config-token';
