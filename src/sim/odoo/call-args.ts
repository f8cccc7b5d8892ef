// Python-style argument binding for execute_kw: positional args and kwargs mapped onto a method signature,
// with the TypeErrors Python raises when they do not fit.

import { serverError } from './faults';

export interface Signature {
  /** qualified name for messages, e.g. BaseModel.search */
  qualname: string;
  /** parameter names after `self`, in order */
  params: string[];
  /** names of keyword-only parameters (message_post takes only these) */
  keywordOnly?: string[];
  /** accepts **kwargs (search_read's read_kwargs) */
  varKeywords?: string[];
}

export function bindArgs(
  sig: Signature,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  if (args.length > sig.params.length) {
    throw serverError(
      `TypeError: ${sig.qualname}() takes ${sig.params.length + 1} positional arguments but ${args.length + 1} were given`,
    );
  }
  const bound: Record<string, unknown> = {};
  args.forEach((value, i) => (bound[sig.params[i] as string] = value));
  const allowed = new Set([...sig.params, ...(sig.keywordOnly ?? []), ...(sig.varKeywords ?? [])]);
  for (const [name, value] of Object.entries(kwargs)) {
    if (!allowed.has(name))
      throw serverError(`TypeError: ${sig.qualname}() got an unexpected keyword argument '${name}'`);
    if (name in bound)
      throw serverError(`TypeError: ${sig.qualname}() got multiple values for argument '${name}'`);
    bound[name] = value;
  }
  return bound;
}

/** `args[0]` of a record method: one id or a list of ids. */
export function toIds(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  if (value === undefined) throw serverError("TypeError: missing 1 required positional argument: 'ids'");
  throw serverError(`TypeError: unhashable type: '${Array.isArray(value) ? 'list' : 'dict'}'`);
}

export function optionalNumber(value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined || value === null || value === false) return fallback;
  if (typeof value !== 'number')
    throw serverError(`TypeError: '${typeof value}' object cannot be interpreted as an integer`);
  return value;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

export function optionalFields(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (!Array.isArray(value)) throw serverError(`TypeError: 'fields' must be a list, not ${typeof value}`);
  return value as string[];
}

export function domainArg(value: unknown): unknown[] {
  if (value === undefined || value === null || value === false) return [];
  if (!Array.isArray(value)) throw serverError(`ValueError: Invalid domain: ${String(value)}`);
  return value;
}
