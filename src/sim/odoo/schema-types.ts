// Field and model metadata of the simulator, shaped after Odoo's fields_get / ir.model.

import type { Rec } from './domain';

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'datetime'
  | 'date';

/** What computes, defaults and create hooks may ask of the store. */
export interface ModelApi {
  record(model: string, id: number): Rec | undefined;
  value(model: string, rec: Rec, field: string): unknown;
  displayName(model: string, rec: Rec): string;
  search(model: string, domain: unknown[]): number[];
  create(model: string, vals: Record<string, unknown>): number;
  /** account.move ids linked to a sale.order through its lines (Odoo: order_line.invoice_lines.move_id) */
  orderInvoiceIds(orderId: number): number[];
  now(): string;
  /** ir.sequence: 1, 2, 3… per code */
  nextSequence(code: string): number;
  /** mail.thread.message_subscribe: the partner follows the record */
  follow(model: string, resId: number, partnerId: number): void;
}

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one field on the comodel that points back */
  inverse?: string;
  selection?: Array<[string, string]>;
  required?: boolean;
  readonly?: boolean;
  /** false for computed, non-stored fields (default true) */
  store?: boolean;
  /** non-stored fields with a search method (default: same as store) */
  searchable?: boolean;
  /** many2many: the relation table and its column for the comodel (Odoo's defaults when not given) */
  relationTable?: string;
  column2?: string;
  default?: (api: ModelApi, vals: Record<string, unknown>) => unknown;
  compute?: (rec: Rec, api: ModelApi) => unknown;
}

export interface ModelDef {
  name: string;
  description: string;
  /** the model's _order */
  order: string;
  fields: Record<string, FieldDef>;
  mailThread?: boolean;
  displayName?: (rec: Rec, api: ModelApi) => string;
  /** unique SQL constraints: fields and the message of the resulting ValidationError */
  unique?: {
    fields: string[];
    message: string;
    /** rows where a field is empty are not compared */ skipEmpty?: boolean;
  };
  /** only Settings administrators have ACL rows for it: the service's user gets AccessError */
  adminOnly?: boolean;
  /** only the eLearning Officer group has ACL rows for it: refused unless the user is one */
  officerOnly?: boolean;
  /** the store keeps every record created (what a test counts: how often a membership was made) */
  logCreations?: boolean;
  /** runs on the vals before defaults are applied (Odoo's create overrides) */
  beforeCreate?: (vals: Record<string, unknown>, api: ModelApi) => void;
  /** Odoo's @api.constrains: checked on what a create or write would leave, before anything changes */
  constraints?: Constraint[];
}

/** The values a record would have once a create or write is applied. */
export interface ProjectedRecord {
  /** a field's would-be value; a many2many gives its ids, NEW_RECORD for each record it would create */
  get(field: string): unknown;
  /** for a line created inside its parent's create or write: the parent, whose id may not exist yet */
  parent?: ProjectedRecord;
}

/** Stands for a record a (0, 0, vals) command would create. */
export const NEW_RECORD = 0;

export interface Constraint {
  /** the check runs when one of these fields is written (and on every create) */
  fields: string[];
  /** the ValidationError's message, or undefined when the values are valid */
  check: (rec: ProjectedRecord, api: ModelApi) => string | undefined;
}

export type HelpdeskFlavor = 'oca' | 'enterprise' | 'none';

export interface SchemaOptions {
  helpdeskFlavor: HelpdeskFlavor;
  addonInstalled: boolean;
  /** whether odoo-addon/lms_sync_slides is installed: adds slide.channel.lms_course_code */
  slidesAddonInstalled: boolean;
}

// Small constructors keep the model tables readable.
type Extra = Omit<Partial<FieldDef>, 'type' | 'string'>;
export const char = (string: string, extra: Extra = {}): FieldDef => ({ type: 'char', string, ...extra });
export const text = (string: string, extra: Extra = {}): FieldDef => ({ type: 'text', string, ...extra });
export const html = (string: string, extra: Extra = {}): FieldDef => ({ type: 'html', string, ...extra });
export const int = (string: string, extra: Extra = {}): FieldDef => ({ type: 'integer', string, ...extra });
export const float = (string: string, extra: Extra = {}): FieldDef => ({ type: 'float', string, ...extra });
export const money = (string: string, extra: Extra = {}): FieldDef => ({
  type: 'monetary',
  string,
  ...extra,
});
export const bool = (string: string, extra: Extra = {}): FieldDef => ({ type: 'boolean', string, ...extra });
export const datetime = (string: string, extra: Extra = {}): FieldDef => ({
  type: 'datetime',
  string,
  ...extra,
});
export const date = (string: string, extra: Extra = {}): FieldDef => ({ type: 'date', string, ...extra });
export const m2o = (relation: string, string: string, extra: Extra = {}): FieldDef => ({
  type: 'many2one',
  relation,
  string,
  ...extra,
});
export const o2m = (relation: string, inverse: string, string: string): FieldDef => ({
  type: 'one2many',
  relation,
  inverse,
  string,
  store: false,
  searchable: true,
});
export const m2m = (relation: string, string: string, extra: Extra = {}): FieldDef => ({
  type: 'many2many',
  relation,
  string,
  ...extra,
});
export const sel = (selection: Array<[string, string]>, string: string, extra: Extra = {}): FieldDef => ({
  type: 'selection',
  selection,
  string,
  ...extra,
});
export const active = (): FieldDef => bool('Active', { default: () => true });
export const constant = (value: unknown) => (): unknown => value;
