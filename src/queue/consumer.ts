// Consumes order-sync messages: dedupe redeliveries, run the business action, then hand the message
// on (retry queue / dead letters) and ack only after PostgreSQL has the result. Messages are taken in
// batches (what arrives within a few milliseconds, up to the prefetch): the batch's redelivery check is
// one statement, its messages run together (so their Odoo reads, action claims and results share
// calls and statements), and their consumed rows are written together; each message is still acked,
// retried or dead-lettered on its own, so a failing one costs only itself.
import { setMaxListeners } from 'node:events';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Pool } from 'pg';
import { BatchScope, createCoalescer, currentBatchScope, errorMessage, inBatchScope } from '../lib';
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
import type { LmsBackoff } from './lms-backoff';

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
  /** The LMS's health: the pace of retries the LMS caused (absent: the ladder by attempt) */
  lmsBackoff?: LmsBackoff;
}

/** A held action is tried again when its lease ends, this many times before the retry ladder takes over. */
export const MAX_BUSY_WAITS = 6;
const BUSY_SLACK_MS = 250;
/** The pause before requeueing a message whose handling failed (PostgreSQL or the broker away). */
const REQUEUE_BACKOFF: Doubling = { firstMs: 500, maxDoublings: 6, capMs: 30_000 };
/**
 * How long a batch waits for more messages. Idle (no batch in hand): BATCH_LINGER_MS after the first,
 * again as long as more keep coming, up to BATCH_MAX_LINGER_MS (a lone message waits BATCH_LINGER_MS).
 * Busy (batches in hand, so the messages come one by one as their acks go out): until half a prefetch
 * is waiting or BATCH_BUSY_LINGER_MS has passed, so the next batch is not a string of small ones.
 */
export const BATCH_LINGER_MS = 5;
export const BATCH_MAX_LINGER_MS = 25;
export const BATCH_BUSY_LINGER_MS = 20;

interface Delivery {
  ch: ConfirmChannel;
  raw: ConsumeMessage;
}

interface ConsumedRow {
  msg: OrderSyncMessage;
  outcome: string;
  detail: string;
}

