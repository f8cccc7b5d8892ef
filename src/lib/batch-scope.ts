// The messages of one consumer batch move through the same steps (read the orders, claim the actions,
// call the LMS, record the results, write the status back, mark the messages consumed) but not in
// step: one LMS answer comes before another. A batch scope lets the batchers and coalescers those steps
// go through wait for the rest of the batch instead of sending what the first arrivals brought: an item
// submitted inside a scope waits until every member of the batch still running is waiting somewhere
// (nobody else can join: send it all now), or GATE_MAX_WAIT_MS after the first (a member busy elsewhere,
// a slow LMS call, must not hold the others longer). Outside a scope nothing changes: the next turn.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The longest an item waits for the rest of its batch. */
export const GATE_MAX_WAIT_MS = 100;

/** A batcher or coalescer, as a scope sees it: something that can be told to send what waits. */
export interface Gate {
  sendWaiting(): void;
}

export class BatchScope {
  private active: number;
  private waitingItems = 0;
  private readonly gates = new Set<Gate>();
  private checkScheduled = false;

  constructor(members: number) {
    this.active = members;
  }

  /** An item of a member waits at `gate` (until `released`). */
  parked(gate: Gate): void {
    this.waitingItems++;
    this.gates.add(gate);
    this.check();
  }

  released(): void {
    this.waitingItems--;
  }

  /** A member is done with the batch (or sleeps a long while): the others no longer wait for it. */
  leave(): void {
    this.active--;
    this.check();
  }

  /** A member that left to sleep is back. */
  rejoin(): void {
    this.active++;
  }

  private check(): void {
    if (this.checkScheduled || this.gates.size === 0 || this.waitingItems < this.active) return;
    this.checkScheduled = true;
    // a turn later: what the same turn submits goes too
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.waitingItems < this.active) return;
      const gates = [...this.gates];
      this.gates.clear();
      for (const g of gates) g.sendWaiting();
    });
  }
}

const storage = new AsyncLocalStorage<BatchScope>();

/** Runs `work` as a member of `scope`: what it submits to batchers and coalescers waits for the batch. */
export function inBatchScope<T>(scope: BatchScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

export function currentBatchScope(): BatchScope | undefined {
  return storage.getStore();
}

/**
 * The scheduling a batcher or coalescer shares: `waiter()` for each new item says when to send (the
 * next turn, or the batch scope's word, with GATE_MAX_WAIT_MS as the bound) and wraps its settle
 * functions so the scope knows when it is answered.
 */
export function createGateScheduler(sendWaiting: () => void) {
  let scheduled = false;
  let timer: NodeJS.Timeout | null = null;
  const gate: Gate = {
    sendWaiting() {
      if (timer) clearTimeout(timer);
      timer = null;
      sendWaiting();
    },
  };

  /** Sends on the next turn. */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      gate.sendWaiting();
    });
  }

  /** A new item: returns what to call once it is answered. */
  function arrived(): () => void {
    const scope = currentBatchScope();
    if (!scope) {
      schedule();
      return () => undefined;
    }
    timer ??= setTimeout(() => {
      timer = null;
      gate.sendWaiting();
    }, GATE_MAX_WAIT_MS);
    scope.parked(gate);
    let once = false;
    return () => {
      if (once) return;
      once = true;
      scope.released();
    };
  }

  return {
    schedule,
    /** A new item's settle functions, wrapped to tell its batch scope (if any) when it is answered. */
    waiter<V>(resolve: (v: V) => void, reject: (err: unknown) => void) {
      const answered = arrived();
      return {
        resolve: (v: V) => {
          answered();
          resolve(v);
        },
        reject: (err: unknown) => {
          answered();
          reject(err);
        },
      };
    },
  };
}
