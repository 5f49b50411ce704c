/** The injection token of the loaded `AppConfig` (API and worker). */
export const CONFIG = Symbol('CONFIG');
