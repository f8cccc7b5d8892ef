// The retry ladder's pace for failures of the LMS, set by the LMS's health rather than by how often one
// message failed: while the LMS answers most calls, a message it failed waits only the first rung (a
// message unlucky three times in a row is not sent to the 10-minute rung); once most of its calls fail,
// every retry waits the rung that matches how long it has been failing, and a Retry-After it gave holds
// every retry until then. The attempts a message has (the ladder's length) stay what they were.
import type { LmsAdapter } from '../lms';
import { TransientError } from '../lib';

export interface LmsBackoffOptions {
  /** the window the health is judged over */
  windowMs?: number;
  /** calls in the window before it judges at all */
  minCalls?: number;
  /** the share of failed calls from which the LMS counts as failing */
  failingRatio?: number;
  now?: () => number;
}

export interface LmsBackoff {
  /** One LMS call's outcome: answered (whatever it said) or failed transiently, with its Retry-After. */
  record(ok: boolean, retryAfterMs?: number): void;
  /** The least a retry of an LMS failure waits now (0: the LMS is healthy, the first rung will do). */
  floorMs(): number;
}

const DEFAULTS = { windowMs: 30_000, minCalls: 10, failingRatio: 0.5 };

export function createLmsBackoff(options: LmsBackoffOptions = {}): LmsBackoff {
  const { windowMs, minCalls, failingRatio } = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  // outcomes per second of the window: [second, ok, failed]
  let buckets: Array<[number, number, number]> = [];
  let failingSince: number | null = null;
  let holdUntil = 0;

  function counts(t: number): { ok: number; failed: number } {
    const from = Math.floor((t - windowMs) / 1000);
    buckets = buckets.filter((b) => b[0] > from);
    let ok = 0;
    let failed = 0;
    for (const b of buckets) {
      ok += b[1];
      failed += b[2];
    }
    return { ok, failed };
  }

  function failing(t: number): boolean {
    const { ok, failed } = counts(t);
    const total = ok + failed;
    return total >= minCalls && failed / total >= failingRatio;
  }

  return {
    record(ok, retryAfterMs) {
      const t = now();
      const second = Math.floor(t / 1000);
      const last = buckets[buckets.length - 1];
      if (last && last[0] === second) last[ok ? 1 : 2]++;
      else buckets.push([second, ok ? 1 : 0, ok ? 0 : 1]);
      if (retryAfterMs && retryAfterMs > 0) holdUntil = Math.max(holdUntil, t + retryAfterMs);
      if (failing(t)) failingSince ??= t;
      else failingSince = null;
    },
    floorMs() {
      const t = now();
      const held = Math.max(0, holdUntil - t);
      if (failingSince !== null && !failing(t)) failingSince = null;
      // failing for d: wait about d again (the rung at or above it): the pace doubles as the outage lasts
      const outage = failingSince === null ? 0 : Math.max(1, t - failingSince);
      return Math.max(held, outage);
    },
  };
}

/** The LMS as enrollment calls it, each enroll's and suspend's outcome told to `backoff`. */
export function observedLms(lms: LmsAdapter, backoff: LmsBackoff): LmsAdapter {
  const observe =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const r = await call(...args);
        backoff.record(true);
        return r;
      } catch (err) {
        if (err instanceof TransientError) backoff.record(false, err.retryAfterMs);
        else backoff.record(true); // it answered: a refusal says nothing about its health
        throw err;
      }
    };
  return {
    name: lms.name,
    enroll: observe((req) => lms.enroll(req)),
    suspend: observe((req) => lms.suspend(req)),
    listEnrollments: (cursor, limit) => lms.listEnrollments(cursor, limit),
    listCourses: () => lms.listCourses(),
    ping: () => lms.ping(),
  };
}
