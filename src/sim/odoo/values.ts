// Converts values written over RPC into what the store keeps, failing the way Odoo 17's fields do.

import { pyRepr, serverError } from './faults';
import type { FieldDef } from './schema-types';
import { XmlRpcBinary, XmlRpcDateTime } from './xml-parse';

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Scalars and many2one; x2many values are commands, applied by the store once the record exists. */
export function convertScalar(model: string, name: string, field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) value = false;
  if (value === false && field.type !== 'boolean') return false;
  switch (field.type) {
    case 'boolean':
      return Boolean(value);
    case 'char':
    case 'text':
    case 'html':
      return value === '' ? false : toText(value);
    case 'integer':
      return toInteger(value);
    case 'float':
    case 'monetary':
      return toFloat(value);
    case 'selection':
      return toSelection(model, name, field, value);
    case 'many2one':
      return toId(value);
    case 'datetime':
      return toDatetime(value);
    case 'date':
      return toDate(value);
    default:
      return value;
  }
}

function toText(value: unknown): string {
  if (value instanceof XmlRpcBinary) return value.data.toString('utf8');
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  return String(value);
}

function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? Math.trunc(value) : Number(value);
  if (!Number.isFinite(n))
    throw serverError(`ValueError: invalid literal for int() with base 10: ${pyRepr(value)}`);
  return Math.trunc(n);
}

function toFloat(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n))
    throw serverError(`ValueError: could not convert string to float: ${pyRepr(value)}`);
  return n;
}

function toSelection(model: string, name: string, field: FieldDef, value: unknown): string {
  if (typeof value !== 'string' || !field.selection?.some(([key]) => key === value)) {
    throw serverError(`ValueError: Wrong value for ${model}.${name}: ${pyRepr(value)}`);
  }
  return value;
}

function toId(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw serverError(
    `psycopg2.errors.InvalidTextRepresentation: invalid input syntax for type integer: "${String(value)}"`,
  );
}

// fields.Datetime.to_datetime: strptime(value, DATETIME_FORMAT[:len(value)-2]); only two shapes parse.
function toDatetime(value: unknown): string {
  if (value instanceof XmlRpcDateTime) throw serverError("TypeError: 'DateTime' object is not subscriptable");
  if (typeof value !== 'string')
    throw serverError(`TypeError: strptime() argument 1 must be str, not ${pyType(value)}`);
  if (DATETIME.test(value)) return value;
  if (DATE.test(value)) return `${value} 00:00:00`;
  const format = '%Y-%m-%d %H:%M:%S'.slice(0, Math.max(0, value.length - 2));
  throw serverError(`ValueError: time data ${pyRepr(value)} does not match format '${format}'`);
}

// fields.Date.to_date keeps only the first 10 characters.
function toDate(value: unknown): string {
  if (value instanceof XmlRpcDateTime) throw serverError("TypeError: 'DateTime' object is not subscriptable");
  if (typeof value !== 'string')
    throw serverError(`TypeError: strptime() argument 1 must be str, not ${pyType(value)}`);
  const head = value.slice(0, 10);
  if (!DATE.test(head))
    throw serverError(`ValueError: time data ${pyRepr(head)} does not match format '%Y-%m-%d'`);
  return head;
}

function pyType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'list' : 'dict';
}

export type X2ManyCommand =
  | { op: 'create'; vals: Record<string, unknown> }
  | { op: 'update'; id: number; vals: Record<string, unknown> }
  | { op: 'delete' | 'unlink' | 'link'; id: number }
  | { op: 'clear' }
  | { op: 'set'; ids: number[] };

const OPS = ['create', 'update', 'delete', 'unlink', 'link', 'clear', 'set'] as const;

/** Odoo's Command tuples (docs/odoo.md, "Values"); a flat id list means SET and false means CLEAR. */
export function parseCommands(value: unknown): X2ManyCommand[] {
  if (value === false || value === null) return [{ op: 'clear' }];
  if (!Array.isArray(value)) throw serverError(`ValueError: Wrong value for x2many field: ${pyRepr(value)}`);
  if (value.every((v) => typeof v === 'number')) return [{ op: 'set', ids: value as number[] }];
  return value.map(parseCommand);
}

function parseCommand(command: unknown): X2ManyCommand {
  if (!Array.isArray(command) || typeof command[0] !== 'number') {
    throw serverError(`ValueError: Invalid command ${pyRepr(command)}`);
  }
  const [code, id, arg] = command as [number, unknown, unknown];
  const op = OPS[code];
  const numId = typeof id === 'number' ? id : 0;
  const vals =
    typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? (arg as Record<string, unknown>) : {};
  switch (op) {
    case 'create':
      return { op, vals };
    case 'update':
      return { op, id: numId, vals };
    case 'delete':
    case 'unlink':
    case 'link':
      return { op, id: numId };
    case 'clear':
      return { op };
    case 'set':
      return { op, ids: Array.isArray(arg) ? (arg as number[]) : [] };
    default:
      throw serverError(`ValueError: ${code} is not a valid Command`);
  }
}
