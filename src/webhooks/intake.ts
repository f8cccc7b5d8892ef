// Stores one verified delivery: the inbox row and its outbox message in one statement and one commit
// (shared with the deliveries that arrived meanwhile: group-commit.ts). 202 only after that commit.
import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { OrderSyncMessage } from '../enrollment';
import { createGroupCommit } from './group-commit';
import type { WebhookEvent } from './schemas';

export type IntakeOutcome =
  | { status: 'accepted'; eventId: string }
  | { status: 'duplicate'; eventId: string }
  | { status: 'conflict'; eventId: string }
  | { status: 'in_flight' };

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
    case 'order.learners_changed':
      return { ...base, trigger: event.type };
  }
}

export function createIntake({ pool, onStored }: { pool: Pool; onStored?: () => void }) {
  const storeRow = createGroupCommit(pool);
  return async function storeDelivery(
    webhookId: string,
    event: WebhookEvent,
    rawBody: Buffer,
  ): Promise<IntakeOutcome> {
    const bodyHash = createHash('sha256').update(rawBody).digest();
    const eventId = randomUUID();
    const messageId = randomUUID();
    const message = messageForEvent(event, eventId, messageId);
    const stored = await storeRow({
      webhookId,
      eventId,
      eventType: event.type,
      bodyHash,
      payload: event,
      messageId,
      message,
    });
    if (!stored.locked) return { status: 'in_flight' };
    if (stored.inserted) {
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
