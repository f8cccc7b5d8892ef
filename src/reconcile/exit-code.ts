// The exit code of `lms-sync reconcile`: 0 clean, 1 findings left for a person (or repairs held), 2 failed.
import type { RunOutcome } from './run';

export function exitCodeFor(outcome: RunOutcome): 0 | 1 | 2 {
  if (outcome.status === 'failed') return 2;
  return outcome.status === 'held' || outcome.findingsLeft > 0 ? 1 : 0;
}
