// What other folders use of reconcile/: imports from outside go through this face.
export { partnerIdOf } from './diff-index';
export { FINDING_KINDS, type Finding } from './diff-types';
export { type ReconcileHooks } from './hooks';
export { createOdooOrderLines } from './odoo-order-lines';
export { listRuns, loadReport } from './report-store';
export { renderCsv } from './report/csv';
export { renderHtml } from './report/html';
export { renderJson } from './report/json';
export { type HelpdeskSummary } from './report/types';
export { createReconciler, type Progress, type Reconciler, type RunOutcome } from './run';
export { createRunStore, reconcileHealth } from './run-store';
export { createScheduler } from './scheduler';
export { type OrderLineSource } from './sources';
