// search_read in pages: Odoo has no default limit, so every large read goes through here (facts §1.10).

import type { OdooTransport } from './transport';

export interface PageOptions {
  fields: string[];
  pageSize?: number;
  /** must be stable; `id` is appended as the tie-breaker when missing */
  order?: string;
  context?: Record<string, unknown>;
}

export async function* searchReadPages<T = Record<string, unknown>>(
  transport: OdooTransport,
  model: string,
  domain: unknown[],
  options: PageOptions,
): AsyncGenerator<T[]> {
  const limit = options.pageSize ?? 500;
  const base = options.order ?? 'id asc';
  const order = /\bid\b/.test(base) ? base : `${base}, id asc`;
  for (let offset = 0; ; offset += limit) {
    const kwargs: Record<string, unknown> = { fields: options.fields, offset, limit, order };
    if (options.context) kwargs.context = options.context;
    const page = await transport.executeKw<T[]>(model, 'search_read', [domain], kwargs);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
  }
}
