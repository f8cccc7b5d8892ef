// The one place that knows how the two Helpdesk addons name their models and fields.
// Everything else in src/helpdesk speaks in terms of this mapping; the ticket's create values are built here too.

import { escapeHtml } from '../lib';
import type { Priority } from './rules';

export type FlavorName = 'oca' | 'enterprise';
export type OdooPriority = '0' | '1' | '2' | '3';

export interface HelpdeskFlavor {
  name: FlavorName;
  ticketModel: 'helpdesk.ticket';
  tagModel: 'helpdesk.ticket.tag' | 'helpdesk.tag';
  teamModel: 'helpdesk.ticket.team' | 'helpdesk.team';
  stageModel: 'helpdesk.ticket.stage' | 'helpdesk.stage';
  /** stages a ticket counts as closed in */
  closedStageDomain: unknown[];
  /** boolean on the ticket mirroring its stage's closing flag */
  ticketClosedField: 'closed' | 'fold';
  /** the human ticket number shown in the web client */
  referenceField: 'number' | 'ticket_ref';
  closeDateField: 'closed_date' | 'close_date';
  /** OCA's description is required: an empty one is Fault 2 "mandatory field is not set" */
  requireDescription: boolean;
  /** OCA does not fill partner_name/partner_email from partner_id over RPC (onchange only) */
  setPartnerNameEmail: boolean;
  priority: Record<Priority, OdooPriority>;
  /** a model only this flavor installs: fields_get on it answers, or Fault 2 when it is absent */
  detectModel: string;
  /** the team's many2many of res.users it assigns among (archived users stay listed in it) */
  teamMembersField: 'user_ids' | 'member_ids';
  /** the team's leader, where the flavor has one (else only HELPDESK_TEAM_LEADERS names one) */
  teamLeaderField: 'user_id' | null;
}

// Both flavors store '0'..'3'. OCA labels '1' "Medium" and '3' "Very High", Enterprise "Medium priority" and
// "Urgent"; defaults differ ('1' OCA, '0' Enterprise), so the writer always sends a priority.
const PRIORITY: Record<Priority, OdooPriority> = { low: '0', normal: '1', high: '2', urgent: '3' };

export const FLAVORS: Readonly<Record<FlavorName, HelpdeskFlavor>> = {
  oca: {
    name: 'oca',
    ticketModel: 'helpdesk.ticket',
    tagModel: 'helpdesk.ticket.tag',
    teamModel: 'helpdesk.ticket.team',
    stageModel: 'helpdesk.ticket.stage',
    closedStageDomain: [['closed', '=', true]],
    ticketClosedField: 'closed',
    referenceField: 'number',
    closeDateField: 'closed_date',
    requireDescription: true,
    setPartnerNameEmail: true,
    priority: PRIORITY,
    detectModel: 'helpdesk.ticket.team',
    teamMembersField: 'user_ids',
    teamLeaderField: 'user_id',
  },
  enterprise: {
    name: 'enterprise',
    ticketModel: 'helpdesk.ticket',
    tagModel: 'helpdesk.tag',
    teamModel: 'helpdesk.team',
    stageModel: 'helpdesk.stage',
    closedStageDomain: [['fold', '=', true]],
    ticketClosedField: 'fold',
    referenceField: 'ticket_ref',
    closeDateField: 'close_date',
    requireDescription: false,
    // computed from partner_id (stored, writable): sending them would rewrite the partner's own email
    setPartnerNameEmail: false,
    priority: PRIORITY,
    detectModel: 'helpdesk.tag',
    teamMembersField: 'member_ids',
    teamLeaderField: null,
  },
};

/** '0'..'3' back to our names; anything else (a customised selection) reads as unknown. */
export function priorityFromOdoo(flavor: HelpdeskFlavor, value: unknown): Priority | null {
  const entry = Object.entries(flavor.priority).find(([, v]) => v === value);
  return entry ? (entry[0] as Priority) : null;
}

/** What a new ticket says; the writer's TicketDraft fits it. */
export interface TicketContent {
  title: string;
  descriptionHtml: string;
  marker: string;
  priority: Priority;
  partner: { id: number; name: string; email: string | null } | null;
}

/** `create` values for a ticket, once the team and tag ids are known. Pure. */
export function ticketCreateVals(
  flavor: HelpdeskFlavor,
  content: TicketContent,
  ids: { team: number; tags: number[] },
): Record<string, unknown> {
  const description =
    content.descriptionHtml.trim() !== '' || !flavor.requireDescription
      ? content.descriptionHtml
      : `<p>${escapeHtml(content.title)}</p>`;
  const vals: Record<string, unknown> = {
    name: `${content.title} ${content.marker}`,
    description,
    team_id: ids.team,
    // always sent: the flavors' defaults differ ('1' OCA, '0' Enterprise; docs/odoo.md)
    priority: flavor.priority[content.priority],
    tag_ids: [[6, 0, ids.tags]],
  };
  if (content.partner) {
    vals.partner_id = content.partner.id;
    if (flavor.setPartnerNameEmail) {
      vals.partner_name = content.partner.name;
      if (content.partner.email) vals.partner_email = content.partner.email;
    }
  }
  return vals;
}

export function referenceOf(flavor: HelpdeskFlavor, rec: Record<string, unknown> | undefined): string | null {
  const value = rec?.[flavor.referenceField];
  // OCA's number reads "/" until its sequence has been applied
  return typeof value === 'string' && value !== '' && value !== '/' ? value : null;
}
