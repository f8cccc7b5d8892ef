// A 404 on enroll or suspend from an LMS that answers one generic `not_found` for anything missing: the
// course list decides between "unknown course" and "not enrolled", and nothing else passes for either.
import { PermanentError, TransientError } from '../../../src/lib/errors';
import { createRestLmsAdapter } from '../../../src/lms/rest-adapter';
import { enrollRequest, failureOf, recordingLogger, simAndAdapter, TOKEN } from './fixtures';

const EMAIL = enrollRequest(7).student.email;
const suspendOf = (courseCode: string, partnerId: number) => ({
  courseCode,
  studentId: `odoo-partner-${partnerId}`,
  idempotencyKey: `suspend:1:${courseCode}:odoo-partner-${partnerId}`,
});

describe('rest LMS adapter: a generic 404', () => {
  let env: Awaited<ReturnType<typeof simAndAdapter>>;
  beforeEach(async () => {
    env = await simAndAdapter({ notFoundStyle: 'generic' });
  });
  afterEach(async () => {
    await env.stop();
  });

  it('on a suspend of a listed course means not enrolled', async () => {
    const err = await failureOf(env.lms.suspend(suspendOf('PY-K12', 7)));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_not_enrolled', status: 404 });
  });

  it('on a course the LMS does not list means an unknown course, for suspend and enroll', async () => {
    const suspend = await failureOf(env.lms.suspend(suspendOf('NO-SUCH', 7)));
    expect(suspend).toMatchObject({ code: 'lms_unknown_course', status: 404 });
    const enroll = await failureOf(env.lms.enroll(enrollRequest(7, 'NO-SUCH')));
    expect(enroll).toBeInstanceOf(PermanentError);
    expect(enroll).toMatchObject({ code: 'lms_unknown_course', status: 404 });
  });

  it("on an enroll of a listed course is transient lms_not_found with the LMS's words, minus the email", async () => {
    env.sim.state.failNext(1, 404, { message: `no user ${EMAIL} provisioned` });
    const err = await failureOf(env.lms.enroll(enrollRequest(7)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_not_found', status: 404 });
    expect(err.message).toContain('provisioned');
    expect(err.message).not.toContain(EMAIL);
  });

  it('is transient, not an unknown course, when the course list cannot be read', async () => {
    env.sim.state.failNext(1, 404);
    env.sim.state.failNext(1, 503);
    const err = await failureOf(env.lms.suspend(suspendOf('PY-K12', 7)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_not_found', status: 404 });
    expect(err.message).toContain('course list');
    expect(env.sim.state.courseListCalls).toBe(1);
  });

  it('is transient when every path 404s (a wrong base URL), and the token stays out of it', async () => {
    const misrouted = createRestLmsAdapter({
      baseUrl: `${env.sim.url}/wrong-prefix`,
      apiToken: TOKEN,
      timeoutMs: 2000,
      log: recordingLogger([]),
    });
    try {
      const err = await failureOf(misrouted.suspend(suspendOf('PY-K12', 7)));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ code: 'lms_not_found' });
      expect(`${err.message} ${err.stack}`).not.toContain(TOKEN);
    } finally {
      misrouted.close();
    }
  });

  it('asks for the course list once for many 404s within its lifetime, concurrent or not', async () => {
    const burst = Array.from({ length: 20 }, (_, i) => failureOf(env.lms.suspend(suspendOf('PY-K12', i))));
    const concurrent = await Promise.all(burst);
    for (let i = 20; i < 25; i += 1) {
      expect(await failureOf(env.lms.suspend(suspendOf('WEB-101', i)))).toMatchObject({
        code: 'lms_not_enrolled',
      });
    }
    expect(concurrent.map((err) => err.code)).toEqual(Array(20).fill('lms_not_enrolled'));
    expect(env.sim.state.courseListCalls).toBe(1);
  });

  it('asks again once the list has expired', async () => {
    const lms = createRestLmsAdapter({
      baseUrl: env.sim.url,
      apiToken: TOKEN,
      timeoutMs: 2000,
      log: recordingLogger([]),
      courseListTtlMs: 0,
    });
    try {
      await failureOf(lms.suspend(suspendOf('PY-K12', 1)));
      await failureOf(lms.suspend(suspendOf('PY-K12', 2)));
      expect(env.sim.state.courseListCalls).toBe(2);
    } finally {
      lms.close();
    }
  });
});

describe('rest LMS adapter: a 404 that names its reason', () => {
  let env: Awaited<ReturnType<typeof simAndAdapter>>;
  beforeEach(async () => {
    env = await simAndAdapter();
  });
  afterEach(async () => {
    await env.stop();
  });

  it('is taken at its word without reading the course list', async () => {
    const unknown = await failureOf(env.lms.enroll(enrollRequest(7, 'NO-SUCH')));
    expect(unknown).toMatchObject({ code: 'lms_unknown_course', status: 404 });
    const notEnrolled = await failureOf(env.lms.suspend(suspendOf('PY-K12', 7)));
    expect(notEnrolled).toMatchObject({ code: 'lms_not_enrolled', status: 404 });
    expect(env.sim.state.courseListCalls).toBe(0);
  });
});
