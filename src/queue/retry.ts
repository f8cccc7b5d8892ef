// The retry decision, pure: which delay queue the next attempt waits in and for how long, or "give up".
import { jittered } from '../lib';

export type RetryDecision = { retry: true; rungMs: number; delayMs: number } | { retry: false };

export const JITTER = 0.25;

/**
 * `attempt` counts attempts already made (1 after the first failure). `delaysMs` is the configured
 * ladder (5 s, 30 s, 2 min, 10 min, 30 min, 1 h by default): exponential-ish backoff. Jitter spreads
 * each wait over [rung, rung × 1.25] through a per-message expiration (the rung's queue TTL is the
 * upper bound), so a burst of failures does not come back as a burst. A server's Retry-After moves
 * the wait to the first rung at least that long. With `paceMs` the LMS's health sets the rung (see
 * rungIndex); the attempts allowed stay the ladder's length.
 */
export function decideRetry(
  attempt: number,
  delaysMs: readonly number[],
  options: { retryAfterMs?: number; random?: () => number; paceMs?: number } = {},
): RetryDecision {
  if (attempt < 1 || attempt > delaysMs.length) return { retry: false };
  let rungMs = delaysMs[rungIndex(attempt, delaysMs, options.paceMs)] as number;
  const { retryAfterMs } = options;
  if (retryAfterMs !== undefined && retryAfterMs > rungMs) {
    rungMs = delaysMs.find((d) => d >= retryAfterMs) ?? (delaysMs[delaysMs.length - 1] as number);
  }
  return { retry: true, rungMs, delayMs: jittered(rungMs, JITTER, options.random) };
}

/** Attempts a message makes on the first rung before its own failures move it up (with a pace). */
export const FAST_TRIES = 3;

/**
 * Without a pace: the attempt's rung. With one (an LMS failure, lms-backoff.ts): the LMS's pace, the
 * first rung at least `paceMs` long, unless the message's own count is further up: FAST_TRIES tries on
 * the first rung, then one rung up per attempt (a message the LMS keeps failing while it answers the
 * others still backs off).
 */
function rungIndex(attempt: number, delaysMs: readonly number[], paceMs: number | undefined): number {
  if (paceMs === undefined) return attempt - 1;
  const paced = delaysMs.findIndex((d) => d >= paceMs);
  const own = Math.max(0, attempt - FAST_TRIES);
  return Math.min(delaysMs.length - 1, Math.max(paced === -1 ? delaysMs.length - 1 : paced, own));
}

/** The TTL of a rung's delay queue: the longest wait a message of that rung may have. */
export function rungQueueTtl(rungMs: number): number {
  return Math.ceil(rungMs * (1 + JITTER));
}
