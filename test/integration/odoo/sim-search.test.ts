import type { OdooTransport } from '../../../src/odoo/transport';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { faultOf, lastLine, rawRpc, type RawRpc } from './rpc-helpers';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'c'.repeat(40) };

/** search_read in limit/offset pages, ordered by id: how a client pages an Odoo model. */
async function* searchReadPages<T>(
  transport: OdooTransport,
  model: string,
  domain: unknown[],
  options: { fields: string[]; pageSize: number },
): AsyncGenerator<T[]> {
  const { fields, pageSize: limit } = options;
  for (let offset = 0; ; offset += limit) {
    const page = await transport.executeKw<T[]>(model, 'search_read', [domain], {
      fields,
      offset,
      limit,
      order: 'id asc',
    });
    if (page.length > 0) yield page;
    if (page.length < limit) return;
  }
}

describe('Odoo simulator: search, paging, ordering, writes', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [CREDS.db, 2, CREDS.apiKey, model, method, args, kwargs]);

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 42, orders: 230 });
    rpc = rawRpc(sim.url);
  });
  afterAll(async () => {
    rpc.close();
    await sim.close();
  });

  it('pages with limit/offset and a stable order: every order once, in id order', async () => {
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS });
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const page of searchReadPages<{ id: number }>(transport, 'sale.order', [], {
      fields: ['name'],
      pageSize: 50,
    })) {
      sizes.push(page.length);
      seen.push(...page.map((o) => o.id));
    }
    transport.close();
    expect(sizes).toEqual([50, 50, 50, 50, 30]);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(230);
  });

  it('orders by several fields and honours desc', async () => {
    const ids = (await kw('sale.order', 'search', [[]], {
      order: 'state desc, id desc',
      limit: 400,
    })) as number[];
    const rows = sim.store.read('sale.order', ids, ['state']);
    const keys = rows.map((r) => `${r.state}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(await kw('sale.order', 'search', [[]], { order: 'id desc', limit: 2 })).toEqual([230, 229]);
  });

  it('rejects an invalid order string and an unknown order field with Fault 1 ValueError', async () => {
    const bad = await faultOf(kw('sale.order', 'search', [[]], { order: 'id; drop table' }));
    expect(lastLine(bad.faultString)).toMatch(/^ValueError: Invalid "order" specified \(id; drop table\)/);
    const unknown = await faultOf(kw('sale.order', 'search', [[]], { order: 'foo asc' }));
    expect(lastLine(unknown.faultString)).toBe("ValueError: Invalid field 'foo' on model 'sale.order'");
  });

  it('searches through the computed invoice_ids (it has a search method) and dotted paths', async () => {
    const paid = (await kw('sale.order', 'search_count', [
      [['invoice_ids.payment_state', '=', 'paid']],
    ])) as number;
    const refunded = (await kw('sale.order', 'search_count', [
      [['invoice_ids.move_type', '=', 'out_refund']],
    ])) as number;
    expect(paid).toBeGreaterThan(100);
    expect(refunded).toBeGreaterThan(0);
    const byEmail = (await kw('sale.order.line', 'search_count', [
      [['order_id.partner_id.email', 'ilike', 'EXAMPLE.com']],
    ])) as number;
    expect(byEmail).toBeGreaterThan(0);
  });

  it('drops a leaf on a non-stored field without search method (amount_paid), as Odoo does', async () => {
    const all = await kw('sale.order', 'search_count', [[]]);
    expect(await kw('sale.order', 'search_count', [[['amount_paid', '>', 1e12]]])).toBe(all);
  });

  it('hides archived records unless active_test is false, and read still returns them by id', async () => {
    const id = sim.store.createPartner({ name: 'Archived Student' });
    sim.store.write('res.partner', [id], { active: false });
    expect(await kw('res.partner', 'search', [[['name', '=', 'Archived Student']]])).toEqual([]);
    expect(
      await kw('res.partner', 'search', [[['name', '=', 'Archived Student']]], {
        context: { active_test: false },
      }),
    ).toEqual([id]);
    expect(await kw('res.partner', 'read', [[id]], { fields: ['name'] })).toEqual([
      { id, name: 'Archived Student' },
    ]);
  });

  it('gives all records written in one call one write_date', async () => {
    const ids = (await kw('sale.order', 'search', [[['state', '=', 'sale']]], {
      limit: 30,
      order: 'id asc',
    })) as number[];
    await kw('sale.order', 'write', [ids, { lms_sync_state: 'pending' }]);
    const dates = new Set(sim.store.read('sale.order', ids, ['write_date']).map((r) => r.write_date));
    expect(dates.size).toBe(1);
  });

  it('applies x2many commands 0, 1, 3, 4, 5 and 6 on order lines and ticket tags', async () => {
    const partnerId = sim.store.createPartner({ name: 'Commands' });
    const orderId = (await kw('sale.order', 'create', [
      { partner_id: partnerId, order_line: [[0, 0, { name: 'A', price_unit: 10 }]] },
    ])) as number;
    const [lineA] = sim.store.read('sale.order', [orderId], ['order_line'])[0]?.order_line as number[];
    await kw('sale.order', 'write', [
      [orderId],
      {
        order_line: [
          [1, lineA, { price_unit: 25 }],
          [0, 0, { name: 'B' }],
        ],
      },
    ]);
    expect(sim.store.read('sale.order', [orderId], ['amount_total'])[0]?.amount_total).toBe(25);
    const tags = (await kw('helpdesk.ticket.tag', 'create', [
      [{ name: 'CRM' }, { name: 'LMS' }, { name: 'x' }],
    ])) as number[];
    const ticket = (await kw('helpdesk.ticket', 'create', [
      { name: 'T', description: '<p>d</p>', tag_ids: [[6, 0, tags.slice(0, 2)]] },
    ])) as number;
    const tagIds = async () =>
      (
        (await kw('helpdesk.ticket', 'read', [[ticket]], { fields: ['tag_ids'] })) as Array<{
          tag_ids: number[];
        }>
      )[0]?.tag_ids;
    expect(await tagIds()).toEqual(tags.slice(0, 2));
    await kw('helpdesk.ticket', 'write', [
      [ticket],
      {
        tag_ids: [
          [3, tags[0], 0],
          [4, tags[2], 0],
        ],
      },
    ]);
    expect(await tagIds()).toEqual([tags[1], tags[2]]);
    await kw('helpdesk.ticket', 'write', [[ticket], { tag_ids: [[5, 0, 0]] }]);
    expect(await tagIds()).toEqual([]);
  });

  it('answers name_search with [id, display_name] pairs and a default limit of 100', async () => {
    const result = (await kw('product.product', 'name_search', ['PY-K12'])) as Array<[number, string]>;
    expect(result).toEqual([[expect.any(Number), '[PY-K12] Python for Kids']]);
    expect(((await kw('sale.order', 'name_search', [''])) as unknown[]).length).toBe(100);
  });

  it('describes fields with fields_get, filtered by attributes', async () => {
    const fields = (await kw('sale.order', 'fields_get', [], {
      attributes: ['type', 'selection', 'store'],
    })) as Record<string, Record<string, unknown>>;
    expect(fields.invoice_status?.selection).toContainEqual(['to invoice', 'To Invoice']);
    expect(fields.invoice_ids).toEqual({ type: 'many2many', store: false });
    expect(fields.lms_sync_state?.type).toBe('selection');
  });
});
