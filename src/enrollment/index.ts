// What other folders use of enrollment/: imports from outside go through this face.
export { createActionsRepo, recentAttempts, type AttemptRow } from './actions-repo';
export { ORDER_SYNC_ROUTING_KEY, orderSyncMessage, type OrderSyncMessage } from './message';
export { oneLine } from './order-notes';
export { LEARNER_SOURCES, resolveLearners, type Learner, type LearnerSource } from './learner';
export { deadLetterFailure, deadLetterReason } from './outcome';
export {
  WRITEBACK_FAILED,
  createOrderSync,
  type ActionFailure,
  type OrderSync,
  type SyncOutcome,
} from './sync-order';
