// What other folders use of observability/: imports from outside go through this face.
export { createContactTracker } from './contacts';
export { createLogger, maskEmail, type Logger, type LogOutput } from './logger';
export { createMetrics, recordOdooCall, type Metrics } from './metrics';
export { registerStateMetrics, type FinishedRunStatus, type ServiceState } from './state-metrics';
