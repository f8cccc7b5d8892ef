// The products of course lines, kept a short while across the consumer's batches: a campaign sells the
// same few courses, and each batch re-read them from Odoo (one call in six). An entry is kept for
// `ttlMs` (ODOO_PRODUCT_CACHE_SECONDS), so a product changed in Odoo (its course code, its category) is
// seen by orders within that time. Retry Enrollment, reconciler repairs and replays clear it first (the
// gateway's `fresh`, sync-order.ts READS_ANEW), so a product fixed by hand and then retried is read
// anew. Bounded: past `maxEntries` the oldest go first.

export interface ProductStore<P> {
  get(id: number): P | undefined;
  set(id: number, product: P): void;
}

export interface ProductCache<P> extends ProductStore<P> {
  clear(): void;
  readonly size: number;
}

export function createProductCache<P>(options: {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}): ProductCache<P> {
  const { ttlMs } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<number, { product: P; until: number }>();
  return {
    get(id) {
      const e = entries.get(id);
      if (!e) return undefined;
      if (e.until > now()) return e.product;
      entries.delete(id);
      return undefined;
    },
    set(id, product) {
      if (ttlMs <= 0) return;
      entries.delete(id); // re-inserted last: Map order is age order
      entries.set(id, { product, until: now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
