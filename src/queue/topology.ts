// Exchange and queue names under QUEUE_PREFIX, and the broker settings that make them safe:
// quorum queues, explicit delivery limit, at-least-once dead lettering (needs reject-publish + max-length).
import amqplib, { type ConfirmChannel } from 'amqplib';
import { ORDER_SYNC_ROUTING_KEY } from '../enrollment';
import { rungQueueTtl } from './retry';

export interface Topology {
  eventsExchange: string;
  retryExchange: string;
  deadExchange: string;
  orderSyncQueue: string;
  deadQueue: string;
  retryQueue(delayMs: number): string;
  retryDelaysMs: readonly number[];
}

export const DELIVERY_LIMIT = 20;
export const MAX_QUEUE_LENGTH = 5_000_000;

export function topologyFor(prefix: string, retryDelaysMs: readonly number[]): Topology {
  return {
    eventsExchange: `${prefix}.events`,
    retryExchange: `${prefix}.retry`,
    deadExchange: `${prefix}.dead`,
    orderSyncQueue: `${prefix}.order-sync`,
    deadQueue: `${prefix}.dead-letters`,
    retryQueue: (delayMs) => `${prefix}.retry.${delayMs}ms`,
    retryDelaysMs,
  };
}

const quorum = (extra: Record<string, unknown>) => ({
  durable: true,
  arguments: { 'x-queue-type': 'quorum', ...extra },
});

export async function assertTopology(ch: ConfirmChannel, t: Topology): Promise<void> {
  await ch.assertExchange(t.eventsExchange, 'topic', { durable: true });
  await ch.assertExchange(t.retryExchange, 'direct', { durable: true });
  await ch.assertExchange(t.deadExchange, 'fanout', { durable: true });

  await ch.assertQueue(
    t.orderSyncQueue,
    quorum({
      // A message redelivered this often (crashes, infrastructure errors) is poison: dead-letter it.
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': t.deadExchange,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-max-length': MAX_QUEUE_LENGTH,
    }),
  );
  await ch.bindQueue(t.orderSyncQueue, t.eventsExchange, ORDER_SYNC_ROUTING_KEY);

  await ch.assertQueue(
    t.deadQueue,
    quorum({ 'x-overflow': 'reject-publish', 'x-max-length': MAX_QUEUE_LENGTH }),
  );
  await ch.bindQueue(t.deadQueue, t.deadExchange, '');

  for (const delay of t.retryDelaysMs) {
    // Delay queues: nobody consumes them; a message waits out its TTL and is dead-lettered back.
    await ch.assertQueue(
      t.retryQueue(delay),
      quorum({
        'x-message-ttl': rungQueueTtl(delay),
        'x-dead-letter-exchange': t.eventsExchange,
        'x-dead-letter-routing-key': ORDER_SYNC_ROUTING_KEY,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-max-length': MAX_QUEUE_LENGTH,
      }),
    );
    await ch.bindQueue(t.retryQueue(delay), t.retryExchange, String(delay));
  }
}

/** Removes every exchange and queue of a topology (the demo and the tests clean up after themselves). */
export async function deleteTopology(amqpUrl: string, t: Topology): Promise<void> {
  const conn = await amqplib.connect(amqpUrl);
  try {
    const ch = await conn.createChannel();
    for (const q of [t.orderSyncQueue, t.deadQueue, ...t.retryDelaysMs.map((d) => t.retryQueue(d))])
      await ch.deleteQueue(q);
    for (const e of [t.eventsExchange, t.retryExchange, t.deadExchange]) await ch.deleteExchange(e);
    await ch.close();
  } finally {
    await conn.close();
  }
}
