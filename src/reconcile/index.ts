// What other folders use of reconcile/: imports from outside go through this face.
export {
  createOdooDataQuality,
  DATA_QUALITY_CHECKS,
  type DataQualityResult,
  type DataQualitySource,
} from './data-quality';
export { partnerIdOf } from './diff-index';
export { FINDING_KINDS, type Finding } from './diff-types';
export { exitCodeFor } from './exit-code';
export { type ReconcileHooks } from './hooks';
export { createOdooOrderLines } from './odoo-order-lines';
export { listRuns, loadReport } from './report-store';
export { renderCsv } from './report/csv';
export { findingsPage } from './report/groups';
export { renderHtml } from './report/html';
export { renderFindingsPage } from './report/html-groups';
export { renderJson } from './report/json';
export { ticketKey, type ReportLinks, type TicketRef } from './report/links';
export {
  type DurationStats,
  type DurationsByCloser,
  type FindingRow,
  type HelpdeskSummary,
  type SyncHealth,
  type TicketCount,
} from './report/types';
export { createReconciler, type Progress, type Reconciler, type RunOutcome } from './run';
export { createRunStore, problemsFirstSeen, reconcileHealth, runStartedAt } from './run-store';
export { createScheduler } from './scheduler';
export { type OrderLineSource } from './sources';
