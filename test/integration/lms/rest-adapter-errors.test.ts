import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, TransientError } from '../../../src/lib/errors';
import { createRestLmsAdapter, LmsTransientError } from '../../../src/lms/rest-adapter';
import { enrollRequest, failureOf, recordingLogger, simAndAdapter, TOKEN, type LogEntry } from './fixtures';

const EMAIL = enrollRequest(7).student.email;

/** A port that was just free: nothing listens there, so connecting is refused. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Neither the token nor the student's email may reach anything an error carries. */
function expectNoSecrets(err: Error): void {
  const everything = `${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
  expect(everything).not.toContain(TOKEN);
  expect(everything).not.toContain(EMAIL);
}

describe('rest LMS adapter: error mapping', () => {
  let env: Awaited<ReturnType<typeof simAndAdapter>>;
  beforeEach(async () => {
    env = await simAndAdapter({}, 200);
  });
  afterEach(async () => {
    await env.stop();
  });

  it.each([
    [500, 'lms_unavailable', TransientError],
    [503, 'lms_unavailable', TransientError],
    [502, 'lms_unavailable', TransientError],
    [409, 'lms_conflict', TransientError],
    [408, 'lms_timeout', TransientError],
    [401, 'lms_auth_failed', TransientError],
    [403, 'lms_auth_failed', TransientError],
    [400, 'lms_rejected', PermanentError],
    [422, 'lms_rejected', PermanentError],
    [418, 'lms_client_error', PermanentError],
  ])('maps %i to %s, with the status', async (status, code, type) => {
    env.sim.state.failNext(1, status);
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ code, status });
    expectNoSecrets(err);
  });

  it('maps 429 to lms_rate_limited with Retry-After in milliseconds', async () => {
    env.sim.state.failNext(1, 429, { retryAfterSec: 3 });
    const err = await failureOf(env.lms.listCourses());
    expect(err).toBeInstanceOf(LmsTransientError);
    expect(err).toMatchObject({ code: 'lms_rate_limited', status: 429, retryAfterMs: 3000 });
  });

  it("keeps the LMS's message on a rejection, without the student's email", async () => {
    env.sim.state.failNext(1, 422, { message: `student ${EMAIL} is blocked by policy` });
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toMatchObject({ code: 'lms_rejected', status: 422 });
    expect(err.message).toContain('is blocked by policy');
    expectNoSecrets(err);
  });

  it('keeps the API token out of a rejection whose body echoes it', async () => {
    env.sim.state.failNext(1, 422, { message: `request with Bearer ${TOKEN} refused` });
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toMatchObject({ code: 'lms_rejected', status: 422 });
    expect(err.message).toContain('[redacted] refused');
    expectNoSecrets(err);
  });

  it('maps a closed course (422 from the LMS) to lms_rejected', async () => {
    env.sim.state.rejectCourse('PY-K12');
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toMatchObject({ code: 'lms_rejected', status: 422 });
    expect(err.message).toContain('course_rejected');
  });

  it('maps a wrong token to lms_auth_failed', async () => {
    const wrong = createRestLmsAdapter({
      baseUrl: env.sim.url,
      apiToken: 'wrong',
      timeoutMs: 500,
      log: recordingLogger([]),
    });
    try {
      const err = await failureOf(wrong.listEnrollments(null, 10));
      expect(err).toBeInstanceOf(LmsTransientError);
      expect(err).toMatchObject({ code: 'lms_auth_failed', status: 401 });
      expect(err.message).not.toContain('wrong');
    } finally {
      wrong.close();
    }
  });

  it('maps 404 on enroll to lms_unknown_course and on suspend to lms_not_enrolled', async () => {
    const unknown = await failureOf(env.lms.enroll(enrollRequest(7, 'NO-SUCH')));
    expect(unknown).toBeInstanceOf(PermanentError);
    expect(unknown).toMatchObject({ code: 'lms_unknown_course', status: 404 });
    const suspendUnknown = await failureOf(
      env.lms.suspend({ courseCode: 'NO-SUCH', studentId: 'odoo-partner-7', idempotencyKey: 's1' }),
    );
    expect(suspendUnknown).toMatchObject({ code: 'lms_unknown_course' });
    const notEnrolled = await failureOf(
      env.lms.suspend({ courseCode: 'PY-K12', studentId: 'odoo-partner-7', idempotencyKey: 's2' }),
    );
    expect(notEnrolled).toMatchObject({ code: 'lms_not_enrolled', status: 404 });
  });

  it('maps a slow LMS to lms_timeout', async () => {
    env.sim.state.setLatency(1000);
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_timeout', status: null });
    expectNoSecrets(err);
  });

  it('maps a dropped connection to lms_unreachable', async () => {
    env.sim.state.failNextAfterCommit(1, 'drop');
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_unreachable', status: null });
    expectNoSecrets(err);
  });

  it('maps a closed port to lms_unreachable (ECONNREFUSED)', async () => {
    const lms = createRestLmsAdapter({
      baseUrl: await closedPortUrl(),
      apiToken: TOKEN,
      timeoutMs: 500,
      log: recordingLogger([]),
    });
    try {
      const err = await failureOf(lms.enroll(enrollRequest(7)));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ code: 'lms_unreachable', status: null });
      expect(err.message).toContain('ECONNREFUSED');
      expectNoSecrets(err);
    } finally {
      lms.close();
    }
  });
});

describe('rest LMS adapter: malformed answers', () => {
  let server: Server;
  let body = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['a wrong type', JSON.stringify({ enrollmentId: 42, status: 'active', email: EMAIL })],
    ['not JSON', `<html>${EMAIL}</html>`],
  ])('turns a 2xx with %s into lms_bad_response and logs its shape, not its content', async (_, answer) => {
    body = answer;
    const logs: LogEntry[] = [];
    const { port } = server.address() as AddressInfo;
    const lms = createRestLmsAdapter({
      baseUrl: `http://127.0.0.1:${port}`,
      apiToken: TOKEN,
      timeoutMs: 500,
      log: recordingLogger(logs),
    });
    try {
      const err = await failureOf(lms.enroll(enrollRequest(7)));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ code: 'lms_bad_response', status: 200 });
      const warning = logs.find((entry) => entry.level === 'warn');
      expect(warning?.meta).toMatchObject({ op: 'enroll', status: 200 });
      expect(JSON.stringify(logs)).not.toContain(EMAIL);
      expectNoSecrets(err);
    } finally {
      lms.close();
    }
  });
});
