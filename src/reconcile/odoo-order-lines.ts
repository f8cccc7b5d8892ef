// Streams the course lines of confirmed orders from Odoo in pages: keyset paging on id (no offset scans)
// and, per page, the shared order reader's one read per related model. Products are cached for one run
// only, so a course code fixed in Odoo is seen by the next run.
import { PermanentError } from '../lib';
import { CONFIRMED_ORDER_STATES, odooDatetime } from '../odoo';
import { createOrderReader } from '../odoo';
import { fieldNames, orderRecord, parseRecords } from '../odoo';
import type { EnrollmentOrder, OdooTransport } from '../odoo';
import { resolveLearners, type LearnerSource } from '../enrollment';
import type { Logger } from '../observability';
import type { OrderLinePage, OrderLineSource } from './sources';

/**
 * Every page must move the keyset on: a page with an id not past the last one (a proxy or a server
 * answering the same page again) would otherwise keep the run reading, and heartbeating, forever.
 */
function refuseRepeatedPage(lastId: number, orders: Array<{ id: number }>): void {
  const stuck = orders.find((o) => o.id <= lastId);
  if (!stuck) return;
  throw new PermanentError(
    'reconcile_page_repeated',
    `Odoo answered the sale.order page after id ${lastId} with id ${stuck.id}, which is not past it (a server or proxy repeating a page): the run stops`,
  );
}

/** Expected enrollments are (course, learner): one row per learner of each course line. */
function learnerLines(o: EnrollmentOrder, source: LearnerSource, page: OrderLinePage): void {
  for (const { line, learners, seats, unassigned } of resolveLearners(o, source)) {
    const paymentStatus = line.refunded ? 'refunded' : o.paymentStatus;
    for (const learner of learners) {
      page.lines.push({
        orderId: o.id,
        orderName: o.name,
        lineId: line.lineId,
        courseCode: line.courseCode,
        partnerId: learner.partnerId,
        email: learner.email,
        guardianEmail: learner.contact && learner.contact.via !== 'own' ? learner.contact.email : null,
        fullName: learner.name,
        paymentStatus,
      });
    }
    if (unassigned > 0 && paymentStatus === 'paid') {
      page.unassignedSeats.push({
        orderId: o.id,
        orderName: o.name,
        lineId: line.lineId,
        courseCode: line.courseCode,
        seats,
        assigned: seats - unassigned,
      });
    }
  }
}

export function createOdooOrderLines(deps: {
  transport: OdooTransport;
  log: Logger;
  courseCategory: string;
  /** LEARNER_SOURCE (default customer) */
  learnerSource?: LearnerSource;
}): OrderLineSource {
  const { transport } = deps;
  const source = deps.learnerSource ?? 'customer';
  const reader = createOrderReader({ ...deps, lineLearners: source === 'attendees' });

  // Paying an invoice bumps the invoice's write_date, not the order's: an incremental run also takes
  // the orders named in the origin of invoices written since then.
  async function sinceDomain(since: Date, alsoOrderIds: readonly number[]): Promise<unknown[]> {
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
    const leaves: unknown[] = [
      ['write_date', '>=', at],
      ...(names.length ? [['name', 'in', names]] : []),
      ...(alsoOrderIds.length ? [['id', 'in', [...alsoOrderIds]]] : []),
    ];
    return [...leaves.slice(1).map(() => '|'), ...leaves]; // prefix notation: n leaves, n-1 ORs
  }

  return {
    async *pages({ since, pageSize, alsoOrderIds = [], onOrders }) {
      const scope = since ? await sinceDomain(since, alsoOrderIds) : [];
      const products = new Map(); // this run's product cache
      let lastId = 0;
      let read = 0;
      // one count per run, for the operator's progress bar (a percentage and an ETA)
      const total = onOrders
        ? await transport.executeKw<number>('sale.order', 'search_count', [
            [['state', 'in', [...CONFIRMED_ORDER_STATES]], ...scope],
          ])
        : null;
      onOrders?.(0, total);
      for (;;) {
        const domain = [['state', 'in', [...CONFIRMED_ORDER_STATES]], ['id', '>', lastId], ...scope];
        const rows = await transport.executeKw<unknown[]>('sale.order', 'search_read', [domain], {
          fields: fieldNames.order,
          limit: pageSize,
          order: 'id asc',
        });
        const orders = parseRecords(orderRecord, 'sale.order', rows);
        if (orders.length === 0) return;
        refuseRepeatedPage(lastId, orders);
        const page: OrderLinePage = { lines: [], unassignedSeats: [] };
        for (const o of await reader.enrich(orders, products)) learnerLines(o, source, page);
        read += orders.length;
        onOrders?.(read, total);
        yield page;
        lastId = orders[orders.length - 1]!.id;
        if (orders.length < pageSize) return;
      }
    },
  };
}
