import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { waitFor } from '../../support/db';
import { faultOf, rawRpc, type RawRpc } from './rpc-helpers';

const DB = 'odoo';
const KEY = 'm'.repeat(40);
// long enough that a second call surely starts while the first is open, short enough for a test
const POST_MS = 1000;

describe('Odoo simulator: message_post as Odoo 17 runs it', () => {
  // `sim` holds each message_post open POST_MS; `quick` answers at once
  let sim: OdooSim;
  let quick: OdooSim;
  let rpc: RawRpc;
  let quickRpc: RawRpc;
  const postTo = (client: RawRpc, orderId: number, kwargs: Record<string, unknown>) =>
    client.object('execute_kw', [
      DB,
      2,
      KEY,
      'sale.order',
      'message_post',
      [[orderId]],
      { message_type: 'comment', subtype_xmlid: 'mail.mt_note', ...kwargs },
    ]);
  const post = (orderId: number, kwargs: Record<string, unknown>) => postTo(rpc, orderId, kwargs);
  const newOrder = (s = sim) =>
    s.store.createOrder({ partnerId: s.store.createPartner({ name: 'Lan' }), lines: [] });
  const bodies = (orderId: number, s = sim) => s.store.messagesFor('sale.order', orderId).map((m) => m.body);

  beforeAll(async () => {
    const creds = { port: 0, db: DB, username: 'svc', apiKey: KEY };
    sim = await startOdooSim({ ...creds, mailPostMs: POST_MS });
    quick = await startOdooSim(creds);
    rpc = rawRpc(sim.url);
    quickRpc = rawRpc(quick.url);
  });
  afterAll(async () => {
    rpc.close();
    quickRpc.close();
    await Promise.all([sim.close(), quick.close()]);
  });

  it('logs a WARNING for every body_is_html post and none for a plain text body, which it escapes', async () => {
    const orderId = newOrder(quick);
    const before = quick.store.warnings().length;
    await postTo(quickRpc, orderId, { body: 'Enrolled in <PY-K12> & "DS-101"\nsecond line' });
    expect(quick.store.warnings()).toHaveLength(before);
    await postTo(quickRpc, orderId, { body: '<p>Enrolled</p>', body_is_html: true });
    expect(quick.store.warnings().slice(before)).toEqual([
      'Posting HTML message using body_is_html=True, use a Markup object instead (user: 2)',
    ]);
    expect(bodies(orderId, quick)).toEqual([
      'Enrolled in &lt;PY-K12&gt; &amp; &#34;DS-101&#34;\nsecond line',
      '<p>Enrolled</p>',
    ]);
  });

  it('fails the second of two overlapping first posts on a record with Fault 2 (mail_followers unique index)', async () => {
    const orderId = newOrder();
    const first = post(orderId, { body: 'first' });
    await waitFor(() => bodies(orderId).length === 1, 'the first post to be in flight');
    const second = await faultOf(post(orderId, { body: 'second' }));
    expect(second).toEqual({
      faultCode: 2,
      faultString: 'The operation cannot be completed: Error, a partner cannot follow twice the same object.',
    });
    expect(typeof (await first)).toBe('number');
    expect(bodies(orderId)).toEqual(['first']);
    // once the author follows the record, posts no longer insert a follower and cannot collide
    await Promise.all([post(orderId, { body: 'third' }), post(orderId, { body: 'fourth' })]);
    expect(bodies(orderId)).toEqual(['first', 'third', 'fourth']);
  });

  it('lets overlapping posts on different records, or ones that do not subscribe the author, through', async () => {
    const [a, b, c] = [newOrder(), newOrder(), newOrder()];
    await Promise.all([post(a, { body: 'a' }), post(b, { body: 'b' })]);
    const quiet = { body: 'c', context: { mail_create_nosubscribe: true } };
    await Promise.all([post(c, quiet), post(c, quiet)]);
    expect([bodies(a), bodies(b), bodies(c)]).toEqual([['a'], ['b'], ['c', 'c']]);
  });

  it('can commit a call and then reset the connection, as a dropped answer looks to the client', async () => {
    const orderId = newOrder(quick);
    quick.resetAfterCommit('message_post');
    const err = (await postTo(quickRpc, orderId, { body: 'stored, never answered' }).catch(
      (e: unknown) => e,
    )) as {
      code?: string;
    };
    expect(err.code).toBe('ECONNRESET');
    expect(bodies(orderId, quick)).toEqual(['stored, never answered']);
    await postTo(quickRpc, orderId, { body: 'answered again' });
    expect(bodies(orderId, quick)).toHaveLength(2);
  });
});
