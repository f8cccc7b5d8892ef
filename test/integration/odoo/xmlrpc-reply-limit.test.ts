// An Odoo (or a proxy) answering more than ODOO_MAX_RESPONSE_BYTES: that call fails with a clear
// PermanentError, the stream is cut as soon as the limit passes, and the transport goes on working.
import { PermanentError } from '../../../src/lib/errors';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { dumpResponse } from '../../../src/sim/odoo/xml-write';
import { waitFor } from '../../support/db';
import {
  odooCall,
  startHostileServer,
  type HostileServer,
  type StreamRecord,
} from '../../support/hostile-server';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'b'.repeat(40) };
const LIMIT = 64 * 1024;

describe('XML-RPC reply size limit', () => {
  let sim: OdooSim;
  let hostile: HostileServer;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 1, orders: 3 });
    hostile = await startHostileServer(sim.url);
  });
  afterEach(() => hostile.answer(null));
  afterAll(async () => {
    await hostile.close();
    await sim.close();
  });

  const transport = () =>
    createXmlRpcTransport({ url: hostile.url, ...CREDS, maxResponseBytes: LIMIT, retryDelaysMs: [1, 1] });

  it('cuts a reply that streams past the limit and fails that call with odoo_reply_too_large', async () => {
    const upTo = 32 * 1024 * 1024;
    hostile.answer((req) =>
      odooCall(req).method === 'search_read'
        ? {
            stream: {
              prefix: '<?xml version="1.0"?><methodResponse><params><param><value><string>',
              chunk: 'x'.repeat(16 * 1024),
              upTo,
            },
          }
        : undefined,
    );
    const t = transport();
    try {
      const err = await t.executeKw('sale.order', 'search_read', [[]]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect(err).toMatchObject({ code: 'odoo_reply_too_large' });
      expect((err as Error).message).toBe(
        `Odoo answered sale.order.search_read with more than ${LIMIT} bytes (ODOO_MAX_RESPONSE_BYTES); the reply was dropped`,
      );
      const stream = (await waitFor(() => hostile.streams[0], 'the stream')) as StreamRecord;
      await waitFor(() => stream.cutByClient, 'the client to hang up');
      expect(stream.bytesSent).toBeLessThan(upTo);
      // not retried: the same call brings the same reply
      expect(hostile.seen.filter((r) => odooCall(r).method === 'search_read')).toHaveLength(1);
      expect(await t.executeKw('sale.order', 'search_count', [[]])).toBe(3);
    } finally {
      t.close();
    }
  });

  it('refuses a reply whose Content-Length is past the limit, and takes one within it', async () => {
    const big = dumpResponse([{ id: 1, note: 'y'.repeat(LIMIT) }]);
    const small = dumpResponse([{ id: 1, note: 'y'.repeat(LIMIT / 2) }]);
    hostile.answer((req) => {
      const { method, model } = odooCall(req);
      if (method !== 'read') return undefined;
      return { body: model === 'big.model' ? big : small };
    });
    const t = transport();
    try {
      const err = await t.executeKw('big.model', 'read', [[1]]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'odoo_reply_too_large' });
      const ok = await t.executeKw<Array<{ note: string }>>('small.model', 'read', [[1]]);
      expect(ok[0]?.note).toHaveLength(LIMIT / 2);
    } finally {
      t.close();
    }
  });
});
