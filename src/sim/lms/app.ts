// The LMS simulator's HTTP face (README, "The LMS contract (`rest`)"). An app factory without
// listen, so tests drive it with supertest; index.ts decides the port.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { InjectedFailure } from './faults';
import { canonicalJson, type SimResponse } from './idempotency';
import { enroll, listCourses, listEnrollments, suspend } from './operations';
import type { LmsSimState } from './state';

export interface LmsSimAppOptions {
  apiToken: string;
}

const ENROLLMENT_PATH = '/courses/:courseCode/enrollments/:studentId';

const FAILURE_ERRORS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  409: 'idempotency_key_in_flight',
  422: 'rejected',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
};

function send(res: Response, response: SimResponse): void {
  if (response.headers) res.set(response.headers);
  res.status(response.status).json(response.body);
}

function failureResponse(failure: InjectedFailure): SimResponse {
  const retryAfterSec = failure.retryAfterSec ?? (failure.status === 429 ? 1 : undefined);
  const headers: Record<string, string> =
    retryAfterSec === undefined ? {} : { 'Retry-After': `${retryAfterSec}` };
  const error = FAILURE_ERRORS[failure.status] ?? 'injected_failure';
  return { status: failure.status, headers, body: { error, message: failure.message ?? 'injected failure' } };
}

function injectFailures(state: LmsSimState): RequestHandler {
  return (_req, res, next) => {
    state.requestCount += 1;
    const failure = state.faults.beforeRequest();
    if (failure) send(res, failureResponse(failure));
    else next();
  };
}

function requireBearer(apiToken: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${apiToken}`);
  return (req, res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) next();
    else res.status(401).json({ error: 'unauthorized' });
  };
}

function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  // unref: a sleeping request must not keep a test process (or a closing simulator) alive.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Answers a read after the configured latency. */
function read(state: LmsSimState, operation: (req: Request) => SimResponse): RequestHandler {
  return (req, res, next) => {
    delay(state.faults.latencyMs)
      .then(() => send(res, operation(req)))
      .catch(next);
  };
}

/** Sends a committed write's outcome, unless a fault says the answer gets lost on the way back. */
function answerWrite(state: LmsSimState, req: Request, res: Response, response: SimResponse): void {
  const committed = response.status >= 200 && response.status < 300;
  const lost = committed ? state.faults.afterCommit() : null;
  if (lost === 'drop') req.socket.destroy();
  else if (lost === 'status') send(res, { status: 503, body: { error: 'unavailable' } });
  else send(res, response);
}

/**
 * A write under the Idempotency-Key rules. The key is reserved before the latency so a second request
 * with the same key during a slow first one sees it in flight (409), as it would on a real LMS.
 */
function write(state: LmsSimState, operation: (req: Request) => SimResponse): RequestHandler {
  return (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key) {
      const fingerprint = `${req.method} ${req.path} ${canonicalJson(req.body ?? null)}`;
      const decision = state.idempotency.begin(key, fingerprint);
      if (decision.kind === 'mismatch')
        return send(res, { status: 422, body: { error: 'idempotency_key_reused' } });
      if (decision.kind === 'in_flight')
        return send(res, { status: 409, body: { error: 'idempotency_key_in_flight' } });
      if (decision.kind === 'replay') {
        const headers = { ...decision.response.headers, 'Idempotent-Replayed': 'true' };
        return send(res, { ...decision.response, headers });
      }
    }
    delay(state.faults.latencyMs)
      .then(() => {
        let response: SimResponse = { status: 500, body: { error: 'internal' } };
        try {
          response = operation(req);
        } finally {
          // Even when the operation throws, the key must not stay "in flight" forever.
          if (key) state.idempotency.finish(key, response);
        }
        answerWrite(state, req, res, response);
      })
      .catch(next);
  };
}

function param(req: Request, name: string): string {
  const value = req.params[name]; // a named segment is one string (only wildcards give arrays)
  return typeof value === 'string' ? value : '';
}

function apiRouter(state: LmsSimState, options: LmsSimAppOptions): express.Router {
  const api = express.Router();
  api.put(ENROLLMENT_PATH, (_req, _res, next) => {
    state.enrollCalls += 1;
    next();
  });
  api.get('/courses', (_req, _res, next) => {
    state.courseListCalls += 1;
    next();
  });
  api.use(injectFailures(state), requireBearer(options.apiToken), express.json({ limit: '64kb' }));
  api.put(
    ENROLLMENT_PATH,
    write(state, (req) => enroll(state, param(req, 'courseCode'), param(req, 'studentId'), req.body)),
  );
  api.post(
    `${ENROLLMENT_PATH}/suspend`,
    write(state, (req) => suspend(state, param(req, 'courseCode'), param(req, 'studentId'))),
  );
  api.get(
    '/enrollments',
    read(state, (req) => listEnrollments(state, req.query.cursor, req.query.limit)),
  );
  api.get(
    '/courses',
    read(state, () => listCourses(state)),
  );
  return api;
}

export function createLmsSimApp(state: LmsSimState, options: LmsSimAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended'); // as Express 4 did: `?limit[]=1` stays a value the API refuses
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/api/v1', apiRouter(state, options));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use((err: { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const invalidJson = err.type === 'entity.parse.failed';
    res
      .status(invalidJson ? 400 : (err.status ?? 500))
      .json({ error: invalidJson ? 'invalid_json' : 'internal' });
  });
  return app;
}
