// Can the broker be reached with this URL? One connection opened and closed, nothing declared.
import amqplib from 'amqplib';

/** Resolves with the broker's product and version (e.g. "RabbitMQ 3.13.7") once it accepted the login. */
export async function probeBroker(url: string, timeoutMs: number): Promise<string> {
  const connection = await amqplib.connect(url, { timeout: timeoutMs });
  try {
    const props = (connection as unknown as { connection?: { serverProperties?: Record<string, unknown> } })
      .connection?.serverProperties;
    return [props?.product, props?.version].filter((p) => typeof p === 'string').join(' ') || 'a broker';
  } finally {
    await connection.close().catch(() => undefined);
  }
}
