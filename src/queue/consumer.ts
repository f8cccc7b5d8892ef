// Consumes order-sync messages: dedupe redeliveries, run the business action, then hand the message
// on (retry queue / dead letters) and ack only after PostgreSQL has the result.
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Pool } from 'pg';
import { errorMessage } from '../lib';
import { backoffDelay, type Doubling } from '../lib';
import { sleep } from '../lib';
import { isolate } from '../lib';
import type { ActionFailure, OrderSync, SyncOutcome } from '../enrollment';
import { deadLetterReason } from '../enrollment';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import { closeChannel, consumeQueue, requeueLater, stopConsuming, type Broker } from './broker';
import type { DeadLetters } from './dead-letters';
import { orderSyncMessage, type OrderSyncMessage } from '../enrollment';
import { ATTEMPT_HEADER, attemptOf, newlyDead, nextStep, strayFailure } from './hand-on';
import type { ConsumerHooks } from './hooks';

export interface ConsumerDeps {
  pool: Pool;
  broker: Broker;
  syncOrder: OrderSync;
  deadLetters: DeadLetters;
  log: Logger;
  metrics: Metrics;
  prefetch: number;
  random?: () => number;
  /** Dead letters become helpdesk problems; a success heals them. */
  helpdesk?: ConsumerHooks;
  /** Retries used up: the actions still failing become dead (enrollment_actions). */
  markDead?: (businessKeys: string[]) => Promise<void>;
}

/** A held action is tried again when its lease ends, this many times before the retry ladder takes over. */
export const MAX_BUSY_WAITS = 6;
const BUSY_SLACK_MS = 250;
/** The pause before requeueing a message whose handling failed (PostgreSQL or the broker away). */
const REQUEUE_BACKOFF: Doubling = { firstMs: 500, maxDoublings: 6, capMs: 30_000 };

