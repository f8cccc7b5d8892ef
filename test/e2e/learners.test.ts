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

describe('learners: LEARNER_SOURCE=attendees, a school buying seats', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LEARNER_SOURCE: 'attendees', RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
  });
  afterAll(() => h.stop());

  const sendEvent = async (event: ReturnType<typeof events.paid>) => {
    const d = signedDelivery(event);
    const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
    expect(res.status).toBe(202);
    expect(await waitFor(() => consumedOutcome(h, res.body.eventId), 'the event consumed')).toBe('done');
  };
  const active = (course: string, ids: number[]) =>
    ids.filter((id) => h.lms.state.enrollment(course, `odoo-partner-${id}`)?.status === 'active').length;
  const syncState = (orderId: number) =>
    h.odoo.store.read('sale.order', [orderId], ['lms_sync_state', 'lms_last_error'])[0];

  it('enrolls 0 of a 20-seat line, then 12 once 12 learners are assigned, then 20; removing one suspends only them', async () => {
    const course = makeCourse(h.odoo, 'WEB-101');
    const school = h.odoo.store.createPartner({
      name: 'School',
      email: 'office@school.example',
      isCompany: true,
    });
    const pupils = Array.from({ length: 20 }, (_, i) =>
      h.odoo.store.createPartner({
        name: `Pupil ${i + 1}`,
        parentId: school,
        ...(i % 2 === 0 ? { email: `pupil${i + 1}@school.example` } : {}),
      }),
    );
    const orderId = h.odoo.store.createOrder({ partnerId: school, lines: [{ productId: course, qty: 20 }] });
    h.odoo.store.payInvoice(h.odoo.store.invoiceOrder(orderId));
    const name = String(h.odoo.store.read('sale.order', [orderId], ['name'])[0]?.name);
    const [lineId] = h.odoo.store.read('sale.order', [orderId], ['order_line'])[0]?.order_line as number[];
    const assign = async (ids: number[]) => {
      h.odoo.store.write('sale.order.line', [lineId!], { lms_learner_ids: [[6, 0, ids]] });
      await sendEvent(events.learnersChanged(orderId, name));
    };

    await sendEvent(events.paid(orderId, name));
    expect(active('WEB-101', [school, ...pupils])).toBe(0);
    expect(syncState(orderId)).toMatchObject({ lms_sync_state: 'pending' });
    expect(String(syncState(orderId)?.lms_last_error)).toMatch(/0 of 20 seats assigned \(WEB-101\)/);

    const first = await (async () => {
      const outcome = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
      const { rows } = await h.db.pool.query<{ kind: string }>(
        'SELECT kind FROM reconcile_findings WHERE run_id = $1 AND order_id = $2',
        [outcome.runId, orderId],
      );
      return rows.map((r) => r.kind);
    })();
    expect(first).toEqual(['unassigned_seats']);

    await assign(pupils.slice(0, 12));
    expect(active('WEB-101', pupils)).toBe(12);
    expect(String(syncState(orderId)?.lms_last_error)).toMatch(/12 of 20 seats assigned/);

    await assign(pupils);
    expect(active('WEB-101', pupils)).toBe(20);
    expect(syncState(orderId)).toMatchObject({ lms_sync_state: 'synced' });
    expect(await findingsOn(h, [orderId])).toEqual([]);

    await assign(pupils.slice(1));
    expect(h.lms.state.enrollment('WEB-101', `odoo-partner-${pupils[0]}`)?.status).toBe('suspended');
    expect(active('WEB-101', pupils.slice(1))).toBe(19);
    expect(active('WEB-101', [school])).toBe(0);
  });
});
