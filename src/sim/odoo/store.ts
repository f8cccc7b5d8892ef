// The simulator's in-memory database: one id-ordered Map per model, an index per one2many inverse, and the
// ORM rules (defaults, required, selection, x2many commands, magic fields) applied on create/write/unlink.

import { compileDomain, type DomainSource, type FieldInfo, type Rec } from './domain';
import { missingRecord, serverError, userError } from './faults';
import { MailThreads } from './mail';
import { comparator, isIdAscending, parseOrder } from './order-by';
import { readRecords, type ReadOptions } from './read-format';
import { buildModels } from './schema';
import {
  char,
  datetime,
  m2o,
  NEW_RECORD,
  type FieldDef,
  type ModelApi,
  type ModelDef,
  type ProjectedRecord,
  type SchemaOptions,
} from './schema-types';
import { convertScalar, parseCommands, type X2ManyCommand } from './values';

export interface StoreOptions extends SchemaOptions {
  /** the authenticated user's id, used in error messages and create_uid/write_uid */
  uid?: number;
  clock?: () => Date;
  /** how long a message_post's transaction stays open (default 0) */
  mailPostMs?: number;
  /** whether the user is in the eLearning Officer group (default true): else memberships are refused */
  elearningOfficer?: boolean;
  /** whether that user is also eLearning Manager (default true); else an Officer, bound by the record rules */
  elearningManager?: boolean;
  /** whether the user may create contacts (Extra Rights / Contact Creation, default true) */
  contactCreation?: boolean;
}

export interface SearchOptions {
  offset?: number;
  limit?: number | false;
  order?: string | false;
  activeTest?: boolean;
}

interface Table {
  def: ModelDef;
  rows: Map<number, Rec>;
  nextId: number;
  fieldInfo: Map<string, FieldInfo>;
}

type MutableRec = Rec & Record<string, unknown>;

const MAGIC_FIELDS: Record<string, FieldDef> = {
  display_name: char('Display Name', { store: false, searchable: true, readonly: true }),
  create_date: datetime('Created on', { readonly: true }),
  write_date: datetime('Last Updated on', { readonly: true }),
  create_uid: m2o('res.users', 'Created by', { readonly: true }),
  write_uid: m2o('res.users', 'Last Updated by', { readonly: true }),
};

