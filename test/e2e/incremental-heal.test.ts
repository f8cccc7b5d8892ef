// Every run heals: a problem fixed in Odoo is seen gone by the next *incremental* run, even though the
// fix did not touch the order (a product's code, a partner's email), and its ticket closes with a note
// saying what healed it. Both helpdesk flavors, over real XML-RPC to the Odoo simulator.
import { FLAVORS } from '../../src/helpdesk/flavors';
import { startHarness, type Harness } from '../support/harness';
import { outboxDrained, waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { consumed, send } from '../support/traffic';
import { events } from '../support/webhooks';

jest.setTimeout(60_000);

const drained = (h: Harness) => outboxDrained(h.db.pool, 30_000);

/** An incremental run that starts after everything so far: only open problems bring old orders in. */
async function incrementalRun(h: Harness) {
  const since = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  await waitFor(() => Date.now() > since.getTime() + 50, 'the clock to pass the run window', 3_000);
  return h.service.reconciler.run({ mode: 'incremental', since, dryRun: false, trigger: 'cli' });
}

async function ticketOf(h: Harness, kind: string, orderId: number) {
  const { rows } = await h.db.pool.query<{ state: string; odoo_ticket_id: number | null }>(
    'SELECT state, odoo_ticket_id FROM helpdesk_tickets WHERE kind = $1 AND order_id = $2',
    [kind, orderId],
  );
  return rows[0];
}

describe.each(['oca', 'enterprise'] as const)(
  'an incremental run heals what was fixed in Odoo (%s)',
  (flavor) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ helpdeskFlavor: flavor, env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
      // One enrollment in the LMS, so an empty listing does not trip the safety brake.
      const enrolled = paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'PY-K12')]);
      await consumed(h, await send(h, events.paid(enrolled.orderId, enrolled.name)));
    });
    afterAll(() => h.stop());

    const isClosed = (ticketId: number): boolean => {
      const [t] = h.odoo.store.read('helpdesk.ticket', [ticketId], ['stage_id']);
      const stageId = (t?.stage_id as [number, string])[0];
      const flag = flavor === 'oca' ? 'closed' : 'fold';
      return h.odoo.store.read(FLAVORS[flavor].stageModel, [stageId], [flag])[0]?.[flag] === true;
    };

    it('closes a course_unmapped ticket once the product gets a code the LMS knows', async () => {
      const product = makeCourse(h.odoo, 'WEB-PRO-TYPO');
      const student = makeStudent(h.odoo);
      const o = paidOrder(h.odoo, student, [product]);
      const full = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
      expect(full.status).toBe('succeeded');
      await h.service.helpdesk.worker.drainNow();
      const opened = await ticketOf(h, 'course_unmapped', o.orderId);
      expect(opened).toMatchObject({ state: 'open' });
      expect(isClosed(opened!.odoo_ticket_id!)).toBe(false);

      // The fix touches the product only: the order and its invoices keep their write_date.
      h.odoo.store.write('product.product', [product], { default_code: 'WEB-101' });
      const run = await incrementalRun(h);
      expect(run.status).toBe('succeeded');
      const { rows } = await h.db.pool.query<{ healed_run: string | null; mode: string }>(
        `SELECT p.healed_run::text, r.mode FROM reconcile_problems p JOIN reconcile_runs r ON r.id = p.healed_run
        WHERE p.kind = 'course_unmapped' AND p.order_id = $1`,
        [o.orderId],
      );
      expect(rows).toEqual([{ healed_run: run.runId, mode: 'incremental' }]);
      await h.service.helpdesk.worker.drainNow();
      expect(await ticketOf(h, 'course_unmapped', o.orderId)).toMatchObject({ state: 'closed' });
      expect(isClosed(opened!.odoo_ticket_id!)).toBe(true);
      const notes = h.odoo.store
        .messagesFor('helpdesk.ticket', opened!.odoo_ticket_id!)
        .map((m) => m.body)
        .join('\n');
      expect(notes).toContain('Internal Reference the LMS knows');
      // The same run queued the enrollment the fix made possible.
      await drained(h);
      expect(h.lms.state.enrollment('WEB-101', `odoo-partner-${student}`)).toMatchObject({
        status: 'active',
      });
    });

    it("closes a dead letter's missing_email ticket once the customer has an email", async () => {
      const student = makeStudent(h.odoo, { email: false });
      const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'PY-K12')]);
      await consumed(h, await send(h, events.paid(o.orderId, o.name)));
      await h.service.helpdesk.worker.drainNow();
      expect(await ticketOf(h, 'missing_email', o.orderId)).toMatchObject({ state: 'open' });

      h.odoo.store.write('res.partner', [student], { email: 'found.at.last@example.com' });
      const run = await incrementalRun(h);
      expect(run).toMatchObject({ status: 'succeeded', repairsQueued: 1 });
      await drained(h);
      await h.service.helpdesk.worker.drainNow();
      expect(h.lms.state.enrollment('PY-K12', `odoo-partner-${student}`)).toMatchObject({ status: 'active' });
      expect(await ticketOf(h, 'missing_email', o.orderId)).toMatchObject({ state: 'closed' });
    });

    it('leaves the problems of orders it did not look at open', async () => {
      const product = makeCourse(h.odoo, 'NOT-IN-LMS-2');
      const o = paidOrder(h.odoo, makeStudent(h.odoo), [product]);
      await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
      // The order is no longer behind an open problem (as if opened before this version): not examined.
      await h.db.pool.query(`UPDATE helpdesk_tickets SET order_id = NULL WHERE order_id = $1`, [o.orderId]);
      await h.db.pool.query(`UPDATE reconcile_problems SET order_id = NULL WHERE order_id = $1`, [o.orderId]);
      h.odoo.store.write('product.product', [product], { default_code: 'DATA-201' });
      await incrementalRun(h);
      const { rows } = await h.db.pool.query(
        `SELECT healed_at FROM reconcile_problems WHERE kind = 'course_unmapped' AND order_name = $1`,
        [o.name],
      );
      expect(rows).toEqual([{ healed_at: null }]);
    });
  },
);
