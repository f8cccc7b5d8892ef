// The `rest` LMS adapter: the contract in DESIGN.md ("The LMS contract") over axios with keep-alive. Every
// answer is parsed with zod and every failure becomes a TransientError or PermanentError whose `code` the
// consumer branches on; messages never carry the token or the student's email.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import { PermanentError, TransientError } from '../errors';
import type { Logger } from '../observability/logger';
import type { EnrollRequest, LmsAdapter } from './adapter';

export interface RestLmsAdapterOptions {
  baseUrl: string;
  apiToken: string;
  timeoutMs: number;
  log: Logger;
  /** ping() gives up sooner than real calls so /readyz stays fast (default min(timeoutMs, 2000)). */
  pingTimeoutMs?: number;
}

export type RestLmsAdapter = LmsAdapter & { close(): void };

/** A retryable LMS failure; `status` is the HTTP status, null when no answer came back. */
export class LmsTransientError extends TransientError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null,
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
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

const enrollmentAnswer = z.object({ enrollmentId: z.string().min(1), status: z.string().min(1) });
const enrollmentItem = z.object({
  enrollmentId: z.string().min(1),
  courseCode: z.string(),
  studentId: z.string(),
  email: z.string(),
  status: z.string(),
  source: z.object({ orderId: z.number().int().nullable() }),
});
const pageAnswer = z.object({ items: z.array(enrollmentItem), nextCursor: z.string().min(1).nullable() });
const coursesAnswer = z.object({ items: z.array(z.object({ courseCode: z.string(), title: z.string() })) });

type Operation = 'enroll' | 'suspend' | 'list' | 'courses' | 'ping';

interface Call {
  op: Operation;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: unknown;
  params?: Record<string, string | number>;
  idempotencyKey?: string;
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

/** The structure of a value without its content, for logging an answer we could not parse. */
export function describeShape(value: unknown, depth = 0): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return depth >= 3
      ? `array(${value.length})`
      : { array: value.length, first: describeShape(value[0], depth + 1) };
  }
  if (typeof value !== 'object') return typeof value;
  if (depth >= 3) return 'object';
  const shape: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) shape[key] = describeShape(item, depth + 1);
  return shape;
}

/** The LMS's own words, minus anything that must not be stored with the error (emails, the token). */
export function scrubMessage(text: string, secrets: string[]): string {
  let scrubbed = text;
  for (const secret of secrets) if (secret) scrubbed = scrubbed.split(secret).join('[redacted]');
  return scrubbed.replace(EMAIL, '[email]').slice(0, 300);
}

function lmsMessage(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const { message, error } = data as { message?: unknown; error?: unknown };
  return [error, message].filter((part): part is string => typeof part === 'string').join(': ');
}

function errorForStatus(call: Call, res: AxiosResponse): Error {
  const { status } = res;
  const where = `LMS ${call.method} ${call.path}`;
  const said = scrubMessage(lmsMessage(res.data), call.secrets ?? []);
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
  if (status === 404) return notFound(call, res, where);
  if (status === 400 || status === 422) {
    return new LmsPermanentError(
      'lms_rejected',
      `${where} rejected the request (${status}): ${said}`,
      status,
    );
  }
  return new LmsPermanentError('lms_client_error', `${where} answered ${status}: ${said}`, status);
}

function notFound(call: Call, res: AxiosResponse, where: string): Error {
  const error = (res.data as { error?: unknown } | null)?.error;
  // The contract's suspend answers 404 not_enrolled when there is nothing to suspend (the caller treats
  // that as done); any other 404 (a proxy, a wrong base URL) must not pass for it.
  if (call.op === 'suspend' && error === 'not_enrolled') {
    return new LmsPermanentError('lms_not_enrolled', `${where}: student not enrolled (404)`, 404);
  }
  if (call.op === 'enroll' || call.op === 'suspend') {
    return new LmsPermanentError(
      'lms_unknown_course',
      `${where}: the LMS does not know this course (404)`,
      404,
    );
  }
  return new LmsPermanentError('lms_client_error', `${where} answered 404`, 404);
}

function errorForNetwork(call: Call, err: unknown): Error {
  if (!axios.isAxiosError(err)) return err instanceof Error ? err : new Error(String(err));
  const where = `LMS ${call.method} ${call.path}`;
  const code = err.code ?? 'unknown';
  if (NETWORK_TIMEOUT.has(code)) {
    return new LmsTransientError('lms_timeout', `${where} timed out after ${call.timeoutMs}ms`, null);
  }
  // Deliberately no `cause`: the axios error holds the request config, Authorization header included.
  return new LmsTransientError('lms_unreachable', `${where} unreachable (${code})`, null);
}

