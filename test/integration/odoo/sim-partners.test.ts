// The simulator's contacts and delivery addresses as Odoo 17 keeps them: a child under a parent
// (parent_id) with an email of its own or none, "Parent, Child" as its display name, the commercial
// entity, the order's delivery address proposed by address_get, seat lines with a quantity, and the
// lms_sync addon's learners of a line (read, ordered, archived and limited to the seats as a real Odoo 17
// with the addon does: compared with one on 127.0.0.1). Seeding them is opt-in.
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { faultOf, rawRpc, type RawRpc } from './rpc-helpers';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'c'.repeat(40) };

describe('Odoo simulator: parents, children, schools and delivery addresses', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [CREDS.db, 2, CREDS.apiKey, model, method, args, kwargs]);
  let course: number;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 1, orders: 0 });
    rpc = rawRpc(sim.url);
    course = sim.store.createCourseProduct('PY-K12', 'Python', 100);
  });
  afterAll(async () => {
    rpc.close();
    await sim.close();
  });

  it('reads a child as "Parent, Child" with parent_id, type, no email and the parent as commercial entity', async () => {
    const parent = sim.store.createPartner({ name: 'Hoa Tran', email: 'hoa@example.com' });
    const child = sim.store.createPartner({ name: 'Bao', parentId: parent, type: 'delivery' });
    const [row] = (await kw('res.partner', 'read', [[child]], {
      fields: ['name', 'email', 'parent_id', 'type', 'is_company', 'commercial_partner_id', 'display_name'],
    })) as Array<Record<string, unknown>>;
    expect(row).toEqual({
      id: child,
      name: 'Bao',
      email: false,
      parent_id: [parent, 'Hoa Tran'],
      type: 'delivery',
      is_company: false,
      commercial_partner_id: [parent, 'Hoa Tran'],
      display_name: 'Hoa Tran, Bao',
    });
    const [p] = (await kw('res.partner', 'read', [[parent]], { fields: ['child_ids', 'type'] })) as Array<
      Record<string, unknown>
    >;
    expect(p).toMatchObject({ child_ids: [child], type: 'contact' });
  });

  it("proposes the customer's delivery contact as partner_shipping_id, else the customer itself", async () => {
    const parent = sim.store.createPartner({ name: 'Minh Le', email: 'minh@example.com' });
    const alone = sim.store.createPartner({ name: 'Alone', email: 'alone@example.com' });
    sim.store.createPartner({ name: 'Lan', parentId: parent, type: 'contact' });
    const delivery = sim.store.createPartner({ name: 'Vy', parentId: parent, type: 'delivery' });
    const orderId = (await kw('sale.order', 'create', [{ partner_id: parent }])) as number;
    const otherId = (await kw('sale.order', 'create', [{ partner_id: alone }])) as number;
    const rows = (await kw('sale.order', 'read', [[orderId, otherId]], {
      fields: ['partner_shipping_id', 'partner_invoice_id'],
      load: '',
    })) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      { id: orderId, partner_shipping_id: delivery, partner_invoice_id: parent },
      { id: otherId, partner_shipping_id: alone, partner_invoice_id: alone },
    ]);
  });

  it('keeps a delivery address chosen on the order, and the seats and learners of a line', async () => {
    const school = sim.store.createPartner({ name: 'School', email: 'o@school.example', isCompany: true });
    const pupil = sim.store.createPartner({ name: 'Pupil', parentId: school });
    const orderId = sim.store.createOrder({
      partnerId: school,
      shippingPartnerId: pupil,
      lines: [{ productId: course, qty: 12, learnerIds: [pupil] }],
    });
    const [order] = sim.store.read('sale.order', [orderId], ['partner_shipping_id', 'order_line']);
    expect(order?.partner_shipping_id).toEqual([pupil, 'School, Pupil']);
    const lines = (await kw('sale.order.line', 'read', [order?.order_line], {
      fields: ['product_uom_qty', 'lms_learner_ids'],
    })) as Array<Record<string, unknown>>;
    expect(lines).toEqual([{ id: expect.any(Number), product_uom_qty: 12, lms_learner_ids: [pupil] }]);
  });

  const lineOf = async (orderId: number): Promise<number> => {
    const [order] = (await kw('sale.order', 'read', [[orderId]], { fields: ['order_line'] })) as Array<{
      order_line: number[];
    }>;
    return order?.order_line[0] as number;
  };
  const learnersOf = async (lineId: number, context: Record<string, unknown> = {}) => {
    const [line] = (await kw('sale.order.line', 'read', [[lineId]], {
      fields: ['lms_learner_ids'],
      context,
    })) as Array<{ lms_learner_ids: number[] }>;
    return line?.lms_learner_ids;
  };
  const school = (name: string, pupils: string[]) => {
    const id = sim.store.createPartner({
      name,
      email: `office@${name.toLowerCase()}.example`,
      isCompany: true,
    });
    return { id, pupils: pupils.map((p) => sim.store.createPartner({ name: p, parentId: id })) };
  };

  it("lists a line's learners and a contact's children in res.partner's order, without archived ones", async () => {
    // res.partner's _order is "complete_name ASC, id DESC": "School, Pupil A" before "School, Pupil B"
    const { id: schoolId, pupils } = school('Sorted', ['Pupil B', 'Pupil A', 'Pupil C']);
    const [b, a, c] = pupils as [number, number, number];
    const orderId = (await kw('sale.order', 'create', [
      { partner_id: schoolId, order_line: [[0, 0, { product_id: course, product_uom_qty: 3 }]] },
    ])) as number;
    const lineId = await lineOf(orderId);
    await kw('sale.order.line', 'write', [[lineId], { lms_learner_ids: [[6, 0, [c, b, a]]] }]);
    expect(await learnersOf(lineId)).toEqual([a, b, c]);
    const [parent] = (await kw('res.partner', 'read', [[schoolId]], { fields: ['child_ids'] })) as Array<{
      child_ids: number[];
    }>;
    expect(parent?.child_ids).toEqual([a, b, c]);

    // Field.convert_to_record drops archived records from x2many values unless active_test=False
    await kw('res.partner', 'write', [[b], { active: false }]);
    expect(await learnersOf(lineId)).toEqual([a, c]);
    expect(await learnersOf(lineId, { active_test: false })).toEqual([a, b, c]);
    // the archived learner is still linked: a search on the relation finds the line
    expect(await kw('sale.order.line', 'search', [[['lms_learner_ids', 'in', [b]]]])).toEqual([lineId]);
  });

  it('refuses more learners than whole seats, as the addon does, and changes nothing then', async () => {
    const { id: schoolId, pupils } = school('Seats', ['P1', 'P2', 'P3', 'P4']);
    const orderId = (await kw('sale.order', 'create', [
      { partner_id: schoolId, order_line: [[0, 0, { product_id: course, product_uom_qty: 2.5 }]] },
    ])) as number;
    const lineId = await lineOf(orderId);
    const [{ name }] = sim.store.read('sale.order', [orderId], ['name']) as [{ name: string }];
    const refusal = (count: number, seats: number, orderName = name) => ({
      faultCode: 2,
      faultString: `Order ${orderName}, line [PY-K12] Python: ${count} learners for ${seats} seats. A line takes at most as many learners as its quantity.`,
    });
    await kw('sale.order.line', 'write', [[lineId], { lms_learner_ids: [[6, 0, pupils.slice(0, 2)]] }]);
    // 2.5 is two seats (int(product_uom_qty))
    expect(
      await faultOf(kw('sale.order.line', 'write', [[lineId], { lms_learner_ids: [[4, pupils[2]]] }])),
    ).toEqual(refusal(3, 2));
    expect(await faultOf(kw('sale.order.line', 'write', [[lineId], { product_uom_qty: 1 }]))).toEqual(
      refusal(2, 1),
    );
    // through the order's one2many, and a learner created on the fly counts too
    expect(
      await faultOf(
        kw('sale.order', 'write', [
          [orderId],
          { order_line: [[1, lineId, { lms_learner_ids: [[0, 0, { name: 'New pupil' }]] }]] },
        ]),
      ),
    ).toEqual(refusal(3, 2));
    expect(await learnersOf(lineId)).toEqual(pupils.slice(0, 2));
    const [line] = sim.store.read('sale.order.line', [lineId], ['product_uom_qty']);
    expect(line?.product_uom_qty).toBe(2.5);
    expect(sim.store.search('res.partner', [['name', '=', 'New pupil']])).toEqual([]);

    // an order created with too many learners on a line is not created at all
    const orders = sim.store.search('sale.order', []).length;
    const tooMany = await faultOf(
      kw('sale.order', 'create', [
        {
          partner_id: schoolId,
          order_line: [[0, 0, { product_id: course, product_uom_qty: 1, lms_learner_ids: [[6, 0, pupils]] }]],
        },
      ]),
    );
    expect(tooMany.faultString).toMatch(/^Order S\d+, line \[PY-K12\] Python: 4 learners for 1 seats\./);
    expect(sim.store.search('sale.order', []).length).toBe(orders);

    // an archived learner frees its seat
    await kw('res.partner', 'write', [[pupils[0]], { active: false }]);
    await kw('sale.order.line', 'write', [[lineId], { lms_learner_ids: [[4, pupils[2]]] }]);
    expect(await learnersOf(lineId)).toEqual(pupils.slice(1, 3));
  });

  it("refuses a learner that does not exist (the relation table's foreign key)", async () => {
    const { id: schoolId } = school('Missing', []);
    const orderId = sim.store.createOrder({ partnerId: schoolId, lines: [{ productId: course, qty: 3 }] });
    const lineId = await lineOf(orderId);
    const fault = await faultOf(
      kw('sale.order.line', 'write', [[lineId], { lms_learner_ids: [[6, 0, [999_999]]] }]),
    );
    expect(fault).toEqual({
      faultCode: 2,
      faultString:
        'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Unknown (unknown)\nConstraint: lms_sync_sale_line_learner_rel_partner_id_fkey\n',
    });
    expect(await learnersOf(lineId)).toEqual([]);
  });

  it('describes the learners, quantity and contact fields in fields_get as Odoo 17 does', async () => {
    const attributes = ['type', 'relation', 'required', 'store', 'sortable'];
    const line = await kw('sale.order.line', 'fields_get', [['lms_learner_ids', 'product_uom_qty']], {
      attributes,
    });
    expect(line).toEqual({
      lms_learner_ids: {
        type: 'many2many',
        relation: 'res.partner',
        required: false,
        store: true,
        sortable: false,
      },
      product_uom_qty: { type: 'float', required: true, store: true, sortable: true },
    });
    const partner = await kw('res.partner', 'fields_get', [['parent_id', 'child_ids', 'is_company']], {
      attributes,
    });
    expect(partner).toEqual({
      parent_id: { type: 'many2one', relation: 'res.partner', required: false, store: true, sortable: true },
      child_ids: { type: 'one2many', relation: 'res.partner', required: false, store: true, sortable: false },
      is_company: { type: 'boolean', required: false, store: true, sortable: true },
    });
  });

  it('seeds families and schools only when asked, leaving the plain data set as it was', async () => {
    const plain = await startOdooSim({ port: 0, ...CREDS, seed: 3, orders: 40 });
    const withLearners = await startOdooSim({ port: 0, ...CREDS, seed: 3, orders: 40, seedLearners: true });
    try {
      const orders = (s: OdooSim) => s.store.search('sale.order', []).length;
      const children = (s: OdooSim) => s.store.search('res.partner', [['parent_id', '!=', false]]).length;
      expect(children(plain)).toBe(0);
      expect(orders(withLearners)).toBeGreaterThan(orders(plain));
      const plainIds = plain.store.search('sale.order', [], { order: 'id asc' });
      const firstOrders = (s: OdooSim) =>
        s.store.read('sale.order', plainIds, ['name', 'partner_id', 'amount_total']);
      expect(firstOrders(withLearners)).toEqual(firstOrders(plain));
      const kids = withLearners.store.search('res.partner', [
        ['parent_id', '!=', false],
        ['email', '=', false],
      ]);
      expect(kids.length).toBeGreaterThan(0);
      const seatLines = withLearners.store.search('sale.order.line', [['product_uom_qty', '>', 1]]);
      expect(seatLines.length).toBeGreaterThan(0);
      const shippedToChild = withLearners.store.search('sale.order', [
        ['partner_shipping_id.parent_id', '!=', false],
      ]);
      expect(shippedToChild.length).toBeGreaterThan(0);
    } finally {
      await plain.close();
      await withLearners.close();
    }
  });
});
