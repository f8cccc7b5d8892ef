// Turns sale.order records into EnrollmentOrders with one read per related model for the whole set
// (lines, invoices, partners, products): no N+1. Shared by the consumer's gateway (orders by id) and
// the reconciler (orders by page).
import type { Logger } from '../observability';
import { createCourseCategories } from './course-categories';
import type { EnrollmentOrder, OrderCourseLine, OrderPartner } from './gateway';
import { hasRefund, orderPayment, type InvoiceFacts } from './payment-status';
import {
  cleanEmail,
  fieldNames,
  invoiceRecord,
  lineRecord,
  moveLineRecord,
  orderRecord,
  parseRecords,
  partnerRecord,
  productRecord,
} from './records';
import type { ProductStore } from './product-cache';
import type { OdooTransport } from './transport';

export type OrderRecord = ReturnType<typeof orderRecord.parse>;
export type Product = ReturnType<typeof productRecord.parse>;
type ProductLine = {
  id: number;
  product_id: { id: number; name: string };
  product_uom_qty?: number;
  lms_learner_ids?: number[];
};
type Invoice = ReturnType<typeof invoiceRecord.parse>;

type PartnerRow = ReturnType<typeof partnerRecord.parse>;

/** How far up parent_id a learner's guardian is looked for (a pupil → class → school is three). */
const MAX_GUARDIAN_DEPTH = 4;

export interface OrderReaderOptions {
  transport: OdooTransport;
  log: Logger;
  courseCategory: string;
  /** also read the addon's learners of each line (sale.order.line.lms_learner_ids) */
  lineLearners?: boolean;
}

function orderPartner(p: PartnerRow): OrderPartner {
  return {
    id: p.id,
    name: p.name ?? '',
    email: cleanEmail(p.email),
    phone: p.phone?.trim() || null,
    parentId: p.parent_id?.id ?? null,
    isCompany: p.is_company,
  };
}

