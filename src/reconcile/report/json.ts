// The JSON form of a reconciliation report (GET /admin/reconciliations/:id). Its shape is a contract for
// scripts and dashboards, so every object is built key by key here rather than passing stored rows through.
//
// {
//   "schema": "reconciliation-report/v1",
//   "run":     { id, status, mode, dryRun, trigger, startedAt, finishedAt, durationMs, heldReason, brakeLifted,
//                error, timingsMs },
//   "counts":  { orderLines, paidLines, enrollments, findings, findingsByKind: { <every kind>: n },
//                repairsQueued, healed, timeToHealP50Ms, timeToHealP95Ms },
//   "findings": [{ fingerprint, kind, orderId, orderName, courseCode, studentId, email (masked),
//                  enrollmentIds, detail, action, repairEventId, firstSeenAt, seenRuns }],
//   "healed":  [{ fingerprint, kind, orderName, courseCode, studentId, firstSeenAt, healedAt, healedAfterMs }],
//   "history": [{ id, startedAt, status, mode, dryRun, findings, findingsByKind, repairsQueued, healed,
//                 timeToHealP50Ms, timeToHealP95Ms }]   (oldest first, this run last)
//   "helpdesk": { opened, open, recurring, escalated, autoClosed, closedByPerson, byPriority, byTag, byKind,
//                 urgentShare, medianTimeToAutoCloseMs, pendingWrites, since, until, health } | null   (last 30 days;
//                 health: the sync-health figures of the README's metric dictionary)
//   "dataQuality": [{ check, count, examples: [{ model, id, label, detail }], error }] | null   (this run's
//                 data-quality checks on Odoo, in a fixed order; null for a run that ran none)
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
  dataQuality: ReportData['dataQuality'] | null;
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
    dataQuality: data.dataQuality ?? null,
  };
}

/** Every kind present, in FINDING_KINDS order, so a consumer never has to guess a missing key means 0. */
function kindCounts(byKind: Partial<Record<FindingKind, number>>): Record<FindingKind, number> {
  const out = {} as Record<FindingKind, number>;
  for (const kind of FINDING_KINDS) out[kind] = byKind[kind] ?? 0;
  return out;
}

/** A new object with exactly these keys of `from`, in this order (the order the JSON shows them in). */
function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = from[key];
  return out;
}

function runJson(run: RunSummary) {
  return {
    ...pick(run, ['id', 'status', 'mode', 'dryRun', 'trigger', 'startedAt', 'finishedAt']),
    durationMs: elapsedMs(run.startedAt, run.finishedAt),
    ...pick(run, ['heldReason', 'brakeLifted', 'error']),
    timingsMs: { ...run.timingsMs },
  };
}

/** What a run found and healed: the same fields in a run's counts and in each history row. */
function outcomeJson(run: RunSummary) {
  return {
    findings: totalFindings(run.findingsByKind),
    findingsByKind: kindCounts(run.findingsByKind),
    ...pick(run, ['repairsQueued', 'healed', 'timeToHealP50Ms', 'timeToHealP95Ms']),
  };
}

function countsJson(run: RunSummary) {
  return { ...pick(run, ['orderLines', 'paidLines', 'enrollments']), ...outcomeJson(run) };
}

function findingJson(f: FindingRow) {
  return {
    ...pick(f, ['fingerprint', 'kind', 'orderId', 'orderName', 'courseCode', 'studentId', 'email']),
    enrollmentIds: [...f.enrollmentIds],
    ...pick(f, ['detail', 'action', 'repairEventId', 'firstSeenAt', 'seenRuns']),
  };
}

function healedJson(h: HealedRow) {
  return pick(h, [
    'fingerprint',
    'kind',
    'orderName',
    'courseCode',
    'studentId',
    'firstSeenAt',
    'healedAt',
    'healedAfterMs',
  ]);
}

function historyJson(run: RunSummary) {
  return { ...pick(run, ['id', 'startedAt', 'status', 'mode', 'dryRun']), ...outcomeJson(run) };
}
