// What the demo expects, computed from the Odoo simulator's own records with the same payment rule
// the service uses: which orders are paid, by whom, for which courses.
import { paymentStatus, type InvoiceFacts } from '../odoo/payment-status';
import type { PaymentStatus } from '../odoo/gateway';
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
    const products = store.read(
      'product.product',
      lines.map((l) => m2oId(l.product_id)),
      ['default_code', 'categ_id'],
    );
    const courseCodes = products
      .filter((p) => COURSE_CATEGORIES.has(m2oId(p.categ_id)) && typeof p.default_code === 'string')
      .map((p) => p.default_code as string);
    const invoices = store.read('account.move', o.invoice_ids as number[], [
      'move_type',
      'state',
      'payment_state',
    ]);
    const [partner] = store.read('res.partner', [m2oId(o.partner_id)], ['email']);
    const state = String(o.state);
    return {
      orderId: Number(o.id),
      name: String(o.name),
      partnerId: m2oId(o.partner_id),
      hasEmail: typeof partner?.email === 'string' && partner.email.trim() !== '',
      courseCodes: [...new Set(courseCodes)],
      status:
        state === 'draft' || state === 'sent'
          ? 'draft'
          : paymentStatus(state, invoices as unknown as InvoiceFacts[]),
    };
  });
}
