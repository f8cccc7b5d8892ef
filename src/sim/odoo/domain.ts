// Odoo 17 domain semantics (odoo/osv/expression.py) evaluated in memory. Pure: the store is reached only
// through DomainSource, so the rules can be tested with tables.

import { leafRepr, pyRepr } from './faults';

export interface FieldInfo {
  type: string;
  relation?: string;
  /** false for computed, non-stored fields */
  store: boolean;
  /** stored, or computed with a search method; a leaf on an unsearchable field is dropped as Odoo does */
  searchable: boolean;
}

export type Rec = { readonly id: number } & Record<string, unknown>;

export interface DomainSource {
  field(model: string, name: string): FieldInfo | undefined;
  /** Raw value: scalar or false, many2one id or false, x2many ids (computed fields computed). */
  value(model: string, rec: Rec, name: string): unknown;
  record(model: string, id: number): Rec | undefined;
  /** ids and all their descendants through parent_id (child_of) */
  descendants(model: string, ids: number[]): Set<number>;
  displayName(model: string, rec: Rec): string;
  nameSearch(model: string, name: string): number[];
}

/** A ValueError in Odoo (→ Fault 1). */
export class DomainError extends Error {}

export type Predicate = (rec: Rec) => boolean;

export const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  '=?',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
  'child_of',
  'parent_of',
]);

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

export function compileDomain(
  src: DomainSource,
  model: string,
  domain: unknown[],
  options: { activeTest?: boolean } = {},
): Predicate {
  if (!Array.isArray(domain)) throw new DomainError(`Invalid domain ${pyRepr(domain)}`);
  const terms: Predicate[] = [];
  let pos = 0;
  const next = (): Predicate => {
    const term = domain[pos++];
    if (term === '&' || term === '|') {
      const left = next();
      const right = next();
      return term === '&' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
    }
    if (term === '!') {
      const inner = next();
      return (r) => !inner(r);
    }
    if (term === undefined) throw new DomainError(`Invalid domain ${pyRepr(domain)}: missing operand`);
    return compileLeaf(src, model, term);
  };
  while (pos < domain.length) terms.push(next());
  if (options.activeTest !== false && src.field(model, 'active') && !mentionsActive(domain)) {
    terms.push((r) => src.value(model, r, 'active') !== false);
  }
  return andAll(terms);
}

function andAll(terms: Predicate[]): Predicate {
  if (terms.length === 0) return ALWAYS;
  if (terms.length === 1) return terms[0] as Predicate;
  return (r) => {
    for (const t of terms) if (!t(r)) return false;
    return true;
  };
}

/** Odoo skips the implicit active filter when any leaf names `active` itself. */
function mentionsActive(domain: unknown[]): boolean {
  return domain.some((t) => Array.isArray(t) && t[0] === 'active');
}

function compileLeaf(src: DomainSource, model: string, term: unknown): Predicate {
  if (!Array.isArray(term) || term.length !== 3) throw new DomainError(`Invalid leaf ${pyRepr(term)}`);
  const [left, op, right] = term as [unknown, unknown, unknown];
  // TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1) are what Odoo itself generates.
  if (left === 1 && op === '=' && right === 1) return ALWAYS;
  if (left === 0 && op === '=' && right === 1) return NEVER;
  if (typeof left !== 'string' || typeof op !== 'string' || !OPERATORS.has(op.toLowerCase())) {
    throw new DomainError(`Invalid leaf ${leafRepr(term)}`);
  }
  return compilePath(src, model, left.split('.'), op.toLowerCase(), right, term);
}

function compilePath(
  src: DomainSource,
  model: string,
  path: string[],
  op: string,
  right: unknown,
  leaf: unknown[],
): Predicate {
  const name = path[0] as string;
  const field = name === 'id' ? { type: 'integer', store: true, searchable: true } : src.field(model, name);
  if (!field) throw new DomainError(`Invalid field ${model}.${name} in leaf ${leafRepr(leaf)}`);
  if (!field.searchable) return ALWAYS; // "Non-stored field … cannot be searched": Odoo drops the leaf
  if (path.length === 1) return compileFieldTest(src, model, name, field, op, right);
  const comodel = field.relation;
  if (!comodel) throw new DomainError(`Invalid field ${model}.${name} in leaf ${leafRepr(leaf)}`);
  const sub = compilePath(src, comodel, path.slice(1), op, right, leaf);
  return (rec) => {
    for (const id of relatedIds(src.value(model, rec, name))) {
      const target = src.record(comodel, id);
      if (target && sub(target)) return true;
    }
    return false;
  };
}

function relatedIds(value: unknown): number[] {
  if (Array.isArray(value)) return value as number[];
  return typeof value === 'number' ? [value] : [];
}

function compileFieldTest(
  src: DomainSource,
  model: string,
  name: string,
  field: FieldInfo,
  op: string,
  right: unknown,
): Predicate {
  const get = name === 'id' ? (r: Rec) => r.id : (r: Rec) => src.value(model, r, name);
  if (op === 'child_of' || op === 'parent_of') return hierarchyTest(src, model, field, get, op, right);
  if (field.relation && (typeof right === 'string' || isStringList(right))) {
    return byDisplayName(src, field.relation, get, op, right);
  }
  if (field.type === 'one2many' || field.type === 'many2many') return x2manyTest(get, op, right);
  const test = scalarTest(field.type, op, right);
  return (r) => test(get(r));
}

function isStringList(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
}

