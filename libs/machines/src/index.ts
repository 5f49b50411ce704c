export * from './chart-driver';
export * from './push-provisioning.machine';
export * from './manual-provisioning.machine';
export * from './fop-authentication.machine';
export * from './fop-instrument.machine';
export * from './smart-tap-keys.machine';
export * from './saved-card.machine';
