// Who learns is not always who pays, end to end: the real service with LEARNER_SOURCE=delivery against
// PostgreSQL, RabbitMQ and both simulators over HTTP. A parent's order enrolls the child it is delivered
// to, and the reconciler, comparing (course, learner), finds nothing left on these orders.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(60_000);

const consumedOutcome = async (h: Harness, eventId: string) => {
  const { rows } = await h.db.pool.query<{ outcome: string }>(
    'SELECT outcome FROM consumed_messages WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.outcome;
};

async function sendPaid(h: Harness, o: { orderId: number; name: string }): Promise<void> {
  const d = signedDelivery(events.paid(o.orderId, o.name));
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  expect(await waitFor(() => consumedOutcome(h, res.body.eventId), 'the event consumed')).toBe('done');
}

/** The findings a full reconciliation run (repairs allowed) leaves on these orders. */
async function findingsOn(
  h: Harness,
  orderIds: number[],
): Promise<Array<{ kind: string; order_id: number }>> {
  const outcome = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
  expect(outcome.status).toBe('succeeded');
  const { rows } = await h.db.pool.query<{ kind: string; order_id: number }>(
    'SELECT kind, order_id FROM reconcile_findings WHERE run_id = $1 AND order_id = ANY($2)',
    [outcome.runId, orderIds],
  );
  return rows;
}

describe('learners: LEARNER_SOURCE=delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LEARNER_SOURCE: 'delivery', RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
  });
  afterAll(() => h.stop());

  it("enrolls the child a parent's order is delivered to, not the parent, and the reconciler finds nothing left", async () => {
    const course = makeCourse(h.odoo, 'PY-K12');
    const parent = h.odoo.store.createPartner({ name: 'Hoa Tran', email: 'hoa@example.com' });
    const child = h.odoo.store.createPartner({
      name: 'Bao',
      email: 'bao@example.com',
      parentId: parent,
      type: 'delivery',
    });
    const o = paidOrder(h.odoo, parent, [course]); // Odoo proposes the delivery contact: the child
    expect(
      h.odoo.store.read('sale.order', [o.orderId], ['partner_shipping_id'])[0]?.partner_shipping_id,
    ).toEqual([child, 'Hoa Tran, Bao']);
    await sendPaid(h, o);
    expect(h.lms.state.enrollment('PY-K12', `odoo-partner-${child}`)).toMatchObject({
      status: 'active',
      email: 'bao@example.com',
    });
    expect(h.lms.state.enrollment('PY-K12', `odoo-partner-${parent}`)).toBeUndefined();
    expect(h.odoo.store.read('sale.order', [o.orderId], ['lms_sync_state'])[0]?.lms_sync_state).toBe(
      'synced',
    );
    expect(await findingsOn(h, [o.orderId])).toEqual([]);
  });

  it('enrolls the customer when the order is delivered to the customer itself', async () => {
    const course = makeCourse(h.odoo, 'WEB-101');
    const adult = h.odoo.store.createPartner({ name: 'Adult Learner', email: 'adult@example.com' });
    const o = paidOrder(h.odoo, adult, [course]);
    await sendPaid(h, o);
    expect(h.lms.state.enrollment('WEB-101', `odoo-partner-${adult}`)).toMatchObject({ status: 'active' });
    expect(await findingsOn(h, [o.orderId])).toEqual([]);
  });
});
