// The simulator's invoices and credit notes as Odoo 17 records them: each invoice line points at the
// sale order line it bills, a credit note made by reversal keeps those links, and a partial credit note
// takes back only its own lines while the invoice stays paid.
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { rawRpc, type RawRpc } from './rpc-helpers';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'c'.repeat(40) };

describe('Odoo simulator: credit notes name the order lines they take back', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [CREDS.db, 2, CREDS.apiKey, model, method, args, kwargs]);
  const saleLinesOf = async (moveId: number) => {
    const [move] = (await kw('account.move', 'read', [[moveId]], { fields: ['invoice_line_ids'] })) as Array<{
      invoice_line_ids: number[];
    }>;
    const lines = (await kw('account.move.line', 'read', [move!.invoice_line_ids], {
      fields: ['sale_line_ids', 'quantity', 'display_type'],
    })) as Array<{ sale_line_ids: number[]; quantity: number; display_type: string }>;
    return lines.map((l) => ({ saleLines: l.sale_line_ids, quantity: l.quantity, type: l.display_type }));
  };

  const paymentStateOf = async (moveId: number) => {
    const [move] = (await kw('account.move', 'read', [[moveId]], { fields: ['payment_state'] })) as Array<{
      payment_state: string;
    }>;
    return move?.payment_state;
  };

  let orderId: number;
  let orderLines: number[];
  let invoiceId: number;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, seed: 1, orders: 0 });
    rpc = rawRpc(sim.url);
    const a = sim.store.createCourseProduct('PY-K12', 'Python', 100);
    const b = sim.store.createCourseProduct('WEB-101', 'Web', 200);
    const partnerId = sim.store.createPartner({ name: 'Buyer', email: 'b@example.com' });
    orderId = sim.store.createOrder({ partnerId, lines: [{ productId: a }, { productId: b }] });
    orderLines = sim.store.read('sale.order', [orderId], ['order_line'])[0]?.order_line as number[];
    invoiceId = sim.store.invoiceOrder(orderId);
    sim.store.payInvoice(invoiceId);
  });
  afterAll(async () => {
    rpc.close();
    await sim.close();
  });

  it('links every product line of an invoice to the sale order line it bills', async () => {
    expect(await saleLinesOf(invoiceId)).toEqual(
      orderLines.map((id) => ({ saleLines: [id], quantity: 1, type: 'product' })),
    );
  });

  it('makes a partial credit note with only the lines it takes back, leaving the invoice paid', async () => {
    const refundId = sim.store.refundOrderLines(invoiceId, [orderLines[1]!]);
    expect(await saleLinesOf(refundId)).toEqual([
      { saleLines: [orderLines[1]], quantity: 1, type: 'product' },
    ]);
    expect(await paymentStateOf(invoiceId)).toBe('paid');
    const [order] = (await kw('sale.order', 'read', [[orderId]], {
      fields: ['invoice_ids', 'invoice_status'],
    })) as Array<{
      invoice_ids: number[];
      invoice_status: string;
    }>;
    expect(order).toEqual({ id: orderId, invoice_ids: [invoiceId, refundId], invoice_status: 'to invoice' });
  });

  it('reverses a whole paid invoice with every line, and leaves the invoice paid (as Odoo 17 does)', async () => {
    const refundId = sim.store.refundInvoice(invoiceId);
    expect((await saleLinesOf(refundId)).map((l) => l.saleLines)).toEqual(orderLines.map((id) => [id]));
    expect(await paymentStateOf(invoiceId)).toBe('paid');
  });

  it('marks an unpaid invoice reversed by its credit note', async () => {
    const unpaid = sim.store.invoiceOrder(orderId);
    sim.store.refundInvoice(unpaid);
    expect(await paymentStateOf(unpaid)).toBe('reversed');
  });
});
