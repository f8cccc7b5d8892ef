// The retry decision, pure: which delay queue the next attempt waits in and for how long, or "give up".
import { jittered } from '../lib';

export type RetryDecision = { retry: true; rungMs: number; delayMs: number } | { retry: false };

export const JITTER = 0.25;

/**
 * `attempt` counts attempts already made (1 after the first failure). `delaysMs` is the configured
 * ladder (5 s, 30 s, 2 min, 10 min, 30 min, 1 h by default): exponential-ish backoff. Jitter spreads
 * each wait over [rung, rung × 1.25] through a per-message expiration (the rung's queue TTL is the
 * upper bound), so a burst of failures does not come back as a burst. A server's Retry-After moves
 * the wait to the first rung at least that long.
 */
export function decideRetry(
  attempt: number,
  delaysMs: readonly number[],
  options: { retryAfterMs?: number; random?: () => number } = {},
): RetryDecision {
  if (attempt < 1 || attempt > delaysMs.length) return { retry: false };
  let rungMs = delaysMs[attempt - 1] as number;
  const { retryAfterMs } = options;
  if (retryAfterMs !== undefined && retryAfterMs > rungMs) {
    rungMs = delaysMs.find((d) => d >= retryAfterMs) ?? (delaysMs[delaysMs.length - 1] as number);
  }
  return { retry: true, rungMs, delayMs: jittered(rungMs, JITTER, options.random) };
}

/** The TTL of a rung's delay queue: the longest wait a message of that rung may have. */
export function rungQueueTtl(rungMs: number): number {
  return Math.ceil(rungMs * (1 + JITTER));
}
