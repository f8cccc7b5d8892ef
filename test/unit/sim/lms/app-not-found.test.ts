// The simulator can answer a missing resource the way other LMSes do: one generic 404 body that does
// not say whether the course or the enrollment is missing.
import request from 'supertest';
import { AUTH, enrollBody, putEnrollment, simApp } from './fixtures';

const suspendOf = (app: ReturnType<typeof simApp>['app'], courseCode: string, studentId: string) =>
  request(app).post(`/api/v1/courses/${courseCode}/enrollments/${studentId}/suspend`).set(AUTH).send({});

describe('LMS simulator: how a 404 reads', () => {
  it('names the reason by default', async () => {
    const { app } = simApp();
    await suspendOf(app, 'PY-K12', 'odoo-partner-9').expect(404, {
      error: 'not_enrolled',
      message: 'odoo-partner-9 is not in PY-K12',
    });
    const res = await putEnrollment(app, 'NOPE-1', 'odoo-partner-9', enrollBody(9)).expect(404);
    expect(res.body.error).toBe('unknown_course');
  });

  it('answers a generic not_found for a missing enrollment and for an unknown course alike', async () => {
    const { app, state } = simApp({ notFoundStyle: 'generic' });
    await suspendOf(app, 'PY-K12', 'odoo-partner-9').expect(404, { error: 'not_found' });
    await suspendOf(app, 'NOPE-1', 'odoo-partner-9').expect(404, { error: 'not_found' });
    await putEnrollment(app, 'NOPE-1', 'odoo-partner-9', enrollBody(9)).expect(404, { error: 'not_found' });
    expect(state.enrollments.size).toBe(0);
  });

  it('still enrolls and suspends normally in the generic style', async () => {
    const { app } = simApp({ notFoundStyle: 'generic' });
    await putEnrollment(app, 'PY-K12', 'odoo-partner-3', enrollBody(3)).expect(201);
    await suspendOf(app, 'PY-K12', 'odoo-partner-3').expect(200, {
      enrollmentId: 'enr_1',
      status: 'suspended',
    });
  });

  it('can switch style at runtime', async () => {
    const { app, state } = simApp();
    state.notFoundStyle = 'generic';
    await suspendOf(app, 'PY-K12', 'odoo-partner-9').expect(404, { error: 'not_found' });
  });

  it('counts course list requests, injected failures included', async () => {
    const { app, state } = simApp();
    state.failNext(1, 503);
    await request(app).get('/api/v1/courses').set(AUTH).expect(503);
    await request(app).get('/api/v1/courses').set(AUTH).expect(200);
    await request(app).get('/api/v1/enrollments').set(AUTH).expect(200);
    expect(state.courseListCalls).toBe(2);
    expect(state.requestCount).toBe(3);
  });
});
