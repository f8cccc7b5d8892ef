// Is an order paid, and which of its lines did a refund take back? The rule on data already read. Pure.
//
// Paid: the order is confirmed and every posted customer invoice still standing (not reversed) is paid.
// Refunds are per line: a credit note made by reversing an invoice keeps, on each of its lines, the link
// to the sale order line it takes back (sale_line_ids). A line is refunded when posted credit notes take
// back at least as much as posted invoices billed for it, so "reverse and invoice again" leaves it paid,
// and a partial credit note refunds only its own lines. A refund whose lines were not read (or carry no
// link) refunds the whole order, as the order-level rule always did.

import { CONFIRMED_ORDER_STATES } from './conventions';
import type { EnrollmentOrder, PaymentStatus } from './gateway';

/** A journal item of an invoice or credit note: how much of which sale order lines it bills or refunds. */
export interface MoveLineFacts {
  quantity: number;
  saleLineIds: number[];
}

export interface InvoiceFacts {
  move_type: string;
  state: string;
  payment_state: string;
  /** The move's product lines; absent when they were not read. */
  lines?: MoveLineFacts[];
}

export interface OrderPayment {
  status: PaymentStatus;
  /** The given course lines that a posted credit note took back. */
  refundedLineIds: Set<number>;
}

const CONFIRMED = new Set(CONFIRMED_ORDER_STATES);
const SETTLED = new Set(['paid', 'in_payment']);

const isPostedInvoice = (m: InvoiceFacts) => m.move_type === 'out_invoice' && m.state === 'posted';
const isPostedRefund = (m: InvoiceFacts) => m.move_type === 'out_refund' && m.state === 'posted';

/** Whether any refund is on the order: a posted credit note or a reversed invoice. */
export function hasRefund(invoices: InvoiceFacts[]): boolean {
  return invoices.some((m) => isPostedRefund(m) || (isPostedInvoice(m) && m.payment_state === 'reversed'));
}

/** Sale order line id → net quantity billed (posted invoices minus posted credit notes); null if unknown. */
function netBilled(invoices: InvoiceFacts[]): Map<number, number> | null {
  const net = new Map<number, number>();
  let refundSeen = false;
  for (const m of invoices) {
    const sign = isPostedInvoice(m) ? 1 : isPostedRefund(m) ? -1 : 0;
    if (sign === 0) continue;
    const linked = (m.lines ?? []).filter((l) => l.saleLineIds.length > 0);
    if (sign < 0) {
      if (linked.length === 0) return null; // a credit note we cannot attribute: the whole order
      refundSeen = true;
    }
    for (const l of linked)
      for (const id of l.saleLineIds) net.set(id, (net.get(id) ?? 0) + sign * l.quantity);
  }
  return refundSeen ? net : null;
}

export function orderPayment(
  orderState: string,
  invoices: InvoiceFacts[],
  courseLineIds: number[],
): OrderPayment {
  if (!CONFIRMED.has(orderState)) return { status: 'unpaid', refundedLineIds: new Set() };
  let refunded = new Set<number>();
  if (hasRefund(invoices)) {
    const net = netBilled(invoices);
    refunded = new Set(net ? courseLineIds.filter((id) => (net.get(id) ?? 0) <= 0) : courseLineIds);
    if (!net || refunded.size === courseLineIds.length)
      return { status: 'refunded', refundedLineIds: refunded };
  }
  const standing = invoices.filter((m) => isPostedInvoice(m) && m.payment_state !== 'reversed');
  const paid = standing.length > 0 && standing.every((m) => SETTLED.has(m.payment_state));
  return { status: paid ? 'paid' : 'unpaid', refundedLineIds: refunded };
}

/** The order-level answer alone (no line detail): any refund of an unattributed kind refunds the order. */
export function paymentStatus(orderState: string, invoices: InvoiceFacts[]): PaymentStatus {
  return orderPayment(orderState, invoices, []).status;
}

/** The order, as read, still pays for this course: it is paid and a line of the course was not refunded. */
export function stillPaysFor(order: EnrollmentOrder, courseCode: string): boolean {
  return (
    order.paymentStatus === 'paid' &&
    order.courseLines.some((l) => l.courseCode === courseCode && !l.refunded)
  );
}
