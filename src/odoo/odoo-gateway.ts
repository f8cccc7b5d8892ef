// OdooGateway over any OdooTransport: reads an order with only the fields enrollment needs (no N+1: one read
// per model), writes the lms_sync addon fields back, and posts chatter notes.

import type { Logger } from '../observability/logger';
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

  async function courseLinesOf(
    lines: ProductLine[],
    courseCategoryIds: Set<number>,
  ): Promise<OrderCourseLine[]> {
    const productIds = [...new Set(lines.map((l) => l.product_id.id))];
    const rows = await read('product.product', productIds, fieldNames.product);
    const products = new Map(parseRecords(productRecord, 'product.product', rows).map((p) => [p.id, p]));
    const courseLines: OrderCourseLine[] = [];
    for (const line of lines) {
      const product = products.get(line.product_id.id);
      if (!product?.categ_id || !courseCategoryIds.has(product.categ_id.id)) continue;
      const courseCode = product.default_code?.trim() || null;
      courseLines.push({ lineId: line.id, productId: product.id, productName: product.name, courseCode });
    }
    return courseLines;
  }

  return {
    async readOrderForEnrollment(orderId) {
      const [order] = parseRecords(
        orderRecord,
        'sale.order',
        await read('sale.order', [orderId], fieldNames.order),
      );
      if (!order) return null;
      const [lines, invoices, partners, courseCategoryIds] = await Promise.all([
        read('sale.order.line', order.order_line, fieldNames.line).then((r) =>
          parseRecords(lineRecord, 'sale.order.line', r),
        ),
        read('account.move', order.invoice_ids, fieldNames.invoice).then((r) =>
          parseRecords(invoiceRecord, 'account.move', r),
        ),
        read('res.partner', order.partner_id ? [order.partner_id.id] : [], fieldNames.partner).then((r) =>
          parseRecords(partnerRecord, 'res.partner', r),
        ),
        categories.ids(),
      ]);
      const productLines = lines.filter(
        (l): l is typeof l & ProductLine => l.display_type === null && l.product_id !== null,
      );
      const courseLines = await courseLinesOf(productLines, courseCategoryIds);
      const partner = partners[0];
      const result: EnrollmentOrder = {
        id: order.id,
        name: order.name,
        state: order.state,
        paymentStatus: paymentStatus(order.state, invoices),
        partner: {
          id: order.partner_id?.id ?? 0,
          name: partner?.name ?? order.partner_id?.name ?? '',
          email: cleanEmail(partner?.email ?? null),
          phone: partner?.phone?.trim() || null,
        },
        courseLines,
        otherLineCount: productLines.length - courseLines.length,
      };
      return result;
    },

    async writeSyncStatus(orderId: number, status: { state: LmsSyncState; error: string | null; at: Date }) {
      if (!(await hasSyncFields())) return;
      await transport.executeKw('sale.order', 'write', [
        [orderId],
        {
          lms_sync_state: status.state,
          lms_last_sync_at: odooDatetime(status.at),
          lms_last_error: status.error ? truncate(status.error, MAX_ERROR_LENGTH) : false,
        },
      ]);
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
