// An action another worker holds: a dead holder frees it within one lease, a live one keeps it while its
// LMS call runs, and a Retry Enrollment click is judged by when it was made, not when it is handled.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';
import { createActionsRepo } from '../../src/enrollment/actions-repo';
import { enrollmentKey } from '../../src/enrollment/plan';
import { ORDER_SYNC_ROUTING_KEY } from '../../src/enrollment/message';

jest.setTimeout(60_000);

const send = (h: Harness, payload: unknown) => {
  const d = signedDelivery(payload);
  return request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
};

async function outcomeOf(h: Harness, eventId: string): Promise<string | undefined> {
  const { rows } = await h.db.pool.query<{ outcome: string }>(
    'SELECT outcome FROM consumed_messages WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.outcome;
}

async function counter(h: Harness, name: 'retries' | 'consumed', outcome?: string): Promise<number> {
  const { values } = await h.service.metrics[name].get();
  return values
    .filter((v) => !outcome || (v.labels as { outcome?: string }).outcome === outcome)
    .reduce((n, v) => n + v.value, 0);
}

function order(h: Harness, code: string) {
  const student = makeStudent(h.odoo);
  const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, code)]);
  const studentId = `odoo-partner-${student}`;
  return { ...o, studentId, key: enrollmentKey(o.orderId, code, studentId) };
}

describe('an action claimed by a worker that died', () => {
  let h: Harness;
  beforeAll(async () => {
    // The production-like ladder: a held action waiting on it would take 5 s, then 30 s more.
    h = await startHarness({ retryDelaysMs: [5000, 30000, 120000], env: { ACTION_LEASE_MS: '2000' } });
  });
  afterAll(() => h.stop());

  it('is enrolled when the lease runs out, not on the retry ladder, and the wait is no retry', async () => {
    const o = order(h, 'PY-K12');
    // What a worker leaves behind when it is SIGKILLed mid-call: its claim, leased, never finished.
    const dead = createActionsRepo(h.db.pool, 2000);
    const planned = { action: 'enroll' as const, businessKey: o.key, courseCode: 'PY-K12', lineId: 1 };
    const ctx = { orderId: o.orderId, orderName: o.name, eventId: randomUUID(), messageId: randomUUID() };
    expect((await dead.claim({ ...planned, studentId: o.studentId }, ctx, false)).kind).toBe('claimed');

    const res = await send(h, events.paid(o.orderId, o.name));
    // Within the lease and a little: the first rung of the ladder alone (5 s and more) would miss it.
    expect(await waitFor(() => outcomeOf(h, res.body.eventId), 'enrolled after the lease', 4500)).toBe(
      'done',
    );
    expect(h.lms.state.creationCount('PY-K12', o.studentId)).toBe(1);
    expect(await counter(h, 'consumed', 'busy')).toBeGreaterThanOrEqual(1);
    expect(await counter(h, 'retries')).toBe(0);
  });
});

describe('an action whose LMS call outlasts the lease', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      lms: { latencyMs: 2500 },
      env: { ACTION_LEASE_MS: '1000', LMS_TIMEOUT_MS: '10000' },
    });
  });
  afterAll(() => h.stop());

  it('stays with its live holder: a click meanwhile waits for it and makes no second LMS call', async () => {
    const o = order(h, 'WEB-101');
    const before = h.lms.state.enrollCalls;
    const paid = await send(h, events.paid(o.orderId, o.name));
    await waitFor(() => h.lms.state.enrollCalls > before, 'the first LMS call under way');
    const click = await send(h, events.retry(o.orderId, o.name));
    await waitFor(
      async () => (await outcomeOf(h, paid.body.eventId)) && (await outcomeOf(h, click.body.eventId)),
      'both handled',
      20_000,
    );
    expect(h.lms.state.enrollCalls - before).toBe(1);
    expect(h.lms.state.creationCount('WEB-101', o.studentId)).toBe(1);
  });
});

describe('a Retry Enrollment click handled long after it was made', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  async function clickMadeAt(o: { orderId: number; name: string }, at: Date): Promise<string> {
    // A click that waited (an outage, a lease) and is only now handled: its message says when it was made.
    const messageId = randomUUID();
    const eventId = randomUUID();
    const message = {
      messageId,
      eventId,
      trigger: 'enrollment.retry_requested',
      orderId: o.orderId,
      orderName: o.name,
      requestedBy: { userId: 2, name: 'Mitchell Admin' },
      acceptedAt: at.toISOString(),
    };
    await h.db.pool.query(
      `INSERT INTO outbox (message_id, event_id, routing_key, payload, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [messageId, eventId, ORDER_SYNC_ROUTING_KEY, message, at],
    );
    await h.service.drainOutbox();
    return eventId;
  }

  it('is not redone when the enrollment finished after the click', async () => {
    const o = order(h, 'DATA-201');
    const paid = await send(h, events.paid(o.orderId, o.name));
    await waitFor(() => outcomeOf(h, paid.body.eventId), 'enrolled');
    // The enrollment finished 20 minutes ago; the click was made 25 minutes ago, while it was running.
    await h.db.pool.query(
      `UPDATE enrollment_actions SET completed_at = now() - interval '20 minutes' WHERE business_key = $1`,
      [o.key],
    );
    const calls = h.lms.state.enrollCalls;
    const eventId = await clickMadeAt(o, new Date(Date.now() - 25 * 60_000));
    expect(await waitFor(() => outcomeOf(h, eventId), 'the late click handled')).toBe('done');
    expect(h.lms.state.enrollCalls).toBe(calls);
    const { rows } = await h.db.pool.query(
      'SELECT generation FROM enrollment_actions WHERE business_key = $1',
      [o.key],
    );
    expect(rows[0]).toMatchObject({ generation: 1 });
  });

  it('is redone when the enrollment had finished more than 10 minutes before the click', async () => {
    const o = order(h, 'PY-K12');
    const paid = await send(h, events.paid(o.orderId, o.name));
    await waitFor(() => outcomeOf(h, paid.body.eventId), 'enrolled');
    await h.db.pool.query(
      `UPDATE enrollment_actions SET completed_at = now() - interval '40 minutes' WHERE business_key = $1`,
      [o.key],
    );
    h.lms.state.deleteEnrollment('PY-K12', o.studentId);
    const eventId = await clickMadeAt(o, new Date(Date.now() - 25 * 60_000));
    expect(await waitFor(() => outcomeOf(h, eventId), 'the click handled')).toBe('done');
    expect(h.lms.state.enrollment('PY-K12', o.studentId)).toMatchObject({ status: 'active' });
  });
});
