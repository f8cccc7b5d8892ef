// A system the service needs (PostgreSQL, RabbitMQ, Odoo, the LMS, its own listening port) that could not
// be used: one line naming what, where (masked) and which variable points there, for an operator to fix.
import { boundForeignText } from './foreign-text';
import { maskUrl } from './safe-url';

export class DependencyError extends Error {
  constructor(
    /** what could not be done: "cannot reach PostgreSQL", "cannot listen"… */
    readonly failed: string,
    /** the variable(s) that say where: "DATABASE_URL", "PORT/HOST" */
    readonly variable: string,
    /** where, already masked: never a password */
    readonly endpoint: string,
    /** why, in a few words, and what to do when we know */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${failed} at ${endpoint} (${variable}): ${reason}`, options);
    this.name = 'DependencyError';
  }
}

/** The error's code, also when Node wraps several attempts (IPv4 and IPv6) in an AggregateError. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[] } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && Array.isArray(e.errors)) return errorCode(e.errors[0]);
  return undefined;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is it running, and on that port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRINUSE: 'address already in use (another process listens there; stop it or choose another PORT)',
  EADDRNOTAVAIL: 'address not available on this machine (check HOST)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  // PostgreSQL's SQLSTATEs
  '28P01': 'password authentication failed (check the user and password)',
  '28000': 'authentication refused (check the user and pg_hba.conf)',
  '3D000': 'the database does not exist: run `lms-sync migrate`, which creates it',
  '42501': 'permission denied',
  '57P03': 'the server is starting up or shutting down',
};

/** A short reason for a failed connection: from the code where we know it, else the message, bounded. */
export function failureReason(err: unknown): string {
  const code = errorCode(err);
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  const message = err instanceof Error ? err.message : String(err);
  if (/timeout/i.test(message)) return 'timed out';
  return boundForeignText(message, 200);
}

/** `err` from talking to `system` at `url` (named by `variable`), as a DependencyError. */
export function unavailable(system: string, variable: string, url: string, err: unknown): DependencyError {
  if (err instanceof DependencyError) return err;
  return new DependencyError(`cannot reach ${system}`, variable, maskUrl(url), failureReason(err), {
    cause: err,
  });
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether `err` says the server could not be reached or would not let us in (as opposed to a query that
 * failed): a network error, or a PostgreSQL connection (08), authorization (28), database (3D000) or
 * shutdown (57P) SQLSTATE.
 */
export function isConnectionFailure(err: unknown): boolean {
  const code = errorCode(err);
  if (code) return CONNECTION_CODES.has(code) || /^(08|28|3D|57P)/.test(code);
  const message = err instanceof Error ? err.message : '';
  return /timeout exceeded when trying to connect|Connection terminated unexpectedly/i.test(message);
}
