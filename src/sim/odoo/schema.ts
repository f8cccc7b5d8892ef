// The Odoo 17 Community models the simulator serves (fields trimmed to what integrations touch).

import type { Rec } from './domain';
import { helpdeskModels } from './schema-helpdesk';
import { mailModels } from './schema-mail';
import { saleModels } from './schema-sale';
import { slidesModels } from './schema-slides';
import {
  active,
  bool,
  char,
  constant,
  datetime,
  float,
  html,
  int,
  m2m,
  m2o,
  o2m,
  sel,
  type ModelApi,
  type ModelDef,
  type SchemaOptions,
} from './schema-types';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const baseModels: ModelDef[] = [
  {
    name: 'res.company',
    description: 'Companies',
    order: 'name, id',
    fields: { name: char('Company Name', { required: true }), currency_id: m2o('res.currency', 'Currency') },
  },
  {
    name: 'res.currency',
    description: 'Currency',
    order: 'name, id',
    fields: { name: char('Currency', { required: true }), symbol: char('Symbol'), active: active() },
  },
  {
    name: 'res.users',
    description: 'User',
    order: 'name, login',
    fields: {
      name: char('Name', { required: true }),
      login: char('Login', { required: true }),
      partner_id: m2o('res.partner', 'Related Partner'),
      active: active(),
    },
  },
  {
    name: 'res.partner',
    description: 'Contact',
    order: 'complete_name, id desc',
    mailThread: true,
    displayName: partnerDisplayName,
    fields: {
      name: char('Name', { required: true }),
      // stored in Odoo 17 and the model's _order: "Parent, Contact" for a contact under a parent
      complete_name: char('Complete Name', { readonly: true, compute: partnerDisplayName }),
      email: char('Email'),
      phone: char('Phone'),
      ref: char('Reference'),
      is_company: bool('Is a Company'),
      // A contact under a company or a person (a child under a parent): its email is its own, never
      // copied from the parent.
      parent_id: m2o('res.partner', 'Related Company'),
      child_ids: o2m('res.partner', 'parent_id', 'Contact'),
      type: sel(
        [
          ['contact', 'Contact'],
          ['invoice', 'Invoice Address'],
          ['delivery', 'Delivery Address'],
          ['other', 'Other Address'],
        ],
        'Address Type',
        { default: constant('contact') },
      ),
      commercial_partner_id: m2o('res.partner', 'Commercial Entity', {
        readonly: true,
        compute: (rec, api) => commercialPartnerOf(rec, api).id,
      }),
      active: active(),
    },
  },
  {
    name: 'product.category',
    description: 'Product Category',
    order: 'complete_name, id',
    displayName: (rec, api) => str(api.value('product.category', rec, 'complete_name')),
    fields: {
      name: char('Name', { required: true }),
      parent_id: m2o('product.category', 'Parent Category'),
      child_id: o2m('product.category', 'parent_id', 'Child Categories'),
      complete_name: char('Complete Name', { compute: categoryCompleteName }),
    },
  },
  {
    name: 'product.product',
    description: 'Product Variant',
    order: 'default_code, name, id',
    displayName: (rec) => (rec.default_code ? `[${str(rec.default_code)}] ${str(rec.name)}` : str(rec.name)),
    fields: {
      name: char('Name', { required: true }),
      default_code: char('Internal Reference'),
      categ_id: m2o('product.category', 'Product Category', { required: true, default: constant(1) }),
      list_price: float('Sales Price', { default: constant(1.0) }),
      detailed_type: sel(
        [
          ['consu', 'Consumable'],
          ['service', 'Service'],
          ['product', 'Storable Product'],
        ],
        'Product Type',
        { required: true, default: constant('consu') },
      ),
      active: active(),
    },
  },
  {
    name: 'mail.message.subtype',
    description: 'Message subtypes',
    order: 'sequence, id',
    fields: { name: char('Message Type', { required: true }), sequence: int('Sequence') },
  },
  {
    name: 'mail.message',
    description: 'Message',
    order: 'id desc',
    fields: {
      model: char('Related Document Model'),
      res_id: int('Related Document ID'),
      body: html('Contents'),
      message_type: sel(
        [
          ['email', 'Incoming Email'],
          ['comment', 'Comment'],
          ['email_outgoing', 'Outgoing Email'],
          ['notification', 'System notification'],
          ['auto_comment', 'Automated Targeted Notification'],
          ['user_notification', 'User Specific Notification'],
        ],
        'Type',
        { required: true, default: constant('comment') },
      ),
      subtype_id: m2o('mail.message.subtype', 'Subtype'),
      author_id: m2o('res.partner', 'Author'),
      // message_post's partner_ids: the partners notified of it (a note notifies only these)
      partner_ids: m2m('res.partner', 'Recipients'),
      date: datetime('Date', { default: (api) => api.now() }),
    },
  },
  {
    name: 'ir.model',
    description: 'Models',
    order: 'model',
    // an integration user with Sales/Invoicing/Helpdesk rights is refused here; fields_get still works
    adminOnly: true,
    fields: { model: char('Model', { required: true }), name: char('Model Description', { required: true }) },
  },
];

/** Odoo's _compute_commercial_partner: the partner itself when a company or without parent, else the parent's. */
export function commercialPartnerOf(rec: Rec, api: ModelApi): Rec {
  let current = rec;
  for (let guard = 0; guard < 50 && !current.is_company && typeof current.parent_id === 'number'; guard++) {
    const parent = api.record('res.partner', current.parent_id);
    if (!parent) break;
    current = parent;
  }
  return current;
}

/** Odoo 17's complete_name: a contact that is not a company is shown as "Parent, Contact". */
function partnerDisplayName(rec: Rec, api: ModelApi): string {
  const parent = typeof rec.parent_id === 'number' ? api.record('res.partner', rec.parent_id) : undefined;
  if (!parent || rec.is_company) return str(rec.name);
  const commercial = commercialPartnerOf(rec, api);
  const company = commercial.is_company ? str(commercial.name) : str(parent.name);
  return `${company}, ${str(rec.name)}`;
}

function categoryCompleteName(rec: Rec, api: ModelApi): string {
  const names: string[] = [];
  let current: Rec | undefined = rec;
  for (let guard = 0; current && guard < 50; guard++) {
    names.unshift(str(current.name));
    current =
      typeof current.parent_id === 'number' ? api.record('product.category', current.parent_id) : undefined;
  }
  return names.join(' / ');
}

export function buildModels(options: SchemaOptions): Map<string, ModelDef> {
  const all = [
    ...baseModels,
    ...mailModels,
    ...saleModels(options),
    ...helpdeskModels(options.helpdeskFlavor),
    ...slidesModels(options),
  ];
  return new Map(all.map((m) => [m.name, m]));
}
