// What other folders use of lib/: imports from outside go through this face.
export { backoffDelay, jittered, type Doubling } from './backoff';
export { BatchScope, currentBatchScope, inBatchScope } from './batch-scope';
export { createBatcher } from './batcher';
export { createCoalescer, type Coalescer, type CoalescerOptions } from './coalescer';
export { createConcurrencyLimiter, type CallOutcome, type ConcurrencyLimiter } from './concurrency-limiter';
export { createDrainLoop } from './drain-loop';
export { DependencyError, errorCode, failureReason, isConnectionFailure, unavailable } from './dependency';
export { BusyError, InvalidInput, PermanentError, TransientError, errorMessage } from './errors';
export { boundForeignText } from './foreign-text';
export { escapeHtml } from './html';
export { isIsoDateTime } from './iso-time';
export { StrayError, installProcessGuard, isolate } from './process-guard';
export { percentile } from './percentile';
export { seededRandom } from './random';
export { maskUrl, urlHost } from './safe-url';
export { createShutdown, refuseAfter, type Shutdown } from './shutdown';
export { sleep } from './sleep';
