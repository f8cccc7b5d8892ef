// Small builders shared by the LMS simulator tests.
import request from 'supertest';
import { createLmsSimApp } from '../../../../src/sim/lms/app';
import { LmsSimState, type LmsSimStateOptions } from '../../../../src/sim/lms/state';

export const TOKEN = 'sim-test-token';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

export function simApp(options: LmsSimStateOptions = {}): {
  state: LmsSimState;
  app: ReturnType<typeof createLmsSimApp>;
} {
  const state = new LmsSimState(options);
  return { state, app: createLmsSimApp(state, { apiToken: TOKEN }) };
}

export function enrollBody(
  partnerId: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    student: { email: `student${partnerId}@example.com`, fullName: `Student ${partnerId}` },
    source: { orderId: 1000 + partnerId, orderName: `S${1000 + partnerId}` },
    ...overrides,
  };
}

export function putEnrollment(
  app: ReturnType<typeof createLmsSimApp>,
  courseCode: string,
  studentId: string,
  body: unknown,
  idempotencyKey?: string,
): request.Test {
  const req = request(app)
    .put(`/api/v1/courses/${encodeURIComponent(courseCode)}/enrollments/${encodeURIComponent(studentId)}`)
    .set(AUTH);
  if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body as object);
}
