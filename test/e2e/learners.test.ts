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

async function sendPaid(h: Harness, o: { orderId: number; name: string }, outcome = 'done'): Promise<string> {
  const d = signedDelivery(events.paid(o.orderId, o.name));
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  expect(await waitFor(() => consumedOutcome(h, res.body.eventId), 'the event consumed')).toBe(outcome);
  return res.body.eventId as string;
}

const notesOf = (h: Harness, orderId: number) =>
  h.odoo.store
    .messagesFor('sale.order', orderId)
    .map((m) => m.body)
    .join('\n');

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

  it("enrolls a child without an email under a stable login, with the parent's email as contact, and says so on the order", async () => {
    const course = makeCourse(h.odoo, 'DATA-201');
    const parent = h.odoo.store.createPartner({ name: 'Minh Le', email: 'minh@example.com' });
    const child = h.odoo.store.createPartner({ name: 'Vy', parentId: parent, type: 'delivery' });
    const o = paidOrder(h.odoo, parent, [course]);
    const eventId = await sendPaid(h, o);
    expect(h.lms.state.enrollment('DATA-201', `odoo-partner-${child}`)).toMatchObject({
      status: 'active',
      fullName: 'Vy',
      login: `learner-${child}`,
      guardian: { name: 'Minh Le', email: 'minh@example.com' },
    });
    expect(h.lms.state.enrollment('DATA-201', `odoo-partner-${child}`)?.email).toBeUndefined();
    expect(notesOf(h, o.orderId)).toMatch(
      new RegExp(
        `Enrolled in DATA-201 for Vy\\. Vy has no email: login learner-${child}, invitation sent to parent contact Minh Le at minh@example\\.com`,
      ),
    );
    const { rows } = await h.db.pool.query('SELECT 1 FROM dead_letters WHERE event_id = $1', [eventId]);
    expect(rows).toHaveLength(0);
    expect(await findingsOn(h, [o.orderId])).toEqual([]);
  });

  it('dead-letters missing_email only when no email exists anywhere up the chain, and the reconciler repairs nothing', async () => {
    const course = makeCourse(h.odoo, 'PY-K12');
    const parent = h.odoo.store.createPartner({ name: 'No Mail Parent', email: false });
    const child = h.odoo.store.createPartner({ name: 'Tuan', parentId: parent, type: 'delivery' });
    const o = paidOrder(h.odoo, parent, [course]);
    const eventId = await sendPaid(h, o, 'dead');
    const { rows } = await h.db.pool.query<{ reason_code: string }>(
      'SELECT reason_code FROM dead_letters WHERE event_id = $1',
      [eventId],
    );
    expect(rows.map((r) => r.reason_code)).toEqual(['missing_email']);
    expect(h.lms.state.enrollment('PY-K12', `odoo-partner-${child}`)).toBeUndefined();
    const outcome = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    const found = await h.db.pool.query<{ kind: string; student_id: string; repair_event_id: string | null }>(
      'SELECT kind, student_id, repair_event_id FROM reconcile_findings WHERE run_id = $1 AND order_id = $2',
      [outcome.runId, o.orderId],
    );
    expect(found.rows).toEqual([
      { kind: 'missing_enrollment', student_id: `odoo-partner-${child}`, repair_event_id: null },
    ]);
  });
});
