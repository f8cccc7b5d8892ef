import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { faultOf, lastLine, rawRpc, type RawRpc } from './rpc-helpers';

const DB = 'odoo';
const KEY = 'k'.repeat(40);

describe('Odoo simulator over XML-RPC: the faults and answers of Odoo 17', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  let uid: number;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [DB, uid, KEY, model, method, args, kwargs]);

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, db: DB, username: 'svc', apiKey: KEY, seed: 3, orders: 20 });
    rpc = rawRpc(sim.url);
    uid = (await rpc.common('authenticate', [DB, 'svc', KEY, {}])) as number;
  });
  afterAll(async () => {
    rpc.close();
    await sim.close();
  });

  it('answers version() with the 17.0 shape', async () => {
    expect(await rpc.common('version', [])).toEqual({
      server_version: '17.0',
      server_version_info: [17, 0, 0, 'final', 0, ''],
      server_serie: '17.0',
      protocol_version: 1,
    });
  });

  it('authenticates to uid 2 and answers false (not a Fault) for a bad key or unknown login', async () => {
    expect(uid).toBe(2);
    expect(await rpc.common('authenticate', [DB, 'svc', 'wrong', {}])).toBe(false);
    expect(await rpc.common('authenticate', [DB, 'nobody', KEY, {}])).toBe(false);
    expect(await rpc.common('login', [DB, 'svc', KEY])).toBe(2);
  });

  it('answers Fault 1 with a psycopg2 OperationalError for an unknown database', async () => {
    const fault = await faultOf(rpc.common('authenticate', ['nope', 'svc', KEY, {}]));
    expect(fault.faultCode).toBe(1);
    expect(fault.faultString).toContain('Traceback (most recent call last)');
    expect(lastLine(fault.faultString)).toMatch(
      /^psycopg2\.OperationalError: .*database "nope" does not exist/,
    );
  });

  it('answers Fault 3 Access Denied for a bad key or uid on execute_kw', async () => {
    const bad = await faultOf(rpc.object('execute_kw', [DB, uid, 'bad', 'res.partner', 'search', [[]]]));
    expect(bad).toEqual({ faultCode: 3, faultString: 'Access Denied' });
    const badUid = await faultOf(rpc.object('execute_kw', [DB, 99, KEY, 'res.partner', 'search', [[]]]));
    expect(badUid.faultCode).toBe(3);
  });

  it('answers Fault 2 for an unknown model and Fault 4 for a private method', async () => {
    expect(await faultOf(kw('foo.bar', 'search', [[]]))).toEqual({
      faultCode: 2,
      faultString: "Object foo.bar doesn't exist",
    });
    expect(await faultOf(kw('sale.order', '_x', [[]]))).toEqual({
      faultCode: 4,
      faultString: 'Private methods (such as _x) cannot be called remotely.',
    });
    expect((await faultOf(kw('sale.order', 'init', []))).faultCode).toBe(4);
  });

  it('answers Fault 1 with an AttributeError traceback for an unknown method', async () => {
    const fault = await faultOf(kw('sale.order', 'foo', [[1]]));
    expect(fault.faultCode).toBe(1);
    expect(fault.faultString.startsWith('Traceback (most recent call last):')).toBe(true);
    expect(lastLine(fault.faultString)).toBe("AttributeError: 'sale.order' object has no attribute 'foo'");
  });

  it('answers Fault 2 MissingError on write of a missing id, but [] on read of one', async () => {
    const fault = await faultOf(kw('sale.order', 'write', [[999], { lms_sync_state: 'synced' }]));
    expect(fault).toEqual({
      faultCode: 2,
      faultString: 'Record does not exist or has been deleted.\n(Record: sale.order(999,), User: 2)',
    });
    expect(await kw('sale.order', 'read', [[999]], { fields: ['name'] })).toEqual([]);
  });

  it('answers Fault 1 ValueError for an invalid selection value and leaves the record unchanged', async () => {
    const fault = await faultOf(kw('sale.order', 'write', [[1], { lms_sync_state: 'x' }]));
    expect(fault.faultCode).toBe(1);
    expect(lastLine(fault.faultString)).toBe("ValueError: Wrong value for sale.order.lms_sync_state: 'x'");
    expect(sim.store.read('sale.order', [1], ['lms_sync_state'])[0]?.lms_sync_state).toBe(false);
  });

  it('answers Fault 1 for an unknown field in a domain and for search(count=True)', async () => {
    const field = await faultOf(kw('sale.order', 'search', [[['foo', '=', 1]]]));
    expect(lastLine(field.faultString)).toBe(
      "ValueError: Invalid field sale.order.foo in leaf ('foo', '=', 1)",
    );
    const count = await faultOf(kw('sale.order', 'search', [[]], { count: true }));
    expect(count.faultCode).toBe(1);
    expect(lastLine(count.faultString)).toMatch(/^TypeError: .*unexpected keyword argument 'count'/);
  });

  it('answers Fault 2 ValidationError when a required field is missing on create', async () => {
    const fault = await faultOf(kw('sale.order', 'create', [{}]));
    expect(fault.faultCode).toBe(2);
    expect(fault.faultString).toContain('a mandatory field is not set');
    expect(fault.faultString).toContain('Field: Customer (partner_id)');
  });

  it('rejects a datetime that is not "YYYY-MM-DD HH:MM:SS" with Fault 1, and stores one that is', async () => {
    const fault = await faultOf(
      kw('sale.order', 'write', [[1], { lms_last_sync_at: '2024-05-01T10:00:00Z' }]),
    );
    expect(fault.faultCode).toBe(1);
    expect(lastLine(fault.faultString)).toMatch(
      /^ValueError: time data '2024-05-01T10:00:00Z' does not match format/,
    );
    await kw('sale.order', 'write', [[1], { lms_last_sync_at: '2024-05-01 10:00:00' }]);
    expect(sim.store.read('sale.order', [1], ['lms_last_sync_at'])[0]?.lms_last_sync_at).toBe(
      '2024-05-01 10:00:00',
    );
  });

  it('commits a method that returns None, then answers Fault 1 cannot marshal None', async () => {
    const partnerId = sim.store.createPartner({ name: 'Grant Me', email: 'grant@example.com' });
    const fault = await faultOf(kw('slide.channel', 'action_grant_access', [[1], partnerId]));
    expect(fault.faultCode).toBe(1);
    expect(lastLine(fault.faultString)).toBe('TypeError: cannot marshal None unless allow_none is enabled');
    expect(sim.store.search('slide.channel.partner', [['partner_id', '=', partnerId]])).toHaveLength(1);
  });

  it('marshals many2one as [id, name], empty values as false, amounts as doubles', async () => {
    const [order] = (await kw('sale.order', 'search_read', [[['state', '=', 'sale']]], {
      fields: ['partner_id', 'amount_total', 'lms_last_error', 'order_line', 'date_order'],
      limit: 1,
      order: 'id asc',
    })) as Array<Record<string, unknown>>;
    expect(order?.partner_id).toEqual([expect.any(Number), expect.any(String)]);
    expect(order?.lms_last_error).toBe(false);
    expect(order?.order_line).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(order?.date_order).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(typeof order?.amount_total).toBe('number');
  });

  it('posts a note with message_post (keyword-only) and returns the mail.message id', async () => {
    const id = await kw('sale.order', 'message_post', [[1]], {
      body: '<b>Enrolled</b>',
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
      body_is_html: true,
    });
    expect(sim.store.messagesFor('sale.order', 1)).toEqual([
      { id, body: '<b>Enrolled</b>', messageType: 'comment', subtypeXmlid: 'mail.mt_note' },
    ]);
    expect((await faultOf(kw('sale.order', 'message_post', [[1], 'positional body']))).faultCode).toBe(1);
  });

  it('refuses ir.model to the integration user with Fault 4 AccessError, as a non-admin meets it', async () => {
    const domain = [['model', '=', 'helpdesk.ticket.team']];
    for (const [method, args] of [
      ['search_count', [domain]],
      ['search_read', [domain]],
      ['read', [[1]]],
    ] as const) {
      const fault = await faultOf(kw('ir.model', method, [...args]));
      expect(fault.faultCode).toBe(4);
      expect(fault.faultString).toMatch(/^You are not allowed to access 'Models' \(ir\.model\) records\./);
    }
  });

  it('answers fields_get for an installed helpdesk model and Fault 2 for one not installed (OCA by default)', async () => {
    const fields = (await kw('helpdesk.ticket.team', 'fields_get', [], {
      allfields: ['name'],
      attributes: ['type'],
    })) as Record<string, unknown>;
    expect(fields).toEqual({ name: { type: 'char' } });
    expect(await faultOf(kw('helpdesk.tag', 'fields_get', [], { attributes: ['type'] }))).toEqual({
      faultCode: 2,
      faultString: "Object helpdesk.tag doesn't exist",
    });
  });
});
