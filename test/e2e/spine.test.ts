// Webhook → outbox → RabbitMQ → consumer → LMS, end to end against real PostgreSQL and RabbitMQ and
// the simulators over HTTP.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder, unpaidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const send = (payload: unknown, opts: { id?: string } = {}) => {
  const d = signedDelivery(payload, opts);
  return request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
};
const admin = (path: string) =>
  request(h.service.app).get(path).set('Authorization', 'Bearer admin-token-for-tests-only');
const consumedOutcome = async (eventId: string) => {
  const { rows } = await h.db.pool.query<{ outcome: string }>(
    'SELECT outcome FROM consumed_messages WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.outcome;
};
const orderField = (orderId: number, field: string) =>
  h.odoo.store.read('sale.order', [orderId], [field])[0]?.[field];

describe('the spine', () => {
  it('enrolls a paid student once and writes the result back to the Odoo order', async () => {
    const course = makeCourse(h.odoo, 'PY-K12');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [course]);
    const res = await send(events.paid(o.orderId, o.name));
    expect(res.status).toBe(202);
    expect(await waitFor(() => consumedOutcome(res.body.eventId), 'the event to be consumed')).toBe('done');
    const enrollment = h.lms.state.enrollment('PY-K12', `odoo-partner-${student}`);
    expect(enrollment).toMatchObject({ status: 'active' });
    expect(h.lms.state.creationCount('PY-K12', `odoo-partner-${student}`)).toBe(1);
    expect(orderField(o.orderId, 'lms_sync_state')).toBe('synced');
    // a payment's plain enrollment is said by the status; the chatter is kept for what a person needs
    expect(h.odoo.store.messagesFor('sale.order', o.orderId)).toEqual([]);
  });

  it('reads a product fixed in Odoo anew for Retry Enrollment, though the consumer keeps products a minute', async () => {
    const course = makeCourse(h.odoo, 'WEB-TYPO-9');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [course]);
    const paid = await send(events.paid(o.orderId, o.name));
    expect(
      await waitFor(() => consumedOutcome(paid.body.eventId), 'the payment to be handled'),
    ).toBeDefined();
    expect(h.lms.state.enrollment('WEB-TYPO-9', `odoo-partner-${student}`)).toBeUndefined();

    // ops correct the Internal Reference and click Retry Enrollment (well inside the product's minute)
    h.odoo.store.write('product.product', [course], { default_code: 'WEB-101' });
    const retry = await send(events.retry(o.orderId, o.name));
    expect(await waitFor(() => consumedOutcome(retry.body.eventId), 'the retry to be handled')).toBe('done');
    expect(h.lms.state.enrollment('WEB-101', `odoo-partner-${student}`)).toMatchObject({ status: 'active' });
  });

  it('reaches the LMS once for a double-clicked Retry Enrollment (two deliveries, one business action)', async () => {
    const course = makeCourse(h.odoo, 'WEB-101');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [course]);
    const [a, b] = await Promise.all([
      send(events.retry(o.orderId, o.name)),
      send(events.retry(o.orderId, o.name)),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await waitFor(
      async () => (await consumedOutcome(a.body.eventId)) && (await consumedOutcome(b.body.eventId)),
      'both events consumed',
    );
    expect(h.lms.state.creationCount('WEB-101', `odoo-partner-${student}`)).toBe(1);
    const { rows } = await h.db.pool.query(
      `SELECT outcome FROM action_attempts WHERE business_key = $1 AND outcome = 'succeeded'`,
      [`enroll:${o.orderId}:WEB-101:odoo-partner-${student}`],
    );
    expect(rows).toHaveLength(1);
  });

  it('enrolls nobody for a retry on an unpaid order, and says why on the order', async () => {
    const course = makeCourse(h.odoo, 'DATA-201');
    const student = makeStudent(h.odoo);
    const o = unpaidOrder(h.odoo, student, [course]);
    const res = await send(events.retry(o.orderId, o.name));
    expect(await waitFor(() => consumedOutcome(res.body.eventId), 'consumed')).toBe('done');
    expect(h.lms.state.enrollment('DATA-201', `odoo-partner-${student}`)).toBeUndefined();
    expect(
      h.odoo.store
        .messagesFor('sale.order', o.orderId)
        .map((m) => m.body)
        .join(),
    ).toMatch(/not paid/);
    expect(orderField(o.orderId, 'lms_last_error')).toMatch(/not paid/);
  });

  it('dead-letters an LMS 422 with its reason after one call, and marks the order failed', async () => {
    h.lms.state.addCourse({ courseCode: 'REJ-1', title: 'Rejected' });
    h.lms.state.rejectCourse('REJ-1');
    const course = makeCourse(h.odoo, 'REJ-1');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [course]);
    const callsBefore = h.lms.state.enrollCalls;
    const res = await send(events.paid(o.orderId, o.name));
    expect(await waitFor(() => consumedOutcome(res.body.eventId), 'consumed')).toBe('dead');
    expect(h.lms.state.enrollCalls - callsBefore).toBe(1);
    const dl = await admin('/admin/dead-letters');
    const mine = dl.body.items.find((d: { event_id: string }) => d.event_id === res.body.eventId);
    expect(mine).toMatchObject({
      reason_code: 'lms_rejected',
      business_key: `enroll:${o.orderId}:REJ-1:odoo-partner-${student}`,
    });
    expect(orderField(o.orderId, 'lms_sync_state')).toBe('failed');
  });

  it('replays a dead letter once the cause is fixed, and the student is enrolled', async () => {
    h.lms.state.addCourse({ courseCode: 'REJ-2', title: 'Fixed later' });
    h.lms.state.rejectCourse('REJ-2');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'REJ-2')]);
    const res = await send(events.paid(o.orderId, o.name));
    await waitFor(async () => (await consumedOutcome(res.body.eventId)) === 'dead', 'dead-lettered');
    const { rows } = await h.db.pool.query<{ id: string }>(
      'SELECT id::text FROM dead_letters WHERE event_id = $1',
      [res.body.eventId],
    );
    h.lms.state.acceptCourse('REJ-2');
    const replay = await request(h.service.app)
      .post(`/admin/dead-letters/${rows[0]?.id}/replay`)
      .set('Authorization', 'Bearer admin-token-for-tests-only');
    expect(replay.status).toBe(202);
    await waitFor(
      () => h.lms.state.enrollment('REJ-2', `odoo-partner-${student}`),
      'the replayed enrollment',
    );
    const again = await request(h.service.app)
      .post(`/admin/dead-letters/${rows[0]?.id}/replay`)
      .set('Authorization', 'Bearer admin-token-for-tests-only');
    expect(again.status).toBe(409);
  });

  it('dead-letters a course product without a code as course_unmapped, without calling the LMS', async () => {
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, false)]);
    const calls = h.lms.state.enrollCalls;
    const res = await send(events.paid(o.orderId, o.name));
    expect(await waitFor(() => consumedOutcome(res.body.eventId), 'consumed')).toBe('dead');
    expect(h.lms.state.enrollCalls).toBe(calls);
    const story = await admin(`/admin/events/${res.body.eventId}`);
    expect(story.body.deadLetters[0]).toMatchObject({ reason_code: 'course_unmapped' });
  });

  it('suspends the enrollment when the order is refunded', async () => {
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'PY-K12')]);
    const paid = await send(events.paid(o.orderId, o.name));
    await waitFor(() => consumedOutcome(paid.body.eventId), 'enrolled');
    h.odoo.store.refundInvoice(o.invoiceId);
    const refunded = await send(events.refunded(o.orderId, o.name));
    expect(await waitFor(() => consumedOutcome(refunded.body.eventId), 'consumed')).toBe('done');
    expect(h.lms.state.enrollment('PY-K12', `odoo-partner-${student}`)).toMatchObject({
      status: 'suspended',
    });
  });

  it('a Retry Enrollment redoes an enrollment the LMS lost, but not one made minutes ago (a double click)', async () => {
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'DATA-201')]);
    const paid = await send(events.paid(o.orderId, o.name));
    await waitFor(() => consumedOutcome(paid.body.eventId), 'enrolled');
    h.lms.state.deleteEnrollment('DATA-201', `odoo-partner-${student}`);
    const soon = await send(events.retry(o.orderId, o.name));
    await waitFor(() => consumedOutcome(soon.body.eventId), 'the early retry');
    expect(h.lms.state.enrollment('DATA-201', `odoo-partner-${student}`)).toBeUndefined();
    await h.db.pool.query(
      `UPDATE enrollment_actions SET completed_at = now() - interval '1 hour' WHERE order_id = $1`,
      [o.orderId],
    );
    const later = await send(events.retry(o.orderId, o.name));
    await waitFor(() => consumedOutcome(later.body.eventId), 'the later retry');
    expect(h.lms.state.enrollment('DATA-201', `odoo-partner-${student}`)).toMatchObject({ status: 'active' });
  });

  it("tells an event's whole story", async () => {
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'WEB-101')]);
    const res = await send(events.paid(o.orderId, o.name));
    await waitFor(() => consumedOutcome(res.body.eventId), 'consumed');
    const story = await admin(`/admin/events/${res.body.eventId}`);
    expect(story.status).toBe(200);
    expect(story.body.received).toMatchObject({ event_type: 'order.paid' });
    expect(story.body.published[0].published_at).toBeTruthy();
    expect(story.body.attempts[0]).toMatchObject({ outcome: 'succeeded' });
    expect(story.body.actions[0]).toMatchObject({
      status: 'succeeded',
      lms_enrollment_id: expect.any(String),
    });
    expect((await admin('/admin/events/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await request(h.service.app).get(`/admin/events/${res.body.eventId}`)).status).toBe(401);
  });

  it('answers 400, not 500, to a malformed JSON body on an admin route', async () => {
    const res = await request(h.service.app)
      .post('/admin/reconciliations')
      .set('Authorization', 'Bearer admin-token-for-tests-only')
      .set('Content-Type', 'application/json')
      .send('{"dryRun": tru');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
  });

  it('reports readiness of PostgreSQL and RabbitMQ, and exposes metrics', async () => {
    const ready = await request(h.service.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({
      postgres: { ok: true },
      rabbitmq: { ok: true },
      lms: { ok: true },
    });
    const metrics = await request(h.service.app).get('/metrics');
    expect(metrics.text).toMatch(/lms_sync_webhook_deliveries_total\{outcome="accepted"\} \d+/);
    expect(metrics.text).toMatch(/lms_sync_lms_call_seconds_bucket/);
  });
});
