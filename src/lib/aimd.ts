// Additive increase, multiplicative decrease of an allowed concurrency (as TCP does with its window): one
// more after a full round of successes, half on an overload, never below 1 nor above the configured
// maximum. Pure state, no timers, so the arithmetic is tested as a table.

export interface AimdLimit {
  /** calls allowed at once now */
  readonly limit: number;
  /** bumped at every decrease: a call records it when it starts */
  readonly epoch: number;
  succeeded(): void;
  /**
   * An overload seen by a call that started in `startedAt`. Calls that were in flight together report the
   * same congestion: only the first of them halves the limit. Returns whether the limit was cut.
   */
  overloaded(startedAt: number): boolean;
}

export function createAimdLimit(max: number): AimdLimit {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a whole number ≥ 1, got ${max}`);
  let limit = max;
  let epoch = 0;
  let successes = 0;
  return {
    get limit() {
      return limit;
    },
    get epoch() {
      return epoch;
    },
    succeeded() {
      if (limit >= max) return;
      successes++;
      if (successes >= limit) {
        limit++;
        successes = 0;
      }
    },
    overloaded(startedAt) {
      if (startedAt !== epoch) return false;
      epoch++;
      successes = 0;
      const halved = Math.max(1, Math.floor(limit / 2));
      const cut = halved < limit;
      limit = halved;
      return cut;
    },
  };
}
