// One reconnecting AMQP connection (amqp-connection-manager: it re-runs channel setups after a
// reconnect, so we write no reconnect loop) and a confirm channel for publishing. Its in-memory
// buffer is never relied on for durability: callers publish from the outbox and await confirms.
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { sleep } from '../lib';
import { urlHost } from '../lib';
import type { Logger } from '../observability';
import { createOutageLog } from './outage-log';
import { assertTopology, type Topology } from './topology';

export interface Broker {
  topology: Topology;
  connection: AmqpConnectionManager;
  isConnected(): boolean;
  /** Resolves when the broker confirmed the message; rejects on nack, or after timeoutMs. */
  publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions): Promise<void>;
  waitForConnect(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface PublishOptions {
  messageId: string;
  headers?: Record<string, unknown>;
  expiration?: number;
  timeoutMs?: number;
}

export function connectBroker(
  url: string,
  topology: Topology,
  log: Logger,
  /** the clock of the outage log (tests) */
  options: { now?: () => number } = {},
): Broker {
  const connection = amqp.connect([url], { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1 });
  const outage = createOutageLog(options.now);
  const broker = urlHost(url);
  connection.on('connect', () => {
    const o = outage.connected();
    if (o.recovered)
      log.info('broker reachable again', { broker, failedAttempts: o.attempts, downForMs: o.downForMs });
    else log.info('broker connected', { broker });
  });
  connection.on('disconnect', ({ err }) => {
    log.warn('broker disconnected', { broker, error: err?.message });
    outage.failed(); // the drop opens the outage: its first line is this one
  });
  connection.on('connectFailed', ({ err }) => {
    const note = outage.failed();
    if (!note.log) return;
    log.warn(note.first ? 'broker connection failed' : 'broker still unreachable', {
      broker,
      error: err?.message,
      failedAttempts: note.attempts,
      downForMs: note.downForMs,
    });
  });

  const publisher: ChannelWrapper = connection.createChannel({
    confirm: true,
    setup: (ch: ConfirmChannel) => assertTopology(ch, topology),
  });
  watchChannel(publisher, 'publisher', log);

  return {
    topology,
    connection,
    isConnected: () => connection.isConnected(),
    async publish(exchange, routingKey, body, options) {
      const publishOptions: Options.Publish & { timeout?: number } = {
        persistent: true,
        contentType: 'application/json',
        messageId: options.messageId,
        headers: options.headers,
        timeout: options.timeoutMs ?? 10_000,
      };
      if (options.expiration !== undefined) publishOptions.expiration = String(options.expiration);
      await publisher.publish(exchange, routingKey, body, publishOptions);
    },
    async waitForConnect(timeoutMs) {
      await Promise.race([
        publisher.waitForConnect(),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`broker not reachable within ${timeoutMs} ms`)),
            timeoutMs,
          ).unref(),
        ),
      ]);
    },
    async close() {
      await publisher.close().catch(() => undefined);
      await connection.close();
    },
  };
}

/**
 * A channel whose setup fails (the connection dropped mid-way) emits 'error'; unheard, that would crash
 * the process. amqp-connection-manager retries the setup on the next connection: we only log.
 */
export function watchChannel(channel: ChannelWrapper, name: string, log: Logger): ChannelWrapper {
  channel.on('error', (err: Error) =>
    log.warn('broker channel error; it is set up again on reconnect', { channel: name, error: err.message }),
  );
  return channel;
}

/**
 * A confirm channel that consumes `queue` (topology asserted, `prefetch` set), set up again after every
 * reconnect. It does not wait for the broker: with RabbitMQ down at start the API must still come up and
 * store webhooks; the channel sets itself up when the connection arrives.
 */
export function consumeQueue(
  broker: Broker,
  options: { name: string; queue: string; prefetch: number; log: Logger },
  onMessage: (ch: ConfirmChannel, raw: ConsumeMessage) => void,
): ChannelWrapper {
  const channel = broker.connection.createChannel({
    confirm: true,
    setup: async (ch: ConfirmChannel) => {
      await assertTopology(ch, broker.topology);
      await ch.prefetch(options.prefetch);
      await ch.consume(options.queue, (raw) => {
        if (raw) onMessage(ch, raw);
      });
    },
  });
  return watchChannel(channel, options.name, options.log);
}

/** Takes no more messages (the cancel is not awaited: with the broker gone it may never answer). */
export function stopConsuming(channel: ChannelWrapper | null): void {
  void channel?.cancelAll().catch(() => undefined);
}

/**
 * Closes a channel without hanging on a broker that went away: amqplib waits for the broker's close-ok,
 * which a dropped connection never sends, so the drop itself also counts as closed.
 */
export async function closeChannel(
  channel: ChannelWrapper,
  connection: AmqpConnectionManager,
): Promise<void> {
  let onDrop = () => undefined as void;
  const dropped = new Promise<void>((resolve) => {
    onDrop = resolve;
    connection.once('disconnect', onDrop);
  });
  try {
    await Promise.race([channel.close().catch(() => undefined), dropped]);
  } finally {
    connection.removeListener('disconnect', onDrop);
  }
}

/**
 * Puts a message back on its queue after a pause (cut short at shutdown). A channel already closed is
 * fine: the broker redelivers unacked messages anyway.
 */
export async function requeueLater(
  ch: ConfirmChannel,
  raw: ConsumeMessage,
  pauseMs: number,
  signal: AbortSignal,
): Promise<void> {
  await sleep(pauseMs, signal);
  try {
    ch.nack(raw, false, true);
  } catch {
    // channel closed: redelivered later
  }
}
