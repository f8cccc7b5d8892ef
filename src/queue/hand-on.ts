// What the consumer does with one delivery, decided without I/O: the attempt it carries, whether a
// failed sync waits on a rung of the retry ladder or is dead-lettered, and which dead letters are new.
import type { ActionFailure, SyncOutcome } from '../enrollment';
import { deadLetterReason } from '../enrollment';
import { StrayError } from '../lib';
import { decideRetry } from './retry';

export const ATTEMPT_HEADER = 'x-lms-sync-attempt';

/** The attempt a delivery is (its header; the first when the header is absent or unreadable). */
export function attemptOf(headers: { readonly [name: string]: unknown } | undefined): number {
  return Number(headers?.[ATTEMPT_HEADER] ?? 1) || 1;
}

export type FailedSync = Extract<SyncOutcome, { kind: 'retry' | 'busy' }>;

export type NextStep =
  | { kind: 'retry'; rungMs: number; delayMs: number; attempt: number }
  | { kind: 'dead'; failures: ActionFailure[]; deadKeys: string[] };

/**
 * After a failed attempt: the next attempt waits on a rung of the ladder, or, the ladder used up, every
 * failure is dead-lettered (those worth another attempt marked as out of retries) and its action dead.
 * `lmsPaceMs` (the LMS's health, lms-backoff.ts) picks the rung of a retry the LMS alone caused.
 */
export function nextStep(
  outcome: FailedSync,
  attempt: number,
  ladderMs: readonly number[],
  random?: () => number,
  lmsPaceMs?: number,
): NextStep {
  const paceMs = lmsPaceMs !== undefined && isLmsFailure(outcome) ? lmsPaceMs : undefined;
  const decision = decideRetry(attempt, ladderMs, { retryAfterMs: outcome.retryAfterMs, random, paceMs });
  if (decision.retry) {
    return { kind: 'retry', rungMs: decision.rungMs, delayMs: decision.delayMs, attempt: attempt + 1 };
  }
  return {
    kind: 'dead',
    failures: outcome.failures.map((f) => (f.permanent ? f : { ...f, retriesExhausted: true })),
    deadKeys: outcome.failures.flatMap((f) => (f.businessKey ? [f.businessKey] : [])),
  };
}

/** A retry that only the LMS's answers caused (its pace is the LMS's, lms-backoff.ts). */
export function isLmsFailure(outcome: FailedSync): boolean {
  return (
    outcome.kind === 'retry' &&
    outcome.failures.length > 0 &&
    outcome.failures.every((f) => f.businessKey !== null && f.code.startsWith('lms_'))
  );
}

/** The failures whose dead letter was recorded just now, not by an earlier delivery: they become problems. */
export function newlyDead(
  failures: ActionFailure[],
  recorded: ReadonlyArray<{ businessKey: string | null; reasonCode: string }>,
): ActionFailure[] {
  const fresh = new Set(recorded.map((d) => `${d.businessKey}|${d.reasonCode}`));
  return failures.filter((f) => fresh.has(`${f.businessKey}|${deadLetterReason(f)}`));
}

/** An error that escaped the business action (a throw in a callback): this message fails, nothing else. */
export function strayFailure(err: unknown): SyncOutcome {
  if (!(err instanceof StrayError)) throw err;
  return {
    kind: 'dead',
    failures: [{ businessKey: null, code: err.code, message: err.message, permanent: true }],
  };
}
