// What other folders use of outbox/: imports from outside go through this face.
export { enqueueMessages, notifyRelays, outboxInsertSql } from './enqueue';
export { createRelay } from './relay';
export { createOutboxWakeup } from './wakeup';
