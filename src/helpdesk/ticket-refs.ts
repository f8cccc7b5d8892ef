// The helpdesk tickets behind a report's findings, so the report can link to them (the report is
// reconcile's; the tickets table is the helpdesk's).
import type { Pool } from 'pg';
import { ticketKey, type FindingRow, type TicketRef } from '../reconcile';

/**
 * The Odoo ticket of each (order, course) among the findings: the open one, else the latest. A
 * ticket not yet created in Odoo (its write still queued) has no id to link to and is left out.
 */
export async function loadTicketRefs(
  pool: Pool,
  findings: readonly FindingRow[],
): Promise<Map<string, TicketRef>> {
  const orderIds = [...new Set(findings.flatMap((f) => (f.orderId === null ? [] : [f.orderId])))];
  if (orderIds.length === 0) return new Map();
  const { rows } = await pool.query<{
    order_id: number;
    course_code: string | null;
    odoo_ticket_id: number;
    odoo_reference: string | null;
    state: 'open' | 'closed';
  }>(
    `SELECT DISTINCT ON (order_id, coalesce(course_code, '')) order_id, course_code, odoo_ticket_id, odoo_reference, state
       FROM helpdesk_tickets
      WHERE order_id = ANY($1::int[]) AND odoo_ticket_id IS NOT NULL
      ORDER BY order_id, coalesce(course_code, ''), (state = 'open') DESC, id DESC`,
    [orderIds],
  );
  return new Map(
    rows.map((r) => [
      ticketKey(r.order_id, r.course_code),
      { odooTicketId: r.odoo_ticket_id, reference: r.odoo_reference, state: r.state },
    ]),
  );
}
