// sale.order, sale.order.line and account.move as Odoo 17 Community defines them (docs/odoo.md,
// "Payments and refunds").

import type { Rec } from './domain';
import { addressGet } from './partner-addresses';
import {
  char,
  constant,
  date,
  datetime,
  float,
  int,
  m2m,
  m2o,
  money,
  o2m,
  sel,
  text,
  NEW_RECORD,
  type Constraint,
  type FieldDef,
  type ModelApi,
  type ModelDef,
  type SchemaOptions,
} from './schema-types';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const lmsAddonFields: Record<string, FieldDef> = {
  lms_sync_state: sel(
    [
      ['pending', 'Pending'],
      ['synced', 'Synced'],
      ['failed', 'Failed'],
      ['not_applicable', 'Not applicable'],
    ],
    'LMS Sync State',
  ),
  lms_last_sync_at: datetime('LMS Last Sync'),
  lms_last_error: text('LMS Last Error'),
};

function orderAmount(rec: Rec, api: ModelApi): number {
  let total = 0;
  for (const lineId of api.value('sale.order', rec, 'order_line') as number[]) {
    const line = api.record('sale.order.line', lineId);
    if (line) total += Number(line.price_unit || 0) * Number(line.product_uom_qty || 0);
  }
  return total;
}

function saleOrder(options: SchemaOptions): ModelDef {
  return {
    name: 'sale.order',
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    mailThread: true,
    beforeCreate: (vals, api) => {
      if (!vals.name || vals.name === 'New')
        vals.name = `S${String(api.nextSequence('sale.order')).padStart(5, '0')}`;
    },
    fields: {
      name: char('Order Reference', { required: true, readonly: true }),
      state: sel(
        [
          ['draft', 'Quotation'],
          ['sent', 'Quotation Sent'],
          ['sale', 'Sales Order'],
          ['cancel', 'Cancelled'],
        ],
        'Status',
        { readonly: true, default: constant('draft') },
      ),
      partner_id: m2o('res.partner', 'Customer', { required: true }),
      // Odoo 17 computes both from partner_id (address_get, precompute) and lets the user change them.
      partner_invoice_id: m2o('res.partner', 'Invoice Address', {
        required: true,
        default: (api, vals) => addressOf(api, vals, 'invoice'),
      }),
      partner_shipping_id: m2o('res.partner', 'Delivery Address', {
        required: true,
        default: (api, vals) => addressOf(api, vals, 'delivery'),
      }),
      order_line: o2m('sale.order.line', 'order_id', 'Order Lines'),
      // computed from order_line.invoice_lines.move_id, not stored, but with a search method (_search_invoice_ids)
      invoice_ids: m2m('account.move', 'Invoices', {
        store: false,
        searchable: true,
        readonly: true,
        compute: (rec, api) => api.orderInvoiceIds(rec.id),
      }),
      invoice_count: int('Invoice Count', {
        store: false,
        compute: (rec, api) => api.orderInvoiceIds(rec.id).length,
      }),
      invoice_status: sel(
        [
          ['upselling', 'Upselling Opportunity'],
          ['invoiced', 'Fully Invoiced'],
          ['to invoice', 'To Invoice'],
          ['no', 'Nothing to Invoice'],
        ],
        'Invoice Status',
        { readonly: true, default: constant('no') },
      ),
      amount_total: money('Total', { readonly: true, compute: orderAmount }),
      // readable, never searchable (docs/odoo.md, "Searching and paging"): a leaf on it is dropped
      amount_paid: float('Payment Transactions amount', { store: false, compute: () => 0 }),
      date_order: datetime('Order Date', { required: true, default: (api) => api.now() }),
      currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
      company_id: m2o('res.company', 'Company', { required: true, default: constant(1) }),
      ...(options.addonInstalled ? lmsAddonFields : {}),
    },
  };
}

function addressOf(api: ModelApi, vals: Record<string, unknown>, type: 'invoice' | 'delivery'): unknown {
  return typeof vals.partner_id === 'number' ? addressGet(api, vals.partner_id, type) : false;
}

// The lms_sync addon's learners of a course line: the partners who take its seats (at most its quantity).
const lmsAddonLineFields: Record<string, FieldDef> = {
  lms_learner_ids: m2m('res.partner', 'Learners', {
    relationTable: 'lms_sync_sale_line_learner_rel',
    column2: 'partner_id',
  }),
};

// The addon's _check_lms_learner_count: at most one learner per whole seat, int(product_uom_qty). An
// archived learner does not count: the ORM leaves it out of lms_learner_ids (active_test).
const lmsLearnerCount: Constraint = {
  fields: ['lms_learner_ids', 'product_uom_qty'],
  check: (line, api) => {
    const learners = (line.get('lms_learner_ids') as number[]).filter(
      (id) => id === NEW_RECORD || api.record('res.partner', id)?.active !== false,
    );
    const seats = Math.max(Math.trunc(Number(line.get('product_uom_qty')) || 0), 0);
    if (learners.length <= seats) return undefined;
    const orderId = line.get('order_id');
    const order = typeof orderId === 'number' ? api.record('sale.order', orderId) : undefined;
    const productId = line.get('product_id');
    const product = typeof productId === 'number' ? api.record('product.product', productId) : undefined;
    const orderName = str(order ? order.name : line.parent?.get('name')) || 'New';
    return (
      `Order ${orderName}, line ${product ? api.displayName('product.product', product) : ''}: ` +
      `${learners.length} learners for ${seats} seats. A line takes at most as many learners as its quantity.`
    );
  },
};