export function createConsumer(deps: ConsumerDeps) {
  const { pool, broker, syncOrder, deadLetters, log, metrics } = deps;
  const t = broker.topology;
  let channel: ChannelWrapper | null = null;
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  // every message of a batch may wait out a lease on it at once: that many listeners are expected
  setMaxListeners(deps.prefetch + 10, stopping.signal);

  let waiting: Delivery[] = [];
  let lingering: NodeJS.Timeout | null = null;
  let firstWaitingAt = 0;
  let waitingAtLastLook = 0;

  /** The messages of a batch already consumed (a redelivery): one statement for the batch. */
  async function consumedAmong(messageIds: string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const r = await pool.query<{ message_id: string }>(
      'SELECT message_id FROM consumed_messages WHERE message_id = ANY($1::uuid[])',
      [messageIds],
    );
    return new Set(r.rows.map((row) => row.message_id));
  }

  // The consumed rows of messages finished together share one statement (and one commit).
  const consumedRows = createCoalescer(
    async (rows: ConsumedRow[]): Promise<null[]> => {
      await pool.query(
        `INSERT INTO consumed_messages (message_id, event_id, outcome, detail)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
         ON CONFLICT (message_id) DO NOTHING`,
        [
          rows.map((r) => r.msg.messageId),
          rows.map((r) => r.msg.eventId),
          rows.map((r) => r.outcome),
          rows.map((r) => r.detail.slice(0, 1000)),
        ],
      );
      return rows.map(() => null);
    },
    { keyOf: (r) => r.msg.messageId },
  );

  async function markConsumed(msg: OrderSyncMessage, outcome: string, detail: string): Promise<void> {
    await consumedRows.submit({ msg, outcome, detail });
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
      const next = nextStep(outcome, attempt, t.retryDelaysMs, deps.random, deps.lmsBackoff?.floorMs());
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
      // asleep for a lease: the rest of the batch does not wait for this one meanwhile
      const scope = currentBatchScope();
      scope?.leave();
      await sleep(outcome.retryAfterMs + BUSY_SLACK_MS, stopping.signal);
      scope?.rejoin();
      if (stopping.signal.aborted) return outcome;
      outcome = await guardedSync(msg, attempt);
    }
    return outcome;
  }

  /** Parses a delivery; an unreadable one is rejected (the broker dead-letters it as is) and is null. */
  function readable({ ch, raw }: Delivery): OrderSyncMessage | null {
    try {
      return orderSyncMessage.parse(JSON.parse(raw.content.toString('utf8')));
    } catch (err) {
      // Unreadable: nothing to retry. Reject without requeue: the broker dead-letters it as is.
      log.error('unreadable message rejected to the dead-letter queue', {
        messageId: raw.properties.messageId,
        error: errorMessage(err),
      });
      metrics.consumed.inc({ outcome: 'invalid' });
      try {
        ch.nack(raw, false, false);
      } catch {
        // channel closed: redelivered, and rejected again then
      }
      return null;
    }
  }

  /** Infrastructure trouble (PostgreSQL, broker): back off, then requeue this message. */
  async function requeue({ ch, raw }: Delivery, ctx: Record<string, unknown>, err: unknown): Promise<void> {
    // The quorum queue's delivery limit dead-letters a message that keeps failing this way.
    const deliveries = Number(raw.properties.headers?.['x-delivery-count'] ?? 0);
    const pauseMs = backoffDelay(REQUEUE_BACKOFF, deliveries);
    log.warn('message handling failed; requeueing', { ...ctx, error: errorMessage(err), pauseMs });
    metrics.consumed.inc({ outcome: 'requeued' });
    await requeueLater(ch, raw, pauseMs, stopping.signal);
  }

  async function handle(d: Delivery, msg: OrderSyncMessage, attempt: number): Promise<void> {
    const ctx = { eventId: msg.eventId, orderId: msg.orderId, messageId: msg.messageId, attempt };
    try {
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
      d.ch.ack(d.raw);
    } catch (err) {
      await requeue(d, ctx, err);
    }
  }

  /** One batch: the redelivery check for all, then every message on its own, all at once. */
  async function handleBatch(batch: Delivery[]): Promise<void> {
    const parsed = batch.flatMap((d) => {
      const msg = readable(d);
      return msg ? [{ d, msg, attempt: attemptOf(d.raw.properties.headers) }] : [];
    });
    let consumed: Set<string>;
    try {
      consumed = await consumedAmong([...new Set(parsed.map((p) => p.msg.messageId))]);
    } catch (err) {
      await Promise.allSettled(
        parsed.map((p) => requeue(p.d, { messageId: p.msg.messageId, attempt: p.attempt }, err)),
      );
      return;
    }
    const fresh = parsed.filter(({ d, msg }) => {
      if (!consumed.has(msg.messageId)) return true;
      metrics.consumed.inc({ outcome: 'duplicate' });
      try {
        d.ch.ack(d.raw);
      } catch {
        // channel closed: redelivered, and recognised again then
      }
      return false;
    });
    // Their reads, claims, results and write-backs wait for one another (lib/batch-scope.ts); settled,
    // not all: the batch is in hand until its last message is.
    const scope = new BatchScope(fresh.length);
    await Promise.allSettled(
      fresh.map(({ d, msg, attempt }) =>
        inBatchScope(scope, () => handle(d, msg, attempt)).finally(() => scope.leave()),
      ),
    );
  }

  function track(p: Promise<void>, messageIds: () => unknown[]): void {
    const tracked = p
      .catch((err: unknown) => {
        log.error('message handler failed; the messages stay unacked until the channel closes', {
          messageIds: messageIds(),
          error: errorMessage(err),
        });
      })
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  /** Starts the waiting messages as one batch. */
  function startBatch(): void {
    if (lingering) clearTimeout(lingering);
    lingering = null;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0 || stopping.signal.aborted) return;
    track(handleBatch(batch), () => batch.map((d) => d.raw.properties.messageId));
  }

  /** Starts the batch, unless it may wait a little longer for more (see BATCH_LINGER_MS). */
  function lookAgain(): void {
    lingering = null;
    const waited = performance.now() - firstWaitingAt;
    const busy = inFlight.size > 0;
    const more = waiting.length > waitingAtLastLook;
    waitingAtLastLook = waiting.length;
    const maxMs = busy ? BATCH_BUSY_LINGER_MS : BATCH_MAX_LINGER_MS;
    const worthWaiting = busy ? waiting.length < deps.prefetch / 2 : more;
    if (worthWaiting && waited + BATCH_LINGER_MS <= maxMs) {
      lingering = setTimeout(lookAgain, BATCH_LINGER_MS);
      return;
    }
    startBatch();
  }

  /** A delivery waits for others (see BATCH_LINGER_MS), or until a prefetch's worth is waiting. */
  function take(ch: ConfirmChannel, raw: ConsumeMessage): void {
    if (stopping.signal.aborted) return; // left unacked: redelivered when the channel closes
    waiting.push({ ch, raw });
    if (waiting.length >= deps.prefetch) {
      startBatch();
      return;
    }
    if (waiting.length === 1) {
      firstWaitingAt = performance.now();
      waitingAtLastLook = 1;
      lingering = setTimeout(lookAgain, BATCH_LINGER_MS);
    }
  }

  /** Takes no more messages. */
  function halt(): void {
    stopping.abort();
    stopConsuming(channel);
    // not started: left unacked, the broker hands them to the next consumer
    if (lingering) clearTimeout(lingering);
    lingering = null;
    waiting = [];
  }

  return {
    async start(): Promise<void> {
      const options = { name: 'consumer', queue: t.orderSyncQueue, prefetch: deps.prefetch, log };
      channel = consumeQueue(broker, options, take);
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
