export * from './caller-header';
export * from './client';
export * from './encryption-codec';
export * from './workflow-bundle';
