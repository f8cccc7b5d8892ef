// POST /webhooks/odoo against a real PostgreSQL database (no broker needed: 202 = committed).
import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { getApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { createDeadLetters } from '../../../src/queue/dead-letters';
import { createIntake } from '../../../src/webhooks/intake';
import { createTestDb, type TestDb } from '../../support/db';
import { OTHER_SECRET, TEST_SECRET, events, signedDelivery } from '../../support/webhooks';

let db: TestDb;
let app: ReturnType<typeof getApp>;

beforeAll(async () => {
  db = await createTestDb();
  app = getApp({
    pool: db.pool,
    log: silentLogger(),
    metrics: createMetrics(),
    secrets: [TEST_SECRET, OTHER_SECRET],
    adminToken: 'admin-token-for-tests-only',
    maxBodyBytes: 4096,
    storeDelivery: createIntake({ pool: db.pool }),
    deadLetters: createDeadLetters(db.pool),
    readiness: async () => ({ ready: true, checks: {} }),
  });
});
afterAll(() => db.drop());

const post = (d: { headers: Record<string, string>; body: string }) =>
  request(app).post('/webhooks/odoo').set(d.headers).send(d.body);
const retryBy = (name: string) => {
  const e = events.retry(3001);
  return { ...e, data: { ...e.data, requestedBy: { userId: 2, name } } };
};
const counts = async () => {
  const { rows } = await db.pool.query<{ d: number; o: number }>(
    'SELECT (SELECT count(*) FROM webhook_deliveries)::int AS d, (SELECT count(*) FROM outbox)::int AS o',
  );
  return rows[0];
};

describe('POST /webhooks/odoo', () => {
  it('answers 202 with an event id, and the delivery and its outbox message are committed', async () => {
    const before = await counts();
    const res = await post(signedDelivery(events.paid(101)));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'accepted' });
    const { rows } = await db.pool.query('SELECT routing_key, payload FROM outbox WHERE event_id = $1', [
      res.body.eventId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ trigger: 'order.paid', orderId: 101, eventId: res.body.eventId });
    expect(await counts()).toEqual({ d: (before?.d ?? 0) + 1, o: (before?.o ?? 0) + 1 });
  });

  it.each([
    ['order.refunded', events.refunded(102)],
    ['enrollment.retry_requested', events.retry(103, 'S00103', [5])],
  ])('accepts %s', async (_t, payload) => {
    const res = await post(signedDelivery(payload));
    expect(res.status).toBe(202);
  });

  it('answers 200 duplicate when a delivery is resent, storing it once', async () => {
    const d = signedDelivery(events.paid(104));
    const first = await post(d);
    const before = await counts();
    const second = await post(d);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ eventId: first.body.eventId, status: 'duplicate' });
    expect(await counts()).toEqual(before);
  });

  it('answers 422 when a webhook-id is reused with a different body', async () => {
    const d = signedDelivery(events.paid(105), { id: 'msg_reused' });
    await post(d);
    const res = await post(signedDelivery(events.paid(106), { id: 'msg_reused' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('idempotency_conflict');
  });

  it('answers 409 while the first delivery with that id is still being committed', async () => {
    const d = signedDelivery(events.paid(107), { id: 'msg_in_flight' });
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('msg_in_flight', 7431))");
      const res = await post(d);
      expect(res.status).toBe(409);
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await post(d)).status).toBe(202);
  });

  it('stores a burst of concurrent deliveries, each once, committed in shared batches', async () => {
    const before = await counts();
    const burst = Array.from({ length: 200 }, (_, i) => signedDelivery(events.paid(1000 + i)));
    const res = await Promise.all(burst.map(post));
    expect(res.every((r) => r.status === 202)).toBe(true);
    expect(new Set(res.map((r) => r.body.eventId)).size).toBe(200);
    expect(await counts()).toEqual({ d: (before?.d ?? 0) + 200, o: (before?.o ?? 0) + 200 });
  });

  it.each([
    ['a NUL in orderName', events.paid(3000, 'S\u00003000'), 'data.orderName'],
    ['a lone surrogate in requestedBy.name', retryBy('Ann \uD83D'), 'data.requestedBy.name'],
    ['an orderId beyond 32 bits', events.paid(2 ** 31), 'data.orderId'],
  ])('refuses %s with 400 and its path, and the deliveries beside it are stored', async (_l, odd, path) => {
    const before = await counts();
    const valid = Array.from({ length: 200 }, (_, i) => signedDelivery(events.paid(4000 + i)));
    const res = await Promise.all(
      [...valid.slice(0, 100), signedDelivery(odd), ...valid.slice(100)].map(post),
    );
    expect(res[100]?.status).toBe(400);
    expect(res[100]?.body.issues).toEqual([{ path, message: expect.any(String) }]);
    expect(res.filter((r) => r.status === 202)).toHaveLength(200);
    expect(await counts()).toEqual({ d: (before?.d ?? 0) + 200, o: (before?.o ?? 0) + 200 });
  });

  it('accepts one of many concurrent copies of a delivery; the others are duplicates or 409', async () => {
    const before = await counts();
    const d = signedDelivery(events.paid(2000));
    const res = await Promise.all(Array.from({ length: 20 }, () => post(d)));
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.every((s) => [202, 200, 409].includes(s))).toBe(true);
    expect(await counts()).toEqual({ d: (before?.d ?? 0) + 1, o: (before?.o ?? 0) + 1 });
  });

  it('accepts a delivery signed with the second (rotated) secret', async () => {
    expect((await post(signedDelivery(events.paid(108), { secret: OTHER_SECRET }))).status).toBe(202);
  });

  describe('refusals store nothing', () => {
    const wrongSecret = 'whsec_' + Buffer.from('not-the-right-secret-at-all!!!!!').toString('base64');
    const d = () => signedDelivery(events.paid(200));
    it.each<[string, number, string, () => { headers: Record<string, string>; body: string }]>([
      [
        'a wrong secret',
        401,
        'invalid_signature',
        () => signedDelivery(events.paid(200), { secret: wrongSecret }),
      ],
      [
        'a stale timestamp',
        401,
        'invalid_signature',
        () => signedDelivery(events.paid(200), { timestamp: Math.floor(Date.now() / 1000) - 400 }),
      ],
      [
        'a future timestamp',
        401,
        'invalid_signature',
        () => signedDelivery(events.paid(200), { timestamp: Math.floor(Date.now() / 1000) + 400 }),
      ],
      [
        'a body tampered by one byte',
        401,
        'invalid_signature',
        () => ({ ...d(), body: d().body.replace('200', '201') }),
      ],
      [
        'missing signature headers',
        401,
        'invalid_signature',
        () => ({ headers: { 'content-type': 'application/json' }, body: d().body }),
      ],
      [
        'an unknown type',
        400,
        'invalid_payload',
        () => signedDelivery({ ...events.paid(200), type: 'order.shipped' }),
      ],
      [
        'a wrongly typed field',
        400,
        'invalid_payload',
        () => signedDelivery({ ...events.paid(200), data: { orderId: 'x', orderName: 'S' } }),
      ],
      [
        'a missing field',
        400,
        'invalid_payload',
        () => signedDelivery({ ...events.retry(200), data: { orderId: 200, orderName: 'S' } }),
      ],
      [
        'a body that is not JSON',
        400,
        'invalid_json',
        () => signedDelivery(null, { body: '{"type": "order.paid",' }),
      ],
      [
        'an oversize body',
        413,
        'payload_too_large',
        () => signedDelivery(null, { body: JSON.stringify({ ...events.paid(200), pad: 'x'.repeat(5000) }) }),
      ],
      [
        'a non-JSON content type',
        415,
        'unsupported_media_type',
        () => ({ ...d(), headers: { ...d().headers, 'content-type': 'text/plain' } }),
      ],
    ])('%s → %i %s', async (_label, status, error, make) => {
      const before = await counts();
      const res = await post(make());
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expect(await counts()).toEqual(before);
    });

    it('lists each invalid field with its path', async () => {
      const res = await post(
        signedDelivery({ ...events.retry(200), data: { orderId: 'x', orderName: 'S' } }),
      );
      expect(res.body.issues).toEqual(
        expect.arrayContaining([
          { path: 'data.orderId', message: expect.any(String) },
          { path: 'data.requestedBy', message: expect.any(String) },
        ]),
      );
    });
  });

  describe('the body, read as sent', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** One request written in the given pieces (no Content-Length unless set): status, headers, body. */
    function send(
      headers: Record<string, string>,
      pieces: string[],
      options: { gapMs?: number; abortAfter?: number } = {},
    ): Promise<{ status: number; headers: Record<string, unknown>; body: unknown } | 'aborted'> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/odoo', headers });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
          );
        });
        req.on('error', (err) => (options.abortAfter !== undefined ? resolve('aborted') : reject(err)));
        void (async () => {
          for (const [i, piece] of pieces.entries()) {
            if (options.abortAfter === i) {
              req.destroy();
              return;
            }
            req.write(piece);
            await new Promise((r) => setTimeout(r, options.gapMs ?? 0));
          }
          req.end();
        })();
      });
    }

    it('verifies the signature over a body that arrives in several pieces', async () => {
      const d = signedDelivery(events.paid(401));
      const third = Math.ceil(d.body.length / 3);
      const res = await send(
        d.headers,
        [d.body.slice(0, third), d.body.slice(third, 2 * third), d.body.slice(2 * third)],
        {
          gapMs: 20,
        },
      );
      expect(res).toMatchObject({ status: 202, body: { status: 'accepted' } });
    });

    it('refuses a compressed body (415): the signed bytes are the ones sent', async () => {
      const before = await counts();
      const d = signedDelivery(events.paid(402));
      const res = await send({ ...d.headers, 'content-encoding': 'gzip' }, [d.body]);
      expect(res).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
      expect(await counts()).toEqual(before);
    });

    it('refuses a declared Content-Length past the limit before reading, and closes the connection', async () => {
      const d = signedDelivery(events.paid(403));
      const res = await send({ ...d.headers, 'content-length': '100000' }, [d.body]);
      expect(res).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
      expect(res !== 'aborted' && res.headers.connection).toBe('close');
    });

    it('refuses a chunked body once it passes the limit (413), storing nothing', async () => {
      const before = await counts();
      const d = signedDelivery(events.paid(404));
      const res = await send(d.headers, [
        d.body.slice(0, -1),
        ' '.repeat(3000),
        ' '.repeat(3000),
        d.body.slice(-1),
      ]);
      expect(res).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
      expect(await counts()).toEqual(before);
    });

    it('stores nothing of a request whose client goes away mid-body, and serves the next one', async () => {
      const before = await counts();
      const d = signedDelivery(events.paid(405));
      const half = Math.ceil(d.body.length / 2);
      const gone = await send(
        { ...d.headers, 'content-length': String(Buffer.byteLength(d.body)) },
        [d.body.slice(0, half), d.body.slice(half)],
        { gapMs: 20, abortAfter: 1 },
      );
      expect(gone).toBe('aborted');
      await new Promise((r) => setTimeout(r, 50));
      expect(await counts()).toEqual(before);
      const next = signedDelivery(events.paid(406));
      expect(await send(next.headers, [next.body])).toMatchObject({ status: 202 });
    });
  });

  it('answers 503, never 202, when PostgreSQL is unavailable', async () => {
    const { Pool } = await import('pg');
    const deadPool = new Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    const broken = getApp({
      pool: deadPool,
      log: silentLogger(),
      metrics: createMetrics(),
      secrets: [TEST_SECRET],
      adminToken: 'admin-token-for-tests-only',
      maxBodyBytes: 4096,
      storeDelivery: createIntake({ pool: deadPool }),
      deadLetters: createDeadLetters(deadPool),
      readiness: async () => ({ ready: false, checks: {} }),
    });
    const d = signedDelivery(events.paid(300));
    const res = await request(broken).post('/webhooks/odoo').set(d.headers).send(d.body);
    expect(res.status).toBe(503);
    await deadPool.end();
  });
});
