/** A setting that is missing or wrong: the process cannot start with it. */
export class ConfigError extends Error {}
