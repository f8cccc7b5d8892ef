import request from 'supertest';
import { AUTH, enrollBody, putEnrollment, simApp } from './fixtures';

describe('LMS simulator: enrollments', () => {
  it('answers /healthz without a token', async () => {
    const { app } = simApp();
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['a non-bearer scheme', { Authorization: 'Basic c2ltLXRlc3QtdG9rZW4=' }],
  ])('answers 401 to %s and changes nothing', async (_, headers) => {
    const { app, state } = simApp();
    await request(app)
      .put('/api/v1/courses/PY-K12/enrollments/odoo-partner-1')
      .set(headers)
      .send(enrollBody(1))
      .expect(401);
    expect(state.enrollments.size).toBe(0);
  });

  it('creates with 201, then answers 200 with the same enrollment', async () => {
    const { app, state } = simApp();
    const created = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7)).expect(201);
    const again = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7)).expect(200);
    expect(created.body).toEqual({ enrollmentId: expect.any(String), status: 'active' });
    expect(again.body).toEqual(created.body);
    expect(state.createdCount).toBe(1);
    expect(state.enrollCalls).toBe(2);
    expect(state.enrollment('PY-K12', 'odoo-partner-7')?.source).toEqual({
      orderId: 1007,
      orderName: 'S1007',
    });
  });

  it('reactivates a suspended enrollment with 200', async () => {
    const { app, state } = simApp();
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7)).expect(201);
    await request(app)
      .post('/api/v1/courses/PY-K12/enrollments/odoo-partner-7/suspend')
      .set(AUTH)
      .send({})
      .expect(200, { enrollmentId: 'enr_1', status: 'suspended' });
    const back = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7)).expect(200);
    expect(back.body.status).toBe('active');
    expect(state.createdCount).toBe(1);
  });

  it('answers 404 not_enrolled when suspending someone not enrolled', async () => {
    const { app } = simApp();
    const res = await request(app)
      .post('/api/v1/courses/PY-K12/enrollments/odoo-partner-9/suspend')
      .set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_enrolled');
  });

  it('answers 404 unknown_course for a course it does not have, until the course is added', async () => {
    const { app, state } = simApp();
    const res = await putEnrollment(app, 'NOPE-1', 'odoo-partner-1', enrollBody(1)).expect(404);
    expect(res.body.error).toBe('unknown_course');
    state.addCourse({ courseCode: 'NOPE-1', title: 'Now it exists' });
    await putEnrollment(app, 'NOPE-1', 'odoo-partner-1', enrollBody(1)).expect(201);
  });

  it('decodes URL-encoded path segments', async () => {
    const { app, state } = simApp({ courses: [{ courseCode: 'C++ 101/A', title: 'odd code' }] });
    await putEnrollment(app, 'C++ 101/A', 'odoo-partner-1', enrollBody(1)).expect(201);
    expect(state.enrollment('C++ 101/A', 'odoo-partner-1')).toBeDefined();
  });

  it.each([
    ['a missing email', { student: { fullName: 'No Mail' } }, 'invalid_student', 'student.email'],
    [
      'a malformed email',
      { student: { email: 'not-an-email', fullName: 'X' } },
      'invalid_student',
      'student.email',
    ],
    ['a missing source', { source: undefined }, 'invalid_request', 'source'],
  ])('answers 422 for %s', async (_, overrides, error, path) => {
    const { app, state } = simApp();
    const res = await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1, overrides)).expect(422);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toContain(path);
    expect(state.enrollments.size).toBe(0);
  });

  it('answers 422 on a rejected course until it is accepted again', async () => {
    const { app, state } = simApp();
    state.rejectCourse('WEB-101');
    const res = await putEnrollment(app, 'WEB-101', 'odoo-partner-1', enrollBody(1)).expect(422);
    expect(res.body.error).toBe('course_rejected');
    state.acceptCourse('WEB-101');
    await putEnrollment(app, 'WEB-101', 'odoo-partner-1', enrollBody(1)).expect(201);
  });

  it('answers 400 invalid_json to a body that is not JSON', async () => {
    const { app } = simApp();
    const res = await request(app)
      .put('/api/v1/courses/PY-K12/enrollments/odoo-partner-1')
      .set(AUTH)
      .set('Content-Type', 'application/json')
      .send('{"student":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
  });

  it('lists its courses', async () => {
    const { app, state } = simApp({ courses: [{ courseCode: 'A-1', title: 'A' }] });
    state.addCourse({ courseCode: 'B-2', title: 'B' });
    await request(app)
      .get('/api/v1/courses')
      .set(AUTH)
      .expect(200, {
        items: [
          { courseCode: 'A-1', title: 'A' },
          { courseCode: 'B-2', title: 'B' },
        ],
      });
  });

  it('records a re-creation after a hand deletion in the creation log', async () => {
    const { app, state } = simApp();
    await putEnrollment(app, 'PY-K12', 'odoo-partner-2', enrollBody(2)).expect(201);
    expect(state.deleteEnrollment('PY-K12', 'odoo-partner-2')).toBe(true);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-2', enrollBody(2)).expect(201);
    expect(state.creationCount('PY-K12', 'odoo-partner-2')).toBe(2);
    expect(state.duplicates()).toEqual([
      { courseCode: 'PY-K12', studentId: 'odoo-partner-2', creations: 2, deletions: 1 },
    ]);
  });
});
