// Turns many small writes into few statements: items submitted in the same turn of the event loop, or
// while the previous call was running, go to `run` together (the batcher's pattern, for statements
// rather than look-ups). A call that fails for several items is made again for each item alone, so a
// bad item costs only itself; the others get their own results. Inside a batch scope (batch-scope.ts)
// an item waits for the rest of the consumer's batch instead of the next turn.
import { createGateScheduler } from './batch-scope';

export interface CoalescerOptions<T> {
  /** items per call (default 500) */
  maxBatch?: number;
  /** calls running at once (default 1: what comes meanwhile waits and goes out together) */
  maxInFlight?: number;
  /** items with the same key go out in different calls (one statement must not touch a row twice) */
  keyOf?: (item: T) => string;
}

interface Entry<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

/** `run` answers with one result per item, in the items' order. */
export function createCoalescer<T, R>(run: (items: T[]) => Promise<R[]>, options: CoalescerOptions<T> = {}) {
  const maxBatch = options.maxBatch ?? 500;
  const maxInFlight = options.maxInFlight ?? 1;
  const { keyOf } = options;
  let pending: Array<Entry<T, R>> = [];
  let inFlight = 0;
  const gate = createGateScheduler(sendWaiting);

  async function runAll(batch: Array<Entry<T, R>>): Promise<void> {
    const results = await run(batch.map((e) => e.item));
    if (results.length !== batch.length) {
      throw new Error(`coalesced call answered ${results.length} results for ${batch.length} items`);
    }
    batch.forEach((e, i) => e.resolve(results[i] as R));
  }

  async function flush(batch: Array<Entry<T, R>>): Promise<void> {
    try {
      await runAll(batch);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // one item may be what failed the call: each alone, so it fails alone
      await Promise.all(batch.map((e) => runAll([e]).catch(e.reject)));
    }
  }

  /** Up to maxBatch waiting entries in order, one per key; the rest stay for the next call. */
  function takeBatch(): Array<Entry<T, R>> {
    if (!keyOf && pending.length <= maxBatch) {
      const all = pending;
      pending = [];
      return all;
    }
    const batch: Array<Entry<T, R>> = [];
    const rest: Array<Entry<T, R>> = [];
    const keys = new Set<string>();
    for (const e of pending) {
      const key = keyOf?.(e.item);
      if (batch.length >= maxBatch || (key !== undefined && keys.has(key))) {
        rest.push(e);
        continue;
      }
      if (key !== undefined) keys.add(key);
      batch.push(e);
    }
    pending = rest;
    return batch;
  }

  function sendWaiting(): void {
    while (pending.length > 0 && inFlight < maxInFlight) {
      inFlight++;
      void flush(takeBatch()).finally(() => {
        inFlight--;
        if (pending.length > 0) gate.schedule();
      });
    }
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, ...gate.waiter(resolve, reject) });
      });
    },
  };
}

export type Coalescer<T, R> = ReturnType<typeof createCoalescer<T, R>>;
