import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, TransientError } from '../../../src/lib/errors';
import { OdooFault } from '../../../src/odoo/faults';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'b'.repeat(40) };

/** A proxy in front of the simulator that counts calls by XML-RPC method and can drop connections. */
async function startProxy(target: string, options: { dropObjectCalls?: number } = {}) {
  const calls: string[] = [];
  let toDrop = options.dropObjectCalls ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push(/<methodName>([^<]+)</.exec(body.toString())?.[1] ?? '?');
      if (req.url?.endsWith('/object') && toDrop > 0) {
        toDrop--;
        req.socket.destroy(); // the request reached the server: a reset, not a refusal
        return;
      }
      const upstream = http.request(`${target}${req.url}`, { method: 'POST', headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('XML-RPC transport', () => {
  let sim: OdooSim;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 1, orders: 5 });
  });
  afterAll(() => sim.close());

  it('turns a refused connection into TransientError odoo_unreachable after its retries, naming the host', async () => {
    const port = await freePort();
    const transport = createXmlRpcTransport({
      url: `http://svc:url-password@127.0.0.1:${port}/`,
      ...CREDS,
      retryDelaysMs: [1, 1],
    });
    const err = await transport.executeKw('sale.order', 'search', [[]]).catch((e: unknown) => e);
    transport.close();
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'odoo_unreachable' });
    // host and port, never the password in the URL
    expect((err as Error).message).toBe(
      `Odoo at 127.0.0.1:${port} refused the connection (common.authenticate)`,
    );
  });

  it('turns a slow answer into TransientError odoo_unreachable', async () => {
    const slow = await startOdooSim({ port: 0, ...CREDS, latencyMs: 300 });
    const transport = createXmlRpcTransport({ url: slow.url, ...CREDS, timeoutMs: 50, retryDelaysMs: [] });
    try {
      const err = await transport.version().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as Error).message).toMatch(/did not answer common\.version within 50 ms/);
    } finally {
      transport.close();
      await slow.close();
    }
  });

  it('fails with PermanentError odoo_auth_failed naming the user and db but never the key', async () => {
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, apiKey: 'wrong-key-123' });
    const err = await transport.executeKw('sale.order', 'search', [[]]).catch((e: unknown) => e);
    transport.close();
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'odoo_auth_failed' });
    expect((err as Error).message).toMatch(/ODOO_USERNAME "svc" on ODOO_DB "odoo"/);
    expect((err as Error).message).not.toContain('wrong-key-123');
  });

  it('maps Faults to OdooFault codes and never retries them', async () => {
    const proxy = await startProxy(sim.url);
    const transport = createXmlRpcTransport({ url: proxy.url, ...CREDS, retryDelaysMs: [1, 1] });
    try {
      const missing = await transport.executeKw('foo.bar', 'search', [[]]).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(OdooFault);
      expect(missing).toMatchObject({ faultCode: 2, code: 'odoo_user_error' });
      const privateCall = await transport.executeKw('sale.order', '_x', [[]]).catch((e: unknown) => e);
      expect(privateCall).toMatchObject({ faultCode: 4, code: 'odoo_access_error' });
      const server = await transport
        .executeKw('sale.order', 'write', [[1], { lms_sync_state: 'x' }])
        .catch((e: unknown) => e);
      expect(server).toMatchObject({ faultCode: 1, code: 'odoo_server_error' });
      expect((server as Error).message).toBe(
        "Odoo sale.order.write: ValueError: Wrong value for sale.order.lms_sync_state: 'x'",
      );
      expect(proxy.calls.filter((c) => c === 'execute_kw')).toHaveLength(3);
    } finally {
      transport.close();
      await proxy.close();
    }
  });

  it('authenticates once for concurrent first calls', async () => {
    const proxy = await startProxy(sim.url);
    const transport = createXmlRpcTransport({ url: proxy.url, ...CREDS });
    try {
      const counts = await Promise.all(
        [1, 2, 3].map(() => transport.executeKw<number>('sale.order', 'search_count', [[]])),
      );
      expect(counts).toEqual([5, 5, 5]);
      expect(proxy.calls.filter((c) => c === 'authenticate')).toHaveLength(1);
    } finally {
      transport.close();
      await proxy.close();
    }
  });

  it('retries a read after a dropped connection, but not a write', async () => {
    const proxy = await startProxy(sim.url, { dropObjectCalls: 1 });
    const transport = createXmlRpcTransport({ url: proxy.url, ...CREDS, retryDelaysMs: [1, 1] });
    try {
      expect(await transport.executeKw('sale.order', 'search_count', [[]])).toBe(5);
      expect(proxy.calls.filter((c) => c === 'execute_kw')).toHaveLength(2);
      const dropAgain = await startProxy(sim.url, { dropObjectCalls: 1 });
      const writer = createXmlRpcTransport({ url: dropAgain.url, ...CREDS, retryDelaysMs: [1, 1] });
      const err = await writer
        .executeKw('sale.order', 'write', [[1], { lms_sync_state: 'synced' }])
        .catch((e: unknown) => e);
      writer.close();
      await dropAgain.close();
      expect(err).toBeInstanceOf(TransientError);
      expect(dropAgain.calls.filter((c) => c === 'execute_kw')).toHaveLength(1);
    } finally {
      transport.close();
      await proxy.close();
    }
  });

  it('sends nothing once its stop signal is aborted: not a call waiting for a slot, nor a retry', async () => {
    const waitUntil = async (ok: () => boolean) => {
      while (!ok()) await new Promise((r) => setTimeout(r, 5));
    };
    // a call waiting for the one slot while another is on the wire
    const slow = await startOdooSim({ port: 0, ...CREDS, orders: 2, latencyMs: 300 });
    const proxy = await startProxy(slow.url);
    const stop = new AbortController();
    const transport = createXmlRpcTransport({
      url: proxy.url,
      ...CREDS,
      maxConcurrency: 1,
      stopSignal: stop.signal,
    });
    try {
      await transport.executeKw('sale.order', 'search_count', [[]]); // signed in
      const sent = proxy.calls.length;
      const read = transport.executeKw('sale.order', 'search_count', [[]]);
      const write = transport
        .executeKw('sale.order', 'write', [[1], { lms_sync_state: 'synced' }])
        .catch((e: unknown) => e);
      await waitUntil(() => proxy.calls.length > sent);
      stop.abort();
      expect(await read).toBe(2); // on the wire before the stop: answered
      expect(await write).toMatchObject({ code: 'shutting_down' });
      expect(await write).toBeInstanceOf(TransientError);
      expect(proxy.calls.slice(sent)).toEqual(['execute_kw']);
    } finally {
      transport.close();
      await proxy.close();
      await slow.close();
    }

    // a retry due after the stop
    const dropping = await startProxy(sim.url, { dropObjectCalls: 1 });
    const stop2 = new AbortController();
    const retrying = createXmlRpcTransport({
      url: dropping.url,
      ...CREDS,
      retryDelaysMs: [300],
      stopSignal: stop2.signal,
    });
    try {
      const read = retrying.executeKw('sale.order', 'search_count', [[]]).catch((e: unknown) => e);
      await waitUntil(() => dropping.calls.includes('execute_kw'));
      stop2.abort();
      expect(await read).toMatchObject({ code: 'shutting_down' });
      expect(dropping.calls).toEqual(['authenticate', 'execute_kw']);
    } finally {
      retrying.close();
      await dropping.close();
    }
  });
});
