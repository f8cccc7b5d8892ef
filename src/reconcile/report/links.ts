// Where a finding leads: its Odoo order, its Helpdesk ticket, the story of its repair event. Links
// carry record ids only: no credentials (ODOO_URL's userinfo is dropped) and no personal data.
import { odooRecordLink } from '../../odoo';
import type { FindingRow } from './types';

export interface TicketRef {
  odooTicketId: number;
  /** the number the web client shows (HT00042), when Odoo has given it */
  reference: string | null;
  state: 'open' | 'closed';
}

export interface ReportLinks {
  /** ODOO_URL; without it no Odoo link is drawn (a report rendered away from the service) */
  odooUrl?: string | null;
  /** by ticketKey(orderId, courseCode) */
  tickets?: ReadonlyMap<string, TicketRef>;
}

// Both Helpdesk flavors name their ticket model so (helpdesk/flavors.ts; reconcile may not import it).
const TICKET_MODEL = 'helpdesk.ticket';

export const ticketKey = (orderId: number, courseCode: string | null) => `${orderId}:${courseCode ?? ''}`;

export function orderHref(links: ReportLinks | undefined, orderId: number | null): string | null {
  return links?.odooUrl && orderId !== null ? odooRecordLink(links.odooUrl, 'sale.order', orderId) : null;
}

export function ticketFor(links: ReportLinks | undefined, f: FindingRow): TicketRef | null {
  return f.orderId === null ? null : (links?.tickets?.get(ticketKey(f.orderId, f.courseCode)) ?? null);
}

export function ticketHref(links: ReportLinks | undefined, t: TicketRef): string | null {
  return links?.odooUrl ? odooRecordLink(links.odooUrl, TICKET_MODEL, t.odooTicketId) : null;
}

/** The event's whole story, served beside the report. */
export const eventStoryHref = (eventId: string) => `/admin/events/${encodeURIComponent(eventId)}`;
