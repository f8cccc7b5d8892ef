// Is an order paid? The rule of DESIGN.md "Odoo side", on data already read. Pure.

import type { PaymentStatus } from './gateway';

export interface InvoiceFacts {
  move_type: string;
  state: string;
  payment_state: string;
}

// `done` exists up to Odoo 16 (locked orders); 17 has only `sale`.
const CONFIRMED = new Set(['sale', 'done']);
const SETTLED = new Set(['paid', 'in_payment']);

export function paymentStatus(orderState: string, invoices: InvoiceFacts[]): PaymentStatus {
  if (!CONFIRMED.has(orderState)) return 'unpaid';
  const refunded = invoices.some(
    (m) =>
      (m.move_type === 'out_invoice' && m.payment_state === 'reversed') ||
      (m.move_type === 'out_refund' && m.state === 'posted'),
  );
  if (refunded) return 'refunded';
  const posted = invoices.filter((m) => m.move_type === 'out_invoice' && m.state === 'posted');
  if (posted.length > 0 && posted.every((m) => SETTLED.has(m.payment_state))) return 'paid';
  return 'unpaid';
}
