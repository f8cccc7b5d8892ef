import { noteMarker } from '../../../src/odoo/chatter';
import { createOdooGateway } from '../../../src/odoo/transport-gateway';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import type { OdooGateway } from '../../../src/odoo/gateway';
import { silentLogger } from '../../../src/observability/logger';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { waitFor } from '../../support/db';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'n'.repeat(40) };
// Each message_post stays open this long in the simulator: a second post starting meanwhile on the same
// order collides on mail_followers, as on a real Odoo.
const POST_MS = 800;

describe('order notes against an Odoo that refuses overlapping posts on one record', () => {
  let sim: OdooSim;
  let gateway: OdooGateway;
  let close: () => void;
  let partnerId: number;
  let keys = 0;
  const note = (text: string) => ({ text, key: `gateway-notes-test:${++keys}` });
  const newOrder = () => sim.store.createOrder({ partnerId, lines: [] });
  const bodies = (orderId: number) => sim.store.messagesFor('sale.order', orderId).map((m) => m.body);

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, mailPostMs: POST_MS });
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 10_000 });
    gateway = createOdooGateway({ transport, log: silentLogger(), courseCategory: 'Courses' });
    close = () => transport.close();
    partnerId = sim.store.createPartner({ name: 'Lan Nguyen' });
  });
  afterAll(async () => {
    close();
    await sim.close();
  });

  it('merges notes on one order made in the same turn into one post: no Fault', async () => {
    const orderId = newOrder();
    const [a, b] = [note('Enrolled in PY-K12.'), note('Helpdesk ticket HT0001 was opened.')];
    await Promise.all([gateway.postOrderNote(orderId, a), gateway.postOrderNote(orderId, b)]);
    expect(bodies(orderId)).toEqual([
      `Enrolled in PY-K12.\n${noteMarker(a.key)}\n\nHelpdesk ticket HT0001 was opened.\n${noteMarker(b.key)}`,
    ]);
  });

  it('holds a note made while a post on the same order is in flight until it is done, then posts those waiting as one', async () => {
    const orderId = newOrder();
    const first = gateway.postOrderNote(orderId, note('first'));
    await waitFor(() => bodies(orderId).length === 1, 'the first post to reach Odoo');
    const later = [note('second'), note('third')];
    await Promise.all([first, ...later.map((n) => gateway.postOrderNote(orderId, n))]);
    expect(bodies(orderId).map((b) => b.split('\n')[0])).toEqual(['first', 'second']);
    expect(bodies(orderId)[1]).toContain('\n\nthird\n');
  });

  it('keeps a burst of notes on one order to posts of at most 10 notes', async () => {
    const orderId = newOrder();
    await Promise.all(Array.from({ length: 12 }, (_, i) => gateway.postOrderNote(orderId, note(`n${i}`))));
    expect(bodies(orderId).map((b) => b.split('\n\n').length)).toEqual([10, 2]);
  });

  it('posts on different orders side by side', async () => {
    const [x, y] = [newOrder(), newOrder()];
    await Promise.all([gateway.postOrderNote(x, note('x')), gateway.postOrderNote(y, note('y'))]);
    expect([bodies(x).length, bodies(y).length]).toEqual([1, 1]);
  });
});

describe('a note is posted once, whatever happens to the answer', () => {
  let sim: OdooSim;
  let gateway: OdooGateway;
  let close: () => void;
  let orderId: number;
  const bodies = () => sim.store.messagesFor('sale.order', orderId).map((m) => m.body);

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS });
    const transport = createXmlRpcTransport({
      url: sim.url,
      ...CREDS,
      timeoutMs: 5000,
      retryDelaysMs: [1, 1],
    });
    gateway = createOdooGateway({ transport, log: silentLogger(), courseCategory: 'Courses' });
    close = () => transport.close();
  });
  beforeEach(() => {
    orderId = sim.store.createOrder({ partnerId: sim.store.createPartner({ name: 'Minh' }), lines: [] });
  });
  afterAll(async () => {
    close();
    await sim.close();
  });

  it('counts a post whose answer was lost (connection reset after the commit) as made, and finds it', async () => {
    sim.resetAfterCommit('message_post');
    await gateway.postOrderNote(orderId, { text: 'Enrolled in DS-101.', key: 'once:reset' });
    expect(bodies()).toEqual([`Enrolled in DS-101.\n${noteMarker('once:reset')}`]);
  });

  it('fails when the answer was lost and Odoo cannot be asked either; the retried post then finds the note', async () => {
    const n = { text: 'Enrolled in ML-301.', key: 'once:retried' };
    sim.resetAfterCommit('message_post');
    sim.resetAfterCommit('search_read', 3); // the look-up and both of its retries
    await expect(gateway.postOrderNote(orderId, n)).rejects.toMatchObject({ code: 'odoo_unreachable' });
    await gateway.postOrderNote(orderId, n, { retried: true });
    expect(bodies()).toEqual([`Enrolled in ML-301.\n${noteMarker(n.key)}`]);
  });

  it('posts a retried note that an earlier attempt did not post', async () => {
    await gateway.postOrderNote(orderId, { text: 'another note', key: 'once:other' });
    await gateway.postOrderNote(
      orderId,
      { text: 'Suspended in DS-101.', key: 'once:missing' },
      { retried: true },
    );
    expect(bodies()).toHaveLength(2);
    expect(bodies()[1]).toBe(`Suspended in DS-101.\n${noteMarker('once:missing')}`);
  });
});
