// BaseModel.read's output format (docs/odoo.md, "Values"): many2one [id, name] or false, x2many id
// lists, false for empty. A stored x2many lists its records as Odoo 17 reads them: in the comodel's
// _order, and without archived ones unless the context says active_test=False (Field.convert_to_record).

import type { Rec } from './domain';
import { serverError } from './faults';
import type { ModelApi, ModelDef } from './schema-types';

export interface ReadOptions {
  /** '_classic_read' (default) gives many2one as [id, name]; '' or false gives the bare id */
  load?: string | false;
  /** wraps float/monetary values so the XML-RPC layer can send them as <double> */
  wrapFloat?: (n: number) => unknown;
  /** false when the call's context has active_test=False: archived records stay in x2many values */
  activeTest?: boolean;
}

interface ReadSource extends ModelApi {
  /** the existing records among `ids`, without archived ones when `activeTest`, in the model's _order */
  x2manyIds(model: string, ids: number[], activeTest: boolean): number[];
}

export function readRecords(
  src: ReadSource,
  model: string,
  def: ModelDef,
  ids: number[],
  fields: string[] | undefined,
  options: ReadOptions,
): Record<string, unknown>[] {
  const names = fields && fields.length > 0 ? fields : Object.keys(def.fields);
  for (const name of names) {
    if (name !== 'id' && !def.fields[name])
      throw serverError(`ValueError: Invalid field '${name}' on model '${model}'`);
  }
  const wanted = names.filter((n) => n !== 'id');
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const rec = src.record(model, id);
    if (!rec) continue; // read() skips missing ids instead of failing
    const row: Record<string, unknown> = { id };
    for (const name of wanted) row[name] = formatValue(src, model, def, rec, name, options);
    out.push(row);
  }
  return out;
}

function formatValue(
  src: ReadSource,
  model: string,
  def: ModelDef,
  rec: Rec,
  name: string,
  options: ReadOptions,
): unknown {
  const field = def.fields[name];
  const value = src.value(model, rec, name);
  switch (field?.type) {
    case 'many2one': {
      if (typeof value !== 'number') return false;
      const target = src.record(field.relation as string, value);
      if (options.load === '' || options.load === false || !target) return target ? value : false;
      return [value, src.displayName(field.relation as string, target)];
    }
    case 'one2many':
    case 'many2many': {
      const ids = (value as number[] | undefined) ?? [];
      const comodel = field.relation as string;
      // a computed x2many (invoice_ids) keeps the order its compute gives
      if (field.compute) return ids.filter((id) => src.record(comodel, id));
      return src.x2manyIds(comodel, ids, options.activeTest !== false);
    }
    case 'float':
    case 'monetary': {
      const n = typeof value === 'number' ? value : 0;
      return options.wrapFloat ? options.wrapFloat(n) : n;
    }
    case 'integer':
      return typeof value === 'number' ? value : 0;
    case 'boolean':
      return value === true;
    default:
      return value === undefined || value === null || value === '' ? false : value;
  }
}
