// Fault injection, bounded: the service behind loopback TCP proxies (our own, never the shared
// services) while a stream of paid orders goes through. Each scenario asserts nothing lost and no LMS
// side effect twice, and prints how long the service took to converge after the fault ended.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(180_000);

/** The fault itself lasts this long: a deliberate pause, not a wait for a condition. */
const hold = (ms: number) => new Promise((r) => setTimeout(r, ms));

function makeOrders(h: Harness, n: number, code: string) {
  const course = makeCourse(h.odoo, code);
  return Array.from({ length: n }, () => {
    const student = makeStudent(h.odoo);
    return { studentId: `odoo-partner-${student}`, ...paidOrder(h.odoo, student, [course]) };
  });
}

/** `timeoutMs`: a request left unanswered that long counts as status 0 (no answer, nothing promised). */
async function sendAll(h: Harness, orders: Array<{ orderId: number; name: string }>, timeoutMs = 30_000) {
  const answers: Array<{ status: number; eventId?: string }> = [];
  for (let i = 0; i < orders.length; i += 25) {
    const batch = orders.slice(i, i + 25).map((o) => {
      const d = signedDelivery(events.paid(o.orderId, o.name));
      return request(h.service.app)
        .post('/webhooks/odoo')
        .set(d.headers)
        .timeout(timeoutMs)
        .send(d.body)
        .catch(() => ({ status: 0, body: {} as { eventId?: string } }));
    });
    for (const r of await Promise.all(batch)) answers.push({ status: r.status, eventId: r.body?.eventId });
  }
  return answers;
}

async function doneCount(h: Harness, eventIds: string[]): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM consumed_messages WHERE event_id = ANY($1::uuid[]) AND outcome = 'done'`,
    [eventIds],
  );
  return rows[0]?.n ?? 0;
}

async function converge(h: Harness, eventIds: string[], what: string, faultEndedAt: number) {
  await waitFor(async () => (await doneCount(h, eventIds)) === eventIds.length, what, 120_000, 250);
  process.stdout.write(
    `[chaos] ${what}: converged ${((Date.now() - faultEndedAt) / 1000).toFixed(1)} s after the fault ended\n`,
  );
}

function expectEachEnrolledOnce(h: Harness, code: string, orders: Array<{ studentId: string }>) {
  const counts = orders.map((o) => h.lms.state.creationCount(code, o.studentId));
  expect(counts.filter((c) => c !== 1)).toEqual([]);
  expect(h.lms.state.duplicates()).toEqual([]);
}

describe('RabbitMQ cut for 20 s mid-stream', () => {
  let h: Harness;
  let amqp: TcpProxy;
  beforeAll(async () => {
    amqp = await startTcpProxy(5672);
    h = await startHarness({ env: { AMQP_URL: amqp.url('amqp', 'guest:guest') } });
  });
  afterAll(async () => {
    await amqp.restore();
    await h.stop();
    await amqp.close();
  });

  it('accepts every webhook during the cut and enrolls each paid student once after it', async () => {
    const orders = makeOrders(h, 200, 'PY-K12');
    const first = await sendAll(h, orders.slice(0, 100));
    await amqp.cut();
    const during = await sendAll(h, orders.slice(100));
    await hold(20_000);
    await amqp.restore();
    const answers = [...first, ...during];
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    await converge(
      h,
      answers.map((a) => a.eventId as string),
      'broker cut 20 s, 200 events',
      Date.now(),
    );
    expectEachEnrolledOnce(h, 'PY-K12', orders);
  });
});

describe('PostgreSQL cut for 10 s mid-stream', () => {
  let h: Harness;
  let pg: TcpProxy;
  beforeAll(async () => {
    pg = await startTcpProxy(5432);
    h = await startHarness({
      // the service reaches its database through the proxy; the test reads it directly
      databaseUrl: async (direct) => {
        const u = new URL(direct);
        u.port = String(pg.port);
        return u.toString();
      },
    });
  });
  afterAll(async () => {
    await pg.restore();
    await h.stop();
    await pg.close();
  });

  it('answers 503 while it cannot store, never a 202 it did not store, and is ready again without a restart', async () => {
    const orders = makeOrders(h, 200, 'DATA-201');
    const first = await sendAll(h, orders.slice(0, 100));
    await pg.cut();
    const during = await sendAll(h, orders.slice(100, 150), 12_000);
    await hold(10_000);
    await pg.restore();
    await waitFor(
      async () => (await request(h.service.app).get('/readyz')).status === 200,
      'ready again',
      30_000,
      250,
    );
    const after = await sendAll(h, orders.slice(150));
    expect(during.filter((a) => a.status !== 202 && a.status !== 503 && a.status !== 0)).toEqual([]);
    const accepted = [...first, ...during, ...after].filter((a) => a.status === 202);
    expect([...first, ...after].filter((a) => a.status !== 202)).toEqual([]);
    await converge(
      h,
      accepted.map((a) => a.eventId as string),
      'PostgreSQL cut 10 s, 200 events',
      Date.now(),
    );
    const enrolled = orders.filter((o) => h.lms.state.creationCount('DATA-201', o.studentId) > 0);
    expect(enrolled.filter((o) => h.lms.state.creationCount('DATA-201', o.studentId) !== 1)).toEqual([]);
    expect(enrolled.length).toBeGreaterThanOrEqual(accepted.length);
    expect(h.lms.state.duplicates()).toEqual([]);
  });
});

describe('an LMS failing 40% of calls, with a 30 s outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      lms: { failRate: 0.4, seed: 5 },
      // Long enough to outlast the outage: rungs repeat (one delay queue serves them all).
      retryDelaysMs: [500, 1000, 2000, ...Array.from({ length: 25 }, () => 3000)],
    });
  });
  afterAll(() => h.stop());

  it('loses nothing and makes no LMS write twice', async () => {
    const orders = makeOrders(h, 200, 'WEB-101');
    const first = await sendAll(h, orders.slice(0, 100));
    h.lms.state.faults.setDown(true);
    const during = await sendAll(h, orders.slice(100));
    await hold(30_000);
    h.lms.state.faults.setDown(false);
    const answers = [...first, ...during];
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    await converge(
      h,
      answers.map((a) => a.eventId as string),
      'LMS 40% failures + 30 s outage, 200 events',
      Date.now(),
    );
    expectEachEnrolledOnce(h, 'WEB-101', orders);
  });
});
