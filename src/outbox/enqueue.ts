// The one writer of the outbox: its INSERT, its NOTIFY channel and the notify. Webhook intake,
// reconcile repairs and dead-letter replays all queue order-sync messages through here.
import type { Pool, PoolClient } from 'pg';
import { ORDER_SYNC_ROUTING_KEY, type OrderSyncMessage } from '../enrollment';

/** The channel the relays LISTEN on; a notify on it wakes them. */
export const OUTBOX_CHANNEL = 'lms_sync_outbox';

/**
 * The outbox INSERT fed by `rows`, a SELECT of (message_id, event_id, routing_key, payload), for
 * callers that store the messages inside a larger statement (the intake's group commit).
 */
export function outboxInsertSql(rows: string): string {
  return `INSERT INTO outbox (message_id, event_id, routing_key, payload)
  ${rows}`;
}

const INSERT_MESSAGES = outboxInsertSql(
  `SELECT m.message_id, m.event_id, $1, m.payload FROM unnest($2::uuid[], $3::uuid[], $4::jsonb[]) AS m(message_id, event_id, payload)`,
);

/** Stores order-sync messages in the outbox, 5000 to a statement, on the caller's transaction. */
export async function enqueueMessages(client: PoolClient, messages: OrderSyncMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 5000) {
    const chunk = messages.slice(i, i + 5000);
    await client.query(INSERT_MESSAGES, [
      ORDER_SYNC_ROUTING_KEY,
      chunk.map((m) => m.messageId),
      chunk.map((m) => m.eventId),
      chunk.map((m) => JSON.stringify(m)),
    ]);
  }
}

/** Wakes the relays of every replica (delivered when the caller's transaction commits). */
export async function notifyRelays(db: Pool | PoolClient): Promise<void> {
  await db.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}