export function createConsumer(deps: ConsumerDeps) {
  const { pool, broker, syncOrder, deadLetters, log, metrics } = deps;
  const t = broker.topology;
  let channel: ChannelWrapper | null = null;
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();

  async function alreadyConsumed(messageId: string): Promise<boolean> {
    const r = await pool.query('SELECT 1 FROM consumed_messages WHERE message_id = $1', [messageId]);
    return (r.rowCount ?? 0) > 0;
  }

  async function markConsumed(msg: OrderSyncMessage, outcome: string, detail: string): Promise<void> {
    await pool.query(
      `INSERT INTO consumed_messages (message_id, event_id, outcome, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_id) DO NOTHING`,
      [msg.messageId, msg.eventId, outcome, detail.slice(0, 1000)],
    );
  }

  async function deadLetter(
    msg: OrderSyncMessage,
    outcome: Exclude<SyncOutcome, { kind: 'done' }>,
    attempt: number,
  ) {
    const { failures } = outcome;
    await recordDead(msg, failures, attempt);
    const first = failures[0];
    await broker.publish(t.deadExchange, '', Buffer.from(JSON.stringify(msg)), {
      messageId: msg.messageId,
      headers: {
        'x-lms-sync-reason': first ? deadLetterReason(first) : 'unknown',
        [ATTEMPT_HEADER]: attempt,
      },
    });
  }

  /** Records dead letters once each; the new ones become helpdesk problems. */
  async function recordDead(
    msg: OrderSyncMessage,
    failures: ActionFailure[],
    attempt: number,
  ): Promise<void> {
    const items = failures.map((f) => ({
      message: msg,
      businessKey: f.businessKey,
      reasonCode: deadLetterReason(f),
      reason: f.message,
      attempts: attempt,
    }));
    const fresh = await deadLetters.record(items);
    for (const d of fresh) metrics.deadLetters.inc({ reason: d.reasonCode });
    const toReport = newlyDead(failures, fresh);
    if (toReport.length && deps.helpdesk) await deps.helpdesk.deadLettered(msg, toReport);
  }

  async function handOn(msg: OrderSyncMessage, outcome: SyncOutcome, attempt: number): Promise<string> {
    if (outcome.kind === 'done') {
      await deps.helpdesk?.synced(msg.orderId, outcome.courseCodes);
      await markConsumed(msg, 'done', outcome.detail);
      return 'done';
    }
    if (outcome.kind === 'retry' || outcome.kind === 'busy') {
      const permanent = outcome.failures.filter((f) => f.permanent);
      if (permanent.length > 0) await recordDead(msg, permanent, attempt);
      const next = nextStep(outcome, attempt, t.retryDelaysMs, deps.random);
      if (next.kind === 'retry') {
        await broker.publish(t.retryExchange, String(next.rungMs), Buffer.from(JSON.stringify(msg)), {
          messageId: msg.messageId,
          headers: { [ATTEMPT_HEADER]: next.attempt },
          expiration: next.delayMs,
        });
        metrics.retries.inc();
        return 'retry';
      }
      await deps.markDead?.(next.deadKeys);
      await deadLetter(msg, { kind: 'dead', failures: next.failures }, attempt);
      await markConsumed(msg, 'dead', 'retries exhausted');
      return 'dead';
    }
    await deadLetter(msg, outcome, attempt);
    await markConsumed(msg, 'dead', outcome.failures.map((f) => f.code).join(','));
    return 'dead';
  }

  /** An error escaping the sync's own promises (a throw in a callback) fails this message only. */
  const guardedSync = (msg: OrderSyncMessage, attempt: number): Promise<SyncOutcome> =>
    isolate(`message ${msg.messageId}`, () => syncOrder(msg, attempt)).catch(strayFailure);

  /**
   * Runs the sync; while another worker holds an action (a live one renews its lease, a dead one's lease
   * runs out), waits for the lease's end and runs it again: a crashed peer costs one lease, not the ladder.
   */
  async function syncUntilFree(msg: OrderSyncMessage, attempt: number): Promise<SyncOutcome> {
    let outcome = await guardedSync(msg, attempt);
    for (let waits = 0; outcome.kind === 'busy' && waits < MAX_BUSY_WAITS; waits++) {
      metrics.consumed.inc({ outcome: 'busy' });
      log.info('action held by another worker; trying again when its lease ends', {
        messageId: msg.messageId,
        inMs: outcome.retryAfterMs,
      });
      await sleep(outcome.retryAfterMs + BUSY_SLACK_MS, stopping.signal);
      if (stopping.signal.aborted) return outcome;
      outcome = await guardedSync(msg, attempt);
    }
    return outcome;
  }

  async function handle(ch: ConfirmChannel, raw: ConsumeMessage): Promise<void> {
    const attempt = attemptOf(raw.properties.headers);
    let msg: OrderSyncMessage;
    try {
      msg = orderSyncMessage.parse(JSON.parse(raw.content.toString('utf8')));
    } catch (err) {
      // Unreadable: nothing to retry. Reject without requeue: the broker dead-letters it as is.
      log.error('unreadable message rejected to the dead-letter queue', {
        messageId: raw.properties.messageId,
        error: errorMessage(err),
      });
      metrics.consumed.inc({ outcome: 'invalid' });
      ch.nack(raw, false, false);
      return;
    }
    const ctx = { eventId: msg.eventId, orderId: msg.orderId, messageId: msg.messageId, attempt };
    try {
      if (await alreadyConsumed(msg.messageId)) {
        metrics.consumed.inc({ outcome: 'duplicate' });
        ch.ack(raw);
        return;
      }
      const outcome = await syncUntilFree(msg, attempt);
      // Shutting down: what is not done stays unacked, and the broker hands it to the next consumer.
      if (stopping.signal.aborted && outcome.kind !== 'done') return;
      const result = await handOn(msg, outcome, attempt);
      if (outcome.kind === 'done' && msg.acceptedAt) {
        metrics.acceptToEnrolledSeconds.observe((Date.now() - Date.parse(msg.acceptedAt)) / 1000);
      }
      metrics.consumed.inc({ outcome: result });
      log.info('message handled', {
        ...ctx,
        outcome: result,
        ...(outcome.kind !== 'done' ? { failures: outcome.failures.map((f) => f.code) } : {}),
      });
      ch.ack(raw);
    } catch (err) {
      // Infrastructure trouble (PostgreSQL, broker): back off, then requeue. The quorum queue's
      // delivery limit dead-letters a message that keeps failing this way.
      const deliveries = Number(raw.properties.headers?.['x-delivery-count'] ?? 0);
      const pauseMs = backoffDelay(REQUEUE_BACKOFF, deliveries);
      log.warn('message handling failed; requeueing', { ...ctx, error: errorMessage(err), pauseMs });
      metrics.consumed.inc({ outcome: 'requeued' });
      await requeueLater(ch, raw, pauseMs, stopping.signal);
    }
  }

  /** Takes no more messages. */
  function halt(): void {
    stopping.abort();
    stopConsuming(channel);
  }

  return {
    async start(): Promise<void> {
      const options = { name: 'consumer', queue: t.orderSyncQueue, prefetch: deps.prefetch, log };
      channel = consumeQueue(broker, options, (ch, raw) => {
        const p = handle(ch, raw)
          .catch((err: unknown) => {
            log.error('message handler failed; the message stays unacked until the channel closes', {
              messageId: raw.properties.messageId,
              error: errorMessage(err),
            });
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      });
    },
    halt,
    /** Waits for the messages in hand; what is not done stays unacked and is redelivered. */
    async stop(): Promise<void> {
      halt();
      const ch = channel;
      channel = null;
      await Promise.allSettled([...inFlight]);
      if (ch) await closeChannel(ch, broker.connection);
    },
  };
}

export type Consumer = ReturnType<typeof createConsumer>;
