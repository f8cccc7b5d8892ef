// OdooGateway over any OdooTransport: reads orders with only the fields enrollment needs (order-reader.ts;
// reads of one event-loop turn batched), writes the lms_sync addon fields back, and posts chatter notes
// (chatter.ts: one post per order at a time, each note once).

import type { Logger } from '../observability';
import { PermanentError } from '../lib';
import { createBatcher } from '../lib';
import { createChatter } from './chatter';
import { CONFIRMED_ORDER_STATES, odooDatetime } from './conventions';
import { createOrderReader, type Product } from './order-reader';
import { createProductCache } from './product-cache';
import { stillPaysFor } from './payment-status';
import { addonOrderFields, fieldNames, orderRecord, parseRecords } from './records';
import type { LmsSyncState, OdooGateway } from './gateway';
import type { OdooTransport } from './transport';

export interface OdooGatewayOptions {
  transport: OdooTransport;
  log: Logger;
  /** COURSE_CATEGORY: products in it or below it are courses */
  courseCategory: string;
  /** read the addon's learners of each course line (LEARNER_SOURCE attendees) */
  lineLearners?: boolean;
  /** how long a product read is reused by later orders (ODOO_PRODUCT_CACHE_SECONDS); 0 = read each time */
  productCacheMs?: number;
}

const MAX_ERROR_LENGTH = 500;
/** Orders of one customer looked at for a refund's coverage check; a customer has a handful. */
const MAX_OTHER_ORDERS = 200;

export function createOdooGateway(options: OdooGatewayOptions): OdooGateway {
  const { transport, log } = options;
  let addonInstalled: Promise<boolean> | undefined;

  async function hasSyncFields(): Promise<boolean> {
    addonInstalled ??= transport
      .executeKw<Record<string, unknown>>('sale.order', 'fields_get', [], {
        allfields: [...addonOrderFields],
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

  // Reads made in the same turn share one read per model (a busy consumer asks for many orders at once).
  // One batch at a time: the orders asked for meanwhile wait for it and go together in the next one, so a
  // burst makes bigger reads rather than more concurrent calls (the transport limits those anyway).
  const lineLearners = options.lineLearners ?? false;
  const orderReader = createOrderReader({
    transport,
    log,
    courseCategory: options.courseCategory,
    lineLearners,
  });
  const products = createProductCache<Product>({ ttlMs: options.productCacheMs ?? 0 });
  const readOrders = async (ids: number[]) =>
    new Map((await orderReader.readByIds(ids, products)).map((o) => [o.id, o]));
  const orderLoader = createBatcher(readOrders, { maxInFlight: 1 });
  const chatter = createChatter(transport);

  // Orders given the same values in the same turn (a burst of 'synced' in one second) share one write.
  const statusWriter = createBatcher(
    async (keys: string[]) => {
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
    },
    { maxInFlight: 1 },
  );

  return {
    async readOrderForEnrollment(orderId, readOptions) {
      // every product is read anew from here on, this order's included (it joins a batch not yet made)
      if (readOptions?.fresh) products.clear();
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

    async findCoveringOrder({ partnerIds, courseCode, exceptOrderId, covers }) {
      const rows = await transport.executeKw<unknown[]>(
        'sale.order',
        'search_read',
        [
          [
            ...(lineLearners ? ['|', '|'] : ['|']),
            ['partner_id', 'in', partnerIds],
            ['partner_shipping_id', 'in', partnerIds],
            ...(lineLearners ? [['order_line.lms_learner_ids', 'in', partnerIds]] : []),
            ['state', 'in', [...CONFIRMED_ORDER_STATES]],
            ['id', '!=', exceptOrderId],
          ],
        ],
        { fields: fieldNames.order, order: 'id asc', limit: MAX_OTHER_ORDERS },
      );
      const others = await orderReader.enrich(parseRecords(orderRecord, 'sale.order', rows));
      const covering = others.find((o) => (covers ? covers(o) : stillPaysFor(o, courseCode)));
      return covering ? { id: covering.id, name: covering.name } : null;
    },

    postOrderNote: (orderId, note, postOptions) => chatter.post('sale.order', orderId, note, postOptions),

    async ping() {
      await transport.version();
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
