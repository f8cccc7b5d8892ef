// Helpdesk models of both flavors, exactly where they differ: OCA helpdesk_mgmt or Enterprise helpdesk
// (docs/odoo.md, "Helpdesk: two flavors").

import type { Rec } from './domain';
import {
  active,
  bool,
  char,
  constant,
  datetime,
  html,
  int,
  m2m,
  m2o,
  sel,
  type FieldDef,
  type HelpdeskFlavor,
  type ModelApi,
  type ModelDef,
} from './schema-types';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const firstId = (model: string) => (api: ModelApi) => api.search(model, [])[0] ?? false;

function priority(labels: [string, string, string, string], fallback: string): FieldDef {
  return sel(
    labels.map((label, i) => [String(i), label] as [string, string]),
    'Priority',
    { default: constant(fallback) },
  );
}

function commonTicketFields(): Record<string, FieldDef> {
  return {
    name: char('Subject', { required: true }),
    partner_id: m2o('res.partner', 'Customer'),
    partner_name: char('Customer Name'),
    partner_email: char('Customer Email'),
    user_id: m2o('res.users', 'Assigned to'),
    active: active(),
  };
}

function ocaModels(): ModelDef[] {
  const ticket: ModelDef = {
    name: 'helpdesk.ticket',
    description: 'Helpdesk Ticket',
    order: 'priority desc, sequence, number desc, id desc',
    mailThread: true,
    displayName: (rec) => `${str(rec.number)} - ${str(rec.name)}`,
    beforeCreate: (vals, api) => {
      if (vals.number === undefined || vals.number === '/') {
        vals.number = `HT${String(api.nextSequence('helpdesk.ticket')).padStart(5, '0')}`;
      }
    },
    fields: {
      ...commonTicketFields(),
      number: char('Ticket number', { default: constant('/') }),
      sequence: int('Sequence', { default: constant(10) }),
      description: html('Description', { required: true }),
      team_id: m2o('helpdesk.ticket.team', 'Team'),
      priority: priority(['Low', 'Medium', 'High', 'Very High'], '1'),
      tag_ids: m2m('helpdesk.ticket.tag', 'Tags'),
      stage_id: m2o('helpdesk.ticket.stage', 'Stage', { default: firstId('helpdesk.ticket.stage') }),
      closed: bool('Closed', {
        readonly: true,
        compute: (rec, api) => stageFlag(api, rec, 'helpdesk.ticket.stage', 'closed'),
      }),
      closed_date: datetime('Closed Date'),
      category_id: m2o('helpdesk.ticket.category', 'Category'),
      channel_id: m2o('helpdesk.ticket.channel', 'Channel'),
      company_id: m2o('res.company', 'Company', { required: true, default: constant(1) }),
    },
  };
  return [
    ticket,
    simple('helpdesk.ticket.tag', 'Helpdesk Ticket Tag', { name: char('Name'), color: int('Color Index') }),
    simple('helpdesk.ticket.team', 'Helpdesk Ticket Team', {
      name: char('Name', { required: true }),
      user_ids: m2m('res.users', 'Members'),
      user_id: m2o('res.users', 'Team Leader'),
    }),
    simple('helpdesk.ticket.category', 'Helpdesk Ticket Category', {
      name: char('Name', { required: true }),
    }),
    simple('helpdesk.ticket.channel', 'Helpdesk Ticket Channel', { name: char('Name', { required: true }) }),
    simple('helpdesk.ticket.stage', 'Helpdesk Ticket Stage', {
      name: char('Stage Name', { required: true }),
      sequence: int('Sequence', { default: constant(1) }),
      closed: bool('Closed'),
      unattended: bool('Unattended'),
      fold: bool('Folded in Kanban'),
    }),
  ];
}

function enterpriseModels(): ModelDef[] {
  const ticket: ModelDef = {
    name: 'helpdesk.ticket',
    description: 'Helpdesk Ticket',
    order: 'priority desc, id desc',
    mailThread: true,
    displayName: (rec) => `${str(rec.name)} (#${str(rec.ticket_ref)})`,
    beforeCreate: enterpriseTicketCreate,
    fields: {
      ...commonTicketFields(),
      ticket_ref: char('Ticket IDs Sequence', { readonly: true }),
      description: html('Description'),
      team_id: m2o('helpdesk.team', 'Helpdesk Team', { default: firstId('helpdesk.team') }),
      priority: priority(['Low priority', 'Medium priority', 'High priority', 'Urgent'], '0'),
      tag_ids: m2m('helpdesk.tag', 'Tags'),
      stage_id: m2o('helpdesk.stage', 'Stage', { default: firstId('helpdesk.stage') }),
      fold: bool('Folded', {
        readonly: true,
        compute: (rec, api) => stageFlag(api, rec, 'helpdesk.stage', 'fold'),
      }),
      close_date: datetime('Close date'),
      ticket_type_id: m2o('helpdesk.ticket.type', 'Type'),
    },
  };
  return [
    ticket,
    {
      ...simple('helpdesk.tag', 'Helpdesk Tags', {
        name: char('Name', { required: true }),
        color: int('Color'),
      }),
      unique: { fields: ['name'], message: 'A tag with the same name already exists.' },
    },
    // Enterprise teams have members and no leader field
    simple('helpdesk.team', 'Helpdesk Team', {
      name: char('Helpdesk Team', { required: true }),
      member_ids: m2m('res.users', 'Team Members'),
    }),
    {
      ...simple('helpdesk.ticket.type', 'Helpdesk Ticket Type', { name: char('Type', { required: true }) }),
      unique: { fields: ['name'], message: 'Type name already exists !' },
    },
    simple('helpdesk.stage', 'Helpdesk Stage', {
      name: char('Stage Name', { required: true }),
      sequence: int('Sequence', { default: constant(1) }),
      fold: bool('Folded in Kanban'),
    }),
  ];
}

/** Enterprise fills partner_name/partner_email from the partner, and finds or creates a partner from them. */
function enterpriseTicketCreate(vals: Record<string, unknown>, api: ModelApi): void {
  vals.ticket_ref = String(api.nextSequence('helpdesk.ticket'));
  const partner =
    typeof vals.partner_id === 'number' ? api.record('res.partner', vals.partner_id) : undefined;
  if (partner) {
    vals.partner_name ??= partner.name;
    vals.partner_email ??= partner.email;
  } else if (typeof vals.partner_email === 'string' && vals.partner_email) {
    const found = api.search('res.partner', [['email', '=ilike', vals.partner_email]])[0];
    const name =
      typeof vals.partner_name === 'string' && vals.partner_name ? vals.partner_name : vals.partner_email;
    vals.partner_id = found ?? api.create('res.partner', { name, email: vals.partner_email });
  }
}

function stageFlag(api: ModelApi, rec: Rec, stageModel: string, flag: string): boolean {
  const stageId = api.value('helpdesk.ticket', rec, 'stage_id');
  const stage = typeof stageId === 'number' ? api.record(stageModel, stageId) : undefined;
  return stage?.[flag] === true;
}

function simple(name: string, description: string, fields: Record<string, FieldDef>): ModelDef {
  const order = fields.sequence ? 'sequence, id' : 'name, id';
  return { name, description, order, fields: { ...fields, active: active() } };
}

export function helpdeskModels(flavor: HelpdeskFlavor): ModelDef[] {
  if (flavor === 'oca') return ocaModels();
  if (flavor === 'enterprise') return enterpriseModels();
  return [];
}
