import { simAndAdapter, enrollRequest } from './fixtures';

describe('rest LMS adapter against the simulator', () => {
  let env: Awaited<ReturnType<typeof simAndAdapter>>;
  beforeEach(async () => {
    env = await simAndAdapter();
  });
  afterEach(async () => {
    await env.stop();
  });

  it('enrolls: created on 201, not created on an upsert of an existing enrollment', async () => {
    const first = await env.lms.enroll(enrollRequest(7));
    const second = await env.lms.enroll({ ...enrollRequest(7), idempotencyKey: 'another-key' });
    expect(first).toEqual({ enrollmentId: expect.any(String), status: 'active', created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(env.sim.state.enrollment('PY-K12', 'odoo-partner-7')).toMatchObject({
      email: 'jane.7@example.com',
      fullName: 'Jane 7',
      phone: '+1 555 0100',
      source: { orderId: 5007, orderName: 'S5007' },
    });
  });

  it('enrolls a student without an email with their login and guardian, and lists them with an empty email', async () => {
    const req = enrollRequest(12);
    const { email: _none, ...student } = req.student;
    await env.lms.enroll({
      ...req,
      student: { ...student, login: 'learner-12', guardian: { name: 'Hoa Tran', email: 'hoa@example.com' } },
    });
    expect(env.sim.state.enrollment('PY-K12', 'odoo-partner-12')).toMatchObject({
      login: 'learner-12',
      guardian: { name: 'Hoa Tran', email: 'hoa@example.com' },
    });
    expect(env.sim.state.enrollment('PY-K12', 'odoo-partner-12')?.email).toBeUndefined();
    const page = await env.lms.listEnrollments(null, 10);
    expect(page.items).toEqual([expect.objectContaining({ studentId: 'odoo-partner-12', email: '' })]);
  });

  it('sends the Idempotency-Key: a repeated call is a replay, reported as not created', async () => {
    const first = await env.lms.enroll(enrollRequest(8));
    const replay = await env.lms.enroll(enrollRequest(8));
    expect(replay).toEqual({ ...first, created: false });
    expect(env.sim.state.idempotency.has(enrollRequest(8).idempotencyKey)).toBe(true);
    expect(env.sim.state.createdCount).toBe(1);
  });

  it('URL-encodes path segments', async () => {
    env.sim.state.addCourse({ courseCode: 'C++ 101/ü', title: 'odd' });
    await env.lms.enroll(enrollRequest(9, 'C++ 101/ü'));
    expect(env.sim.state.enrollment('C++ 101/ü', 'odoo-partner-9')).toBeDefined();
  });

  it('suspends an enrollment', async () => {
    await env.lms.enroll(enrollRequest(10));
    const res = await env.lms.suspend({
      courseCode: 'PY-K12',
      studentId: 'odoo-partner-10',
      idempotencyKey: 'suspend:10',
    });
    expect(res).toEqual({ status: 'suspended' });
    expect(env.sim.state.enrollment('PY-K12', 'odoo-partner-10')?.status).toBe('suspended');
  });

  it('recovers the enrollment committed before a lost answer by retrying with the same key', async () => {
    env.sim.state.failNextAfterCommit(1, 'drop');
    await expect(env.lms.enroll(enrollRequest(11))).rejects.toMatchObject({ code: 'lms_unreachable' });
    const retry = await env.lms.enroll(enrollRequest(11));
    expect(retry.status).toBe('active');
    expect(env.sim.state.createdCount).toBe(1);
  });

  it('pages through every enrollment with listEnrollments', async () => {
    for (let i = 1; i <= 250; i += 1) {
      env.sim.state.enrollments.upsert(
        'WEB-101',
        `odoo-partner-${i}`,
        { email: `s${i}@example.com`, fullName: 'S' },
        {
          orderId: i,
          orderName: `S${i}`,
        },
      );
    }
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof env.lms.listEnrollments>> = await env.lms.listEnrollments(
        cursor,
        100,
      );
      page.items.forEach((item) => seen.add(`${item.courseCode}/${item.studentId}`));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen.size).toBe(250);
    const first = await env.lms.listEnrollments(null, 1);
    expect(first.items[0]).toEqual({
      enrollmentId: 'enr_1',
      courseCode: 'WEB-101',
      studentId: 'odoo-partner-1',
      email: 's1@example.com',
      status: 'active',
      source: { orderId: 1 },
    });
  });

  it('lists courses and pings', async () => {
    await expect(env.lms.listCourses()).resolves.toEqual(
      expect.arrayContaining([{ courseCode: 'PY-K12', title: 'Python for Kids' }]),
    );
    await expect(env.lms.ping()).resolves.toBeUndefined();
    env.sim.state.setDown(true);
    await expect(env.lms.ping()).rejects.toMatchObject({ code: 'lms_unavailable', status: 503 });
  });

  it('survives a flaky LMS when the caller retries transient errors', async () => {
    env.sim.state.setFailRate(0.5);
    let attempts = 0;
    for (let partner = 100; partner < 120; partner += 1) {
      for (;;) {
        attempts += 1;
        try {
          await env.lms.enroll(enrollRequest(partner));
          break;
        } catch (err) {
          expect((err as { code?: string }).code).toBe('lms_unavailable');
        }
      }
    }
    expect(attempts).toBeGreaterThan(20);
    expect(env.sim.state.createdCount).toBe(20);
    expect(env.sim.state.duplicates()).toEqual([]);
  });
});