/** `partner_id ilike 'acme'` compares the related record's display name, as Odoo's name_search does. */
function byDisplayName(
  src: DomainSource,
  comodel: string,
  get: (r: Rec) => unknown,
  op: string,
  right: unknown,
): Predicate {
  const test = scalarTest('char', op, right);
  return (r) => {
    const ids = relatedIds(get(r));
    if (ids.length === 0) return test(false);
    return ids.some((id) => {
      const target = src.record(comodel, id);
      return target !== undefined && test(src.displayName(comodel, target));
    });
  };
}

function hierarchyTest(
  src: DomainSource,
  model: string,
  field: FieldInfo,
  get: (r: Rec) => unknown,
  op: string,
  right: unknown,
): Predicate {
  const target = field.relation ?? model;
  const roots = typeof right === 'string' ? src.nameSearch(target, right) : relatedIds(right);
  const set = op === 'child_of' ? src.descendants(target, roots) : ancestors(src, target, roots);
  return (r) => relatedIds(get(r)).some((id) => set.has(id));
}

function ancestors(src: DomainSource, model: string, ids: number[]): Set<number> {
  const out = new Set<number>();
  for (let id of ids) {
    for (let guard = 0; guard < 100 && !out.has(id); guard++) {
      out.add(id);
      const rec = src.record(model, id);
      const parent = rec ? src.value(model, rec, 'parent_id') : false;
      if (typeof parent !== 'number') break;
      id = parent;
    }
  }
  return out;
}

function x2manyTest(get: (r: Rec) => unknown, op: string, right: unknown): Predicate {
  const ids = (r: Rec) => relatedIds(get(r));
  if (right === false || right === null) {
    if (op === '=' || op === 'in') return (r) => ids(r).length === 0;
    if (op === '!=' || op === '<>' || op === 'not in') return (r) => ids(r).length > 0;
  }
  const wanted = new Set(Array.isArray(right) ? (right as unknown[]) : [right]);
  const any = (r: Rec) => ids(r).some((id) => wanted.has(id));
  if (op === '=' || op === 'in' || op === '=?') return any;
  if (op === '!=' || op === '<>' || op === 'not in') return (r) => !any(r);
  throw new DomainError(`Invalid operator ${pyRepr(op)} on a relational field`);
}

const isNull = (v: unknown): boolean => v === false || v === null || v === undefined;

/** One value against one operator; false is SQL NULL except on boolean fields (where NULL reads as False). */
export function scalarTest(type: string, op: string, right: unknown): (v: unknown) => boolean {
  const norm = normalizeRight(type, right);
  if (type === 'boolean') return booleanTest(op, norm);
  switch (op) {
    case '=?':
      return isNull(norm) ? () => true : scalarTest(type, '=', norm);
    case '=':
      return isNull(norm) ? isNull : (v) => !isNull(v) && v === norm;
    case '!=':
    case '<>':
      return isNull(norm) ? (v) => !isNull(v) : (v) => isNull(v) || v !== norm;
    case 'in':
    case 'not in':
      return membershipTest(op, norm);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compareTest(op, norm);
    default:
      return likeTest(op, norm);
  }
}

function normalizeRight(type: string, right: unknown): unknown {
  // A date compared to a datetime field means midnight, as fields.Datetime.to_datetime reads it.
  if (type === 'datetime' && typeof right === 'string' && right.length === 10) return `${right} 00:00:00`;
  return right;
}

function booleanTest(op: string, right: unknown): (v: unknown) => boolean {
  const truth = (v: unknown) => v === true;
  if (op === 'in' || op === 'not in') {
    const wanted = (Array.isArray(right) ? right : [right]).map((x) => x === true);
    return op === 'in' ? (v) => wanted.includes(truth(v)) : (v) => !wanted.includes(truth(v));
  }
  if (op === '=?' && isNull(right)) return () => true;
  const expected = right === true || right === 1;
  if (op === '!=' || op === '<>') return (v) => truth(v) !== expected;
  return (v) => truth(v) === expected;
}

function membershipTest(op: string, right: unknown): (v: unknown) => boolean {
  const list = Array.isArray(right) ? right : [right];
  const withNull = list.some(isNull);
  const set = new Set(list.filter((x) => !isNull(x)));
  if (op === 'in') return (v) => (isNull(v) ? withNull : set.has(v));
  return (v) => (isNull(v) ? !withNull : !set.has(v));
}

function compareTest(op: string, right: unknown): (v: unknown) => boolean {
  if (isNull(right)) return () => false;
  const r = right as number | string;
  switch (op) {
    case '<':
      return (v) => !isNull(v) && (v as typeof r) < r;
    case '<=':
      return (v) => !isNull(v) && (v as typeof r) <= r;
    case '>':
      return (v) => !isNull(v) && (v as typeof r) > r;
    default:
      return (v) => !isNull(v) && (v as typeof r) >= r;
  }
}

function likeTest(op: string, right: unknown): (v: unknown) => boolean {
  const negative = op.startsWith('not ');
  const base = negative ? op.slice(4) : op;
  const insensitive = base.endsWith('ilike');
  const raw = String(right);
  // like/ilike wrap the value in %…% with its own wildcards escaped; =like/=ilike use it as a pattern.
  const source = base.startsWith('=') ? sqlPatternToRegex(raw) : escapeRegex(raw);
  const regex = new RegExp(base.startsWith('=') ? `^${source}$` : source, insensitive ? 'is' : 's');
  const matches = (v: unknown) => !isNull(v) && regex.test(String(v));
  // Odoo 17 keeps NULLs in negative operators: `(f NOT ILIKE x OR f IS NULL)`.
  return negative ? (v) => !matches(v) : matches;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sqlPatternToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i] as string);
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += escapeRegex(c);
  }
  return out;
}
