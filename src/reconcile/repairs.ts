// Repairs go through the same outbox → queue → consumer path as webhooks, with the same business key,
// so a repair and a late webhook for one enrollment reach the LMS once.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from '../db/transaction';
import { ORDER_SYNC_ROUTING_KEY, type OrderSyncMessage } from '../queue/messages';
import { OUTBOX_CHANNEL } from '../webhooks/intake';
import type { Finding } from './diff-types';

/** Queues one order-sync message per repair, in one transaction. Returns fingerprint → event id. */
export async function queueRepairs(pool: Pool, findings: Finding[]): Promise<Map<string, string>> {
  const byFingerprint = new Map<string, string>();
  const messages: OrderSyncMessage[] = [];
  for (const f of findings) {
    if (f.repair.action === 'none' || f.orderId === null) continue;
    const eventId = randomUUID();
    byFingerprint.set(f.fingerprint, eventId);
    messages.push({
      messageId: randomUUID(),
      eventId,
      trigger: 'reconcile.repair',
      orderId: f.orderId,
      orderName: f.orderName ?? String(f.orderId),
      ...(f.courseCode ? { courseCode: f.courseCode } : {}),
      acceptedAt: new Date().toISOString(),
    });
  }
  if (messages.length === 0) return byFingerprint;
  await inTransaction(pool, async (client) => {
    for (let i = 0; i < messages.length; i += 5000) {
      const chunk = messages.slice(i, i + 5000);
      await client.query(
        `INSERT INTO outbox (message_id, event_id, routing_key, payload)
         SELECT m.message_id, m.event_id, $1, m.payload FROM unnest($2::uuid[], $3::uuid[], $4::jsonb[]) AS m(message_id, event_id, payload)`,
        [
          ORDER_SYNC_ROUTING_KEY,
          chunk.map((m) => m.messageId),
          chunk.map((m) => m.eventId),
          chunk.map((m) => JSON.stringify(m)),
        ],
      );
    }
    await client.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  });
  return byFingerprint;
}
