import request from 'supertest';
import { AUTH, simApp } from './fixtures';
import type { LmsSimState } from '../../../../src/sim/lms/state';

function seed(state: LmsSimState, count: number): void {
  for (let i = 1; i <= count; i += 1) {
    const course = i % 2 === 0 ? 'PY-K12' : 'WEB-101';
    state.enrollments.upsert(
      course,
      `odoo-partner-${i}`,
      { email: `s${i}@example.com`, fullName: `S ${i}` },
      {
        orderId: i,
        orderName: `S${i}`,
      },
    );
  }
}

describe('LMS simulator: listing enrollments', () => {
  it('returns each of 2,500 enrollments exactly once over pages of 1000, then a null cursor', async () => {
    const { app, state } = simApp();
    seed(state, 2500);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(app)
        .get('/api/v1/enrollments')
        .query(cursor ? { cursor, limit: 1000 } : { limit: 1000 })
        .set(AUTH)
        .expect(200);
      pageSizes.push(res.body.items.length);
      seen.push(...res.body.items.map((item: { enrollmentId: string }) => item.enrollmentId));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(pageSizes).toEqual([1000, 1000, 500]);
    expect(new Set(seen).size).toBe(2500);
  });

  it('lists the public fields in creation order', async () => {
    const { app, state } = simApp();
    seed(state, 2);
    const res = await request(app).get('/api/v1/enrollments').set(AUTH).expect(200);
    expect(res.body).toEqual({
      items: [
        {
          enrollmentId: 'enr_1',
          courseCode: 'WEB-101',
          studentId: 'odoo-partner-1',
          email: 's1@example.com',
          status: 'active',
          source: { orderId: 1 },
        },
        {
          enrollmentId: 'enr_2',
          courseCode: 'PY-K12',
          studentId: 'odoo-partner-2',
          email: 's2@example.com',
          status: 'active',
          source: { orderId: 2 },
        },
      ],
      nextCursor: null,
    });
  });

  it('gives a null cursor when the last page is exactly full', async () => {
    const { app, state } = simApp();
    seed(state, 4);
    const first = await request(app).get('/api/v1/enrollments?limit=2').set(AUTH).expect(200);
    const second = await request(app)
      .get('/api/v1/enrollments')
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(AUTH);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
  });

  it('defaults to 100 per page and caps the page at 1000', async () => {
    const { app, state } = simApp();
    seed(state, 1200);
    const byDefault = await request(app).get('/api/v1/enrollments').set(AUTH).expect(200);
    const capped = await request(app).get('/api/v1/enrollments?limit=5000').set(AUTH).expect(200);
    expect(byDefault.body.items).toHaveLength(100);
    expect(capped.body.items).toHaveLength(1000);
  });

  it.each([['limit=0'], ['limit=abc'], ['cursor=forged']])('answers 400 to %s', async (query) => {
    const { app } = simApp();
    await request(app).get(`/api/v1/enrollments?${query}`).set(AUTH).expect(400);
  });

  it('does not skip or repeat when an enrollment is deleted between pages', async () => {
    const { app, state } = simApp();
    seed(state, 6);
    const first = await request(app).get('/api/v1/enrollments?limit=3').set(AUTH).expect(200);
    state.deleteEnrollment('PY-K12', 'odoo-partner-2');
    state.deleteEnrollment('PY-K12', 'odoo-partner-4');
    const second = await request(app)
      .get('/api/v1/enrollments')
      .query({ limit: 3, cursor: first.body.nextCursor })
      .set(AUTH);
    expect(second.body.items.map((i: { studentId: string }) => i.studentId)).toEqual([
      'odoo-partner-5',
      'odoo-partner-6',
    ]);
  });
});
