// Repairs go through the same outbox → queue → consumer path as webhooks, with the same business key,
// so a repair and a late webhook for one enrollment reach the LMS once.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from '../db';
import type { OrderSyncMessage } from '../enrollment';
import { enqueueMessages, notifyRelays } from '../outbox';
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
    await enqueueMessages(client, messages);
    await notifyRelays(client);
  });
  return byFingerprint;
}
