// Failure injection for the LMS simulator: what a flaky LMS does to us, reproducible from a seed so a test
// that saw a failure sees the same failure on the next run.

import { seededRandom } from '../../lib';

/** How a committed write fails: an error status (the LMS did it, then broke) or a dropped connection. */
export type AfterCommitMode = 'status' | 'drop';

export interface InjectedFailure {
  status: number;
  /** Sent as Retry-After (seconds); 429 gets 1 by default. */
  retryAfterSec?: number;
  /** Overrides the error message in the body (a 422/400 "rejection" with a specific text). */
  message?: string;
}

export interface FaultOptions {
  failRate?: number;
  failStatus?: number;
  failAfterCommitRate?: number;
  failAfterCommitMode?: AfterCommitMode;
  latencyMs?: number;
  /** Default 1: runs are deterministic unless a test asks for another sequence. */
  seed?: number;
}

export { seededRandom };

function checkRate(rate: number, name: string): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`${name} must be within 0..1`);
  return rate;
}

export class FaultInjector {
  private readonly random: () => number;
  private failRate: number;
  private failStatus: number;
  private afterCommitRate: number;
  private afterCommitMode: AfterCommitMode;
  private down = false;
  private readonly queued: InjectedFailure[] = [];
  private readonly queuedAfterCommit: AfterCommitMode[] = [];
  latencyMs: number;
  injectedCount = 0;

  constructor(options: FaultOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.failRate = checkRate(options.failRate ?? 0, 'failRate');
    this.failStatus = options.failStatus ?? 503;
    this.afterCommitRate = checkRate(options.failAfterCommitRate ?? 0, 'failAfterCommitRate');
    this.afterCommitMode = options.failAfterCommitMode ?? 'status';
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
  }

  setFailRate(rate: number, status = this.failStatus): void {
    this.failRate = checkRate(rate, 'failRate');
    this.failStatus = status;
  }

  failNext(count: number, status: number, extra: Omit<InjectedFailure, 'status'> = {}): void {
    for (let i = 0; i < count; i += 1) this.queued.push({ status, ...extra });
  }

  setDown(down: boolean): void {
    this.down = down;
  }

  setFailAfterCommitRate(rate: number, mode: AfterCommitMode = this.afterCommitMode): void {
    this.afterCommitRate = checkRate(rate, 'failAfterCommitRate');
    this.afterCommitMode = mode;
  }

  failNextAfterCommit(count: number, mode: AfterCommitMode = 'status'): void {
    for (let i = 0; i < count; i += 1) this.queuedAfterCommit.push(mode);
  }

  /** Decided before the request touches any state, so the caller must retry to get anything done. */
  beforeRequest(): InjectedFailure | null {
    const failure = this.pickBefore();
    if (failure) this.injectedCount += 1;
    return failure;
  }

  /** Decided after a write was committed: the "LMS did it but we never heard" case. */
  afterCommit(): AfterCommitMode | null {
    const queued = this.queuedAfterCommit.shift();
    if (queued) return queued;
    // Draw only when a rate is set, so enabling one kind of fault does not shift the other's sequence.
    if (this.afterCommitRate > 0 && this.random() < this.afterCommitRate) return this.afterCommitMode;
    return null;
  }

  private pickBefore(): InjectedFailure | null {
    if (this.down) return { status: 503 };
    const queued = this.queued.shift();
    if (queued) return queued;
    if (this.failRate > 0 && this.random() < this.failRate) return { status: this.failStatus };
    return null;
  }
}