/** Header values must be visible ASCII; anything else is percent-encoded, which keeps the key stable. */
function headerSafe(key: string): string {
  return /^[\x21-\x7e]+$/.test(key) ? key : encodeURIComponent(key);
}

function parseAnswer<T>(call: Call, res: AxiosResponse, schema: z.ZodType<T>, log: Logger): T {
  const parsed = schema.safeParse(res.data);
  if (parsed.success) return parsed.data;
  // The shape tells an engineer what changed on the LMS side; the content could hold personal data.
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
  log.warn('LMS answered with an unexpected body', {
    op: call.op,
    status: res.status,
    shape: describeShape(res.data),
    issues,
  });
  const message = `LMS ${call.method} ${call.path} answered an unexpected body`;
  throw new LmsTransientError('lms_bad_response', message, res.status);
}

function enrollCall(req: EnrollRequest): Call {
  const { student } = req;
  const phone = student.phone ? { phone: student.phone } : {};
  return {
    op: 'enroll',
    method: 'PUT',
    path: `/api/v1/courses/${encodeURIComponent(req.courseCode)}/enrollments/${encodeURIComponent(student.studentId)}`,
    body: {
      student: { email: student.email, fullName: student.fullName, ...phone },
      source: { orderId: req.source.orderId, orderName: req.source.orderName },
    },
    idempotencyKey: req.idempotencyKey,
    secrets: [student.email],
  };
}

function createAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
}

export function createRestLmsAdapter(options: RestLmsAdapterOptions): RestLmsAdapter {
  const { httpAgent, httpsAgent } = createAgents();
  const client: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    httpAgent,
    httpsAgent,
    headers: { Authorization: `Bearer ${options.apiToken}`, Accept: 'application/json' },
    // Statuses are mapped here, and a redirect would carry the bearer token to another place.
    validateStatus: () => true,
    maxRedirects: 0,
  });
  const { log } = options;

  async function request<T>(
    call: Call,
    schema: z.ZodType<T>,
  ): Promise<{ status: number; data: T; replayed: boolean }> {
    const timeout = call.timeoutMs ?? options.timeoutMs;
    const started = Date.now();
    let res: AxiosResponse;
    try {
      res = await client.request({
        method: call.method,
        url: call.path,
        data: call.body,
        params: call.params,
        timeout,
        headers: call.idempotencyKey ? { 'Idempotency-Key': headerSafe(call.idempotencyKey) } : {},
      });
    } catch (err) {
      throw errorForNetwork({ ...call, timeoutMs: timeout }, err);
    }
    log.debug('lms call', { op: call.op, method: call.method, status: res.status, ms: Date.now() - started });
    if (res.status < 200 || res.status >= 300) throw errorForStatus(call, res);
    const data = parseAnswer(call, res, schema, log);
    return { status: res.status, data, replayed: res.headers['idempotent-replayed'] === 'true' };
  }

  return {
    name: 'rest',
    async enroll(req) {
      const { status, data, replayed } = await request(enrollCall(req), enrollmentAnswer);
      // A replayed 201 is the answer to an earlier call, so this call created nothing.
      return { enrollmentId: data.enrollmentId, status: data.status, created: status === 201 && !replayed };
    },
    async suspend(req) {
      const path = `/api/v1/courses/${encodeURIComponent(req.courseCode)}/enrollments/${encodeURIComponent(req.studentId)}/suspend`;
      const body = req.reason ? { reason: req.reason } : {};
      const call: Call = { op: 'suspend', method: 'POST', path, body, idempotencyKey: req.idempotencyKey };
      const { data } = await request(call, enrollmentAnswer);
      return { status: data.status };
    },
    async listEnrollments(cursor, limit) {
      const params: Record<string, string | number> = cursor === null ? { limit } : { cursor, limit };
      const { data } = await request(
        { op: 'list', method: 'GET', path: '/api/v1/enrollments', params },
        pageAnswer,
      );
      return data;
    },
    async listCourses() {
      const { data } = await request(
        { op: 'courses', method: 'GET', path: '/api/v1/courses' },
        coursesAnswer,
      );
      return data.items;
    },
    async ping() {
      const timeoutMs = options.pingTimeoutMs ?? Math.min(options.timeoutMs, 2000);
      await request({ op: 'ping', method: 'GET', path: '/api/v1/courses', timeoutMs }, coursesAnswer);
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
