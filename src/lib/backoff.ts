// How long a retry waits, pure: the n-th wait of a ladder or of a doubling, at least what the other side
// asked for, optionally spread by jitter. Every retry loop of the service takes its waits from here.

/** Doubling from `firstMs`: firstMs × 2^min(n, maxDoublings), never above `capMs`. It never gives up. */
export interface Doubling {
  firstMs: number;
  maxDoublings: number;
  capMs: number;
}

/** A ladder of waits, the n-th for retry n (counted from 0); past its end, give up. */
export interface Ladder {
  ladderMs: readonly number[];
}

export type Backoff = Doubling | Ladder;

export interface Hint {
  /** How long the other side asked us to wait (Retry-After): the wait is at least this long… */
  retryAfterMs?: number;
  /** …but a request beyond this is heeded only up to it. */
  retryAfterCapMs?: number;
}

/** The wait before retry `n` (0 for the first retry); undefined when a ladder is used up. */
export function backoffDelay(backoff: Doubling, n: number, hint?: Hint): number;
export function backoffDelay(backoff: Backoff, n: number, hint?: Hint): number | undefined;
export function backoffDelay(backoff: Backoff, n: number, hint: Hint = {}): number | undefined {
  const delay =
    'ladderMs' in backoff
      ? backoff.ladderMs[n]
      : Math.min(backoff.capMs, backoff.firstMs * 2 ** Math.min(n, backoff.maxDoublings));
  if (delay === undefined) return undefined;
  const asked = Math.min(hint.retryAfterMs ?? 0, hint.retryAfterCapMs ?? Infinity);
  return Math.max(delay, asked);
}

/**
 * Spreads a wait over [ms, ms × (1 + spread)], so a burst of failures does not come back as a burst.
 * `random` answers in [0, 1); anything outside is clamped.
 */
export function jittered(ms: number, spread: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 + spread * Math.min(1, Math.max(0, random()))));
}
