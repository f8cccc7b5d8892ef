// How a broker outage shows in the log: the first failed attempt, then at most one line per growing
// interval (1 s, 2 s, 4 s … 60 s) with the count of failed attempts so far, and one line when the broker
// is reachable again. amqp-connection-manager tries every second; a line per try would bury the rest.

export const OUTAGE_LOG_INTERVALS_MS = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000];

export type OutageNote = { log: false } | { log: true; attempts: number; downForMs: number; first: boolean };

export interface OutageLog {
  /** one failed attempt to connect: log it or not */
  failed(): OutageNote;
  /** connected: whether an outage just ended, how many attempts failed and for how long */
  connected(): { recovered: boolean; attempts: number; downForMs: number };
}

export function createOutageLog(
  now: () => number = Date.now,
  intervalsMs: readonly number[] = OUTAGE_LOG_INTERVALS_MS,
): OutageLog {
  let attempts = 0;
  let since = 0;
  let nextAt = 0;
  let logged = 0;
  return {
    failed() {
      const t = now();
      attempts += 1;
      if (attempts === 1) since = t;
      else if (t < nextAt) return { log: false };
      nextAt = t + intervalsMs[Math.min(logged, intervalsMs.length - 1)]!;
      logged += 1;
      return { log: true, attempts, downForMs: t - since, first: attempts === 1 };
    },
    connected() {
      const outage = { recovered: attempts > 0, attempts, downForMs: attempts > 0 ? now() - since : 0 };
      attempts = 0;
      logged = 0;
      return outage;
    },
  };
}
