// Moves committed outbox rows to RabbitMQ. Rows are claimed with FOR UPDATE SKIP LOCKED (replicas
// share the work), published with confirms, then marked published in the same transaction: a crash
// before the commit republishes (the consumer dedupes), never loses. Woken by LISTEN/NOTIFY, with a
// slow poll as the safety net for a missed notification.
import { Client, type Pool, type PoolClient } from 'pg';
import { OUTBOX_CHANNEL } from './enqueue';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import { errorMessage } from '../lib';
import { backoffDelay, type Doubling } from '../lib';
import { createDrainLoop } from '../lib';
import { sleep } from '../lib';
import { inTransaction } from '../db';

/** What the relay publishes through (the queue's broker satisfies it): confirmed publishes to the events exchange. */
export interface OutboxPublisher {
  topology: { eventsExchange: string };
  publish(exchange: string, routingKey: string, body: Buffer, options: { messageId: string }): Promise<void>;
}

export interface RelayOptions {
  pool: Pool;
  databaseUrl: string;
  broker: OutboxPublisher;
  log: Logger;
  metrics: Metrics;
  batchSize?: number;
  pollMs?: number;
}

/** A failed pass waits 0.5, 1, 2 … seconds (up to 30) before the next. */
const PASS_BACKOFF: Doubling = { firstMs: 250, maxDoublings: 7, capMs: 30_000 };

interface OutboxRow {
  id: string;
  message_id: string;
  routing_key: string;
  payload: unknown;
  lag_s: number;
}

export function createRelay(opts: RelayOptions) {
  const { pool, broker, log, metrics } = opts;
  const batchSize = opts.batchSize ?? 500;
  const pollMs = opts.pollMs ?? 2000;
  let listener: Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let failures = 0;
  let stopping = new AbortController();

  async function publishBatch(client: PoolClient): Promise<number> {
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, message_id, routing_key, payload, extract(epoch FROM now() - created_at)::float8 AS lag_s
         FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    metrics.outboxLagSeconds.set(rows[0]?.lag_s ?? 0);
    const exchange = broker.topology.eventsExchange;
    await Promise.all(
      rows.map((r) =>
        broker.publish(exchange, r.routing_key, Buffer.from(JSON.stringify(r.payload)), {
          messageId: r.message_id,
        }),
      ),
    );
    await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    return rows.length;
  }

  async function drainOnce(): Promise<number> {
    const n = await inTransaction(pool, publishBatch);
    if (n > 0) metrics.published.inc(n);
    return n;
  }

  const loop = createDrainLoop({
    async pass() {
      while (!stopped && (await drainOnce()) === batchSize);
      failures = 0;
      if (!stopped && (await drainOnce()) === 0) metrics.outboxLagSeconds.set(0);
    },
    async failed(err) {
      failures += 1;
      metrics.publishFailures.inc();
      log.warn('outbox relay pass failed; rows stay in the outbox', { error: errorMessage(err), failures });
      await sleep(backoffDelay(PASS_BACKOFF, failures), stopping.signal);
      return true;
    },
    stopped: () => stopped,
  });
  const { wake } = loop;

  async function listen(): Promise<void> {
    const client = new Client({ connectionString: opts.databaseUrl });
    client.on('notification', wake);
    client.on('error', (err) => {
      listener = null;
      client.end().catch(() => undefined);
      if (stopped) return;
      log.warn('outbox listener lost its connection; polling until it is back', { error: err.message });
      setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (stopped) await client.end();
      else listener = client;
    } catch (err) {
      log.warn('outbox listener could not connect; retrying', { error: errorMessage(err) });
      await client.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), 2000).unref();
    }
  }

  /** Takes no more passes from now on (the one running finishes its batch). */
  function halt(): void {
    stopped = true;
    stopping.abort();
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    async start(): Promise<void> {
      stopped = false;
      stopping = new AbortController();
      await listen();
      timer = setInterval(wake, pollMs);
      wake();
    },
    wake,
    /** Runs passes until the outbox is empty (for the CLI and tests). */
    async drainNow(): Promise<void> {
      while ((await drainOnce()) > 0);
    },
    halt,
    async stop(): Promise<void> {
      halt();
      await loop.settled();
      const l = listener;
      listener = null;
      if (l) await l.end().catch(() => undefined);
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
