// Coalesces single-key loads made in the same turn of the event loop into one batch call (the DataLoader
// pattern): callers keep asking for one order; under load, one Odoo read serves many of them.

export function createBatcher<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
  options: { maxBatch?: number } = {},
) {
  const maxBatch = options.maxBatch ?? 100;
  let pending = new Map<K, Array<{ resolve: (v: V | undefined) => void; reject: (e: unknown) => void }>>();
  let scheduled = false;

  async function flush(batch: typeof pending): Promise<void> {
    try {
      const found = await loadMany([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const all = pending;
      pending = new Map();
      const keys = [...all.keys()];
      for (let i = 0; i < keys.length; i += maxBatch) {
        void flush(new Map(keys.slice(i, i + maxBatch).map((k) => [k, all.get(k)!])));
      }
    });
  }

  return {
    /** Resolves with the value for `key`, or undefined when the batch found none. */
    load(key: K): Promise<V | undefined> {
      return new Promise((resolve, reject) => {
        const waiters = pending.get(key) ?? [];
        waiters.push({ resolve, reject });
        pending.set(key, waiters);
        schedule();
      });
    },
  };
}
