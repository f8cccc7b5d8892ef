// POST /webhooks/odoo against a real PostgreSQL database (no broker needed: 202 = committed).
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
