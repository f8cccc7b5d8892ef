// The consumer takes messages in batches: a burst of paid orders queued while no consumer runs (a sale
// campaign, a consumer restart) reaches Odoo as a few batched reads and writes, counted at the Odoo
// simulator; and a bad message in a batch (unreadable, an order Odoo does not have, a course the LMS does
// not have) costs only itself, the others in its batch are enrolled.
import { randomUUID } from 'node:crypto';
import type { OrderSyncMessage } from '../../src/enrollment/message';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

const COURSES = ['PY-K12', 'WEB-101', 'DATA-201']; // the LMS simulator's catalogue

async function send(h: Harness, orderId: number, name: string): Promise<void> {
  const d = signedDelivery(events.paid(orderId, name));
  const res = await fetch(`http://127.0.0.1:${h.service.port}/webhooks/odoo`, {
    method: 'POST',
    headers: d.headers,
    body: d.body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(202);
}

/** One paid order each, each (course, student) pair its own. */
function paidOrders(h: Harness, n: number) {
  const courses = COURSES.map((code) => makeCourse(h.odoo, code));
  return Array.from({ length: n }, (_, i) => {
    const student = makeStudent(h.odoo);
    return { ...paidOrder(h.odoo, student, [courses[i % 3]!]), student, course: COURSES[i % 3]! };
  });
}

async function published(h: Harness): Promise<void> {
  await waitFor(
    async () =>
      (
        await h.db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        )
      ).rows[0]!.n === 0,
    'every message published',
  );
}

const consumedCount = async (h: Harness) =>
  (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM consumed_messages')).rows[0]!.n;

/** Queues messages the way the service does (the outbox, then the relay), bad ones included. */
async function enqueueRaw(h: Harness, payloads: unknown[]): Promise<void> {
  await h.db.pool.query(
    `INSERT INTO outbox (message_id, event_id, routing_key, payload)
     SELECT gen_random_uuid(), gen_random_uuid(), 'order.sync', p FROM unnest($1::jsonb[]) AS p`,
    [payloads.map((p) => JSON.stringify(p))],
  );
}

describe('the consumer works in batches', () => {
  jest.setTimeout(90_000);
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ roles: ['api', 'relay'] });
  });
  afterEach(() => h.stop());

  it('a burst of 200 paid orders reaches Odoo as a few reads per model and a few writes, no note each', async () => {
    const BURST = 200;
    const orders = paidOrders(h, BURST);
    await Promise.all(orders.map((o) => send(h, o.orderId, o.name)));
    await published(h);
    h.odoo.resetLoad();
    await h.startReplica(['consumer']);
    await waitFor(async () => (await consumedCount(h)) >= BURST, `${BURST} messages done`, 60_000, 200);
    expect(h.lms.state.enrollments.size).toBe(BURST);
    const { byMethod, calls } = h.odoo.load();
    // CONSUMER_PREFETCH 100: two batches, or a few more if the deliveries came in smaller ones
    for (const model of ['sale.order', 'sale.order.line', 'account.move', 'res.partner']) {
      expect(byMethod[`${model}.read`]).toBeLessThanOrEqual(4);
    }
    expect(byMethod['sale.order.write']).toBeLessThanOrEqual(4);
    expect(byMethod['sale.order.message_post']).toBeUndefined();
    expect(calls).toBeLessThanOrEqual(40);
    const states = h.odoo.store.read(
      'sale.order',
      orders.map((o) => o.orderId),
      ['lms_sync_state'],
    );
    expect(states.every((s) => s.lms_sync_state === 'synced')).toBe(true);
  });

  it('a bad message in a batch costs only itself: the rest of the batch is enrolled', async () => {
    const good = paidOrders(h, 30);
    const unsold = paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'NOT-IN-LMS')]);
    const message = (orderId: number, orderName: string): OrderSyncMessage => ({
      messageId: randomUUID(),
      eventId: randomUUID(),
      trigger: 'order.paid',
      orderId,
      orderName,
    });
    const missing = message(987_654, 'S-GONE');
    const noCourse = message(unsold.orderId, unsold.name);
    await enqueueRaw(h, [
      ...good.slice(0, 15).map((o) => message(o.orderId, o.name)),
      { not: 'an order-sync message' },
      missing,
      noCourse,
      ...good.slice(15).map((o) => message(o.orderId, o.name)),
    ]);
    await published(h);
    h.odoo.resetLoad();
    const consumer = await h.startReplica(['consumer']);
    // 30 good and 2 dead in consumed_messages; the unreadable one goes to the dead-letter queue as is
    await waitFor(async () => (await consumedCount(h)) >= 32, 'the batch handled', 60_000, 200);
    for (const o of good) {
      expect(h.lms.state.enrollment(o.course, `odoo-partner-${o.student}`)).toMatchObject({
        status: 'active',
      });
    }
    const { rows } = await h.db.pool.query<{ message_id: string; outcome: string; detail: string }>(
      'SELECT message_id, outcome, detail FROM consumed_messages WHERE message_id = ANY($1::uuid[])',
      [[missing.messageId, noCourse.messageId]],
    );
    const byId = new Map(rows.map((r) => [r.message_id, r]));
    expect(byId.get(missing.messageId)).toMatchObject({ outcome: 'dead', detail: 'order_not_found' });
    expect(byId.get(noCourse.messageId)?.outcome).toBe('dead');
    const { rows: done } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consumed_messages WHERE outcome = 'done'`,
    );
    expect(done[0]!.n).toBe(30);
    // they were one batch: one read of the orders for all 32 readable messages
    expect(h.odoo.load().byMethod['sale.order.read']).toBe(1);
    const invalid = (await consumer.metrics.consumed.get()).values.find(
      (v) => v.labels.outcome === 'invalid',
    );
    expect(invalid?.value).toBe(1);
  });
});
