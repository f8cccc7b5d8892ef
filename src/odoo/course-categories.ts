// Which product categories hold courses: the one named COURSE_CATEGORY and all its sub-categories (child_of).
// Categories rarely change, so the ids are cached for a few minutes.

import type { Logger } from '../observability';
import type { OdooTransport } from './transport';

export interface CourseCategories {
  ids(): Promise<Set<number>>;
}

export function createCourseCategories(options: {
  transport: OdooTransport;
  log: Logger;
  name: string;
  ttlMs?: number;
  now?: () => number;
}): CourseCategories {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; ids: Promise<Set<number>> } | undefined;

  async function load(): Promise<Set<number>> {
    const roots = await options.transport.executeKw<number[]>('product.category', 'search', [
      [['name', '=', options.name]],
    ]);
    if (roots.length === 0) {
      options.log.warn('course category not found in Odoo: no product counts as a course', {
        category: options.name,
      });
      return new Set();
    }
    const all = await options.transport.executeKw<number[]>('product.category', 'search', [
      [['id', 'child_of', roots]],
    ]);
    return new Set(all);
  }

  return {
    ids() {
      if (!cached || now() - cached.at >= ttlMs) {
        const entry = { at: now(), ids: load() };
        entry.ids.catch(() => {
          if (cached === entry) cached = undefined; // never cache a failure
        });
        cached = entry;
      }
      return cached.ids;
    },
  };
}

/** The products of the course category and its sub-categories, with their course codes; null when no category has that name. */
export async function readCourseProducts(
  transport: OdooTransport,
  name: string,
): Promise<Array<{ name: string; code: string | null }> | null> {
  const roots = await transport.executeKw<number[]>('product.category', 'search', [[['name', '=', name]]]);
  if (roots.length === 0) return null;
  const rows = await transport.executeKw<Array<{ name: string; default_code: string | false }>>(
    'product.product',
    'search_read',
    [[['categ_id', 'child_of', roots]]],
    { fields: ['name', 'default_code'], order: 'id asc' },
  );
  return rows.map((r) => ({ name: r.name, code: (r.default_code || '').trim() || null }));
}
