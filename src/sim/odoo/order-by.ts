// Odoo's `order` argument: validated with models.regex_order, then turned into a comparator.

import { DomainError, type DomainSource, type Rec } from './domain';

// odoo/models.py regex_order (17.0), re.IGNORECASE.
const REGEX_ORDER =
  /^(\s*(([a-z0-9_]+|"[a-z0-9_]+")(\.([a-z0-9_]+))?(:([a-z_]+))?)(\s+(desc|asc))?(\s+(nulls first|nulls last))?\s*(,|$))+(?<!,)$/i;

interface OrderTerm {
  field: string;
  desc: boolean;
  nullsFirst: boolean;
}

export type Comparator = (a: Rec, b: Rec) => number;

export function parseOrder(src: DomainSource, model: string, order: string): OrderTerm[] {
  if (!REGEX_ORDER.test(order)) {
    throw new DomainError(
      `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
    );
  }
  const terms: OrderTerm[] = [];
  for (const part of order.split(',')) {
    const words = part.trim().split(/\s+/);
    const field = (words[0] as string).replace(/"/g, '').split(/[.:]/)[0] as string;
    const desc = (words[1] ?? '').toLowerCase() === 'desc';
    const nulls = words.slice(2).join(' ').toLowerCase();
    if (field !== 'id' && !src.field(model, field)) {
      throw new DomainError(`Invalid field '${field}' on model '${model}'`);
    }
    // PostgreSQL's default: NULLs sort last ascending, first descending.
    terms.push({ field, desc, nullsFirst: nulls ? nulls === 'nulls first' : desc });
  }
  return terms;
}

/** True when the order is just `id asc`, which the store already iterates in. */
export function isIdAscending(terms: OrderTerm[]): boolean {
  return terms.length === 1 && terms[0]?.field === 'id' && !terms[0].desc;
}

export function comparator(src: DomainSource, model: string, terms: OrderTerm[]): Comparator {
  const keys = terms.map((t) => sortKey(src, model, t.field));
  return (a, b) => {
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as OrderTerm;
      const key = keys[i] as (r: Rec) => unknown;
      const c = compareTerm(key(a), key(b), term);
      if (c !== 0) return c;
    }
    return a.id - b.id;
  };
}

const isNull = (v: unknown): boolean => v === false || v === null || v === undefined;

function compareTerm(a: unknown, b: unknown, term: OrderTerm): number {
  const aNull = isNull(a);
  const bNull = isNull(b);
  if (aNull || bNull) {
    if (aNull && bNull) return 0;
    return aNull === term.nullsFirst ? -1 : 1;
  }
  if (a === b) return 0;
  const c = (a as number) < (b as number) ? -1 : 1;
  return term.desc ? -c : c;
}

/** A many2one sorts by the related record's name (Odoo uses the comodel's _order; the name is close enough). */
function sortKey(src: DomainSource, model: string, field: string): (r: Rec) => unknown {
  if (field === 'id') return (r) => r.id;
  const info = src.field(model, field);
  if (!info?.store) return () => 0; // non-stored fields cannot be ordered by in SQL: no effect
  if (info.type === 'many2one' && info.relation) {
    const comodel = info.relation;
    return (r) => {
      const id = src.value(model, r, field);
      const target = typeof id === 'number' ? src.record(comodel, id) : undefined;
      return target ? src.displayName(comodel, target) : false;
    };
  }
  return (r) => src.value(model, r, field);
}
