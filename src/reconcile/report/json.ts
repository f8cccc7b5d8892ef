// The JSON form of a reconciliation report (GET /admin/reconciliations/:id). Its shape is a contract for
// scripts and dashboards, so every object is built key by key here rather than passing stored rows through.
//
// {
//   "schema": "reconciliation-report/v1",
//   "run":     { id, status, mode, dryRun, trigger, startedAt, finishedAt, durationMs, heldReason, error, timingsMs },
//   "counts":  { orderLines, paidLines, enrollments, findings, findingsByKind: { <every kind>: n },
//                repairsQueued, healed, timeToHealP50Ms, timeToHealP95Ms },
//   "findings": [{ fingerprint, kind, orderId, orderName, courseCode, studentId, email (masked),
//                  enrollmentIds, detail, action, repairEventId, firstSeenAt, seenRuns }],
//   "healed":  [{ fingerprint, kind, orderName, courseCode, studentId, firstSeenAt, healedAt, healedAfterMs }],
//   "history": [{ id, startedAt, status, mode, dryRun, findings, findingsByKind, repairsQueued, healed,
//                 timeToHealP50Ms, timeToHealP95Ms }]   (oldest first, this run last)
//   "helpdesk": { opened, open, recurring, escalated, autoClosed, closedByPerson, byPriority, byTag, byKind,
//                 urgentShare, medianTimeToAutoCloseMs, pendingWrites, since } | null   (last 30 days)
// }
//
// Absent values are null, never missing keys; timestamps are ISO 8601 as stored; findings keep the order
// the run stored them in. A breaking change bumps `schema`.
import { FINDING_KINDS } from '../diff-types';
import type { FindingKind } from '../diff-types';
import { elapsedMs, totalFindings } from './format';
import type { FindingRow, HealedRow, ReportData, RunSummary } from './types';

export const REPORT_JSON_SCHEMA = 'reconciliation-report/v1';

export interface ReportJson {
  schema: typeof REPORT_JSON_SCHEMA;
  run: ReturnType<typeof runJson>;
  counts: ReturnType<typeof countsJson>;
  findings: ReturnType<typeof findingJson>[];
  healed: ReturnType<typeof healedJson>[];
  history: ReturnType<typeof historyJson>[];
  helpdesk: ReportData['helpdesk'] | null;
}

export function renderJson(data: ReportData): ReportJson {
  return {
    schema: REPORT_JSON_SCHEMA,
    run: runJson(data.run),
    counts: countsJson(data.run),
    findings: data.findings.map(findingJson),
    healed: data.healed.map(healedJson),
    history: data.history.map(historyJson),
    helpdesk: data.helpdesk ?? null,
  };
}

/** Every kind present, in FINDING_KINDS order, so a consumer never has to guess a missing key means 0. */
function kindCounts(byKind: Partial<Record<FindingKind, number>>): Record<FindingKind, number> {
  const out = {} as Record<FindingKind, number>;
  for (const kind of FINDING_KINDS) out[kind] = byKind[kind] ?? 0;
  return out;
}

function runJson(run: RunSummary) {
  return {
    id: run.id,
    status: run.status,
    mode: run.mode,
    dryRun: run.dryRun,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: elapsedMs(run.startedAt, run.finishedAt),
    heldReason: run.heldReason,
    error: run.error,
    timingsMs: { ...run.timingsMs },
  };
}

function countsJson(run: RunSummary) {
  return {
    orderLines: run.orderLines,
    paidLines: run.paidLines,
    enrollments: run.enrollments,
    findings: totalFindings(run.findingsByKind),
    findingsByKind: kindCounts(run.findingsByKind),
    repairsQueued: run.repairsQueued,
    healed: run.healed,
    timeToHealP50Ms: run.timeToHealP50Ms,
    timeToHealP95Ms: run.timeToHealP95Ms,
  };
}

function findingJson(f: FindingRow) {
  return {
    fingerprint: f.fingerprint,
    kind: f.kind,
    orderId: f.orderId,
    orderName: f.orderName,
    courseCode: f.courseCode,
    studentId: f.studentId,
    email: f.email,
    enrollmentIds: [...f.enrollmentIds],
    detail: f.detail,
    action: f.action,
    repairEventId: f.repairEventId,
    firstSeenAt: f.firstSeenAt,
    seenRuns: f.seenRuns,
  };
}

function healedJson(h: HealedRow) {
  return {
    fingerprint: h.fingerprint,
    kind: h.kind,
    orderName: h.orderName,
    courseCode: h.courseCode,
    studentId: h.studentId,
    firstSeenAt: h.firstSeenAt,
    healedAt: h.healedAt,
    healedAfterMs: h.healedAfterMs,
  };
}

function historyJson(run: RunSummary) {
  return {
    id: run.id,
    startedAt: run.startedAt,
    status: run.status,
    mode: run.mode,
    dryRun: run.dryRun,
    findings: totalFindings(run.findingsByKind),
    findingsByKind: kindCounts(run.findingsByKind),
    repairsQueued: run.repairsQueued,
    healed: run.healed,
    timeToHealP50Ms: run.timeToHealP50Ms,
    timeToHealP95Ms: run.timeToHealP95Ms,
  };
}