export function formatUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export class OdooStore implements DomainSource, ModelApi {
  readonly uid: number;
  readonly mail: MailThreads;
  private readonly tables = new Map<string, Table>();
  /** `${model}.${many2one}` → target id → ids pointing at it (the storage behind one2many fields) */
  private readonly inverse = new Map<string, Map<number, Set<number>>>();
  /** model → its many2one fields that back a one2many, with their index */
  private readonly indexed = new Map<string, Array<[string, Map<number, Set<number>>]>>();
  private readonly orderInvoices = new Map<number, number[]>();
  private readonly invoiceOrders = new Map<number, number[]>();
  private readonly sequences = new Map<string, number>();
  private readonly constrainedModels = new Map<string, boolean>();
  private readonly clock: () => Date;
  private txNow: string | undefined;
  /** the records created in models with logCreations, as they were created */
  private readonly creationLog = new Map<string, Rec[]>();
  /** whether the user may touch officerOnly models (the eLearning Officer group) */
  elearningOfficer: boolean;
  /** whether the user is eLearning Manager: an Officer only writes memberships of the courses it is Responsible of */
  elearningManager: boolean;
  /** whether the user may create res.partner records (Extra Rights / Contact Creation) */
  contactCreation: boolean;

  constructor(options: StoreOptions) {
    this.uid = options.uid ?? 2;
    this.mail = new MailThreads(options.mailPostMs);
    this.clock = options.clock ?? (() => new Date());
    this.elearningOfficer = options.elearningOfficer ?? true;
    this.elearningManager = options.elearningManager ?? true;
    this.contactCreation = options.contactCreation ?? true;
    for (const def of buildModels(options).values()) this.addTable(def);
    for (const table of this.tables.values()) {
      for (const f of Object.values(table.def.fields)) {
        if (f.type === 'one2many' && f.relation && f.inverse) this.addIndex(f.relation, f.inverse);
      }
    }
  }

  private addIndex(model: string, field: string): void {
    const key = `${model}.${field}`;
    if (this.inverse.has(key)) return;
    const index = new Map<number, Set<number>>();
    this.inverse.set(key, index);
    this.indexed.set(model, [...(this.indexed.get(model) ?? []), [field, index]]);
  }

  private addTable(def: ModelDef): void {
    const fields: Record<string, FieldDef> = { ...def.fields, ...MAGIC_FIELDS };
    fields.display_name = {
      ...MAGIC_FIELDS.display_name,
      compute: (rec) => this.displayName(def.name, rec),
    } as FieldDef;
    const fieldInfo = new Map<string, FieldInfo>();
    for (const [name, f] of Object.entries(fields)) {
      const store = f.store !== false;
      fieldInfo.set(name, { type: f.type, relation: f.relation, store, searchable: f.searchable ?? store });
    }
    this.tables.set(def.name, { def: { ...def, fields }, rows: new Map(), nextId: 1, fieldInfo });
  }

  // ---- schema -------------------------------------------------------------------------------------

  hasModel(model: string): boolean {
    return this.tables.has(model);
  }

  modelNames(): string[] {
    return [...this.tables.keys()];
  }

  modelDef(model: string): ModelDef {
    return this.table(model).def;
  }

  private table(model: string): Table {
    const table = this.tables.get(model);
    if (!table) throw userError(`Object ${model} doesn't exist`);
    return table;
  }

  field(model: string, name: string): FieldInfo | undefined {
    return this.tables.get(model)?.fieldInfo.get(name);
  }

  // ---- DomainSource / ModelApi ----------------------------------------------------------------------

  record(model: string, id: number): Rec | undefined {
    return this.tables.get(model)?.rows.get(id);
  }

  value(model: string, rec: Rec, name: string): unknown {
    const def = this.table(model).def.fields[name];
    if (!def) return undefined;
    if (def.compute) return def.compute(rec, this);
    if (def.type === 'one2many') return this.inverseIds(def, rec.id);
    const v = rec[name];
    if (v === undefined) return def.type === 'many2many' ? [] : false;
    return v;
  }

  private inverseIds(def: FieldDef, id: number): number[] {
    const ids = this.inverse.get(`${def.relation}.${def.inverse}`)?.get(id);
    return ids ? [...ids].sort((a, b) => a - b) : [];
  }

  x2manyIds(model: string, ids: number[], activeTest: boolean): number[] {
    const table = this.table(model);
    const unique = [...new Set(ids)].flatMap((id) => table.rows.get(id) ?? []);
    const shown = activeTest && table.def.fields.active ? unique.filter((r) => r.active !== false) : unique;
    return shown.sort(comparator(this, model, parseOrder(this, model, table.def.order))).map((r) => r.id);
  }

  displayName(model: string, rec: Rec): string {
    const def = this.table(model).def;
    if (def.displayName) return def.displayName(rec, this);
    const name = rec.name;
    return typeof name === 'string' ? name : `${model},${rec.id}`;
  }

  nameSearch(model: string, name: string): number[] {
    return this.search(model, [['display_name', 'ilike', name]]);
  }

  descendants(model: string, ids: number[]): Set<number> {
    const children = this.inverse.get(`${model}.parent_id`);
    const out = new Set<number>();
    const queue = [...ids];
    while (queue.length > 0) {
      const id = queue.pop() as number;
      if (out.has(id) || !this.record(model, id)) continue;
      out.add(id);
      for (const child of children?.get(id) ?? []) queue.push(child);
    }
    return out;
  }

  orderInvoiceIds(orderId: number): number[] {
    return (this.orderInvoices.get(orderId) ?? []).filter((id) => this.record('account.move', id));
  }

  /** Odoo derives invoice_ids from invoice lines; the simulator keeps the link directly. */
  linkOrderInvoice(orderId: number, moveId: number): void {
    const list = this.orderInvoices.get(orderId) ?? [];
    if (!list.includes(moveId)) list.push(moveId);
    this.orderInvoices.set(orderId, list);
    const orders = this.invoiceOrders.get(moveId) ?? [];
    if (!orders.includes(orderId)) orders.push(orderId);
    this.invoiceOrders.set(moveId, orders);
  }

  invoiceOrderIds(moveId: number): number[] {
    return (this.invoiceOrders.get(moveId) ?? []).filter((id) => this.record('sale.order', id));
  }

  follow(model: string, resId: number, partnerId: number): void {
    this.mail.subscribe(model, resId, partnerId);
  }

  nextSequence(code: string): number {
    const n = (this.sequences.get(code) ?? 0) + 1;
    this.sequences.set(code, n);
    return n;
  }

  now(): string {
    return this.txNow ?? formatUtc(this.clock());
  }

  /** One RPC call is one transaction: every record it writes shares one write_date. */
  transaction<T>(fn: () => T): T {
    if (this.txNow !== undefined) return fn();
    this.txNow = formatUtc(this.clock());
    try {
      return fn();
    } finally {
      this.txNow = undefined;
    }
  }

  // ---- search / read ---------------------------------------------------------------------------------

  search(model: string, domain: unknown[], options: SearchOptions = {}): number[] {
    const table = this.table(model);
    const predicate = compileDomain(this, model, domain, { activeTest: options.activeTest });
    const terms = parseOrder(this, model, options.order || table.def.order);
    const offset = options.offset ?? 0;
    const limit = options.limit || Infinity;
    if (isIdAscending(terms)) return scanInIdOrder(table.rows, predicate, offset, limit);
    const matches: Rec[] = [];
    for (const rec of table.rows.values()) if (predicate(rec)) matches.push(rec);
    matches.sort(comparator(this, model, terms));
    return matches.slice(offset, offset + limit).map((r) => r.id);
  }

  count(model: string, domain: unknown[], options: { activeTest?: boolean; limit?: number } = {}): number {
    const predicate = compileDomain(this, model, domain, options);
    let n = 0;
    for (const rec of this.table(model).rows.values()) {
      if (predicate(rec) && ++n === options.limit) break;
    }
    return n;
  }

  read(
    model: string,
    ids: number[],
    fields?: string[],
    options: ReadOptions = {},
  ): Record<string, unknown>[] {
    return readRecords(this, model, this.table(model).def, ids, fields, options);
  }

  // ---- create / write / unlink ----------------------------------------------------------------------

  create(model: string, input: Record<string, unknown>): number {
    const table = this.table(model);
    const vals = { ...input };
    table.def.beforeCreate?.(vals, this);
    this.checkFieldNames(model, table, vals);
    for (const [name, f] of Object.entries(table.def.fields)) {
      if (vals[name] === undefined && f.default && f.store !== false && !f.compute)
        vals[name] = f.default(this, vals);
    }
    const { scalars, relations } = this.convert(model, table, vals);
    this.checkRequired(model, table, scalars, true);
    this.checkUnique(table, scalars, undefined);
    if (this.constrained(model)) this.checkConstraints(model, undefined, vals);
    const id = table.nextId++;
    const now = this.now();
    const rec = {
      ...scalars,
      id,
      create_date: now,
      write_date: now,
      create_uid: this.uid,
      write_uid: this.uid,
    };
    table.rows.set(id, rec);
    if (table.def.logCreations) {
      const log = this.creationLog.get(model) ?? [];
      log.push({ ...rec });
      this.creationLog.set(model, log);
    }
    this.indexRecord(model, rec, undefined);
    for (const [name, commands] of relations) this.applyCommands(model, rec, name, commands);
    return id;
  }

  /** Every record created in a model with logCreations, deleted ones included, as created. */
  created(model: string): readonly Rec[] {
    return this.creationLog.get(model) ?? [];
  }

  write(model: string, ids: number[], vals: Record<string, unknown>): void {
    const table = this.table(model);
    const missing = ids.filter((id) => !table.rows.has(id));
    if (missing.length > 0) throw missingRecord(model, missing, this.uid);
    this.checkFieldNames(model, table, vals);
    const { scalars, relations } = this.convert(model, table, vals);
    this.checkRequired(model, table, scalars, false);
    if (this.constrained(model)) {
      for (const id of ids) this.checkConstraints(model, table.rows.get(id), vals);
    }
    const now = this.now();
    for (const id of ids) {
      const rec = table.rows.get(id) as MutableRec;
      this.checkUnique(table, { ...rec, ...scalars }, id);
      const before = { ...rec };
      Object.assign(rec, scalars, { write_date: now, write_uid: this.uid });
      this.indexRecord(model, rec, before);
      for (const [name, commands] of relations) this.applyCommands(model, rec, name, commands);
    }
  }

  unlink(model: string, ids: number[]): void {
    const table = this.table(model);
    const missing = ids.filter((id) => !table.rows.has(id));
    if (missing.length > 0) throw missingRecord(model, missing, this.uid);
    for (const id of ids) {
      const rec = table.rows.get(id) as Rec;
      this.cascade(table, id);
      table.rows.delete(id);
      this.unindexRecord(model, rec);
    }
  }

  /** Children whose required inverse many2one points here are deleted (ondelete='cascade'). */
  private cascade(table: Table, id: number): void {
    for (const f of Object.values(table.def.fields)) {
      if (f.type !== 'one2many' || !f.relation || !f.inverse) continue;
      const children = this.inverseIds(f, id);
      if (children.length === 0) continue;
      if (this.table(f.relation).def.fields[f.inverse]?.required) this.unlink(f.relation, children);
      else this.write(f.relation, children, { [f.inverse]: false });
    }
  }

  private checkFieldNames(model: string, table: Table, vals: Record<string, unknown>): void {
    for (const name of Object.keys(vals)) {
      if (!table.def.fields[name])
        throw serverError(`ValueError: Invalid field '${name}' on model '${model}'`);
    }
  }

  private convert(model: string, table: Table, vals: Record<string, unknown>) {
    const scalars: Record<string, unknown> = {};
    const relations: Array<[string, X2ManyCommand[]]> = [];
    for (const [name, value] of Object.entries(vals)) {
      const f = table.def.fields[name] as FieldDef;
      if (f.compute || (f.store === false && f.type !== 'one2many')) continue; // no inverse: Odoo drops it
      if (f.type === 'one2many' || f.type === 'many2many') relations.push([name, parseCommands(value)]);
      else scalars[name] = convertScalar(model, name, f, value);
    }
    for (const [name, commands] of relations) {
      const f = table.def.fields[name] as FieldDef;
      if (f.type === 'many2many') this.checkLinkedIds(model, f, commands);
    }
    for (const [name, value] of Object.entries(scalars)) {
      const f = table.def.fields[name] as FieldDef;
      if (f.type === 'many2one' && typeof value === 'number' && !this.record(f.relation as string, value)) {
        throw userError(
          `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${table.def.description} (${model}), Field: ${f.string} (${name})`,
        );
      }
    }
    return { scalars, relations };
  }

  /** Linking a record that does not exist breaks the relation table's foreign key (an IntegrityError). */
  private checkLinkedIds(model: string, f: FieldDef, commands: X2ManyCommand[]): void {
    const comodel = f.relation as string;
    const linked = commands.flatMap((c) => (c.op === 'link' ? [c.id] : c.op === 'set' ? c.ids : []));
    if (linked.every((id) => this.record(comodel, id))) return;
    const tableOf = (m: string) => m.replace(/\./g, '_');
    const relation = f.relationTable ?? `${[tableOf(model), tableOf(comodel)].sort().join('_')}_rel`;
    const column = f.column2 ?? `${tableOf(comodel)}_id`;
    throw userError(
      `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Unknown (unknown)\nConstraint: ${relation}_${column}_fkey\n`,
    );
  }

  private checkRequired(
    model: string,
    table: Table,
    scalars: Record<string, unknown>,
    creating: boolean,
  ): void {
    for (const [name, f] of Object.entries(table.def.fields)) {
      if (!f.required || f.compute || f.type === 'boolean') continue;
      const value = scalars[name];
      if ((creating && value === undefined) || value === false) {
        // a NOT NULL violation, turned into a ValidationError by retrying()
        throw userError(
          `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${table.def.description} (${model})\nField: ${f.string} (${name})`,
        );
      }
    }
  }

  /** Whether `model`, or a model its one2many fields create lines of, has constraints. */
  private constrained(model: string): boolean {
    let known = this.constrainedModels.get(model);
    if (known === undefined) {
      const def = this.table(model).def;
      const own = (m: string) => (this.table(m).def.constraints ?? []).length > 0;
      known =
        own(model) ||
        Object.values(def.fields).some((f) => f.type === 'one2many' && !!f.relation && own(f.relation));
      this.constrainedModels.set(model, known);
    }
    return known;
  }

  /**
   * Odoo's @api.constrains, run on the values a create (`rec` undefined) or write would leave, and on the
   * lines its one2many commands would create or update, before anything is changed: the simulator has no
   * rollback, so a refused call must leave no half-written record behind.
   */
  private checkConstraints(
    model: string,
    rec: Rec | undefined,
    vals: Record<string, unknown>,
    parent?: ProjectedRecord,
  ): void {
    const table = this.table(model);
    const { scalars, relations } = this.convert(model, table, vals);
    const commands = new Map(relations);
    const projected: ProjectedRecord = {
      parent,
      get: (name) => {
        if (name in scalars) return scalars[name];
        const f = table.def.fields[name];
        if (!f) return undefined;
        const current = rec
          ? this.value(model, rec, name)
          : f.default && !f.compute
            ? f.default(this, vals)
            : undefined;
        if (f.type !== 'many2many') return current ?? false;
        const ids = (current as number[] | undefined) ?? [];
        const cmds = commands.get(name);
        return cmds ? cmds.reduce(projectMany2many, ids) : ids;
      },
    };
    const written = Object.keys(vals);
    for (const constraint of table.def.constraints ?? []) {
      if (rec && !constraint.fields.some((f) => written.includes(f))) continue;
      const message = constraint.check(projected, this);
      if (message) throw userError(message);
    }
    for (const [name, cmds] of relations) {
      const f = table.def.fields[name] as FieldDef;
      if (f.type !== 'one2many' || !f.relation) continue;
      for (const c of cmds) {
        if (c.op === 'create') this.checkConstraints(f.relation, undefined, c.vals, projected);
        const child = c.op === 'update' ? this.record(f.relation, c.id) : undefined;
        if (child && c.op === 'update') this.checkConstraints(f.relation, child, c.vals, projected);
      }
    }
  }

  private checkUnique(table: Table, rec: Record<string, unknown>, selfId: number | undefined): void {
    const unique = table.def.unique;
    if (!unique) return;
    if (unique.skipEmpty && unique.fields.some((f) => rec[f] === false || rec[f] === undefined)) return;
    for (const other of table.rows.values()) {
      if (other.id !== selfId && unique.fields.every((f) => other[f] === rec[f])) {
        throw userError(`The operation cannot be completed: ${unique.message}`);
      }
    }
  }

  // ---- one2many storage ------------------------------------------------------------------------------

  private indexRecord(model: string, rec: Rec, before: Record<string, unknown> | undefined): void {
    for (const [field, index] of this.indexed.get(model) ?? []) {
      const old = before?.[field];
      if (typeof old === 'number') index.get(old)?.delete(rec.id);
      const target = rec[field];
      if (typeof target === 'number') {
        const set = index.get(target) ?? new Set<number>();
        set.add(rec.id);
        index.set(target, set);
      }
    }
  }

  private unindexRecord(model: string, rec: Rec): void {
    for (const [field, index] of this.indexed.get(model) ?? []) {
      const target = rec[field];
      if (typeof target === 'number') index.get(target)?.delete(rec.id);
    }
  }

  private applyCommands(model: string, rec: MutableRec, name: string, commands: X2ManyCommand[]): void {
    const f = this.table(model).def.fields[name] as FieldDef;
    const comodel = f.relation as string;
    if (f.type === 'one2many') {
      for (const c of commands)
        this.applyOne2many(comodel, f.inverse as string, rec.id, c, this.inverseIds(f, rec.id));
      return;
    }
    let ids = [...((rec[name] as number[] | undefined) ?? [])];
    for (const c of commands) ids = this.applyMany2many(comodel, ids, c);
    rec[name] = ids;
  }

  private applyOne2many(
    comodel: string,
    inverse: string,
    id: number,
    c: X2ManyCommand,
    current: number[],
  ): void {
    const detach = (childIds: number[]) => {
      if (childIds.length === 0) return;
      if (this.table(comodel).def.fields[inverse]?.required) this.unlink(comodel, childIds);
      else this.write(comodel, childIds, { [inverse]: false });
    };
    switch (c.op) {
      case 'create':
        this.create(comodel, { ...c.vals, [inverse]: id });
        return;
      case 'update':
        this.write(comodel, [c.id], c.vals);
        return;
      case 'delete':
        this.unlink(comodel, [c.id]);
        return;
      case 'unlink':
        return detach([c.id]);
      case 'link':
        this.write(comodel, [c.id], { [inverse]: id });
        return;
      case 'clear':
        return detach(current);
      case 'set':
        detach(current.filter((x) => !c.ids.includes(x)));
        this.write(comodel, c.ids, { [inverse]: id });
    }
  }

  private applyMany2many(comodel: string, ids: number[], c: X2ManyCommand): number[] {
    if (c.op === 'create') return [...ids, this.create(comodel, c.vals)];
    if (c.op === 'update') this.write(comodel, [c.id], c.vals);
    if (c.op === 'delete') this.unlink(comodel, [c.id]);
    return projectMany2many(ids, c);
  }
}

/** The ids a many2many would hold after one more command, without applying it. */
function projectMany2many(ids: number[], c: X2ManyCommand): number[] {
  switch (c.op) {
    case 'create':
      return [...ids, NEW_RECORD];
    case 'update':
      return ids;
    case 'delete':
    case 'unlink':
      return ids.filter((x) => x !== c.id);
    case 'link':
      return ids.includes(c.id) ? ids : [...ids, c.id];
    case 'clear':
      return [];
    default:
      return [...new Set(c.ids)];
  }
}

function scanInIdOrder(
  rows: Map<number, Rec>,
  predicate: (r: Rec) => boolean,
  offset: number,
  limit: number,
) {
  const out: number[] = [];
  let skipped = 0;
  for (const rec of rows.values()) {
    if (!predicate(rec)) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    out.push(rec.id);
    if (out.length >= limit) break;
  }
  return out;
}
