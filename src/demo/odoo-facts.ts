// What the demo expects, computed from the Odoo simulator's own records with the same payment rule
// the service uses: which orders are paid, by whom, for which courses.
import { orderPayment, type InvoiceFacts } from '../odoo';
import type { PaymentStatus } from '../odoo';
import { CATEGORY, type OdooSimStore } from '../sim/odoo';

export interface DemoOrder {
  orderId: number;
  name: string;
  partnerId: number;
  hasEmail: boolean;
  courseCodes: string[];
  status: PaymentStatus | 'draft';
}

const m2oId = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v));
const COURSE_CATEGORIES = new Set<number>([CATEGORY.courses, CATEGORY.kids]);

export function demoOrders(store: OdooSimStore): DemoOrder[] {
  const ids = store.search('sale.order', [], { order: 'id asc' });
  const orders = store.read('sale.order', ids, ['name', 'state', 'partner_id', 'order_line', 'invoice_ids']);
  return orders.map((o) => {
    const lines = store.read('sale.order.line', o.order_line as number[], ['product_id']);
    const codeOf = new Map(
      store
        .read(
          'product.product',
          lines.map((l) => m2oId(l.product_id)),
          ['default_code', 'categ_id'],
        )
        .filter((p) => COURSE_CATEGORIES.has(m2oId(p.categ_id)) && typeof p.default_code === 'string')
        .map((p) => [Number(p.id), p.default_code as string]),
    );
    const courseLines = lines.filter((l) => codeOf.has(m2oId(l.product_id)));
    const [partner] = store.read('res.partner', [m2oId(o.partner_id)], ['email']);
    const state = String(o.state);
    const payment = orderPayment(
      state,
      invoicesOf(store, o.invoice_ids as number[]),
      courseLines.map((l) => Number(l.id)),
    );
    // A partly refunded order still pays for its other courses: those are the ones it should enroll.
    const paidCodes = courseLines
      .filter((l) => !payment.refundedLineIds.has(Number(l.id)))
      .map((l) => codeOf.get(m2oId(l.product_id)) as string);
    return {
      orderId: Number(o.id),
      name: String(o.name),
      partnerId: m2oId(o.partner_id),
      hasEmail: typeof partner?.email === 'string' && partner.email.trim() !== '',
      courseCodes: [...new Set(paidCodes)],
      status: state === 'draft' || state === 'sent' ? 'draft' : payment.status,
    };
  });
}

/** The order's invoices with their lines (which sale order lines each bills or takes back). */
function invoicesOf(store: OdooSimStore, moveIds: number[]): InvoiceFacts[] {
  return store
    .read('account.move', moveIds, ['move_type', 'state', 'payment_state', 'invoice_line_ids'])
    .map((m) => ({
      move_type: String(m.move_type),
      state: String(m.state),
      payment_state: String(m.payment_state),
      lines: store
        .read('account.move.line', m.invoice_line_ids as number[], ['quantity', 'sale_line_ids'])
        .map((l) => ({ quantity: Number(l.quantity), saleLineIds: l.sale_line_ids as number[] })),
    }));
}
