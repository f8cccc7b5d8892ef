// Consumes the dead-letter queue. Messages the consumer dead-lettered itself were recorded already
// (they carry x-lms-sync-reason); messages the BROKER dead-lettered (delivery limit reached after
// repeated crashes or infrastructure errors) are recorded here, so every dead message is in
// PostgreSQL, listable and replayable.
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { errorMessage } from '../lib/errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { closeChannel, consumeQueue, requeueLater, stopConsuming, type Broker } from './broker';
import type { DeadLetters } from './dead-letters';
import { orderSyncMessage } from './messages';
import type { HelpdeskHooks } from '../helpdesk/hooks';

export function brokerDeathReason(headers: Record<string, unknown> | undefined): string {
  const first = headers?.['x-first-death-reason'];
  return typeof first === 'string' ? first : 'unknown';
}

export function createDeadQueueRecorder(deps: {
  broker: Broker;
  deadLetters: DeadLetters;
  log: Logger;
  metrics: Metrics;
  helpdesk?: HelpdeskHooks;
}) {
  const { broker, deadLetters, log, metrics } = deps;
  let channel: ChannelWrapper | null = null;
  const stopping = new AbortController();

  async function handle(ch: ConfirmChannel, raw: ConsumeMessage): Promise<void> {
    const headers = raw.properties.headers ?? {};
    if (headers['x-lms-sync-reason']) {
      ch.ack(raw);
      return;
    }
    const parsed = orderSyncMessage.safeParse(safeJson(raw.content));
    if (!parsed.success) {
      log.error('unreadable message in the dead-letter queue dropped after logging', {
        messageId: raw.properties.messageId,
        bytes: raw.content.length,
        reason: brokerDeathReason(headers),
      });
      ch.ack(raw);
      return;
    }
    const reasonCode = `broker_${brokerDeathReason(headers)}`;
    try {
      const reason = `the broker dead-lettered this message (${brokerDeathReason(headers)}): it failed on delivery too many times`;
      const fresh = await deadLetters.record([
        {
          message: parsed.data,
          businessKey: null,
          reasonCode,
          reason,
          attempts: Number(headers['x-delivery-count'] ?? 0),
        },
      ]);
      metrics.deadLetters.inc({ reason: reasonCode });
      if (fresh.length && deps.helpdesk) {
        await deps.helpdesk.deadLettered(parsed.data, [
          { businessKey: null, code: reasonCode, message: reason, permanent: true },
        ]);
      }
      ch.ack(raw);
    } catch (err) {
      log.warn('could not record a dead letter; it stays in the queue', { error: errorMessage(err) });
      await requeueLater(ch, raw, 2000, stopping.signal);
    }
  }

  function halt(): void {
    stopping.abort();
    stopConsuming(channel);
  }

  return {
    async start(): Promise<void> {
      const options = { name: 'dead-letter recorder', queue: broker.topology.deadQueue, prefetch: 16, log };
      channel = consumeQueue(broker, options, (ch, raw) => void handle(ch, raw));
    },
    halt,
    async stop(): Promise<void> {
      halt();
      const ch = channel;
      channel = null;
      if (ch) await closeChannel(ch, broker.connection);
    },
  };
}

function safeJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return null;
  }
}
