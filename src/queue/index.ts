// What other folders use of queue/: imports from outside go through this face.
export { connectBroker, type Broker } from './broker';
export { createConsumer } from './consumer';
export { createDeadLetters, deadLetterReports, openDeadLetterCount, type DeadLetters } from './dead-letters';
export { createDeadQueueRecorder } from './dead-queue-recorder';
export { type ConsumerHooks } from './hooks';
export { createLmsBackoff, observedLms, type LmsBackoff } from './lms-backoff';
export { probeBroker } from './probe';
export { deleteTopology, topologyFor } from './topology';
