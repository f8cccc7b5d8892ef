// Reads and status writes made in the same turn share one Odoo call per model (the consumer handles
// many messages at once), and each caller still gets its own order.
import { createOdooGateway } from '../../../src/odoo/transport-gateway';
import type { OdooTransport } from '../../../src/odoo/transport';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { silentLogger } from '../../../src/observability/logger';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'odoo-key' };

describe('OdooGateway batching', () => {
  let sim: OdooSim;
  let transport: ReturnType<typeof createXmlRpcTransport>;
  const calls: string[] = [];
  let counting: OdooTransport;

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS });
    transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 5000 });
    counting = {
      version: () => transport.version(),
      executeKw: (model, method, args, kwargs) => {
        calls.push(`${model}.${method}`);
        return transport.executeKw(model, method, args, kwargs);
      },
    };
  });
  afterAll(async () => {
    transport.close();
    await sim.close();
  });

  it('reads 20 orders asked for at once with one read per model, each caller getting its own', async () => {
    const course = sim.store.createCourseProduct('PY-K12', 'Python', 100);
    const orders = Array.from({ length: 20 }, (_, i) => {
      const partnerId = sim.store.createPartner({ name: `P${i}`, email: `p${i}@example.com` });
      const orderId = sim.store.createOrder({ partnerId, lines: [{ productId: course }] });
      if (i % 2 === 0) sim.store.payInvoice(sim.store.invoiceOrder(orderId));
      return { orderId, partnerId, paid: i % 2 === 0 };
    });
    const gateway = createOdooGateway({
      transport: counting,
      log: silentLogger(),
      courseCategory: 'Courses',
    });
    await gateway.readOrderForEnrollment(orders[0]!.orderId); // warms the category cache
    calls.length = 0;
    const read = await Promise.all([
      ...orders.map((o) => gateway.readOrderForEnrollment(o.orderId)),
      gateway.readOrderForEnrollment(999999),
    ]);
    for (const [i, o] of orders.entries()) {
      expect(read[i]).toMatchObject({
        id: o.orderId,
        partner: { id: o.partnerId },
        paymentStatus: o.paid ? 'paid' : 'unpaid',
      });
      expect(read[i]?.courseLines.map((l) => l.courseCode)).toEqual(['PY-K12']);
    }
    expect(read[20]).toBeNull();
    expect(calls.filter((c) => c === 'sale.order.read')).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(5);

    calls.length = 0;
    const at = new Date('2026-11-25T10:00:00Z');
    await Promise.all(
      orders.map((o) => gateway.writeSyncStatus(o.orderId, { state: 'synced', error: null, at })),
    );
    expect(calls.filter((c) => c === 'sale.order.write')).toHaveLength(1);
    const states = sim.store
      .read(
        'sale.order',
        orders.map((o) => o.orderId),
        ['lms_sync_state'],
      )
      .map((r) => r.lms_sync_state);
    expect(new Set(states)).toEqual(new Set(['synced']));
  });

  it('still writes the other orders when one of a shared write no longer exists', async () => {
    const partnerId = sim.store.createPartner({ name: 'Q', email: 'q@example.com' });
    const orderId = sim.store.createOrder({ partnerId, lines: [] });
    const gateway = createOdooGateway({ transport, log: silentLogger(), courseCategory: 'Courses' });
    const at = new Date('2026-11-25T11:00:00Z');
    const results = await Promise.allSettled([
      gateway.writeSyncStatus(orderId, { state: 'failed', error: 'x', at }),
      gateway.writeSyncStatus(987654, { state: 'failed', error: 'x', at }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(sim.store.read('sale.order', [orderId], ['lms_sync_state'])[0]?.lms_sync_state).toBe('failed');
  });
});
