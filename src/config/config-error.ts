/** A setting that is missing or malformed: one line naming it, exit 78. */
export class ConfigError extends Error {}
