// Stores one verified delivery: the inbox row and its outbox message in ONE statement (one commit,
// one round trip). 202 is only ever answered after that commit.
import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ORDER_SYNC_ROUTING_KEY, type OrderSyncMessage } from '../queue/messages';
import type { WebhookEvent } from './schemas';

export type IntakeOutcome =
  | { status: 'accepted'; eventId: string }
  | { status: 'duplicate'; eventId: string }
  | { status: 'conflict'; eventId: string }
  | { status: 'in_flight' };

export const OUTBOX_CHANNEL = 'lms_sync_outbox';

// The advisory lock turns "same webhook-id being committed right now" into an immediate 409 instead
// of a wait on the unique index. The relays are woken after the commit (outbox/wakeup.ts), not in it.
const STORE_DELIVERY = `
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7431)) AS ok),
ins AS (
  INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body_sha256, payload)
  SELECT $1, $2, $3, $4, $5 FROM lock WHERE ok
  ON CONFLICT (webhook_id) DO NOTHING
  RETURNING event_id
),
ob AS (
  INSERT INTO outbox (message_id, event_id, routing_key, payload)
  SELECT $6, event_id, $7, $8 FROM ins
  RETURNING id
)
SELECT (SELECT ok FROM lock) AS locked, (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM ob)::int AS queued`;

export function messageForEvent(event: WebhookEvent, eventId: string, messageId: string): OrderSyncMessage {
  const base = {
    messageId,
    eventId,
    orderId: event.data.orderId,
    orderName: event.data.orderName,
    acceptedAt: new Date().toISOString(),
  };
  switch (event.type) {
    case 'enrollment.retry_requested':
      return {
        ...base,
        trigger: event.type,
        requestedBy: event.data.requestedBy,
        ...(event.data.lineIds ? { lineIds: event.data.lineIds } : {}),
      };
    case 'order.paid':
    case 'order.refunded':
      return { ...base, trigger: event.type };
  }
}

export function createIntake({ pool, onStored }: { pool: Pool; onStored?: () => void }) {
  return async function storeDelivery(
    webhookId: string,
    event: WebhookEvent,
    rawBody: Buffer,
  ): Promise<IntakeOutcome> {
    const bodyHash = createHash('sha256').update(rawBody).digest();
    const eventId = randomUUID();
    const messageId = randomUUID();
    const message = messageForEvent(event, eventId, messageId);
    const { rows } = await pool.query<{ locked: boolean; inserted: number }>(STORE_DELIVERY, [
      webhookId,
      eventId,
      event.type,
      bodyHash,
      event,
      messageId,
      ORDER_SYNC_ROUTING_KEY,
      message,
    ]);
    const row = rows[0];
    if (!row?.locked) return { status: 'in_flight' };
    if (row.inserted === 1) {
      onStored?.();
      return { status: 'accepted', eventId };
    }
    const existing = await pool.query<{ event_id: string; body_sha256: Buffer }>(
      'SELECT event_id, body_sha256 FROM webhook_deliveries WHERE webhook_id = $1',
      [webhookId],
    );
    const prior = existing.rows[0];
    if (!prior) return { status: 'in_flight' }; // the conflicting insert rolled back meanwhile: let the sender retry
    return prior.body_sha256.equals(bodyHash)
      ? { status: 'duplicate', eventId: prior.event_id }
      : { status: 'conflict', eventId: prior.event_id };
  };
}

export type StoreDelivery = ReturnType<typeof createIntake>;
