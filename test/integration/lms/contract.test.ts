// The LMS adapter contract (docs/lms-contract.md), run against every adapter and a simulator of its LMS:
// what the consumer and the reconciler rely on, whichever LMS_ADAPTER is chosen.
import { PermanentError, TransientError } from '../../../src/lib/errors';
import type { LmsEnrollment } from '../../../src/lms/adapter';
import { enrollRequest, failureOf } from './fixtures';
import { SUBJECTS } from './contract/subjects';
import type { ContractLms } from './contract/subject';

/** An error's every surface: nothing in it may carry the credential or the student's email. */
function everything(err: Error): string {
  return `${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
}

describe.each(SUBJECTS)('LMS adapter contract: $name', (subject) => {
  let env: ContractLms;
  beforeEach(async () => {
    env = await subject.start();
  });
  afterEach(async () => {
    await env.stop();
  });

  const request = (partnerId: number, courseCode = env.courseCode) => enrollRequest(partnerId, courseCode);

  it('enrolls once however often it is asked, with one key or two', async () => {
    const first = await env.lms.enroll(request(7));
    const replay = await env.lms.enroll(request(7));
    const again = await env.lms.enroll({ ...request(7), idempotencyKey: `${request(7).idempotencyKey}#2` });
    expect(first).toEqual({ enrollmentId: expect.any(String), status: 'active', created: true });
    expect(replay).toEqual({ ...first, created: false });
    expect(again).toEqual({ ...first, created: false });
    expect(await env.held(env.courseCode, 'odoo-partner-7')).toEqual({ count: 1, status: 'active' });
  });

  it('suspends an enrollment, which is then listed as suspended, and enrolling again re-activates it', async () => {
    await env.lms.enroll(request(8));
    const key = { courseCode: env.courseCode, studentId: 'odoo-partner-8', idempotencyKey: 'suspend:5008' };
    await expect(env.lms.suspend(key)).resolves.toEqual({ status: 'suspended' });
    await expect(env.lms.suspend(key)).resolves.toEqual({ status: 'suspended' });
    expect(await env.held(env.courseCode, 'odoo-partner-8')).toEqual({ count: 1, status: 'suspended' });
    const listed = (await env.lms.listEnrollments(null, 100)).items.find(
      (e) => e.studentId === 'odoo-partner-8',
    );
    expect(listed).toMatchObject({ courseCode: env.courseCode, status: 'suspended' });

    const back = await env.lms.enroll({ ...request(8), idempotencyKey: `${request(8).idempotencyKey}#2` });
    expect(back).toMatchObject({ status: 'active', created: false });
    expect(await env.held(env.courseCode, 'odoo-partner-8')).toEqual({ count: 1, status: 'active' });
  });

  it('says lms_not_enrolled, a permanent error, for a suspend of nothing', async () => {
    const err = await failureOf(
      env.lms.suspend({
        courseCode: env.courseCode,
        studentId: 'odoo-partner-404',
        idempotencyKey: 'suspend:1',
      }),
    );
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_not_enrolled' });
  });

  it('lists every enrollment exactly once across pages, and never gives a cursor twice', async () => {
    await env.seed(env.courseCode, 23);
    await env.lms.enroll(request(9));
    const seen: LmsEnrollment[] = [];
    const cursors = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof env.lms.listEnrollments>> = await env.lms.listEnrollments(
        cursor,
        10,
      );
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (cursor !== null) {
        expect(cursors.has(cursor)).toBe(false);
        cursors.add(cursor);
      }
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(cursor).toBeNull();
    expect(pages).toBeGreaterThanOrEqual(3);
    const keys = seen.map((e) => `${e.courseCode}/${e.studentId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(24);
    const mine = seen.find((e) => e.studentId === 'odoo-partner-9');
    expect(mine).toEqual({
      enrollmentId: expect.any(String),
      courseCode: env.courseCode,
      studentId: 'odoo-partner-9',
      email: request(9).student.email,
      status: 'active',
      source: { orderId: mine?.source.orderId ?? null },
    });
    // the order it came from, where the LMS keeps one
    expect([5009, null]).toContain(mine?.source.orderId);
  });

  it('says lms_unknown_course, a permanent error, for a course the LMS does not have', async () => {
    const enroll = await failureOf(env.lms.enroll(request(10, 'NO-SUCH-COURSE')));
    expect(enroll).toBeInstanceOf(PermanentError);
    expect(enroll).toMatchObject({ code: 'lms_unknown_course' });
    const suspend = await failureOf(
      env.lms.suspend({
        courseCode: 'NO-SUCH-COURSE',
        studentId: 'odoo-partner-10',
        idempotencyKey: 'suspend:10',
      }),
    );
    expect(suspend).toMatchObject({ code: 'lms_unknown_course' });
  });

  it('lists the course and answers a ping', async () => {
    const courses = await env.lms.listCourses();
    expect(courses.map((c) => c.courseCode)).toContain(env.courseCode);
    expect(courses.every((c) => typeof c.title === 'string')).toBe(true);
    await expect(env.lms.ping()).resolves.toBeUndefined();
  });

  it('says lms_auth_failed, transient, for a refused credential, and the credential stays out of it', async () => {
    const refused = env.refused();
    const err = await failureOf(refused.enroll(request(11)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_auth_failed' });
    expect(everything(err)).not.toContain(request(11).student.email);
    await expect(refused.ping()).rejects.toMatchObject({ code: 'lms_auth_failed' });
    expect(await env.held(env.courseCode, 'odoo-partner-11')).toEqual({ count: 0, status: undefined });
  });

  it('is transient on a server error, and the next call succeeds', async () => {
    env.failNext();
    const err = await failureOf(env.lms.enroll(request(12)));
    expect(err).toBeInstanceOf(TransientError);
    expect(everything(err)).not.toContain(env.secret);
    expect(everything(err)).not.toContain(request(12).student.email);
    await expect(env.lms.enroll(request(12))).resolves.toMatchObject({ status: 'active' });
    expect(await env.held(env.courseCode, 'odoo-partner-12')).toEqual({ count: 1, status: 'active' });
  });

  it('says lms_timeout, transient, when the LMS answers too late', async () => {
    env.slow();
    const err = await failureOf(env.lms.enroll(request(13)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_timeout' });
  });

  it('enrolls a student without an email through their guardian, or refuses them as a permanent error', async () => {
    const { email: _none, ...student } = request(14).student;
    const call = env.lms.enroll({
      ...request(14),
      student: { ...student, login: 'learner-14', guardian: { name: 'Hoa Tran', email: 'hoa@example.com' } },
    });
    if (!subject.takesStudentsWithoutEmail) {
      await expect(call).rejects.toBeInstanceOf(PermanentError);
      return;
    }
    await expect(call).resolves.toMatchObject({ status: 'active', created: true });
    const listed = (await env.lms.listEnrollments(null, 100)).items.find(
      (e) => e.studentId === 'odoo-partner-14',
    );
    expect(listed).toMatchObject({ email: '', status: 'active' });
  });
});
