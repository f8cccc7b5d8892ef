// Nothing lost, nothing duplicated: a flaky LMS, a crash before the ack, a broker outage, two replicas.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { events, signedDelivery } from '../support/webhooks';
import { startService, type Service } from '../../src/main';
import { createOdooGateway } from '../../src/odoo/transport-gateway';
import { createXmlRpcTransport } from '../../src/odoo/xmlrpc-transport';
import { createOdooOrderLines } from '../../src/reconcile/odoo-order-lines';

jest.setTimeout(60_000);

const sendTo = (service: Service, payload: unknown) => {
  const d = signedDelivery(payload);
  return request(service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
};

async function doneCount(h: Harness, eventIds: string[]): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM consumed_messages WHERE event_id = ANY($1::uuid[]) AND outcome = 'done'`,
    [eventIds],
  );
  return rows[0]?.n ?? 0;
}

function paidOrders(h: Harness, n: number, code: string) {
  const course = makeCourse(h.odoo, code);
  return Array.from({ length: n }, () => {
    const student = makeStudent(h.odoo);
    return { student, ...paidOrder(h.odoo, student, [course]) };
  });
}

describe('with an LMS failing 30% of calls', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      lms: { failRate: 0.3, seed: 11 },
      retryDelaysMs: [50, 100, 200, 400, 800, 1600],
    });
  });
  afterAll(() => h.stop());

  it('enrolls every paid student exactly once after retries', async () => {
    const orders = paidOrders(h, 40, 'PY-K12');
    const res = await Promise.all(orders.map((o) => sendTo(h.service, events.paid(o.orderId, o.name))));
    expect(res.every((r) => r.status === 202)).toBe(true);
    const ids = res.map((r) => r.body.eventId as string);
    await waitFor(async () => (await doneCount(h, ids)) === orders.length, 'all 40 enrolled', 45_000);
    for (const o of orders) expect(h.lms.state.creationCount('PY-K12', `odoo-partner-${o.student}`)).toBe(1);
    expect(h.lms.state.duplicates()).toEqual([]);
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM action_attempts WHERE outcome = 'transient'`,
    );
    expect(rows[0]?.n).toBeGreaterThan(0); // the failures really happened and were retried
  });
});

describe('when the consumer dies after the LMS call, before the ack', () => {
  let h: Harness;
  let replica: Service;
  beforeAll(async () => {
    h = await startHarness({ roles: ['api', 'relay'] });
    replica = await h.startReplica(['consumer']);
  });
  afterAll(() => h.stop());

  it('the redelivered message does not enroll a second time', async () => {
    const [o] = paidOrders(h, 1, 'WEB-101');
    if (!o) throw new Error('no order');
    // The LMS is reached and the action committed, but the consumer's broker connection dies before
    // its ack: the broker redelivers to the next consumer, which must not call the LMS again.
    const callsBefore = h.lms.state.enrollCalls;
    const watch = setInterval(() => {
      if (h.lms.state.enrollCalls > callsBefore) {
        clearInterval(watch);
        void replica.broker.connection.close();
      }
    }, 1);
    const res = await sendTo(h.service, events.paid(o.orderId, o.name));
    await waitFor(() => h.lms.state.enrollCalls > callsBefore, 'the first LMS call');
    await waitFor(async () => {
      const { rows } = await h.db.pool.query(
        `SELECT 1 FROM enrollment_actions WHERE order_id = $1 AND status = 'succeeded'`,
        [o.orderId],
      );
      return rows.length === 1;
    }, 'the action committed');
    const second = await h.startReplica(['consumer']);
    const redelivered = async () =>
      (await second.metrics.consumed.get()).values
        .filter((v) => v.labels.outcome === 'done' || v.labels.outcome === 'duplicate')
        .reduce((n, v) => n + v.value, 0);
    await waitFor(
      async () => (await redelivered()) === 1,
      'the redelivery handled by the second consumer',
      30_000,
    );
    expect(await doneCount(h, [res.body.eventId])).toBe(1);
    expect(h.lms.state.enrollCalls - callsBefore).toBe(1);
    expect(h.lms.state.creationCount('WEB-101', `odoo-partner-${o.student}`)).toBe(1);
  });
});

