export const CONFIG = Symbol('CONFIG');
export const MONGO = Symbol('MONGO');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
