// One event's whole story, from the tables the spine writes: received, published, attempts, result.
import type { Pool } from 'pg';

// A message stored before order ids were checked may hold one past Odoo's (and our column's) range:
// its story is still told, just without tickets (none can exist for it).
// (nested CASE: PostgreSQL does not promise to test AND's operands in order)
const ORDER_ID = `CASE WHEN payload->>'orderId' ~ '^[1-9][0-9]{0,9}$' THEN
   CASE WHEN (payload->>'orderId')::bigint <= 2147483647 THEN (payload->>'orderId')::int END END`;

export async function loadEventStory(pool: Pool, eventId: string) {
  const [delivery, outbox, attempts, actions, consumed, dead] = await Promise.all([
    pool.query(
      'SELECT webhook_id, event_type, payload, received_at FROM webhook_deliveries WHERE event_id = $1',
      [eventId],
    ),
    pool.query(
      `SELECT message_id, payload->>'trigger' AS trigger, ${ORDER_ID} AS order_id, created_at, published_at,
              publish_attempts, last_error
         FROM outbox WHERE event_id = $1 ORDER BY id`,
      [eventId],
    ),
    pool.query(
      `SELECT business_key, message_id, attempt, outcome, error_code, error, duration_ms, at
         FROM action_attempts WHERE event_id = $1 ORDER BY id`,
      [eventId],
    ),
    pool.query(
      `SELECT DISTINCT a.business_key, a.action, a.order_id, a.course_code, a.student_id, a.status, a.attempts,
              a.lms_enrollment_id, a.lms_status, a.last_error_code, a.last_error, a.completed_at
         FROM enrollment_actions a JOIN action_attempts t ON t.business_key = a.business_key
        WHERE t.event_id = $1`,
      [eventId],
    ),
    pool.query('SELECT message_id, outcome, detail, finished_at FROM consumed_messages WHERE event_id = $1', [
      eventId,
    ]),
    pool.query(
      `SELECT id::text, business_key, reason_code, reason, attempts, created_at, replayed_at
         FROM dead_letters WHERE event_id = $1 ORDER BY id`,
      [eventId],
    ),
  ]);
  const received = delivery.rows[0] ?? null;
  if (!received && outbox.rowCount === 0) return null;
  const orderId = (outbox.rows[0] as { order_id?: number } | undefined)?.order_id ?? null;
  const tickets = orderId
    ? await pool.query(
        `SELECT id::text, kind, state, priority, team, odoo_ticket_id, odoo_reference, opened_at, closed_at, closed_by
           FROM helpdesk_tickets WHERE order_id = $1 ORDER BY id`,
        [orderId],
      )
    : { rows: [] };
  return {
    eventId,
    received,
    published: outbox.rows,
    attempts: attempts.rows,
    actions: actions.rows,
    consumed: consumed.rows,
    deadLetters: dead.rows,
    tickets: tickets.rows,
  };
}
