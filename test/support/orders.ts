// Small factories over the Odoo simulator's store: a student, a course, a paid order.
import type { RunningOdooSim } from './harness';

let seq = 0;

export function makeStudent(
  odoo: RunningOdooSim,
  over: { email?: string | false; name?: string } = {},
): number {
  seq += 1;
  return odoo.store.createPartner({
    name: over.name ?? `Student ${seq}`,
    email: over.email ?? `student${seq}@example.com`,
  });
}

export function makeCourse(odoo: RunningOdooSim, code: string | false, price = 4_750_000): number {
  return odoo.store.createCourseProduct(code, `Course ${code || 'without code'}`, price);
}

/** A confirmed order whose customer invoice is posted and paid. */
export function paidOrder(
  odoo: RunningOdooSim,
  partnerId: number,
  productIds: number[],
): { orderId: number; invoiceId: number; name: string } {
  const orderId = odoo.store.createOrder({
    partnerId,
    lines: productIds.map((productId) => ({ productId })),
  });
  const invoiceId = odoo.store.invoiceOrder(orderId);
  odoo.store.payInvoice(invoiceId);
  const [order] = odoo.store.read('sale.order', [orderId], ['name']);
  return { orderId, invoiceId, name: String(order?.name) };
}

export function unpaidOrder(
  odoo: RunningOdooSim,
  partnerId: number,
  productIds: number[],
): { orderId: number; name: string } {
  const orderId = odoo.store.createOrder({
    partnerId,
    lines: productIds.map((productId) => ({ productId })),
  });
  odoo.store.invoiceOrder(orderId);
  const [order] = odoo.store.read('sale.order', [orderId], ['name']);
  return { orderId, name: String(order?.name) };
}
