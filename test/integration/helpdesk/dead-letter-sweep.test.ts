// The sweep that turns missed dead letters into helpdesk problems, against a real PostgreSQL (the
// tickets only queue their Odoo writes here: no Odoo is needed to see what the sweep reports).
import { createHelpdeskHooks } from '../../../src/helpdesk/hooks';
import { parseSla } from '../../../src/helpdesk/rules';
import { createTickets } from '../../../src/helpdesk/tickets';
import { silentLogger } from '../../../src/observability/logger';
import { createTestDb, type TestDb } from '../../support/db';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

const hooks = () =>
  createHelpdeskHooks({
    pool: db.pool,
    log: silentLogger(),
    urgentAfterHours: 24,
    tickets: createTickets({
      pool: db.pool,
      policy: {
        teams: { system: 'Technical Support', data: 'Ops' },
        urgentAfterHours: 24,
        slaHours: parseSla('urgent=4,high=24,normal=72,low=168'),
        reassignAfterHours: parseSla('urgent=6,high=6,normal=24,low=24'),
        odooUrl: 'http://odoo.invalid',
      },
    }),
  });

/** A dead letter two minutes old that the consumer never reported; its order id decides its fate. */
async function missedDeadLetter(n: number, orderId: number): Promise<void> {
  const hex = n.toString(16).padStart(12, '0');
  const message = {
    messageId: `00000000-0000-4000-8000-${hex}`,
    eventId: `00000000-0000-4000-9000-${hex}`,
    trigger: 'order.paid',
    orderId,
    orderName: `S${orderId}`,
  };
  await db.pool.query(
    `INSERT INTO dead_letters (message_id, event_id, business_key, routing_key, payload, reason_code, reason, attempts, created_at)
     VALUES ($1, $2, $3, 'order.sync', $4, 'lms_rejected', 'the LMS said no', 1, now() - interval '2 minutes')`,
    [message.messageId, message.eventId, `enroll:${orderId}:PY-K12:odoo-partner-${n}`, message],
  );
}

describe('dead-letter sweep', () => {
  it('reports a genuine dead letter behind 150 whose problem can never be saved, and backs those off', async () => {
    // orders beyond a 32-bit id (accepted before the webhook schema refused them): the ticket insert fails
    for (let i = 1; i <= 150; i++) await missedDeadLetter(i, 2 ** 31 + i);
    await missedDeadLetter(1000, 4242);
    const sweep = hooks();
    for (let i = 0; i < 3; i++) await sweep.reportUnreported();
    const { rows } = await db.pool.query<{ order_id: string; reported: boolean; failures: number }>(
      `SELECT payload->>'orderId' AS order_id, reported_at IS NOT NULL AS reported, report_failures AS failures
         FROM dead_letters ORDER BY id`,
    );
    expect(rows.find((r) => r.order_id === '4242')?.reported).toBe(true);
    const poisoned = rows.filter((r) => r.order_id !== '4242');
    expect(poisoned.every((r) => !r.reported && r.failures === 1)).toBe(true);
    expect(await sweep.reportUnreported()).toBe(0); // each is postponed, not retried every sweep
    const tickets = await db.pool.query('SELECT order_id FROM helpdesk_tickets');
    expect(tickets.rows).toEqual([{ order_id: 4242 }]);
  });
});
