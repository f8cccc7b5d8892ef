// The transport against an overloaded Odoo: the simulator's database pool, and a scripted proxy in front of
// it for the answers a busy Odoo or its proxy gives (429, 500 PoolError, 502, 503 with Retry-After).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransientError } from '../../../src/lib/errors';
import { silentLogger } from '../../../src/observability/logger';
import { createXmlRpcTransport, xmlRpcTransportFromConfig } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { POOL_FULL_PAGE } from '../../../src/sim/odoo/db-pool';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'o'.repeat(40) };

interface Scripted {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Answers the next object calls from `script`, then passes calls through; counts the object calls. */
async function startScriptedProxy(target: string, script: Scripted[]) {
  const objectCalls: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/object')) {
        objectCalls.push(req.url);
        const next = script.shift();
        if (next) {
          res.writeHead(next.status, { 'Content-Type': 'text/html', ...next.headers }).end(next.body ?? '');
          return;
        }
      }
      const upstream = http.request(`${target}${req.url}`, { method: 'POST', headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objectCalls,
    close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())),
  };
}

describe('XML-RPC transport against an overloaded Odoo', () => {
  let sim: OdooSim;
  beforeAll(async () => {
    // a pool of 8 and 50 ms per call: a burst of 40 concurrent calls overflows it
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 1, orders: 5, dbMaxConn: 8, latencyMs: 50 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.resetLoad());

  const burst = (transport: ReturnType<typeof createXmlRpcTransport>) =>
    Promise.all(
      Array.from({ length: 40 }, () => transport.executeKw<number>('sale.order', 'search_count', [[]])),
    );

  it('keeps a burst within its concurrency limit: no PoolError answers', async () => {
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, maxConcurrency: 4 });
    try {
      expect(await burst(transport)).toEqual(Array(40).fill(5));
      expect(sim.load()).toMatchObject({ poolFullAnswers: 0 });
      expect(sim.load().peakInFlight).toBeLessThanOrEqual(4);
    } finally {
      transport.close();
    }
  });

  it('without a low limit the same burst meets PoolError, and the reads still end well after backing off', async () => {
    const transport = createXmlRpcTransport({
      url: sim.url,
      ...CREDS,
      maxConcurrency: 40,
      retryDelaysMs: [20, 50, 100, 200, 400],
    });
    try {
      expect(await burst(transport)).toEqual(Array(40).fill(5));
      expect(sim.load().poolFullAnswers).toBeGreaterThan(0);
    } finally {
      transport.close();
    }
  });

  async function writeThrough(script: Scripted[]) {
    const proxy = await startScriptedProxy(sim.url, script);
    const transport = createXmlRpcTransport({ url: proxy.url, ...CREDS, retryDelaysMs: [1, 1, 1] });
    try {
      const result = await transport
        .executeKw('sale.order', 'message_post', [[1]], { body: 'note' })
        .catch((e: unknown) => e);
      return { result, calls: proxy.objectCalls.length };
    } finally {
      transport.close();
      await proxy.close();
    }
  }

  it.each<[string, Scripted]>([
    ['a 500 PoolError page', { status: 500, body: POOL_FULL_PAGE }],
    ['a 429', { status: 429, headers: { 'Retry-After': '0' } }],
    ['a 503', { status: 503 }],
  ])('sends a write again after %s: Odoo never ran it', async (_, answer) => {
    const { result, calls } = await writeThrough([answer]);
    expect(typeof result).toBe('number'); // the message id
    expect(calls).toBe(2);
  });

  it.each<[string, Scripted]>([
    ['a 500 of another kind', { status: 500, body: '<h1>Internal Server Error</h1>' }],
    ['a 502', { status: 502 }],
    ['a 504', { status: 504 }],
  ])('does not send a write again after %s (it may have been done): TransientError', async (_, answer) => {
    const { result, calls } = await writeThrough([answer]);
    expect(result).toBeInstanceOf(TransientError);
    expect(result).toMatchObject({ code: 'odoo_overloaded' });
    expect(calls).toBe(1);
  });

  it('leaves a long Retry-After to the caller instead of waiting it out inside the call', async () => {
    const { result, calls } = await writeThrough([{ status: 503, headers: { 'Retry-After': '120' } }]);
    expect(result).toBeInstanceOf(TransientError);
    expect((result as Error).message).toMatch(/HTTP 503/);
    expect(calls).toBe(1);
  });

  it('as configured, halves its allowed concurrency on a 503, says so, and grows it back as calls succeed', async () => {
    const proxy = await startScriptedProxy(sim.url, [{ status: 503 }]);
    const log = silentLogger();
    const warnings: string[] = [];
    jest.spyOn(log, 'warn').mockImplementation(((message: string) => {
      warnings.push(message);
      return log;
    }) as typeof log.warn);
    const limits: number[] = [];
    const config = {
      ODOO_URL: proxy.url,
      ODOO_DB: CREDS.db,
      ODOO_USERNAME: CREDS.username,
      ODOO_API_KEY: CREDS.apiKey,
      ODOO_TIMEOUT_MS: 5000,
      ODOO_MAX_CONCURRENCY: 4,
      ODOO_MAX_RESPONSE_BYTES: 64 * 1024 * 1024,
    };
    const transport = xmlRpcTransportFromConfig(config, log, (limit) => limits.push(limit));
    try {
      expect(await transport.executeKw('sale.order', 'search_count', [[]])).toBe(5);
      for (let i = 0; i < 6; i++) await transport.executeKw('sale.order', 'search_count', [[]]);
      expect(limits).toEqual([4, 2, 3, 4]);
      expect(warnings).toContain('Odoo is overloaded: fewer concurrent calls for a while');
    } finally {
      transport.close();
      await proxy.close();
    }
  });
});
