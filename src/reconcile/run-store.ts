// reconcile_runs / reconcile_findings / reconcile_problems: a run's record, its findings, and each
// problem's life across runs (first seen, seen again, healed and after how long).
import type { Pool, PoolClient } from 'pg';
import type { FinishedRunStatus, ServiceState } from '../observability';
import { maskEmail } from '../observability';
import type { Finding, FindingKind } from './diff-types';
import type { FindingAction, RunMode, RunStatus, RunSummary, RunTrigger } from './report/types';

export interface RunStart {
  mode: RunMode;
  dryRun: boolean;
  trigger: RunTrigger;
  since: Date | null;
  owner: string;
}

/** How a run ended: its RunSummary counts (findingsByKind may leave out kinds it did not find). */
export interface RunEnd extends Pick<
  RunSummary,
  | 'orderLines'
  | 'paidLines'
  | 'enrollments'
  | 'repairsQueued'
  | 'healed'
  | 'heldReason'
  | 'brakeLifted'
  | 'error'
  | 'timingsMs'
> {
  status: Exclude<RunStatus, 'running'>;
  findingsByKind: Partial<Record<FindingKind, number>>;
}

export interface StoredFinding {
  finding: Finding;
  action: FindingAction;
  repairEventId: string | null;
}

const CHUNK = 5000;

