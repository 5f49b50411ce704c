export * from './card';
export * from './pan';
export * from './wallet';
export * from './push-provisioning';
export * from './lifecycle';
export * from './search-attributes';
export * from './manual-provisioning';
export * from './tokenized-fop';
