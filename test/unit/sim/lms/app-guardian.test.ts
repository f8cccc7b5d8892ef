// A student without an email of their own (a child): enrolled with a login and a guardian the LMS writes
// to; listed with an empty email, the login and the guardian's address.
import request from 'supertest';
import { AUTH, enrollBody, putEnrollment, simApp } from './fixtures';

const child = (over: Record<string, unknown> = {}) =>
  enrollBody(11, {
    student: {
      fullName: 'Bao',
      login: 'learner-11',
      guardian: { name: 'Hoa Tran', email: 'hoa@example.com' },
      ...over,
    },
  });

describe('LMS simulator: students reached through a guardian', () => {
  it('enrolls a student without an email who has a login and a guardian, and lists them so', async () => {
    const { app, state } = simApp();
    await putEnrollment(app, 'PY-K12', 'odoo-partner-11', child()).expect(201);
    expect(state.enrollment('PY-K12', 'odoo-partner-11')).toMatchObject({
      fullName: 'Bao',
      login: 'learner-11',
      guardian: { name: 'Hoa Tran', email: 'hoa@example.com' },
    });
    const list = await request(app).get('/api/v1/enrollments').set(AUTH).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        studentId: 'odoo-partner-11',
        email: '',
        login: 'learner-11',
        guardian: { email: 'hoa@example.com' },
      }),
    ]);
  });

  it.each([
    ['neither an email nor a guardian', { guardian: undefined }],
    ['a guardian but no login', { login: undefined }],
    ['a login that is no login', { login: 'has spaces' }],
    ['a guardian without a valid email', { guardian: { name: 'X', email: 'not-an-email' } }],
  ])('refuses a student with %s (422 invalid_student)', async (_label, over) => {
    const { app, state } = simApp();
    const res = await putEnrollment(app, 'PY-K12', 'odoo-partner-11', child(over)).expect(422);
    expect(res.body.error).toBe('invalid_student');
    expect(state.enrollments.size).toBe(0);
  });

  it('keeps the first login of a student when a later upsert sends another', async () => {
    const { app, state } = simApp();
    await putEnrollment(app, 'PY-K12', 'odoo-partner-11', child()).expect(201);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-11', child({ login: 'other-login' })).expect(200);
    expect(state.enrollment('PY-K12', 'odoo-partner-11')?.login).toBe('learner-11');
  });
});
