// The exit codes of every lms-sync command, one table (the README's "Exit codes" repeats it).
// 64, 69, 70 and 78 are the BSD sysexits values, so a shell script or a supervisor can tell them apart.
export const EXIT = {
  /** done; for reconcile: nothing left for a person */
  ok: 0,
  /** the command ran and something needs a person: findings left or repairs held, a dead letter not found, a doctor check failed */
  attention: 1,
  /** the run itself failed (reconcile could not finish) */
  failed: 2,
  /** the command line is wrong: an unknown option, a malformed argument (EX_USAGE) */
  usage: 64,
  /** something it needs is unreachable or taken: PostgreSQL, RabbitMQ, Odoo, the LMS, the listening port (EX_UNAVAILABLE) */
  unavailable: 69,
  /** an unexpected error, a bug: its stack is printed for the report (EX_SOFTWARE) */
  software: 70,
  /** the configuration is wrong: a variable missing or malformed, an env file that cannot be read (EX_CONFIG) */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
