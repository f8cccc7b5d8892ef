// RabbitMQ down at start (a cut proxy): the first failed attempt is logged, the next ones only as the
// outage log's growing intervals allow (here a stopped clock: none), and one line says when the broker
// is reachable again.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../src/observability/logger';
import { connectBroker, type Broker } from '../../../src/queue/broker';
import { deleteTopology, topologyFor } from '../../../src/queue/topology';
import { waitFor } from '../../support/db';
import { amqpUrl } from '../../support/env';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';

jest.setTimeout(60_000);

interface Line {
  level: string;
  message: string;
  broker?: string;
  failedAttempts?: number;
}

describe('broker outage log', () => {
  const topology = topologyFor(`test-${process.env.TEST_RUN_ID}-${randomBytes(3).toString('hex')}`, [100]);
  let proxy: TcpProxy;
  let broker: Broker | null = null;
  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(amqpUrl()).port || 5672));
  });
  afterAll(async () => {
    await broker?.close();
    await proxy.close();
    await deleteTopology(amqpUrl(), topology);
  });

  it('logs the first failure, not every retry, and once that the broker is reachable again', async () => {
    await proxy.cut();
    const lines: Line[] = [];
    const log = createLogger('info', { output: { write: (l) => lines.push(JSON.parse(l) as Line) } });
    const u = new URL(amqpUrl());
    broker = connectBroker(proxy.url('amqp', `${u.username}:${u.password}`), topology, log, {
      now: () => 0,
    });
    let failures = 0;
    broker.connection.on('connectFailed', () => (failures += 1));
    await waitFor(() => failures >= 3, 'three failed attempts to connect');
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'broker connection failed',
        broker: `127.0.0.1:${proxy.port}`,
        failedAttempts: 1,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(u.password);

    await proxy.restore();
    await waitFor(() => broker?.isConnected(), 'the broker connected');
    const back = await waitFor(
      () => lines.find((l) => l.message === 'broker reachable again'),
      'the "reachable again" line',
    );
    expect(back?.failedAttempts).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.message === 'broker reachable again')).toHaveLength(1);
  });
});
