// What one order sync came to, and how the outcomes of its actions add up (pure).
import type { PlannedAction } from './plan';

export interface ActionFailure {
  businessKey: string | null;
  code: string;
  message: string;
  /** true: retrying cannot help (dead-letter now); false: worth another attempt. */
  permanent: boolean;
  /** Worth another attempt, but the retry ladder is used up: dead-lettered all the same. */
  retriesExhausted?: boolean;
}

const EXHAUSTED_MARK = 'retries_exhausted:';

/** The reason a dead letter is stored and shown under: the code, marked when the retries ran out. */
export function deadLetterReason(f: ActionFailure): string {
  return f.retriesExhausted ? `${EXHAUSTED_MARK}${f.code}` : f.code;
}

/** A stored dead letter read back as the failure it was recorded for (its reason says whether retries ran out). */
export function deadLetterFailure(row: {
  businessKey: string | null;
  reasonCode: string;
  reason: string;
}): ActionFailure {
  const exhausted = row.reasonCode.startsWith(EXHAUSTED_MARK);
  return {
    businessKey: row.businessKey,
    code: exhausted ? row.reasonCode.slice(EXHAUSTED_MARK.length) : row.reasonCode,
    message: row.reason,
    permanent: true,
    ...(exhausted ? { retriesExhausted: true } : {}),
  };
}

export type SyncOutcome =
  | {
      kind: 'done';
      detail: string;
      courseCodes: string[];
      /** Suspends not made: the course is still paid for by this order. */
      kept?: Array<{ courseCode: string; coveredBy: string }>;
    }
  | { kind: 'retry'; failures: ActionFailure[]; retryAfterMs?: number }
  /** Only held by another worker: worth another try when its lease ends (not a failure, not a retry). */
  | { kind: 'busy'; failures: ActionFailure[]; retryAfterMs: number }
  | { kind: 'dead'; failures: ActionFailure[] };

export type ActionOutcome =
  | { kind: 'succeeded' | 'skipped'; key: string; coveredBy?: string }
  | { kind: 'transient' | 'permanent' | 'busy'; failure: ActionFailure; retryAfterMs?: number };

type FailedOutcome = Extract<ActionOutcome, { kind: 'transient' | 'permanent' | 'busy' }>;

export function combineOutcomes(results: ActionOutcome[], planned: PlannedAction[]): SyncOutcome {
  const failed = results.filter(
    (r): r is FailedOutcome => r.kind === 'transient' || r.kind === 'permanent' || r.kind === 'busy',
  );
  const busy = failed.filter((r) => r.kind === 'busy');
  if (busy.length > 0 && busy.length === failed.length) {
    const retryAfterMs = Math.max(0, ...busy.map((b) => b.retryAfterMs ?? 0));
    return { kind: 'busy', failures: busy.map((b) => b.failure), retryAfterMs };
  }
  // Held actions next to real failures ride along with the retry, as any transient failure.
  const transient = failed.filter((r) => r.kind === 'transient' || r.kind === 'busy');
  const permanent = failed.filter((r) => r.kind === 'permanent');
  if (transient.length > 0) {
    const retryAfterMs = Math.max(0, ...transient.map((t) => t.retryAfterMs ?? 0));
    return {
      kind: 'retry',
      failures: [...transient, ...permanent].map((r) => r.failure),
      ...(retryAfterMs > 0 ? { retryAfterMs } : {}),
    };
  }
  if (permanent.length > 0) return { kind: 'dead', failures: permanent.map((r) => r.failure) };
  const done = results.filter((r) => r.kind === 'succeeded').length;
  const courseCodes = planned
    .filter((a) => a.action === 'enroll' && a.courseCode)
    .map((a) => a.courseCode as string);
  const kept = results.flatMap((r, i) =>
    r.kind === 'succeeded' && r.coveredBy && planned[i]?.courseCode
      ? [{ courseCode: planned[i].courseCode, coveredBy: r.coveredBy }]
      : [],
  );
  return {
    kind: 'done',
    detail: `${done} LMS call(s), ${results.length - done} already done`,
    courseCodes,
    ...(kept.length > 0 ? { kept } : {}),
  };
}
