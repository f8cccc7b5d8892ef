// Path parameters and query strings, parsed with zod like bodies: a value the database could not
// take (an id beyond bigint, a year PostgreSQL has not got) is the client's 400/404, never our 500.
import type { Request } from 'express';
import { z } from 'zod';
import { InvalidInput } from '../lib';
import { isIsoDateTime } from '../lib';

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** A bigserial row id: digits only, 1 to 2^63-1. */
export const rowId = z
  .string()
  .refine((s) => /^[1-9]\d{0,18}$/.test(s) && BigInt(s) <= BIGINT_MAX, 'must be a row id');

/** Any 8-4-4-4-12 hex id (zod 4's `uuid()` would also check the RFC version and variant bits). */
export const eventId = z.guid();

/** An ISO-8601 time with a zone (`Z` or an offset), as text. */
export const isoTimeText = z.string().refine(isIsoDateTime, 'Invalid datetime');

/** An ISO-8601 time with an offset, in the years PostgreSQL's timestamptz and JavaScript share. */
export const isoTime = isoTimeText
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 1, 'must be an ISO-8601 time from year 1 on');

/** `?limit=` given once, as a whole number from 1 to `max`; absent → `fallback`. */
export const pageLimit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((n) => n ?? fallback);

/** `?flag=true|false` given once; absent → false. */
export const flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

/** The query, or 400 `invalid_query` naming each bad parameter (a repeated one is refused too). */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || '(query)',
    message: i.message,
  }));
  throw new InvalidInput('invalid_query', 'invalid query parameters', 400, issues);
}

/** True when `value` is what `schema` takes (for path parameters, whose refusal is a 404). */
export function isValid(schema: z.ZodTypeAny, value: unknown): boolean {
  return schema.safeParse(value).success;
}
