// The listener's limits on real sockets (the app on a real PostgreSQL): a trickled body is cut at the
// request timeout, connections past the cap are closed, and clients past their rate get 429.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { getApp, type AppDeps } from '../../../src/http/app';
import { closeServer, listenHttp, type ServerLimits } from '../../../src/http/server';
import { silentLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { createDeadLetters } from '../../../src/queue/dead-letters';
import { createIntake } from '../../../src/webhooks/intake';
import { createTestDb, waitFor, type TestDb } from '../../support/db';
import { TEST_SECRET, events, signedDelivery } from '../../support/webhooks';

const ADMIN_TOKEN = 'admin-token-for-tests-only';
let db: TestDb;
const servers: Server[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  db = await createTestDb();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await closeServer(s);
});
afterAll(() => db.drop());

function app(extra: Partial<AppDeps> = {}) {
  return getApp({
    pool: db.pool,
    log: silentLogger(),
    metrics: createMetrics(),
    secrets: [TEST_SECRET],
    adminToken: ADMIN_TOKEN,
    maxBodyBytes: 4096,
    storeDelivery: createIntake({ pool: db.pool }),
    deadLetters: createDeadLetters(db.pool),
    readiness: async () => ({ ready: true, checks: {} }),
    ...extra,
  });
}

const LONG: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 1000,
};

async function serve(limits: Partial<ServerLimits>): Promise<number> {
  const server = await listenHttp(app(), { port: 0, host: '127.0.0.1' }, { ...LONG, ...limits });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A raw client socket that records what it receives and whether the server closed it. */
async function open(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const seen = { data: '', closed: false };
  socket.on('data', (d) => (seen.data += d.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (seen.closed = true));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, seen };
}

const signed = signedDelivery(events.paid(2));
let limited: ReturnType<typeof app>;
const limitedMetrics = createMetrics();
beforeAll(() => {
  limited = app({ metrics: limitedMetrics, rateLimits: { webhooksPerMinute: 3, adminPerMinute: 3 } });
});

describe('HTTP server limits', () => {
  it('cuts a webhook whose body trickles in past the request timeout (408)', async () => {
    const port = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const { socket, seen } = await open(port);
    const d = signedDelivery(events.paid(1));
    const head = Object.entries({ ...d.headers, 'content-length': '1000' }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST /webhooks/odoo HTTP/1.1\r\nhost: 127.0.0.1\r\n${head.join('\r\n')}\r\n\r\n{`);
    const trickle = setInterval(() => socket.writable && socket.write(' '), 50); // one byte every 50 ms
    try {
      await waitFor(() => seen.closed, 'the server to close the trickling connection', 10_000);
    } finally {
      clearInterval(trickle);
    }
    expect(seen.data).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection that sends no request within the headers timeout', async () => {
    const port = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const { seen } = await open(port);
    await waitFor(() => seen.closed, 'the server to close the silent connection', 10_000);
  });

  it('closes connections past the cap, and keeps serving the ones it holds', async () => {
    const port = await serve({ maxConnections: 3 });
    const held = [await open(port), await open(port), await open(port)];
    const server = servers[0] as Server;
    await waitFor(
      () => new Promise<boolean>((r) => server.getConnections((_e, n) => r(n === 3))),
      'three connections held',
    );
    const extra = await open(port);
    await waitFor(() => extra.seen.closed, 'the connection past the cap to be closed', 10_000);
    const first = held[0] as Awaited<ReturnType<typeof open>>;
    first.socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await waitFor(() => first.seen.data.includes('"status":"ok"'), 'a held connection to be served');
    expect(held.every((h) => !h.seen.closed)).toBe(true);
  });

  it.each([
    [
      'POST /webhooks/odoo',
      () => request(limited).post('/webhooks/odoo').set(signed.headers).send(signed.body),
    ],
    ['GET /admin/dead-letters', () => request(limited).get('/admin/dead-letters')],
  ])('answers 429 with Retry-After to a client past its rate on %s', async (_route, send) => {
    for (let i = 0; i < 3; i++) expect((await send()).status).not.toBe(429);
    const res = await send();
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.body.error).toBe('rate_limited');
  });

  it('counts the webhook it refused for its rate (in the test above)', async () => {
    const text = await limitedMetrics.registry.metrics();
    expect(text).toMatch(/lms_sync_webhook_deliveries_total\{outcome="rate_limited"\} 1/);
  });
});
