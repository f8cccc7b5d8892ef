// The simulator's contacts and delivery addresses as Odoo 17 keeps them: a child under a parent
// (parent_id) with an email of its own or none, "Parent, Child" as its display name, the commercial
// entity, the order's delivery address proposed by address_get, seat lines with a quantity, and the
// lms_sync addon's learners of a line. Seeding them is opt-in.
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { rawRpc, type RawRpc } from './rpc-helpers';

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
