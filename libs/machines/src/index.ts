export * from './chart-driver';
export * from './push-provisioning.machine';
export * from './manual-provisioning.machine';
