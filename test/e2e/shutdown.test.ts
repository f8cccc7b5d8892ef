// Shutdown when the broker goes away right after it began: stop() keeps its deadline, every loop ends
// (the broker connection no longer reconnects) and nothing more is written to Odoo.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { startOdooWriteLog, type OdooWriteLog } from '../support/odoo-write-log';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(90_000);

const SHUTDOWN_TIMEOUT_MS = 4000;

/**
 * Proving that something does not happen needs a window: `ok` is checked every 50 ms for `ms` (longer
 * than every loop's period: relay and helpdesk polls 2 s, broker reconnect 1 s) and fails at once.
 */
async function holdsFor(ok: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!ok()) throw new Error(`not so: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('stopping while the broker goes away', () => {
  let h: Harness;
  let amqp: TcpProxy;
  let odooWrites: OdooWriteLog;
  beforeAll(async () => {
    amqp = await startTcpProxy(5672);
    h = await startHarness({
      // An LMS that keeps failing: messages cycle through the retry ladder, die, and open tickets, so the
      // consumer has messages in hand and the helpdesk worker writes to Odoo when the stop comes.
      lms: { failRate: 1, latencyMs: 150 },
      retryDelaysMs: [100, 200, 400, 800],
      odooUrl: async (simUrl) => (odooWrites = await startOdooWriteLog(simUrl)).url,
      env: { AMQP_URL: amqp.url('amqp', 'guest:guest'), SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    });
  });
  afterAll(async () => {
    await amqp.restore().catch(() => undefined);
    await h.stop();
    await amqp.close();
    await odooWrites.close();
  });

  const sendPaid = (n: number) => {
    const course = makeCourse(h.odoo, 'PY-K12');
    return Promise.all(
      Array.from({ length: n }, () => {
        const o = paidOrder(h.odoo, makeStudent(h.odoo), [course]);
        const d = signedDelivery(events.paid(o.orderId, o.name));
        return request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
      }),
    );
  };

  it('resolves within its deadline, ends the reconnect loop and writes nothing to Odoo after it began', async () => {
    await sendPaid(10);
    await waitFor(
      () => odooWrites.writes.some((w) => w.model === 'helpdesk.ticket'),
      'the helpdesk worker writing to Odoo',
      30_000,
    );
    const calls = h.lms.state.enrollCalls;
    await sendPaid(20);
    await waitFor(() => h.lms.state.enrollCalls >= calls + 10, 'messages in hand');

    const began = Date.now();
    const stopped = h.service.stop().then(() => Date.now());
    await amqp.cut();
    const endedAt = await stopped;
    expect(endedAt - began).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1000);

    // The broker comes back: a service that is stopped does not connect to it again.
    const acceptedBefore = amqp.accepted;
    await amqp.restore();
    // A call already on the wire when stop() was called may land a moment later: 100 ms of slack.
    const late = () => odooWrites.writes.filter((w) => w.at > began + 100);
    await holdsFor(
      () => late().length === 0 && amqp.accepted === acceptedBefore,
      'no Odoo write and no broker connection after the stop began',
      2500,
    );
    expect(() => h.service.broker.connection.reconnect()).toThrow(/after close/);
  });
});
