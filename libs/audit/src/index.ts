export * from './audit-trail';
export * from './history-events';
export * from './history-files';
export * from './replay';
export * from './trail-format';
