// The admin routes against odd ids and queries: each answers 400 or 404, never 500, and the token
// is checked before anything in the request is read. The whole service runs (real PostgreSQL,
// RabbitMQ and the simulators), so every route is the one deployed.
import request from 'supertest';
import { startHarness, type Harness } from '../../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h?.stop());

const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };

const ODD_IDS = [
  '99999999999999999999',
  '9223372036854775808',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x1f',
  'abc',
  '%00',
  '%E0%A4%A',
  '%27%20OR%201%3D1',
  'ñ',
  '1'.repeat(2000),
  '00000000-0000-4000-8000-00000000000g',
];

const ROUTES: Array<[string, (id: string) => string]> = [
  ['GET', (id) => `/admin/reconciliations/${id}`],
  ['GET', (id) => `/admin/reconciliations/${id}.json`],
  ['GET', (id) => `/admin/reconciliations/${id}.html`],
  ['GET', (id) => `/admin/reconciliations/${id}.csv`],
  ['POST', (id) => `/admin/dead-letters/${id}/replay`],
  ['GET', (id) => `/admin/events/${id}`],
];

const QUERIES = [
  '/admin/helpdesk/summary?since=-271821-04-20T00:00:00Z',
  '/admin/helpdesk/summary?since=+275760-09-13T00:00:00Z',
  '/admin/helpdesk/summary?since=0000-01-01T00:00:00Z',
  '/admin/helpdesk/summary?since=yesterday',
  '/admin/helpdesk/summary?since=2025-01-01T00:00:00Z&since=2025-01-02T00:00:00Z',
  '/admin/dead-letters?limit=-5',
  '/admin/dead-letters?limit=1e400',
  '/admin/dead-letters?limit=abc',
  '/admin/dead-letters?all=maybe',
  '/admin/reconciliations?limit=99999999999999999999',
  '/admin/reconciliations?limit[]=1',
];

const send = (method: string, path: string) =>
  method === 'POST' ? request(h.service.app).post(path) : request(h.service.app).get(path);

describe('admin routes with odd input', () => {
  const short = (s: string) => (s.length > 60 ? `${s.slice(0, 40)}…(${s.length} chars)` : s);
  const cases = ROUTES.flatMap(([method, path]) =>
    ODD_IDS.map((id) => [method, short(path(id)), path(id)] as const),
  );

  it.each(cases)('%s %s answers 400 or 404', async (method, _shown, path) => {
    const res = await send(method, path).set(ADMIN);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it.each(QUERIES)('GET %s answers 400', async (path) => {
    const res = await request(h.service.app).get(path).set(ADMIN);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_query');
  });

  it('still answers well-formed queries', async () => {
    for (const path of [
      '/admin/helpdesk/summary?since=2025-01-01T00:00:00Z',
      '/admin/dead-letters?limit=5&all=true',
      '/admin/reconciliations?limit=3',
    ])
      expect((await request(h.service.app).get(path).set(ADMIN)).status).toBe(200);
  });

  it('answers 404 to a well-formed id that names nothing', async () => {
    for (const path of [
      '/admin/reconciliations/9223372036854775807.html',
      '/admin/events/00000000-0000-4000-8000-000000000000',
    ])
      expect((await request(h.service.app).get(path).set(ADMIN)).status).toBe(404);
    const replay = await request(h.service.app)
      .post('/admin/dead-letters/9223372036854775807/replay')
      .set(ADMIN);
    expect(replay.status).toBe(404);
  });

  it("tells the story of an event stored before ids were checked (an order id past Odoo's range)", async () => {
    const eventId = '00000000-0000-4000-8000-0000000000e1';
    await h.db.pool.query(
      `INSERT INTO outbox (message_id, event_id, routing_key, payload)
       VALUES ('00000000-0000-4000-8000-0000000000e2', $1, 'order.sync', $2)`,
      [eventId, { trigger: 'order.paid', orderId: 2 ** 31, orderName: 'S1' }],
    );
    const res = await request(h.service.app).get(`/admin/events/${eventId}`).set(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId, tickets: [] });
  });

  it.each([
    ['a malformed JSON body', '{"dryRun":'],
    ['a wrong field', '{"dryRun":"yes"}'],
  ])('answers 401, not 400, to %s without the token', async (_label, body) => {
    const res = await request(h.service.app)
      .post('/admin/reconciliations')
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(401);
  });
});