export function createOrderReader(deps: OrderReaderOptions) {
  const { transport } = deps;
  const lineFields = deps.lineLearners ? [...fieldNames.line, fieldNames.lineLearners] : fieldNames.line;
  const categories = createCourseCategories({ transport, log: deps.log, name: deps.courseCategory });
  const read = (model: string, ids: number[], fields: string[]): Promise<unknown[]> =>
    ids.length === 0 ? Promise.resolve([]) : transport.executeKw<unknown[]>(model, 'read', [ids], { fields });
  const unique = <T>(xs: T[]) => [...new Set(xs)];

  /**
   * Products of these lines, read only where `cache` does not have them (one reconciliation run's Map,
   * the consumer's short-lived product-cache.ts); the answer holds exactly the ones found.
   */
  async function productsOf(
    lines: ProductLine[],
    cache?: ProductStore<Product>,
  ): Promise<Map<number, Product>> {
    const products = new Map<number, Product>();
    const missing: number[] = [];
    for (const id of unique(lines.map((l) => l.product_id.id))) {
      const known = cache?.get(id);
      if (known) products.set(id, known);
      else missing.push(id);
    }
    for (const p of parseRecords(
      productRecord,
      'product.product',
      await read('product.product', missing, fieldNames.product),
    )) {
      products.set(p.id, p);
      cache?.set(p.id, p);
    }
    return products;
  }

  /**
   * These partners, then the parents of those without an email, level by level (one read per level),
   * so a learner's guardian is at hand without a read per learner.
   */
  async function partnersOf(ids: number[]): Promise<Map<number, OrderPartner>> {
    const out = new Map<number, OrderPartner>();
    let wanted = unique(ids);
    for (let depth = 0; wanted.length > 0 && depth <= MAX_GUARDIAN_DEPTH; depth++) {
      const rows = parseRecords(
        partnerRecord,
        'res.partner',
        await read('res.partner', wanted, fieldNames.partner),
      );
      for (const row of rows) out.set(row.id, orderPartner(row));
      wanted = unique(
        rows.flatMap((r) =>
          !cleanEmail(r.email) && r.parent_id && !out.has(r.parent_id.id) ? [r.parent_id.id] : [],
        ),
      );
    }
    return out;
  }

  function courseLinesOf(
    lines: ProductLine[],
    products: Map<number, Product>,
    courseIds: Set<number>,
  ): Array<Omit<OrderCourseLine, 'refunded'>> {
    const out: Array<Omit<OrderCourseLine, 'refunded'>> = [];
    const seats = (qty: number | undefined) => Math.max(1, Math.floor(qty ?? 1));
    for (const line of lines) {
      const product = products.get(line.product_id.id);
      if (!product?.categ_id || !courseIds.has(product.categ_id.id)) continue;
      out.push({
        lineId: line.id,
        productId: product.id,
        productName: product.name,
        courseCode: product.default_code?.trim() || null,
        quantity: seats(line.product_uom_qty),
        learnerIds: line.lms_learner_ids ?? [],
      });
    }
    return out;
  }

  /** These invoices with their product lines (which sale order lines each bills or takes back): one read. */
  async function invoiceLines(invoices: Invoice[]): Promise<Map<number, InvoiceFacts>> {
    const lineIds = unique(invoices.flatMap((m) => m.invoice_line_ids));
    const rows = parseRecords(
      moveLineRecord,
      'account.move.line',
      await read('account.move.line', lineIds, fieldNames.moveLine),
    );
    const byId = new Map(rows.map((l) => [l.id, { quantity: l.quantity, saleLineIds: l.sale_line_ids }]));
    return new Map(
      invoices.map((m) => [m.id, { ...m, lines: m.invoice_line_ids.flatMap((id) => byId.get(id) ?? []) }]),
    );
  }

  async function enrich(
    orders: OrderRecord[],
    productCache?: ProductStore<Product>,
  ): Promise<EnrollmentOrder[]> {
    const [lines, invoices, courseIds] = await Promise.all([
      read(
        'sale.order.line',
        orders.flatMap((o) => o.order_line),
        lineFields,
      ).then((r) => parseRecords(lineRecord, 'sale.order.line', r)),
      read('account.move', unique(orders.flatMap((o) => o.invoice_ids)), fieldNames.invoice).then((r) =>
        parseRecords(invoiceRecord, 'account.move', r),
      ),
      categories.ids(),
    ]);
    const productLines = lines.filter(
      (l): l is typeof l & ProductLine => l.display_type === null && l.product_id !== null,
    );
    // Only orders that have a refund need their invoices' lines; the rest keep to one read per model.
    const rawInvoices = new Map(invoices.map((m) => [m.id, m]));
    const movesOf = (o: OrderRecord) => o.invoice_ids.flatMap((id) => rawInvoices.get(id) ?? []);
    const named = orders.flatMap((o) => [o.partner_id?.id ?? 0, o.partner_shipping_id?.id ?? 0]);
    const [products, withLines, partnerById] = await Promise.all([
      productsOf(productLines, productCache),
      invoiceLines(orders.map(movesOf).filter(hasRefund).flat()),
      partnersOf([...named, ...productLines.flatMap((l) => l.lms_learner_ids ?? [])].filter((id) => id > 0)),
    ]);
    const lineById = new Map(productLines.map((l) => [l.id, l]));
    return orders.map((order) => {
      const own = order.order_line.flatMap((id) => lineById.get(id) ?? []);
      const lines = courseLinesOf(own, products, courseIds);
      const customerId = order.partner_id?.id ?? 0;
      const partner = partnerById.get(customerId);
      const payment = orderPayment(
        order.state,
        movesOf(order).map((m) => withLines.get(m.id) ?? m),
        lines.map((l) => l.lineId),
      );
      const courseLines = lines.map((l) => ({ ...l, refunded: payment.refundedLineIds.has(l.lineId) }));
      return {
        id: order.id,
        name: order.name,
        state: order.state,
        paymentStatus: payment.status,
        partner: partner ?? {
          id: customerId,
          name: order.partner_id?.name ?? '',
          email: null,
          phone: null,
          parentId: null,
          isCompany: false,
        },
        shippingPartnerId: order.partner_shipping_id?.id ?? customerId,
        partners: partnerById,
        courseLines,
        otherLineCount: own.length - courseLines.length,
      };
    });
  }

  return {
    enrich,
    /** Orders by id (a missing id is simply absent: Odoo's read skips it). */
    async readByIds(ids: number[], productCache?: ProductStore<Product>): Promise<EnrollmentOrder[]> {
      return enrich(
        parseRecords(orderRecord, 'sale.order', await read('sale.order', ids, fieldNames.order)),
        productCache,
      );
    },
  };
}

export type OrderReader = ReturnType<typeof createOrderReader>;