describe('during a broker outage', () => {
  let h: Harness;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(5672);
    h = await startHarness({ env: { AMQP_URL: proxy.url('amqp', 'guest:guest') } });
  });
  afterAll(async () => {
    await h.stop();
    await proxy.close();
  });

  it('still answers 202, keeps deliveries in the outbox, and catches up when the broker is back', async () => {
    const orders = paidOrders(h, 10, 'DATA-201');
    await proxy.cut();
    const res = await Promise.all(orders.map((o) => sendTo(h.service, events.paid(o.orderId, o.name))));
    expect(res.map((r) => r.status)).toEqual(orders.map(() => 202));
    const { rows } = await h.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    await proxy.restore();
    const ids = res.map((r) => r.body.eventId as string);
    await waitFor(
      async () => (await doneCount(h, ids)) === orders.length,
      'caught up after the outage',
      45_000,
    );
    for (const o of orders)
      expect(h.lms.state.creationCount('DATA-201', `odoo-partner-${o.student}`)).toBe(1);
  });
});

describe('with two replicas', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.startReplica();
  });
  afterAll(() => h.stop());

  it('shares the work and enrolls each student exactly once, even with every delivery sent twice', async () => {
    const orders = paidOrders(h, 30, 'PY-K12');
    const res = await Promise.all(
      orders.flatMap((o) => [
        sendTo(h.service, events.paid(o.orderId, o.name)),
        sendTo(h.service, events.retry(o.orderId, o.name)),
      ]),
    );
    const ids = res.map((r) => r.body.eventId as string);
    await waitFor(async () => (await doneCount(h, ids)) === ids.length, 'all consumed', 45_000);
    for (const o of orders) expect(h.lms.state.creationCount('PY-K12', `odoo-partner-${o.student}`)).toBe(1);
    expect(h.lms.state.duplicates()).toEqual([]);
  });
});

describe('when RabbitMQ is down as the service starts', () => {
  let h: Harness;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(5672);
    await proxy.cut();
    h = await startHarness({ env: { AMQP_URL: proxy.url('amqp', 'guest:guest') } });
  });
  afterAll(async () => {
    await h.stop();
    await proxy.close();
  });

  it('comes up anyway, stores webhooks, and enrolls once the broker appears', async () => {
    const orders = paidOrders(h, 5, 'WEB-101');
    const res = await Promise.all(orders.map((o) => sendTo(h.service, events.paid(o.orderId, o.name))));
    expect(res.map((r) => r.status)).toEqual(orders.map(() => 202));
    await proxy.restore();
    const ids = res.map((r) => r.body.eventId as string);
    await waitFor(
      async () => (await doneCount(h, ids)) === orders.length,
      'enrolled after the broker came up',
      45_000,
    );
    for (const o of orders) expect(h.lms.state.creationCount('WEB-101', `odoo-partner-${o.student}`)).toBe(1);
  });
});

describe('a refund racing a payment for the same order', () => {
  let h: Harness;
  let consumer: Service;
  let transport: ReturnType<typeof createXmlRpcTransport>;
  const slowOrders = new Set<number>();
  beforeAll(async () => {
    h = await startHarness({ roles: ['api', 'relay'] });
    // A consumer whose Odoo reads of chosen orders are followed by a pause: the refund lands between
    // the read (paid) and the enroll, the window the guard is for.
    transport = createXmlRpcTransport({ url: h.odoo.url, db: 'odoo', username: 'svc', apiKey: 'odoo-key' });
    const real = createOdooGateway({ transport, log: h.log, courseCategory: 'Courses' });
    const gateway = {
      ...real,
      async readOrderForEnrollment(orderId: number) {
        const order = await real.readOrderForEnrollment(orderId);
        if (slowOrders.delete(orderId)) await new Promise((r) => setTimeout(r, 1500));
        return order;
      },
    };
    const orderLines = createOdooOrderLines({ transport, log: h.log, courseCategory: 'Courses' });
    consumer = await startService(h.config, {
      log: h.log,
      roles: ['consumer'],
      listen: false,
      odoo: { gateway, orderLines, transport },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    transport.close();
    await h.stop();
  });

  it('does not enroll a student whose order was refunded between the read and the enroll', async () => {
    const [o] = paidOrders(h, 1, 'DATA-201');
    if (!o) throw new Error('no order');
    slowOrders.add(o.orderId);
    const paid = await sendTo(h.service, events.paid(o.orderId, o.name));
    await waitFor(() => !slowOrders.has(o.orderId), 'the paid message to read the order');
    h.odoo.store.refundInvoice(o.invoiceId);
    const refunded = await sendTo(h.service, events.refunded(o.orderId, o.name));
    await waitFor(
      async () => (await doneCount(h, [refunded.body.eventId, paid.body.eventId])) === 2,
      'both handled',
      20_000,
    );
    const enrollment = h.lms.state.enrollment('DATA-201', `odoo-partner-${o.student}`);
    expect(enrollment === undefined || enrollment.status === 'suspended').toBe(true);
  });
});
