import { enrollBody, putEnrollment, simApp } from './fixtures';

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LMS simulator: Idempotency-Key', () => {
  const key = 'enroll:1007:PY-K12:odoo-partner-7';

  it('replays the first response (201) for the same key and request, marked as replayed', async () => {
    const { app, state } = simApp();
    const first = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).expect(201);
    const replay = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).expect(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(state.createdCount).toBe(1);
  });

  it('matches the same request whatever its key order', async () => {
    const { app } = simApp();
    const body = enrollBody(7);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', body, key).expect(201);
    const reordered = { source: body.source, student: body.student };
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', reordered, key).expect(201);
  });

  it('answers 422 to the same key with a different body, and changes nothing', async () => {
    const { app, state } = simApp();
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).expect(201);
    const other = enrollBody(7, { source: { orderId: 9999, orderName: 'S9999' } });
    const res = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', other, key).expect(422);
    expect(res.body.error).toBe('idempotency_key_reused');
    expect(state.enrollment('PY-K12', 'odoo-partner-7')?.source.orderId).toBe(1007);
  });

  it('answers 409 to a second request with the key while the first is in flight', async () => {
    const { app, state } = simApp({ latencyMs: 300 });
    const first = putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).then((res) => res);
    await waitFor(() => state.idempotency.inFlightCount === 1);
    const second = await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key);
    expect(second.status).toBe(409);
    expect((await first).status).toBe(201);
    expect(state.idempotency.inFlightCount).toBe(0);
    expect(state.createdCount).toBe(1);
  });

  it('does not store a 4xx, so a retry succeeds once the LMS data is fixed', async () => {
    const { app, state } = simApp({ courses: [] });
    await putEnrollment(app, 'NEW-1', 'odoo-partner-7', enrollBody(7), key).expect(404);
    state.addCourse({ courseCode: 'NEW-1', title: 'New' });
    await putEnrollment(app, 'NEW-1', 'odoo-partner-7', enrollBody(7), key).expect(201);
  });

  it('does not store an injected failure: the retry with the same key does the work', async () => {
    const { app, state } = simApp();
    state.failNext(1, 503);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).expect(503);
    expect(state.enrollments.size).toBe(0);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-7', enrollBody(7), key).expect(201);
    expect(state.enrollCalls).toBe(2);
  });
});
