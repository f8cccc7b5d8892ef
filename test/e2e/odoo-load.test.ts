// A burst of paid-order webhooks against an Odoo simulator whose database pool refuses calls above its size
// as a threaded Odoo 17 does (each call holds a connection while it runs): with ODOO_MAX_CONCURRENCY at its default
// the service never overflows Odoo's pool; with the limit lifted the same burst does (so the test can fail).
// The burst is made the way a sale campaign makes it: the webhooks are queued first, then a consumer
// starts on a full queue and takes CONSUMER_PREFETCH (100) messages at once.
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

const BURST = 250;
// A quarter of Odoo's default pool: the simulator serves a call in 50 ms where a real Odoo can take
// longer, so fewer of our calls overlap than on a real server (the unlimited fan-out peaks at about 30
// here); a pool of 16 keeps it above the pool by a clear margin, and the limited run far below.
const ODOO_LOAD = { dbMaxConn: 16, latencyMs: 50 };
const COURSES = ['PY-K12', 'WEB-101', 'DATA-201']; // the LMS simulator's catalogue

/**
 * One paid order per event, each (course, student) pair its own, as a sale campaign gives them: a kids'
 * campaign, each child without an email of their own under a parent contact who has one, so each order
 * also gets a chatter note saying where the invitation went (one Odoo write per order: the fan-out a
 * limit must hold back; a plain enrollment is batched into a few calls and could not overflow the pool).
 */
function paidOrders(h: Harness) {
  const courses = COURSES.map((code) => makeCourse(h.odoo, code));
  return Array.from({ length: BURST }, (_, i) => {
    const parent = makeStudent(h.odoo);
    const child = h.odoo.store.createPartner({ name: `Child ${i}`, email: false, parentId: parent });
    return paidOrder(h.odoo, child, [courses[i % courses.length]!]);
  });
}

async function queueBurst(h: Harness, orders: Array<{ orderId: number; name: string }>) {
  const statuses = await Promise.all(
    orders.map(async (o) => {
      const d = signedDelivery(events.paid(o.orderId, o.name));
      const res = await fetch(`http://127.0.0.1:${h.service.port}/webhooks/odoo`, {
        method: 'POST',
        headers: d.headers,
        body: d.body,
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  expect(statuses.filter((s) => s === 202)).toHaveLength(orders.length);
  await waitFor(
    async () =>
      (
        await h.db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        )
      ).rows[0]!.n === 0,
    'every event published',
  );
}

/** Queues the burst, then starts a consumer on it and waits until every event is done. */
async function burst(h: Harness) {
  await queueBurst(h, paidOrders(h));
  h.odoo.resetLoad();
  await h.startReplica(['consumer']);
  await waitFor(async () => (await doneCount(h)) >= BURST, `${BURST} events done`, 80_000, 200);
  expect(h.lms.state.enrollments.size).toBe(BURST);
  expect(h.odoo.load().byMethod['sale.order.message_post']).toBe(BURST);
  expect(h.lms.state.duplicates()).toEqual([]);
  const load = h.odoo.load();
  // for the record (the bench prints the same figures for 2,000 events)
  process.stdout.write(
    `ODOO_MAX_CONCURRENCY ${h.config.ODOO_MAX_CONCURRENCY}: ${(load.calls / BURST).toFixed(2)} Odoo calls per event, ` +
      `peak ${load.peakInFlight} at once, ${load.poolFullAnswers} PoolError answers\n`,
  );
  return load;
}

const doneCount = async (h: Harness) =>
  (
    await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consumed_messages WHERE outcome = 'done'`,
    )
  ).rows[0]!.n;

describe('a burst against an Odoo with a bounded database pool', () => {
  jest.setTimeout(120_000);
  const startQueueing = (env: Record<string, string> = {}) =>
    startHarness({ roles: ['api', 'relay'], odooLoad: ODOO_LOAD, env });

  describe('with ODOO_MAX_CONCURRENCY at its default', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startQueueing();
    });
    afterAll(() => h.stop());

    it('enrolls every event with no Odoo 5xx answer and at most 4 Odoo calls at once', async () => {
      expect(h.config.ODOO_MAX_CONCURRENCY).toBe(4);
      const load = await burst(h);
      expect(load.poolFullAnswers).toBe(0);
      expect(load.peakInFlight).toBeLessThanOrEqual(4);
    });
  });

  describe('with the limit lifted (the fan-out of before)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startQueueing({ ODOO_MAX_CONCURRENCY: '500' });
    });
    afterAll(() => h.stop());

    it('overflows the pool: Odoo answers HTTP 500 PoolError (and the service still gets every event done)', async () => {
      const load = await burst(h);
      expect(load.poolFullAnswers).toBeGreaterThan(0);
      expect(load.peakInFlight).toBeGreaterThan(ODOO_LOAD.dbMaxConn);
    });
  });
});
