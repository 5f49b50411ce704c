export * from './chart-driver';
export * from './push-provisioning.machine';
