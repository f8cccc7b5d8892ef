// Coalesces single-key loads made in the same turn of the event loop into one batch call (the DataLoader
// pattern): callers keep asking for one order; under load, one Odoo read serves many of them. With
// `maxInFlight`, loads asked while that many batch calls are running wait for one of them to end and then
// go out together: when the server is the bottleneck, batches grow instead of calls multiplying.
// Inside a batch scope (batch-scope.ts) a load waits for the rest of the consumer's batch instead.
import { createGateScheduler } from './batch-scope';

export interface BatcherOptions {
  /** keys per batch call (default 100) */
  maxBatch?: number;
  /** batch calls running at once (default unlimited) */
  maxInFlight?: number;
}

type Waiter<V> = { resolve: (v: V | undefined) => void; reject: (e: unknown) => void };

export function createBatcher<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
  options: BatcherOptions = {},
) {
  const maxBatch = options.maxBatch ?? 100;
  const maxInFlight = options.maxInFlight ?? Infinity;
  let pending = new Map<K, Array<Waiter<V>>>();
  let inFlight = 0;
  const gate = createGateScheduler(sendWaiting);

  async function flush(batch: Map<K, Array<Waiter<V>>>): Promise<void> {
    try {
      const found = await loadMany([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }

  /** Takes up to maxBatch of the waiting keys, in the order they were first asked for. */
  function takeBatch(): Map<K, Array<Waiter<V>>> {
    if (pending.size <= maxBatch) {
      const all = pending;
      pending = new Map();
      return all;
    }
    const batch = new Map<K, Array<Waiter<V>>>();
    for (const [key, waiters] of pending) {
      if (batch.size >= maxBatch) break;
      batch.set(key, waiters);
    }
    for (const key of batch.keys()) pending.delete(key);
    return batch;
  }

  function sendWaiting(): void {
    while (pending.size > 0 && inFlight < maxInFlight) {
      inFlight++;
      void flush(takeBatch()).finally(() => {
        inFlight--;
        if (pending.size > 0) gate.schedule();
      });
    }
  }

  return {
    /** Resolves with the value for `key`, or undefined when the batch found none. */
    load(key: K): Promise<V | undefined> {
      return new Promise((resolve, reject) => {
        const waiters = pending.get(key) ?? [];
        waiters.push(gate.waiter(resolve, reject));
        pending.set(key, waiters);
      });
    },
  };
}