const saleOrderLine = (options: SchemaOptions): ModelDef => ({
  name: 'sale.order.line',
  description: 'Sales Order Line',
  order: 'order_id, id',
  displayName: (rec, api) => {
    const order = typeof rec.order_id === 'number' ? api.record('sale.order', rec.order_id) : undefined;
    return `${str(order?.name)} - ${str(rec.name).split('\n')[0]}`;
  },
  beforeCreate: (vals, api) => {
    // Odoo computes name and price_unit from the product when they are not given.
    const product =
      typeof vals.product_id === 'number' ? api.record('product.product', vals.product_id) : undefined;
    if (product && vals.name === undefined) vals.name = str(product.name);
    if (product && vals.price_unit === undefined) vals.price_unit = product.list_price;
  },
  fields: {
    order_id: m2o('sale.order', 'Order Reference', { required: true }),
    product_id: m2o('product.product', 'Product'),
    name: text('Description', { required: true }),
    price_unit: float('Unit Price', { default: constant(0) }),
    product_uom_qty: float('Quantity', { required: true, default: constant(1.0) }),
    display_type: sel(
      [
        ['line_section', 'Section'],
        ['line_note', 'Note'],
      ],
      'Display Type',
    ),
    price_subtotal: money('Subtotal', {
      readonly: true,
      compute: (rec) => Number(rec.price_unit || 0) * Number(rec.product_uom_qty || 0),
    }),
    ...(options.addonInstalled ? lmsAddonLineFields : {}),
  },
  ...(options.addonInstalled ? { constraints: [lmsLearnerCount] } : {}),
});

const accountMove: ModelDef = {
  name: 'account.move',
  description: 'Journal Entry',
  order: 'date desc, name desc, id desc',
  mailThread: true,
  displayName: (rec) => (rec.name && rec.name !== '/' ? str(rec.name) : 'Draft Invoice'),
  fields: {
    name: char('Number', { default: constant('/') }),
    move_type: sel(
      [
        ['entry', 'Journal Entry'],
        ['out_invoice', 'Customer Invoice'],
        ['out_refund', 'Customer Credit Note'],
        ['in_invoice', 'Vendor Bill'],
        ['in_refund', 'Vendor Credit Note'],
        ['out_receipt', 'Sales Receipt'],
        ['in_receipt', 'Purchase Receipt'],
      ],
      'Type',
      { required: true, readonly: true, default: constant('entry') },
    ),
    state: sel(
      [
        ['draft', 'Draft'],
        ['posted', 'Posted'],
        ['cancel', 'Cancelled'],
      ],
      'Status',
      { required: true, readonly: true, default: constant('draft') },
    ),
    payment_state: sel(
      [
        ['not_paid', 'Not Paid'],
        ['in_payment', 'In Payment'],
        ['paid', 'Paid'],
        ['partial', 'Partially Paid'],
        ['reversed', 'Reversed'],
        ['invoicing_legacy', 'Invoicing App Legacy'],
      ],
      'Payment Status',
      { readonly: true, default: constant('not_paid') },
    ),
    invoice_origin: char('Origin'),
    partner_id: m2o('res.partner', 'Partner'),
    amount_total: money('Total'),
    amount_residual: money('Amount Due'),
    reversed_entry_id: m2o('account.move', 'Reversal of'),
    date: date('Date', { required: true, default: (api) => api.now().slice(0, 10) }),
    invoice_date: date('Invoice/Bill Date'),
    currency_id: m2o('res.currency', 'Currency', { default: constant(1) }),
    invoice_line_ids: o2m('account.move.line', 'move_id', 'Invoice lines'),
  },
};

// Invoice and credit note lines. A credit note made by reversing an invoice keeps each line's link to
// the sale order line it bills (sale_line_ids is copied on reversal): that is how a refund names the
// order lines it takes back, and how a partial credit note takes back only some of them.
const accountMoveLine: ModelDef = {
  name: 'account.move.line',
  description: 'Journal Item',
  order: 'id',
  fields: {
    move_id: m2o('account.move', 'Journal Entry', { required: true }),
    product_id: m2o('product.product', 'Product'),
    name: char('Label'),
    quantity: float('Quantity', { default: constant(1.0) }),
    price_unit: float('Unit Price', { default: constant(0) }),
    display_type: sel(
      [
        ['product', 'Product'],
        ['cogs', 'Cost of Goods Sold'],
        ['tax', 'Tax'],
        ['rounding', 'Rounding'],
        ['payment_term', 'Payment Term'],
        ['line_section', 'Section'],
        ['line_note', 'Note'],
        ['epd', 'Early Payment Discount'],
      ],
      'Display Type',
      { default: constant('product') },
    ),
    sale_line_ids: m2m('sale.order.line', 'Sales Order Lines'),
  },
};

export function saleModels(options: SchemaOptions): ModelDef[] {
  return [saleOrder(options), saleOrderLine(options), accountMove, accountMoveLine];
}
