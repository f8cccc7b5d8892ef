// Why an Odoo call failed without a Fault, and what follows from it: may the transport send the call again
// by itself, and does it say that Odoo is overloaded (so fewer calls should run at once)?
//
// Reads are sent again whatever happened. A write (write, create, message_post, ...) is sent again only when
// Odoo cannot have run it:
//   - the connection was refused (nothing was sent);
//   - HTTP 429 or 503: the server (or the proxy in front of it) turned the request away before processing;
//   - HTTP 500 whose page ends in psycopg2's PoolError: the request found no free database connection, so
//     it never reached a cursor.
// Every other failure of a write (another 500, 502, 504, a reset or a timeout after the request went out)
// may have left the change done: the transport does not repeat it, the caller gets a TransientError and
// its own retry decides (the consumer's ladder, where enrolling again is idempotent).

import type http from 'node:http';
import { PermanentError, TransientError } from '../lib';
import { OdooFault } from './faults';

export type CallFailure =
  | { kind: 'refused' }
  | { kind: 'dropped' }
  | { kind: 'timeout' }
  | { kind: 'http'; status: number; poolFull: boolean; retryAfterMs?: number };

const POOL_FULL = 'PoolError: The Connection Pool Is Full';
/** how much of an error page is kept: the traceback's last line is at its end */
const PAGE_TAIL_BYTES = 4096;

/** A call that failed without a Fault: `failure` says whether it may be sent again. */
export class ConnectionFailure extends TransientError {
  constructor(
    message: string,
    readonly failure: CallFailure,
    cause?: unknown,
  ) {
    super(failure.kind === 'http' ? 'odoo_overloaded' : 'odoo_unreachable', message, { cause });
  }
}

const DROPPED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface HttpStatusError extends Error {
  status?: number;
  retryAfter?: string;
  pageTail?: string;
  code?: string;
}

/** Keeps what the retry decision needs from an answer other than 200: status, Retry-After, the page's tail. */
export function httpStatusError(res: http.IncomingMessage, chunks: Buffer[]): Error {
  const body = Buffer.concat(chunks);
  const error: HttpStatusError = new Error(`HTTP ${res.statusCode}`);
  error.status = res.statusCode;
  error.retryAfter = res.headers['retry-after'];
  error.pageTail = body.subarray(Math.max(0, body.length - PAGE_TAIL_BYTES)).toString('utf8');
  return error;
}

/**
 * Any failure of one call as the typed error the retry decision and the callers branch on. `endpoint` is
 * Odoo's host:port, named when the connection itself failed (no password, no path).
 */
export function classify(err: unknown, what: string, endpoint?: string): Error {
  if (err instanceof ConnectionFailure || err instanceof OdooFault) return err;
  const e = err as Partial<HttpStatusError>;
  const at = endpoint ? ` at ${endpoint}` : '';
  if (e.code === 'ECONNREFUSED')
    return new ConnectionFailure(`Odoo${at} refused the connection (${what})`, { kind: 'refused' }, err);
  if (e.code && DROPPED_CODES.has(e.code))
    return new ConnectionFailure(
      `Odoo${at} connection failed during ${what}: ${e.code}`,
      { kind: 'dropped' },
      err,
    );
  if (e.status !== undefined && (e.status >= 500 || e.status === 429)) {
    const failure = httpFailure(e.status, e.pageTail ?? '', e.retryAfter, Date.now());
    const why = failure.kind === 'http' && failure.poolFull ? ' (its database connection pool is full)' : '';
    return new ConnectionFailure(`Odoo answered HTTP ${e.status} to ${what}${why}`, failure, err);
  }
  if (/socket hang up|aborted/i.test(e.message ?? ''))
    return new ConnectionFailure(`Odoo connection dropped during ${what}`, { kind: 'dropped' }, err);
  return new PermanentError(
    'odoo_protocol_error',
    `Odoo ${what}: unexpected answer (${e.message ?? String(err)})`,
    {
      cause: err,
    },
  );
}

/** The HTTP failure of an answer other than 200; `body` may be cut (only its tail matters). */
export function httpFailure(
  status: number,
  body: string,
  retryAfter: string | undefined,
  now: number,
): CallFailure {
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  return {
    kind: 'http',
    status,
    poolFull: (status === 500 || status === 503) && body.includes(POOL_FULL),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

export function resendable(failure: CallFailure, isRead: boolean): boolean {
  if (isRead || failure.kind === 'refused') return true;
  if (failure.kind !== 'http') return false;
  return failure.status === 429 || failure.status === 503 || failure.poolFull;
}

/** A sign that Odoo has more calls than it can serve: the allowed concurrency should shrink. */
export function isOverload(failure: CallFailure): boolean {
  if (failure.kind === 'timeout') return true;
  return failure.kind === 'http' && (failure.status === 429 || failure.status >= 500);
}

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP date. A date in the
 * past is 0; anything else unreadable is undefined (the caller's own back-off applies).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
