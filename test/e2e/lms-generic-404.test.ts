// Against an LMS that answers one generic 404 for anything missing, a refund of an enrollment the LMS
// no longer has is done (nothing to suspend), not a dead-lettered "unknown course" with a ticket.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ lms: { notFoundStyle: 'generic' } });
});
afterAll(() => h.stop());

async function send(payload: unknown): Promise<string> {
  const d = signedDelivery(payload);
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
  return res.body.eventId;
}

const consumedOutcome = async (eventId: string) =>
  (
    await h.db.pool.query<{ outcome: string }>('SELECT outcome FROM consumed_messages WHERE event_id = $1', [
      eventId,
    ])
  ).rows[0]?.outcome;

/** A paid, enrolled order whose enrollment was then removed by hand in the LMS, and refunded. */
async function refundedAfterHandDeletion(courseCode: string) {
  const student = makeStudent(h.odoo);
  const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, courseCode)]);
  const paid = await send(events.paid(o.orderId, o.name));
  expect(await waitFor(() => consumedOutcome(paid), 'enrolled')).toBe('done');
  expect(h.lms.state.deleteEnrollment(courseCode, `odoo-partner-${student}`)).toBe(true);
  h.odoo.store.refundInvoice(o.invoiceId);
  return { ...o, student, refunded: await send(events.refunded(o.orderId, o.name)) };
}

describe('a refund against an LMS with generic 404s', () => {
  it('succeeds with nothing to suspend: no dead letter, no course_unmapped problem or ticket', async () => {
    const o = await refundedAfterHandDeletion('PY-K12');
    expect(await waitFor(() => consumedOutcome(o.refunded), 'the refund consumed')).toBe('done');
    const { rows: actions } = await h.db.pool.query(
      `SELECT status, lms_status, last_error_code FROM enrollment_actions WHERE business_key = $1`,
      [`suspend:${o.orderId}:PY-K12:odoo-partner-${o.student}`],
    );
    expect(actions).toEqual([{ status: 'succeeded', lms_status: 'not_enrolled', last_error_code: null }]);
    const dead = await h.db.pool.query('SELECT 1 FROM dead_letters WHERE event_id = $1', [o.refunded]);
    expect(dead.rowCount).toBe(0);
    await h.service.helpdesk.worker.drainNow();
    const tickets = await h.db.pool.query('SELECT kind FROM helpdesk_tickets WHERE order_id = $1', [
      o.orderId,
    ]);
    expect(tickets.rows).toEqual([]);
    expect(h.odoo.store.search('helpdesk.ticket', [['active', 'in', [true, false]]])).toEqual([]);
  });

  it('reads the course list once for all such refunds within a minute', async () => {
    const refunds = [];
    for (const course of ['WEB-101', 'DATA-201', 'PY-K12'])
      refunds.push(await refundedAfterHandDeletion(course));
    for (const o of refunds) {
      expect(await waitFor(() => consumedOutcome(o.refunded), 'the refund consumed')).toBe('done');
    }
    // One read since the service started, whether or not the test above ran first.
    expect(h.lms.state.courseListCalls).toBe(1);
  });
});
