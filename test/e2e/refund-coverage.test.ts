// A refund never takes a course from a student who still paid for it: LMS enrollments are per (course,
// student), orders are not. The real service, PostgreSQL, RabbitMQ and both simulators over HTTP.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(90_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { RECONCILE_UNPAID_POLICY: 'suspend', RECONCILE_MIN_REPAIRS_TO_BRAKE: '1000' },
  });
});
afterAll(() => h.stop());

async function send(payload: unknown): Promise<string> {
  const d = signedDelivery(payload);
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  return res.body.eventId as string;
}

async function consumed(eventIds: string[]): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM consumed_messages WHERE event_id = ANY($1::uuid[]) AND outcome = 'done'`,
        [eventIds],
      );
      return rows[0]?.n === eventIds.length;
    },
    `${eventIds.length} events consumed`,
    60_000,
  );
}

const enrollment = (code: string, student: number) => h.lms.state.enrollment(code, `odoo-partner-${student}`);
const notes = (orderId: number) =>
  h.odoo.store
    .messagesFor('sale.order', orderId)
    .map((m) => m.body)
    .join('\n');
const lineOf = (orderId: number, productId: number): number => {
  const [order] = h.odoo.store.read('sale.order', [orderId], ['order_line']);
  const lines = h.odoo.store.read('sale.order.line', order?.order_line as number[], ['product_id']);
  const line = lines.find((l) => Array.isArray(l.product_id) && l.product_id[0] === productId);
  return Number(line?.id);
};

describe('a refund of one order', () => {
  it('keeps the enrollment another paid order covers and suspends the one nothing covers, under concurrency', async () => {
    const course = makeCourse(h.odoo, 'WEB-101');
    const covered = Array.from({ length: 12 }, () => makeStudent(h.odoo));
    const alone = Array.from({ length: 6 }, () => makeStudent(h.odoo));
    // Every student paid order B; the covered ones also paid order A for the same course.
    const orderA = new Map(covered.map((s) => [s, paidOrder(h.odoo, s, [course])]));
    const orderB = new Map([...covered, ...alone].map((s) => [s, paidOrder(h.odoo, s, [course])]));
    await consumed(await Promise.all([...orderB.values()].map((o) => send(events.paid(o.orderId, o.name)))));
    for (const s of [...covered, ...alone])
      expect(enrollment('WEB-101', s)).toMatchObject({ status: 'active' });

    // B is refunded for everyone while A's own (resent) payment webhooks arrive at the same time.
    for (const o of orderB.values()) h.odoo.store.refundInvoice(o.invoiceId);
    const deliveries = [
      ...[...orderB.values()].map((o) => events.refunded(o.orderId, o.name)),
      ...[...orderA.values()].map((o) => events.paid(o.orderId, o.name)),
    ].sort(() => Math.random() - 0.5);
    await consumed(await Promise.all(deliveries.map(send)));

    for (const s of covered) {
      expect(enrollment('WEB-101', s)).toMatchObject({ status: 'active' });
      expect(notes(orderB.get(s)!.orderId)).toContain(
        `WEB-101 not suspended: still covered by ${orderA.get(s)!.name}`,
      );
    }
    for (const s of alone) expect(enrollment('WEB-101', s)).toMatchObject({ status: 'suspended' });
  });

  it('keeps the enrollment when the other order is paid while the refund is being handled', async () => {
    const course = makeCourse(h.odoo, 'DATA-201');
    const students = Array.from({ length: 10 }, () => makeStudent(h.odoo));
    const orderB = new Map(students.map((s) => [s, paidOrder(h.odoo, s, [course])]));
    await consumed(await Promise.all([...orderB.values()].map((o) => send(events.paid(o.orderId, o.name)))));
    // A is ordered and invoiced, not paid yet; then A's payment and B's refund happen together.
    const orderA = new Map(
      students.map((s) => {
        const orderId = h.odoo.store.createOrder({ partnerId: s, lines: [{ productId: course }] });
        const invoiceId = h.odoo.store.invoiceOrder(orderId);
        const name = String(h.odoo.store.read('sale.order', [orderId], ['name'])[0]?.name);
        return [s, { orderId, invoiceId, name }];
      }),
    );
    for (const s of students) h.odoo.store.refundInvoice(orderB.get(s)!.invoiceId);
    const sent = students.map(async (s) => {
      const refund = send(events.refunded(orderB.get(s)!.orderId, orderB.get(s)!.name));
      h.odoo.store.payInvoice(orderA.get(s)!.invoiceId);
      return [await refund, await send(events.paid(orderA.get(s)!.orderId, orderA.get(s)!.name))];
    });
    await consumed((await Promise.all(sent)).flat());
    for (const s of students) expect(enrollment('DATA-201', s)).toMatchObject({ status: 'active' });
  });

  it('suspends only the lines a partial credit note takes back', async () => {
    const python = makeCourse(h.odoo, 'PY-K12');
    const data = makeCourse(h.odoo, 'DATA-201');
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [python, data]);
    await consumed([await send(events.paid(o.orderId, o.name))]);
    h.odoo.store.refundOrderLines(o.invoiceId, [lineOf(o.orderId, data)]);
    await consumed([await send(events.refunded(o.orderId, o.name))]);
    expect(enrollment('DATA-201', student)).toMatchObject({ status: 'suspended' });
    expect(enrollment('PY-K12', student)).toMatchObject({ status: 'active' });
    expect(notes(o.orderId)).toMatch(/Suspended in DATA-201/);
    expect(h.odoo.store.read('account.move', [o.invoiceId], ['payment_state'])[0]?.payment_state).toBe(
      'paid',
    );
  });

  it('keeps a course a partial credit note takes back when another paid order covers it', async () => {
    const python = makeCourse(h.odoo, 'PY-K12');
    const web = makeCourse(h.odoo, 'WEB-101');
    const student = makeStudent(h.odoo);
    const earlier = paidOrder(h.odoo, student, [web]);
    const later = paidOrder(h.odoo, student, [python, web]);
    await consumed(await Promise.all([earlier, later].map((o) => send(events.paid(o.orderId, o.name)))));
    h.odoo.store.refundOrderLines(later.invoiceId, [lineOf(later.orderId, web)]);
    await consumed([await send(events.refunded(later.orderId, later.name))]);
    expect(enrollment('WEB-101', student)).toMatchObject({ status: 'active' });
    expect(notes(later.orderId)).toContain(`WEB-101 not suspended: still covered by ${earlier.name}`);
  });
});

describe("the reconciler's suspend policy", () => {
  it('does not suspend an enrollment that a paid order outside an incremental run still covers', async () => {
    const course = makeCourse(h.odoo, 'PY-K12');
    const student = makeStudent(h.odoo);
    const earlier = paidOrder(h.odoo, student, [course]);
    const later = paidOrder(h.odoo, student, [course]);
    // The LMS enrollment is the refunded order's (it was enrolled first), so the run sees it as unpaid.
    await consumed([await send(events.paid(later.orderId, later.name))]);
    await consumed([await send(events.paid(earlier.orderId, earlier.name))]);
    expect(enrollment('PY-K12', student)?.source.orderId).toBe(later.orderId);
    // The run looks only at what changed since `since`: the refund of `later`, not `earlier`.
    const since = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    await waitFor(() => Date.now() > since.getTime() + 50, 'the clock to pass the run window', 3_000);
    h.odoo.store.refundInvoice(later.invoiceId); // no webhook: the reconciler is the one to find it
    const run = await h.service.reconciler.run({ mode: 'incremental', since, dryRun: false, trigger: 'cli' });
    expect(run.status).toBe('succeeded');
    const { rows } = await h.db.pool.query<{ action: string }>(
      `SELECT action FROM reconcile_findings WHERE run_id = $1 AND kind = 'unpaid_enrollment' AND order_id = $2`,
      [run.runId, later.orderId],
    );
    expect(rows.map((r) => r.action)).toEqual(['suspend_queued']);
    await waitFor(
      () => notes(later.orderId).includes(`still covered by ${earlier.name}`),
      'the repair to be handled',
      30_000,
    );
    expect(enrollment('PY-K12', student)).toMatchObject({ status: 'active' });
  });
});
