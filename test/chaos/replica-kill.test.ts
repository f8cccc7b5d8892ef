// Two replicas as real processes on one database and one set of queues; one is SIGKILLed mid-stream
// and started again. At the kill it holds leased actions whose LMS write has happened but whose answer
// it never saw (its LMS traffic goes through a proxy that stops passing replies). Nothing lost, no LMS
// write twice, and every accepted event enrolled within 30 s of the restart (an upper bound on when
// the state is reached, polled from the database).
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { startLmsSim, type RunningLmsSim } from '../../src/sim/lms';
import { startOdooSim } from '../../src/sim/odoo';
import { createTestDb, waitFor, type TestDb } from '../support/db';
import { amqpUrl } from '../support/env';
import { deleteTopology, type RunningOdooSim } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { events, signedDelivery, TEST_SECRET } from '../support/webhooks';

jest.setTimeout(180_000);

const RECOVERY_BOUND_MS = 30_000;

let db: TestDb;
let odoo: RunningOdooSim;
let lms: RunningLmsSim;
let lmsProxy: TcpProxy;
let env: Record<string, string>;
const replicas: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDb();
  odoo = await startOdooSim({ port: 0, db: 'odoo', username: 'svc', apiKey: 'odoo-key', seed: 7, orders: 0 });
  // Slow enough that a kill finds LMS calls in flight.
  lms = await startLmsSim({ port: 0, apiToken: 'lms-token', latencyMs: 150 });
  lmsProxy = await startTcpProxy(Number(new URL(lms.url).port));
  env = {
    DATABASE_URL: db.url,
    AMQP_URL: amqpUrl(),
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRETS: TEST_SECRET,
    ADMIN_TOKEN: 'admin-token-for-tests-only',
    ODOO_URL: odoo.url,
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc',
    ODOO_API_KEY: 'odoo-key',
    HELPDESK_FLAVOR: 'oca',
    LMS_BASE_URL: lms.url,
    LMS_API_TOKEN: 'lms-token',
    QUEUE_PREFIX: `test-${process.env.TEST_RUN_ID}-${randomBytes(3).toString('hex')}`,
    // ACTION_LEASE_MS, retry delays and the rest at their defaults: the recovery measured is the real one
  };
});

afterAll(async () => {
  for (const r of replicas) await r.kill();
  await lmsProxy.close();
  await deleteTopology(loadConfig(env));
  await odoo.close();
  await lms.close();
  await db.drop();
});

async function start(lmsUrl = lms.url): Promise<ServiceProcess> {
  const r = await startServiceProcess({ ...env, LMS_BASE_URL: lmsUrl });
  replicas.push(r);
  return r;
}

async function deliver(url: string, order: { orderId: number; name: string }) {
  const d = signedDelivery(events.paid(order.orderId, order.name));
  const r = await request(url).post('/webhooks/odoo').set(d.headers).timeout(10_000).send(d.body);
  return { status: r.status, eventId: r.body?.eventId as string | undefined };
}

async function doneCount(eventIds: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM consumed_messages WHERE event_id = ANY($1::uuid[]) AND outcome = 'done'`,
    [eventIds],
  );
  return rows[0]?.n ?? 0;
}

async function leasedActions(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM enrollment_actions WHERE status = 'in_progress' AND lease_until > now()`,
  );
  return rows[0]?.n ?? 0;
}

it('two replicas, one SIGKILLed mid-stream and restarted: all enrolled once within 30 s of the restart', async () => {
  const course = makeCourse(odoo, 'PY-K12');
  const orders = Array.from({ length: 240 }, () => {
    const student = makeStudent(odoo);
    return { studentId: `odoo-partner-${student}`, ...paidOrder(odoo, student, [course]) };
  });
  const [a, b] = [await start(lmsProxy.url('http')), await start()];

  // Replica A's LMS calls reach the LMS but their answers never come back: at the kill it holds
  // leased actions whose LMS write has happened.
  lmsProxy.holdReplies();
  // The first half goes to both replicas, as behind a load balancer.
  const first = await Promise.all(orders.slice(0, 120).map((o, i) => deliver(i % 2 ? b.url : a.url, o)));
  const firstIds = first.map((x) => x.eventId as string);
  await waitFor(
    async () => (await doneCount(firstIds)) >= 20 && lmsProxy.heldReplies >= 2,
    'replica B enrolling, replica A waiting on LMS answers it will never see',
  );
  const leasedAtKill = await leasedActions();
  const doneAtKill = await doneCount(firstIds);
  await a.kill();

  // The balancer now sends everything to the survivor; then the killed replica comes back.
  const second = await Promise.all(orders.slice(120).map((o) => deliver(b.url, o)));
  await start();
  const restartedAt = Date.now();

  const answers = [...first, ...second];
  expect(answers.filter((x) => x.status !== 202)).toEqual([]);
  expect(doneAtKill).toBeLessThan(firstIds.length);
  expect(leasedAtKill).toBeGreaterThanOrEqual(2);
  const ids = answers.map((x) => x.eventId as string);
  await waitFor(
    async () => (await doneCount(ids)) === ids.length,
    'every accepted event enrolled',
    RECOVERY_BOUND_MS,
    250,
  );
  process.stdout.write(
    `[chaos] two replicas, one SIGKILLed with ${firstIds.length - doneAtKill} events unfinished: ` +
      `converged ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart\n`,
  );
  const counts = orders.map((o) => lms.state.creationCount('PY-K12', o.studentId));
  expect(counts.filter((c) => c !== 1)).toEqual([]);
  expect(lms.state.duplicates()).toEqual([]);
});