export function createRunStore(pool: Pool) {
  return {
    /** Called while holding the reconcile lock: any run still 'running' belongs to a process that died. */
    async failOrphanedRuns(client: PoolClient | Pool = pool): Promise<number> {
      const r = await client.query(
        `UPDATE reconcile_runs SET status = 'failed', finished_at = now(),
                error = 'the process running it stopped before it finished (crash or kill)'
          WHERE status = 'running'`,
      );
      return r.rowCount ?? 0;
    },

    async start(s: RunStart): Promise<string> {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO reconcile_runs (status, mode, dry_run, trigger, since, owner)
         VALUES ('running', $1, $2, $3, $4, $5) RETURNING id::text`,
        [s.mode, s.dryRun, s.trigger, s.since, s.owner],
      );
      return (rows[0] as { id: string }).id;
    },

    async heartbeat(runId: string): Promise<void> {
      await pool.query('UPDATE reconcile_runs SET heartbeat_at = now() WHERE id = $1', [runId]);
    },

    async finish(runId: string, e: RunEnd): Promise<void> {
      await pool.query(
        `UPDATE reconcile_runs SET status = $2, finished_at = now(), order_lines = $3, paid_lines = $4, enrollments = $5,
                findings_by_kind = $6, repairs_queued = $7, healed = $8, held_reason = $9, error = $10, timings_ms = $11,
                brake_lifted = $12
          WHERE id = $1`,
        [
          runId,
          e.status,
          e.orderLines,
          e.paidLines,
          e.enrollments,
          e.findingsByKind,
          e.repairsQueued,
          e.healed,
          e.heldReason,
          e.error,
          e.timingsMs,
          e.brakeLifted,
        ],
      );
    },

    async saveFindings(runId: string, items: StoredFinding[]): Promise<void> {
      for (let i = 0; i < items.length; i += CHUNK) {
        const chunk = items.slice(i, i + CHUNK);
        const col = <T>(f: (s: StoredFinding) => T) => chunk.map(f);
        await pool.query(
          `INSERT INTO reconcile_findings
             (run_id, fingerprint, kind, order_id, order_name, course_code, student_id, email_masked, enrollment_ids, detail, action, repair_event_id)
           SELECT $1, f.fp, f.kind, f.order_id, f.order_name, f.course_code, f.student_id, f.email, string_to_array(f.enr, ','), f.detail, f.action, f.repair
             FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[])
               AS f(fp, kind, order_id, order_name, course_code, student_id, email, enr, detail, action, repair)
           ON CONFLICT (run_id, fingerprint) DO NOTHING`,
          [
            runId,
            col((s) => s.finding.fingerprint),
            col((s) => s.finding.kind),
            col((s) => s.finding.orderId),
            col((s) => s.finding.orderName),
            col((s) => s.finding.courseCode),
            col((s) => s.finding.studentId),
            col((s) => (s.finding.email ? maskEmail(s.finding.email) : null)),
            col((s) => s.finding.enrollmentIds.join(',')),
            col((s) => s.finding.detail),
            col((s) => s.action),
            col((s) => s.repairEventId),
          ],
        );
      }
    },

    /** Records this run's sightings; a problem seen again after healing is open again. */
    async trackProblems(runId: string, findings: Finding[]): Promise<void> {
      for (let i = 0; i < findings.length; i += CHUNK) {
        const chunk = findings.slice(i, i + CHUNK);
        await pool.query(
          `INSERT INTO reconcile_problems (fingerprint, kind, order_id, order_name, course_code, student_id,
                                           first_seen_at, first_seen_run, last_seen_at, last_seen_run)
           SELECT f.fp, f.kind, f.order_id, f.order_name, f.course_code, f.student_id, now(), $1, now(), $1
             FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
               AS f(fp, kind, order_id, order_name, course_code, student_id)
           ON CONFLICT (fingerprint) DO UPDATE
              SET last_seen_at = now(), last_seen_run = $1, seen_runs = reconcile_problems.seen_runs + 1,
                  healed_at = NULL, healed_run = NULL`,
          [
            runId,
            chunk.map((f) => f.fingerprint),
            chunk.map((f) => f.kind),
            chunk.map((f) => f.orderId),
            chunk.map((f) => f.orderName),
            chunk.map((f) => f.courseCode),
            chunk.map((f) => f.studentId),
          ],
        );
      }
    },

    /** After a full run: every open problem this run did not see has healed. Returns how many. */
    /**
     * Problems this run did not see again have healed; `examinedOrderIds` limits that to the problems of
     * orders the run looked at (an incremental run), null means every problem (a full run).
     */
    async healUnseen(runId: string, examinedOrderIds: readonly number[] | null = null): Promise<number> {
      const r = await pool.query(
        `UPDATE reconcile_problems SET healed_at = now(), healed_run = $1
          WHERE healed_at IS NULL AND last_seen_run < $1
            AND ($2::int[] IS NULL OR order_id = ANY($2::int[]))`,
        [runId, examinedOrderIds ? [...examinedOrderIds] : null],
      );
      return r.rowCount ?? 0;
    },

    /** Orders behind the problems still open: every run looks at them again, changed or not. */
    async openProblemOrderIds(): Promise<number[]> {
      const { rows } = await pool.query<{ order_id: number }>(
        'SELECT DISTINCT order_id FROM reconcile_problems WHERE healed_at IS NULL AND order_id IS NOT NULL',
      );
      return rows.map((r) => r.order_id);
    },

    async lastSucceeded(mode?: RunMode): Promise<{ id: string; startedAt: Date; mode: RunMode } | null> {
      const { rows } = await pool.query<{ id: string; started_at: Date; mode: RunMode }>(
        `SELECT id::text, started_at, mode FROM reconcile_runs
          WHERE status = 'succeeded' AND NOT dry_run AND ($1::text IS NULL OR mode = $1)
          ORDER BY id DESC LIMIT 1`,
        [mode ?? null],
      );
      const r = rows[0];
      return r ? { id: r.id, startedAt: r.started_at, mode: r.mode } : null;
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;

/** The reconciliation's part of /metrics: the last finished non-dry run, the last success, runs by status. */
export async function reconcileHealth(
  pool: Pool,
): Promise<Pick<ServiceState, 'lastRun' | 'lastSuccessAt' | 'runsByStatus'>> {
  const [last, success, counts] = await Promise.all([
    pool.query<{
      status: FinishedRunStatus;
      started_at: Date;
      finished_at: Date;
      findings_by_kind: Record<string, number>;
      repairs_queued: number;
    }>(
      `SELECT status, started_at, finished_at, findings_by_kind, repairs_queued FROM reconcile_runs
        WHERE NOT dry_run AND status <> 'running' ORDER BY id DESC LIMIT 1`,
    ),
    pool.query<{ at: Date | null }>(
      `SELECT max(finished_at) AS at FROM reconcile_runs WHERE status = 'succeeded' AND NOT dry_run`,
    ),
    pool.query<{ status: FinishedRunStatus; n: number }>(
      `SELECT status, count(*)::int AS n FROM reconcile_runs WHERE NOT dry_run AND status <> 'running' GROUP BY status`,
    ),
  ]);
  const r = last.rows[0];
  return {
    lastRun: r
      ? {
          status: r.status,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          findingsByKind: r.findings_by_kind,
          repairsQueued: r.repairs_queued,
        }
      : null,
    lastSuccessAt: success.rows[0]?.at ?? null,
    runsByStatus: Object.fromEntries(counts.rows.map((c) => [c.status, c.n])),
  };
}

/** When each of these problems was first seen (problems never seen before are absent). */
export async function problemsFirstSeen(pool: Pool, fingerprints: string[]): Promise<Map<string, Date>> {
  const { rows } = await pool.query<{ fingerprint: string; first_seen_at: Date }>(
    'SELECT fingerprint, first_seen_at FROM reconcile_problems WHERE fingerprint = ANY($1)',
    [fingerprints],
  );
  return new Map(rows.map((r) => [r.fingerprint, r.first_seen_at]));
}

export async function runStartedAt(pool: Pool, runId: string): Promise<Date | null> {
  const { rows } = await pool.query<{ started_at: Date }>(
    'SELECT started_at FROM reconcile_runs WHERE id = $1',
    [runId],
  );
  return rows[0]?.started_at ?? null;
}
