// OdooGateway over any OdooTransport: reads an order with only the fields enrollment needs (no N+1: one read
// per model), writes the lms_sync addon fields back, and posts chatter notes.

import type { Logger } from '../observability/logger';
import { PermanentError } from '../errors';
import { createBatcher } from '../lib/batcher';
import { createCourseCategories } from './course-categories';
import type { EnrollmentOrder, LmsSyncState, OdooGateway, OrderCourseLine } from './gateway';
import { paymentStatus } from './payment-status';
import {
  cleanEmail,
  fieldNames,
  invoiceRecord,
  lineRecord,
  orderRecord,
  parseRecords,
  partnerRecord,
  productRecord,
} from './records';
import type { OdooTransport } from './transport';

export interface OdooGatewayOptions {
  transport: OdooTransport;
  log: Logger;
  /** COURSE_CATEGORY: products in it or below it are courses */
  courseCategory: string;
}

const MAX_ERROR_LENGTH = 500;

type ProductLine = { id: number; product_id: { id: number; name: string } };

/** Odoo accepts only "YYYY-MM-DD HH:MM:SS" (UTC) for datetimes (facts §1.7). */
export function odooDatetime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

export function createOdooGateway(options: OdooGatewayOptions): OdooGateway {
  const { transport, log } = options;
  const categories = createCourseCategories({ transport, log, name: options.courseCategory });
  let addonInstalled: Promise<boolean> | undefined;

  const read = (model: string, ids: number[], fields: string[]) =>
    ids.length === 0 ? Promise.resolve([]) : transport.executeKw<unknown[]>(model, 'read', [ids], { fields });

  async function hasSyncFields(): Promise<boolean> {
    addonInstalled ??= transport
      .executeKw<Record<string, unknown>>('sale.order', 'fields_get', [], {
        allfields: ['lms_sync_state', 'lms_last_sync_at', 'lms_last_error'],
        attributes: ['type'],
      })
      .then((fields) => {
        const installed = 'lms_sync_state' in fields;
        if (!installed) {
          log.warn(
            'the lms_sync addon is not installed in Odoo: sync status will not be written back to orders',
          );
        }
        return installed;
      })
      .catch((err: unknown) => {
        addonInstalled = undefined; // a failed check is asked again next time
        throw err;
      });
    return addonInstalled;
  }

  async function productsOf(
    lines: ProductLine[],
  ): Promise<Map<number, ReturnType<typeof productRecord.parse>>> {
    const productIds = [...new Set(lines.map((l) => l.product_id.id))];
    const rows = await read('product.product', productIds, fieldNames.product);
    return new Map(parseRecords(productRecord, 'product.product', rows).map((p) => [p.id, p]));
  }

  /**
   * Reads many orders with one read per model (orders, lines, invoices, partners, products): calls made
   * in the same turn share it (see orderLoader), so a busy consumer does not ask Odoo seven times per order.
   */
  async function readOrders(orderIds: number[]): Promise<Map<number, EnrollmentOrder>> {
    const orders = parseRecords(
      orderRecord,
      'sale.order',
      await read('sale.order', orderIds, fieldNames.order),
    );
    const [lines, invoices, partners, courseCategoryIds] = await Promise.all([
      read(
        'sale.order.line',
        orders.flatMap((o) => o.order_line),
        fieldNames.line,
      ).then((r) => parseRecords(lineRecord, 'sale.order.line', r)),
      read('account.move', [...new Set(orders.flatMap((o) => o.invoice_ids))], fieldNames.invoice).then((r) =>
        parseRecords(invoiceRecord, 'account.move', r),
      ),
      read(
        'res.partner',
        [...new Set(orders.flatMap((o) => (o.partner_id ? [o.partner_id.id] : [])))],
        fieldNames.partner,
      ).then((r) => parseRecords(partnerRecord, 'res.partner', r)),
      categories.ids(),
    ]);
    const productLines = lines.filter(
      (l): l is typeof l & ProductLine => l.display_type === null && l.product_id !== null,
    );
    const products = await productsOf(productLines);
    const lineById = new Map(productLines.map((l) => [l.id, l]));
    const invoiceById = new Map(invoices.map((m) => [m.id, m]));
    const partnerById = new Map(partners.map((p) => [p.id, p]));
    const result = new Map<number, EnrollmentOrder>();
    for (const order of orders) {
      const own = order.order_line.flatMap((id) => lineById.get(id) ?? []);
      const courseLines: OrderCourseLine[] = [];
      for (const line of own) {
        const product = products.get(line.product_id.id);
        if (!product?.categ_id || !courseCategoryIds.has(product.categ_id.id)) continue;
        courseLines.push({
          lineId: line.id,
          productId: product.id,
          productName: product.name,
          courseCode: product.default_code?.trim() || null,
        });
      }
      const partner = order.partner_id ? partnerById.get(order.partner_id.id) : undefined;
      result.set(order.id, {
        id: order.id,
        name: order.name,
        state: order.state,
        paymentStatus: paymentStatus(
          order.state,
          order.invoice_ids.flatMap((id) => invoiceById.get(id) ?? []),
        ),
        partner: {
          id: order.partner_id?.id ?? 0,
          name: partner?.name ?? order.partner_id?.name ?? '',
          email: cleanEmail(partner?.email ?? null),
          phone: partner?.phone?.trim() || null,
        },
        courseLines,
        otherLineCount: own.length - courseLines.length,
      });
    }
    return result;
  }

  const orderLoader = createBatcher(readOrders);

  // Orders given the same values in the same turn (a burst of 'synced' in one second) share one write.
  const statusWriter = createBatcher(async (keys: string[]) => {
    const groups = new Map<string, number[]>();
    for (const key of keys) {
      const cut = key.indexOf('|');
      const ids = groups.get(key.slice(cut + 1)) ?? [];
      ids.push(Number(key.slice(0, cut)));
      groups.set(key.slice(cut + 1), ids);
    }
    const write = (ids: number[], vals: unknown) => transport.executeKw('sale.order', 'write', [ids, vals]);
    await Promise.all(
      [...groups].map(async ([vals, ids]) => {
        try {
          await write(ids, JSON.parse(vals));
        } catch (err) {
          // One order gone (Fault 2) must not cost the others their status: write them one by one.
          if (ids.length === 1 || !(err instanceof PermanentError)) throw err;
          await Promise.allSettled(ids.map((id) => write([id], JSON.parse(vals))));
        }
      }),
    );
    return new Map(keys.map((k) => [k, true]));
  });

  return {
    async readOrderForEnrollment(orderId) {
      return (await orderLoader.load(orderId)) ?? null;
    },

    async writeSyncStatus(orderId: number, status: { state: LmsSyncState; error: string | null; at: Date }) {
      if (!(await hasSyncFields())) return;
      const vals = {
        lms_sync_state: status.state,
        lms_last_sync_at: odooDatetime(status.at),
        lms_last_error: status.error ? truncate(status.error, MAX_ERROR_LENGTH) : false,
      };
      await statusWriter.load(`${orderId}|${JSON.stringify(vals)}`);
    },

    async postOrderNote(orderId, html) {
      await transport.executeKw('sale.order', 'message_post', [[orderId]], {
        body: html,
        message_type: 'comment',
        subtype_xmlid: 'mail.mt_note',
        body_is_html: true,
      });
    },

    async ping() {
      await transport.version();
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
