// At most `limit` calls at once, the rest wait in arrival order. The limit adapts (aimd.ts): each call
// says how it went when it gives its slot back. A server that asks us to wait (Retry-After) pauses every
// caller, not just the one that was told.

import { createAimdLimit } from './aimd';

/** How a call went, for the limit: `overload` shrinks it, `ok` grows it back, `neutral` does neither. */
export type CallOutcome = 'ok' | 'overload' | 'neutral';

export interface Slot {
  /** idempotent: a second release does nothing */
  release(outcome: CallOutcome): void;
}

export interface LimiterStats {
  limit: number;
  max: number;
  inFlight: number;
  waiting: number;
  /** the most calls in flight at once since the start */
  peakInFlight: number;
}

export interface ConcurrencyLimiter {
  acquire(): Promise<Slot>;
  /** no slot is handed out before `ms` from now (slots already out are not taken back) */
  pauseFor(ms: number): void;
  stats(): LimiterStats;
}

export interface LimiterOptions {
  max: number;
  /** told when the limit changes, e.g. to log that the server is struggling */
  onLimitChange?: (change: { from: number; to: number }) => void;
}

export function createConcurrencyLimiter(options: LimiterOptions): ConcurrencyLimiter {
  const aimd = createAimdLimit(options.max);
  const waiters: Array<(slot: Slot) => void> = [];
  let inFlight = 0;
  let peak = 0;
  let pausedUntil = 0;
  let resumeTimer: NodeJS.Timeout | undefined;

  function changed(from: number): void {
    if (aimd.limit !== from) options.onLimitChange?.({ from, to: aimd.limit });
  }

  function slot(): Slot {
    const startedAt = aimd.epoch;
    let released = false;
    return {
      release(outcome) {
        if (released) return;
        released = true;
        inFlight--;
        const before = aimd.limit;
        if (outcome === 'ok') aimd.succeeded();
        else if (outcome === 'overload') aimd.overloaded(startedAt);
        changed(before);
        handOut();
      },
    };
  }

  function handOut(): void {
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      resumeTimer ??= setTimeout(() => {
        resumeTimer = undefined;
        handOut();
      }, wait).unref();
      return;
    }
    while (inFlight < aimd.limit && waiters.length > 0) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      waiters.shift()!(slot());
    }
  }

  return {
    acquire() {
      return new Promise<Slot>((resolve) => {
        waiters.push(resolve);
        handOut();
      });
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    stats: () => ({
      limit: aimd.limit,
      max: options.max,
      inFlight,
      waiting: waiters.length,
      peakInFlight: peak,
    }),
  };
}
