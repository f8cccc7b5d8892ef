// How the `rest` LMS adapter turns HTTP answers and network failures into TransientError or
// PermanentError with a machine `code` (the consumer branches on it), never carrying the token or the
// student's email in a message.
import axios, { type AxiosResponse } from 'axios';
import { PermanentError, TransientError } from '../lib/errors';
import { boundForeignText } from '../lib/foreign-text';

/** A retryable LMS failure; `status` is the HTTP status, null when no answer came back. */
export class LmsTransientError extends TransientError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null,
    retryAfterMs?: number,
  ) {
    super(code, message, { retryAfterMs });
  }
}

export class LmsPermanentError extends PermanentError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null,
  ) {
    super(code, message);
  }
}

export type Operation = 'enroll' | 'suspend' | 'list' | 'courses' | 'ping';

export interface Call {
  op: Operation;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: unknown;
  params?: Record<string, string | number>;
  idempotencyKey?: string;
  /** The course an enroll or suspend is about: a 404 on it is read against the course list. */
  courseCode?: string;
  timeoutMs?: number;
  /** Values that must never reach an error message (the student's email). */
  secrets?: string[];
}

const NETWORK_TIMEOUT = new Set(['ECONNABORTED', 'ETIMEDOUT']);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The LMS's own words, minus anything that must not be stored with the error (emails, the token). */
export function scrubMessage(text: string, secrets: string[]): string {
  let scrubbed = text;
  for (const secret of secrets) if (secret) scrubbed = scrubbed.split(secret).join('[redacted]');
  return boundForeignText(scrubbed.replace(EMAIL, '[email]'), 300);
}

function lmsMessage(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const { message, error } = data as { message?: unknown; error?: unknown };
  return [error, message].filter((part): part is string => typeof part === 'string').join(': ');
}

/** What an error answer said, bounded and scrubbed: its error/message, or the start of a text body. */
export function bodyText(data: unknown, secrets: string[]): string {
  const text = typeof data === 'string' ? data.replace(/\s+/g, ' ').trim().slice(0, 120) : lmsMessage(data);
  return scrubMessage(text, secrets);
}

export function errorForStatus(call: Call, res: AxiosResponse): Error {
  const { status } = res;
  const where = `LMS ${call.method} ${call.path}`;
  const said = bodyText(res.data, call.secrets ?? []);
  if (status >= 500) return new LmsTransientError('lms_unavailable', `${where} answered ${status}`, status);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    return new LmsTransientError('lms_rate_limited', `${where} rate limited (429)`, status, retryAfterMs);
  }
  if (status === 409)
    return new LmsTransientError('lms_conflict', `${where}: same key still in flight (409)`, status);
  // 408 is the server giving up waiting for us: the same situation as our own timeout.
  if (status === 408) return new LmsTransientError('lms_timeout', `${where} answered 408`, status);
  // A refused token is a system problem (a rotation half done), not this enrollment's: retried on the
  // ladder, so fixing the token heals every waiting enrollment; exhausted retries dead-letter it.
  if (status === 401 || status === 403) {
    return new LmsTransientError('lms_auth_failed', `${where} refused the API token (${status})`, status);
  }
  // A 404 on enroll or suspend is read against the course list (not-found.ts) before it gets here.
  if (status === 404) return new LmsPermanentError('lms_client_error', `${where} answered 404`, 404);
  if (status === 400 || status === 422) {
    return new LmsPermanentError(
      'lms_rejected',
      `${where} rejected the request (${status}): ${said}`,
      status,
    );
  }
  return new LmsPermanentError('lms_client_error', `${where} answered ${status}: ${said}`, status);
}

export function errorForNetwork(call: Call, err: unknown): Error {
  if (!axios.isAxiosError(err)) return err instanceof Error ? err : new Error(String(err));
  const where = `LMS ${call.method} ${call.path}`;
  const code = err.code ?? 'unknown';
  if (NETWORK_TIMEOUT.has(code)) {
    return new LmsTransientError('lms_timeout', `${where} timed out after ${call.timeoutMs}ms`, null);
  }
  // Deliberately no `cause`: the axios error holds the request config, Authorization header included.
  return new LmsTransientError('lms_unreachable', `${where} unreachable (${code})`, null);
}
