import request from 'supertest';
import { AUTH, enrollBody, putEnrollment, simApp } from './fixtures';

async function statuses(seedValue: number, count: number): Promise<number[]> {
  const { app } = simApp({ failRate: 0.4, seed: seedValue });
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await request(app).get('/api/v1/courses').set(AUTH)).status);
  return seen;
}

describe('LMS simulator: injected failures', () => {
  it('fails the same requests for the same seed', async () => {
    const first = await statuses(42, 30);
    expect(await statuses(42, 30)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await statuses(43, 30)).not.toEqual(first);
  });

  it('answers failStatus before doing anything, so nothing is enrolled', async () => {
    const { app, state } = simApp({ failRate: 1, failStatus: 500 });
    await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1)).expect(500);
    expect(state.enrollments.size).toBe(0);
    expect(state.enrollCalls).toBe(1);
    state.setFailRate(0);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1)).expect(201);
  });

  it('answers queued failures with their status, Retry-After and message', async () => {
    const { app, state } = simApp();
    state.failNext(1, 429, { retryAfterSec: 7 });
    state.failNext(1, 422, { message: 'student blocked' });
    const limited = await request(app).get('/api/v1/courses').set(AUTH).expect(429);
    const rejected = await request(app).get('/api/v1/courses').set(AUTH).expect(422);
    expect(limited.headers['retry-after']).toBe('7');
    expect(rejected.body).toEqual({ error: 'rejected', message: 'student blocked' });
    await request(app).get('/api/v1/courses').set(AUTH).expect(200);
  });

  it('answers 503 to everything while down, but healthz stays up', async () => {
    const { app, state } = simApp();
    state.setDown(true);
    await request(app).get('/api/v1/courses').set(AUTH).expect(503);
    await request(app).get('/healthz').expect(200);
    state.setDown(false);
    await request(app).get('/api/v1/courses').set(AUTH).expect(200);
  });

  it('commits and then answers 503 when the answer is lost; the retry with the key replays the result', async () => {
    const { app, state } = simApp({ failAfterCommitRate: 1 });
    const key = 'enroll:1001:PY-K12:odoo-partner-1';
    await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1), key).expect(503);
    expect(state.enrollment('PY-K12', 'odoo-partner-1')?.status).toBe('active');
    state.setFailAfterCommitRate(0);
    const retry = await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1), key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(state.createdCount).toBe(1);
  });

  it('commits and then drops the connection', async () => {
    const { app, state } = simApp();
    state.failNextAfterCommit(1, 'drop');
    await expect(putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect(state.createdCount).toBe(1);
    await putEnrollment(app, 'PY-K12', 'odoo-partner-1', enrollBody(1)).expect(200);
  });

  it('does not lose the answer of a request that changed nothing', async () => {
    const { app, state } = simApp({ failAfterCommitRate: 1 });
    await putEnrollment(app, 'NOPE', 'odoo-partner-1', enrollBody(1)).expect(404);
    expect(state.createdCount).toBe(0);
  });

  it('delays answers by latencyMs', async () => {
    const { app, state } = simApp();
    state.setLatency(150);
    const started = Date.now();
    await request(app).get('/api/v1/courses').set(AUTH).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
