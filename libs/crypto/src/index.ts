export * from './aes-gcm';
export * from './certificates';
export * from './field-cipher';
export * from './key-ring';
export * from './signatures';
export * from './wallet-envelope';
export * from './wallet-payload';
export * from './smart-tap-keys';
