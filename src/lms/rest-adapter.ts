// The `rest` LMS adapter: the LMS contract (docs/lms-contract.md) over axios with keep-alive. Every
// answer is parsed with zod and every failure becomes a TransientError or PermanentError whose `code` the
// consumer branches on; messages never carry the token or the student's email.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { Logger } from '../observability';
import type { EnrollRequest, LmsAdapter } from './adapter';
import { COURSE_LIST_TTL_MS, createCourseCatalog } from './course-catalog';
import { errorForNotFound } from './not-found';
import { errorForNetwork, errorForStatus, LmsTransientError, type Call } from './rest-errors';

export { LmsPermanentError, LmsTransientError, parseRetryAfter, scrubMessage } from './rest-errors';

export interface RestLmsAdapterOptions {
  baseUrl: string;
  apiToken: string;
  timeoutMs: number;
  log: Logger;
  /** ping() gives up sooner than real calls so /readyz stays fast (default min(timeoutMs, 2000)). */
  pingTimeoutMs?: number;
  /** How long the course list read to explain a generic 404 is trusted (default a minute). */
  courseListTtlMs?: number;
}

export type RestLmsAdapter = LmsAdapter & { close(): void };

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

/** Header values must be visible ASCII; anything else is percent-encoded, which keeps the key stable. */
function headerSafe(key: string): string {
  return /^[\x21-\x7e]+$/.test(key) ? key : encodeURIComponent(key);
}

/** The answer's body checked against its schema; another shape is a transient lms_bad_response. */
export function parseAnswer<T>(call: Call, res: AxiosResponse, schema: z.ZodType<T>, log: Logger): T {
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
  const optional = {
    ...(student.email ? { email: student.email } : {}),
    ...(student.phone ? { phone: student.phone } : {}),
    ...(student.login ? { login: student.login } : {}),
    ...(student.guardian ? { guardian: { name: student.guardian.name, email: student.guardian.email } } : {}),
  };
  return {
    op: 'enroll',
    method: 'PUT',
    path: `/api/v1/courses/${encodeURIComponent(req.courseCode)}/enrollments/${encodeURIComponent(student.studentId)}`,
    body: {
      student: { fullName: student.fullName, ...optional },
      source: { orderId: req.source.orderId, orderName: req.source.orderName },
    },
    idempotencyKey: req.idempotencyKey,
    courseCode: req.courseCode,
    secrets: [student.email, student.guardian?.email].filter((e): e is string => Boolean(e)),
  };
}

export function createAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
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
  const catalog = createCourseCatalog(
    async () => (await listCourses()).map((course) => course.courseCode),
    options.courseListTtlMs ?? COURSE_LIST_TTL_MS,
  );

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
    if (res.status < 200 || res.status >= 300) throw await errorForAnswer(call, res);
    const data = parseAnswer(call, res, schema, log);
    return { status: res.status, data, replayed: res.headers['idempotent-replayed'] === 'true' };
  }

  async function errorForAnswer(call: Call, res: AxiosResponse): Promise<Error> {
    // The token is never meant to come back, but a body that echoes the request must not carry it on.
    const guarded = { ...call, secrets: [...(call.secrets ?? []), options.apiToken] };
    if (res.status === 404 && call.courseCode !== undefined) {
      return errorForNotFound(guarded, call.courseCode, res, catalog);
    }
    return errorForStatus(guarded, res);
  }

  async function listCourses(): Promise<Array<{ courseCode: string; title: string }>> {
    const { data } = await request({ op: 'courses', method: 'GET', path: '/api/v1/courses' }, coursesAnswer);
    return data.items;
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
      const { courseCode, idempotencyKey } = req;
      const call: Call = { op: 'suspend', method: 'POST', path, body, idempotencyKey, courseCode };
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
    listCourses,
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
