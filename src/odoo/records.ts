// zod schemas of the Odoo records the service reads: Odoo's `false` for empty values becomes null here.

import { z } from 'zod';
import { PermanentError } from '../lib';

const char = z.union([z.string(), z.literal(false)]).transform((v) => (v === false ? null : v));
const many2one = z
  .union([z.tuple([z.number(), z.string()]), z.literal(false)])
  .transform((v) => (v === false ? null : { id: v[0], name: v[1] }));
const ids = z.array(z.number());

export const orderRecord = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  partner_id: many2one,
  // absent from an order read by an older caller's field list: the customer is then the delivery address
  partner_shipping_id: many2one.optional(),
  order_line: ids,
  invoice_ids: ids,
});

export const lineRecord = z.object({
  id: z.number(),
  product_id: many2one,
  display_type: char,
  product_uom_qty: z.number().default(1),
  /** the lms_sync addon's learners of the line; read only when LEARNER_SOURCE is attendees */
  lms_learner_ids: ids.default([]),
});

export const productRecord = z.object({
  id: z.number(),
  name: z.string(),
  default_code: char,
  categ_id: many2one,
});

export const invoiceRecord = z.object({
  id: z.number(),
  move_type: z.string(),
  state: z.string(),
  payment_state: char.transform((v) => v ?? 'not_paid'),
  invoice_line_ids: ids.default([]),
});

export const moveLineRecord = z.object({
  id: z.number(),
  quantity: z.number(),
  sale_line_ids: ids,
});

export const partnerRecord = z.object({
  id: z.number(),
  name: char,
  email: char,
  phone: char,
  parent_id: many2one,
  is_company: z.boolean(),
});

export const fieldNames = {
  order: ['name', 'state', 'partner_id', 'partner_shipping_id', 'order_line', 'invoice_ids'],
  line: ['product_id', 'display_type', 'product_uom_qty'],
  /** the addon's field, read with `line` when learners are named per line */
  lineLearners: 'lms_learner_ids',
  product: ['name', 'default_code', 'categ_id'],
  invoice: ['move_type', 'state', 'payment_state', 'invoice_line_ids'],
  moveLine: ['quantity', 'sale_line_ids'],
  partner: ['name', 'email', 'phone', 'parent_id', 'is_company'],
};

/** Every model and field the service reads: the records above, and the fields its searches and notes use. */
export const fieldsRead: Readonly<Record<string, readonly string[]>> = {
  'sale.order': fieldNames.order,
  'sale.order.line': fieldNames.line,
  'product.product': fieldNames.product,
  'product.category': ['name', 'parent_id'],
  'account.move': [...fieldNames.invoice, 'invoice_origin'],
  'account.move.line': fieldNames.moveLine,
  'res.partner': fieldNames.partner,
  'mail.message': ['model', 'res_id', 'body'],
};

/** The fields odoo-addon/lms_sync adds to sale.order, which the service writes the sync status into. */
export const addonOrderFields = ['lms_sync_state', 'lms_last_sync_at', 'lms_last_error'] as const;

export function parseRecords<S extends z.ZodTypeAny>(schema: S, model: string, rows: unknown): z.infer<S>[] {
  const result = z.array(schema).safeParse(rows);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PermanentError(
      'odoo_unexpected_record',
      `Odoo ${model} record has an unexpected shape at ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return result.data;
}

/** Odoo emails come as typed by people: trimmed, empty means none. */
export function cleanEmail(email: string | null): string | null {
  const trimmed = email?.trim();
  return trimmed ? trimmed : null;
}
