// Streams the course lines of confirmed orders from Odoo in pages (keyset on id: no offset scans),
// with one batched read per related model per page: lines, products (cached across pages), invoices
// (the union of the page's invoice_ids) and partners. Only the fields needed are asked for.
import { createCourseCategories } from '../odoo/course-categories';
import { paymentStatus } from '../odoo/payment-status';
import {
  cleanEmail,
  fieldNames,
  invoiceRecord,
  lineRecord,
  orderRecord,
  parseRecords,
  partnerRecord,
  productRecord,
} from '../odoo/records';
import type { OdooTransport } from '../odoo/transport';
import type { Logger } from '../observability/logger';
import type { OdooOrderLine, OrderLineSource } from './sources';

type Product = ReturnType<typeof productRecord.parse>;

/** Odoo datetimes are "YYYY-MM-DD HH:MM:SS" in UTC. */
export function odooDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function createOdooOrderLines(deps: {
  transport: OdooTransport;
  log: Logger;
  courseCategory: string;
}): OrderLineSource {
  const { transport } = deps;
  const categories = createCourseCategories({ transport, log: deps.log, name: deps.courseCategory });
  const products = new Map<number, Product>();
  const read = async (model: string, ids: number[], fields: string[]) =>
    ids.length === 0 ? [] : transport.executeKw<unknown[]>(model, 'read', [ids], { fields });

  async function productsFor(ids: number[]): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !products.has(id));
    for (const p of parseRecords(
      productRecord,
      'product.product',
      await read('product.product', unknown, fieldNames.product),
    )) {
      products.set(p.id, p);
    }
  }

  // Paying an invoice bumps the invoice's write_date, not the order's: an incremental run also takes
  // the orders named in the origin of invoices written since then.
  async function sinceDomain(since: Date): Promise<unknown[]> {
    const at = odooDatetime(since);
    const moves = await transport.executeKw<Array<{ invoice_origin: string | false }>>(
      'account.move',
      'search_read',
      [
        [
          ['write_date', '>=', at],
          ['move_type', 'in', ['out_invoice', 'out_refund']],
        ],
      ],
      { fields: ['invoice_origin'] },
    );
    const names = [
      ...new Set(
        moves.flatMap((m) => (m.invoice_origin ? m.invoice_origin.split(',').map((s) => s.trim()) : [])),
      ),
    ];
    return names.length ? ['|', ['write_date', '>=', at], ['name', 'in', names]] : [['write_date', '>=', at]];
  }

  async function linesOfPage(
    orders: ReturnType<typeof orderRecord.parse>[],
    courseIds: Set<number>,
  ): Promise<OdooOrderLine[]> {
    const [lineRows, invoiceRows, partnerRows] = await Promise.all([
      read(
        'sale.order.line',
        orders.flatMap((o) => o.order_line),
        fieldNames.line,
      ),
      read('account.move', [...new Set(orders.flatMap((o) => o.invoice_ids))], fieldNames.invoice),
      read(
        'res.partner',
        [...new Set(orders.flatMap((o) => (o.partner_id ? [o.partner_id.id] : [])))],
        fieldNames.partner,
      ),
    ]);
    const lines = new Map(parseRecords(lineRecord, 'sale.order.line', lineRows).map((l) => [l.id, l]));
    const invoices = new Map(parseRecords(invoiceRecord, 'account.move', invoiceRows).map((m) => [m.id, m]));
    const partners = new Map(parseRecords(partnerRecord, 'res.partner', partnerRows).map((p) => [p.id, p]));
    await productsFor(
      [...lines.values()].flatMap((l) => (l.product_id && l.display_type === null ? [l.product_id.id] : [])),
    );
    const out: OdooOrderLine[] = [];
    for (const o of orders) {
      const status = paymentStatus(
        o.state,
        o.invoice_ids.flatMap((id) => invoices.get(id) ?? []),
      );
      const partner = o.partner_id ? partners.get(o.partner_id.id) : undefined;
      for (const lineId of o.order_line) {
        const line = lines.get(lineId);
        const product =
          line?.product_id && line.display_type === null ? products.get(line.product_id.id) : undefined;
        if (!product?.categ_id || !courseIds.has(product.categ_id.id)) continue;
        out.push({
          orderId: o.id,
          orderName: o.name,
          lineId,
          courseCode: product.default_code?.trim() || null,
          partnerId: o.partner_id?.id ?? 0,
          email: cleanEmail(partner?.email ?? null),
          fullName: partner?.name ?? o.partner_id?.name ?? '',
          paymentStatus: status,
        });
      }
    }
    return out;
  }

  return {
    async *pages({ since, pageSize }) {
      const courseIds = await categories.ids();
      const scope = since ? await sinceDomain(since) : [];
      let lastId = 0;
      for (;;) {
        const domain = [['state', 'in', ['sale', 'done']], ['id', '>', lastId], ...scope];
        const rows = await transport.executeKw<unknown[]>('sale.order', 'search_read', [domain], {
          fields: fieldNames.order,
          limit: pageSize,
          order: 'id asc',
        });
        const orders = parseRecords(orderRecord, 'sale.order', rows);
        if (orders.length === 0) return;
        yield await linesOfPage(orders, courseIds);
        lastId = orders[orders.length - 1]!.id;
        if (orders.length < pageSize) return;
      }
    },
  };
}
