// The service end to end with each LMS adapter against a simulator of its LMS: a burst of paid orders,
// some resent, into an LMS failing a share of its calls, enrolls each student exactly once; a refund
// suspends; an enrollment deleted in the LMS is found and repaired by the reconciler, which then finds
// nothing left. The same run for every LMS_ADAPTER, so choosing one is one setting.
import request from 'supertest';
import type { LmsAdapterName } from '../../src/config';
import { startHarness, type Harness } from '../support/harness';
import { outboxDrained } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(90_000);

/** Every adapter with a simulator; each new adapter adds itself here. */
const ADAPTERS: LmsAdapterName[] = ['rest', 'moodle', 'odoo-elearning'];

const drained = (h: Harness) => outboxDrained(h.db.pool, 60_000);

describe.each(ADAPTERS)('with LMS_ADAPTER=%s', (adapter) => {
  let h: Harness;
  const orders: Array<{ orderId: number; name: string; invoiceId: number; studentId: string }> = [];

  beforeAll(async () => {
    // an enrollment is one to four LMS calls, each failing 20% of the time below: a ladder of ten rungs
    // makes a dead letter from bad luck alone (all ten tries failing) too rare to be seen in a run
    h = await startHarness({
      lmsAdapter: adapter,
      retryDelaysMs: [50, 100, 150, 200, 300, 400, 500, 600, 800, 1000],
      env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' },
    });
    const course = makeCourse(h.odoo, 'PY-K12');
    for (let i = 0; i < 30; i += 1) {
      const student = makeStudent(h.odoo);
      orders.push({ ...paidOrder(h.odoo, student, [course]), studentId: `odoo-partner-${student}` });
    }
  });
  afterAll(() => h.stop());

  const send = async (payload: unknown) => {
    const d = signedDelivery(payload);
    const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
    expect([200, 202]).toContain(res.status);
  };

  it('enrolls every paid student exactly once through a flaky LMS, resent webhooks included', async () => {
    h.lmsUnderTest.setFailRate(0.2);
    const deliveries = orders.map((o) => signedDelivery(events.paid(o.orderId, o.name)));
    // every delivery, then the first ten again (Odoo's 1 s timeout and no retry: resends happen)
    for (const d of [...deliveries, ...deliveries.slice(0, 10)])
      await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
    await drained(h);
    h.lmsUnderTest.setFailRate(0);
    for (const o of orders) {
      expect([o.name, h.lmsUnderTest.creationCount('PY-K12', o.studentId)]).toEqual([o.name, 1]);
      expect([o.name, h.lmsUnderTest.status('PY-K12', o.studentId)]).toEqual([o.name, 'active']);
    }
    expect(h.lmsUnderTest.duplicates()).toEqual([]);
    expect(h.lmsUnderTest.createdCount()).toBe(orders.length);
  });

  it('suspends on a refund', async () => {
    const refunded = orders[0]!;
    h.odoo.store.refundInvoice(refunded.invoiceId);
    await send(events.refunded(refunded.orderId, refunded.name));
    await drained(h);
    expect(h.lmsUnderTest.status('PY-K12', refunded.studentId)).toBe('suspended');
  });

  it('reconciles: an enrollment deleted in the LMS is repaired once, and the next run finds nothing left', async () => {
    const lost = orders[5]!;
    expect(h.lmsUnderTest.deleteEnrollment('PY-K12', lost.studentId)).toBe(true);
    const first = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(first).toMatchObject({ status: 'succeeded', repairsQueued: 1 });
    await drained(h);
    expect(h.lmsUnderTest.status('PY-K12', lost.studentId)).toBe('active');
    const second = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(second).toMatchObject({ status: 'succeeded', repairsQueued: 0, findingsLeft: 0 });
  });
});
