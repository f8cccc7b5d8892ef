// Reads a stored run back as ReportData for the JSON, CSV and HTML reports.
import type { Pool } from 'pg';
import { loadDataQuality } from './data-quality-store';
import { FINDING_KINDS, type FindingKind } from './diff-types';
import type {
  FindingAction,
  FindingRow,
  HealedRow,
  HelpdeskSummary,
  ReportData,
  RunSummary,
} from './report/types';

interface RunRow {
  id: string;
  status: RunSummary['status'];
  mode: RunSummary['mode'];
  dry_run: boolean;
  trigger: RunSummary['trigger'];
  started_at: Date;
  finished_at: Date | null;
  order_lines: number;
  paid_lines: number;
  enrollments: number;
  findings_by_kind: Partial<Record<FindingKind, number>>;
  repairs_queued: number;
  healed: number;
  held_reason: string | null;
  brake_lifted: string | null;
  error: string | null;
  timings_ms: Record<string, number>;
  heal_p50: number | null;
  heal_p95: number | null;
}

const RUN_COLUMNS = `r.id::text, r.status, r.mode, r.dry_run, r.trigger, r.started_at, r.finished_at, r.order_lines,
  r.paid_lines, r.enrollments, r.findings_by_kind, r.repairs_queued, r.healed, r.held_reason, r.brake_lifted, r.error, r.timings_ms,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.healed_at - p.first_seen_at) * 1000)
     FROM reconcile_problems p WHERE p.healed_run = r.id) AS heal_p50,
  (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM p.healed_at - p.first_seen_at) * 1000)
     FROM reconcile_problems p WHERE p.healed_run = r.id) AS heal_p95`;

function toSummary(r: RunRow): RunSummary {
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, r.findings_by_kind[k] ?? 0])) as Record<
    FindingKind,
    number
  >;
  return {
    id: r.id,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    status: r.status,
    mode: r.mode,
    dryRun: r.dry_run,
    trigger: r.trigger,
    orderLines: r.order_lines,
    paidLines: r.paid_lines,
    enrollments: r.enrollments,
    findingsByKind: byKind,
    repairsQueued: r.repairs_queued,
    healed: r.healed,
    heldReason: r.held_reason,
    brakeLifted: r.brake_lifted,
    error: r.error,
    timingsMs: r.timings_ms,
    timeToHealP50Ms: r.heal_p50 === null ? null : Math.round(r.heal_p50),
    timeToHealP95Ms: r.heal_p95 === null ? null : Math.round(r.heal_p95),
  };
}

export async function listRuns(pool: Pool, limit = 30): Promise<RunSummary[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM reconcile_runs r ORDER BY r.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toSummary);
}

/** The helpdesk's summary since a date, for the report's helpdesk section (helpdesk's helpdeskSummary). */
export type HelpdeskSummarySource = (pool: Pool, since: Date) => Promise<HelpdeskSummary>;

export async function loadReport(
  pool: Pool,
  runId: string,
  helpdeskSummary: HelpdeskSummarySource,
): Promise<ReportData | null> {
  const run = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM reconcile_runs r WHERE r.id = $1`, [
    runId,
  ]);
  const row = run.rows[0];
  if (!row) return null;
  const [findings, healed, history, dataQuality] = await Promise.all([
    pool.query(
      `SELECT f.*, p.first_seen_at, p.seen_runs FROM reconcile_findings f
         LEFT JOIN reconcile_problems p ON p.fingerprint = f.fingerprint
        WHERE f.run_id = $1 ORDER BY f.kind, f.fingerprint`,
      [runId],
    ),
    pool.query(
      `SELECT * FROM reconcile_problems WHERE healed_run = $1 ORDER BY healed_at - first_seen_at DESC`,
      [runId],
    ),
    pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM reconcile_runs r WHERE r.id <= $1 ORDER BY r.id DESC LIMIT 30`,
      [runId],
    ),
    loadDataQuality(pool, runId),
  ]);
  const started = row.started_at.toISOString();
  return {
    run: toSummary(row),
    findings: findings.rows.map((f): FindingRow => ({
      fingerprint: f.fingerprint,
      kind: f.kind,
      orderId: f.order_id,
      orderName: f.order_name,
      courseCode: f.course_code,
      studentId: f.student_id,
      email: f.email_masked,
      enrollmentIds: f.enrollment_ids,
      detail: f.detail,
      action: f.action as FindingAction,
      repairEventId: f.repair_event_id,
      firstSeenAt: f.first_seen_at?.toISOString() ?? started,
      seenRuns: f.seen_runs ?? 1,
    })),
    healed: healed.rows.map((p): HealedRow => ({
      fingerprint: p.fingerprint,
      kind: p.kind,
      orderName: p.order_name,
      courseCode: p.course_code,
      studentId: p.student_id,
      firstSeenAt: p.first_seen_at.toISOString(),
      healedAt: p.healed_at.toISOString(),
      healedAfterMs: p.healed_at.getTime() - p.first_seen_at.getTime(),
    })),
    history: history.rows.map(toSummary).reverse(),
    helpdesk: await helpdeskSummary(pool, new Date(Date.now() - 30 * 24 * 3600 * 1000)),
    dataQuality,
  };
}
