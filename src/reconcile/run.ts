// One reconciliation run: read both sides in pages, diff, then record it (record-run.ts: brake, repairs,
// report, helpdesk).
// Exactly one run at a time across replicas: a session-level PostgreSQL advisory lock held by a
// dedicated connection for the whole run (a crashed process releases it; its 'running' row is then
// marked failed by the next runner).
import { hostname } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import { BusyError, errorMessage } from '../lib';
import type { LmsAdapter } from '../lms';
import type { Logger } from '../observability';
import { diff } from './diff';
import type { Enrollment, CourseOrderLine, UnassignedSeats } from './diff-types';
import type { RunMode, RunTrigger } from './report/types';
import type { ReconcileHooks } from './hooks';
import type { DataQualitySource } from './data-quality';
import { saveDataQuality } from './data-quality-store';
import { recordRun } from './record-run';
import type { RunStore } from './run-store';
import { isolate } from '../lib';
import {
  DEFAULT_MAX_RUN_MS,
  enrollmentPages,
  runDeadline,
  withReadRetry,
  type OrderLineSource,
} from './sources';

export const RECONCILE_LOCK_KEY = 7_431_902_116;
const FULL_RUN_EVERY_MS = 7 * 24 * 3600 * 1000;
const INCREMENTAL_OVERLAP_MS = 3600 * 1000;

export interface ReconcilePolicy {
  maxRepairRatio: number;
  minRepairsToBrake: number;
  unpaidPolicy: 'report' | 'suspend';
  pageSize: number;
  /** RECONCILE_MAX_DURATION_MINUTES, in ms (default 120 minutes) */
  maxDurationMs?: number;
}

export interface RunRequest {
  /** 'auto' (the schedule): incremental since the last good run, full when none in 7 days */
  mode: RunMode | 'auto';
  since?: Date | null;
  dryRun: boolean;
  trigger: RunTrigger;
  /** Lift the safety brake for this run only (`lms-sync reconcile --backfill`); recorded in its report. */
  backfill?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  phase: 'odoo' | 'lms' | 'diff' | 'writes' | 'done';
  /** Odoo orders read so far, and how many the read covers (null: the source cannot tell) */
  orders: number;
  ordersTotal: number | null;
  orderLines: number;
  enrollments: number;
  findings: number;
}

export interface RunOutcome {
  runId: string;
  status: 'succeeded' | 'held' | 'failed';
  findings: number;
  /** findings not on their way to repair (reported, held, dry run) */
  findingsLeft: number;
  repairsQueued: number;
  heldReason: string | null;
  /** set on a backfill run: the brake was lifted, and what it would have held */
  brakeLifted: string | null;
  error: string | null;
}

export class ReconcileBusy extends BusyError {
  constructor() {
    super('reconcile_busy', 'a reconciliation is already running');
  }
}

export interface ReconcilerDeps {
  pool: Pool;
  runs: RunStore;
  orderLines: OrderLineSource;
  lms: LmsAdapter;
  log: Logger;
  policy: ReconcilePolicy;
  /** What needs a person becomes a helpdesk ticket; what healed closes its ticket. */
  helpdesk?: ReconcileHooks;
  /** Data-quality checks on Odoo, run with every run (read-only); their results go in its report. */
  dataQuality?: DataQualitySource;
  /** the clock of the run's time limit (tests) */
  now?: () => number;
}

export function createReconciler(deps: ReconcilerDeps) {
  const { pool, runs, log, policy } = deps;
  const recordDeps = { pool, runs, log, policy, helpdesk: deps.helpdesk };

  async function resolveMode(req: RunRequest): Promise<{ mode: RunMode; since: Date | null }> {
    if (req.mode === 'full') return { mode: 'full', since: null };
    if (req.mode === 'incremental' && req.since) return { mode: 'incremental', since: req.since };
    const lastFull = await runs.lastSucceeded('full');
    if (!lastFull || Date.now() - lastFull.startedAt.getTime() > FULL_RUN_EVERY_MS)
      return { mode: 'full', since: null };
    const last = await runs.lastSucceeded();
    // Odoo stamps write_date at the start of its own transaction, on its own clock: overlap by an hour
    // so a payment committed while the last run was reading is not skipped (repairs are idempotent).
    const from = (last?.startedAt ?? lastFull.startedAt).getTime() - INCREMENTAL_OVERLAP_MS;
    return { mode: 'incremental', since: new Date(from) };
  }

  /** Takes the lock and records the run; the work continues in `done`. Throws ReconcileBusy. */
  async function begin(req: RunRequest): Promise<{ runId: string; done: Promise<RunOutcome> }> {
    const lock = await pool.connect();
    let runId: string;
    try {
      const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        RECONCILE_LOCK_KEY,
      ]);
      if (!rows[0]?.ok) throw new ReconcileBusy();
      const orphans = await runs.failOrphanedRuns(lock);
      if (orphans)
        log.warn('marked reconciliation runs left running by a stopped process as failed', { orphans });
      const { mode, since } = await resolveMode(req);
      runId = await runs.start({
        mode,
        dryRun: req.dryRun,
        trigger: req.trigger,
        since,
        owner: `${hostname()}:${process.pid}`,
      });
      const done = execute(runId, mode, since, req).finally(() => unlock(lock));
      return { runId, done };
    } catch (err) {
      await unlock(lock);
      throw err;
    }
  }

  async function unlock(lock: PoolClient): Promise<void> {
    await lock.query('SELECT pg_advisory_unlock($1)', [RECONCILE_LOCK_KEY]).catch(() => undefined);
    lock.release();
  }

  async function execute(
    runId: string,
    mode: RunMode,
    since: Date | null,
    req: RunRequest,
  ): Promise<RunOutcome> {
    const heartbeat = setInterval(() => void runs.heartbeat(runId).catch(() => undefined), 10_000);
    const timings: Record<string, number> = {};
    const time = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        timings[phase] = Math.round((timings[phase] ?? 0) + performance.now() - t0);
      }
    };
    const progress: Progress = {
      phase: 'odoo',
      orders: 0,
      ordersTotal: null,
      orderLines: 0,
      enrollments: 0,
      findings: 0,
    };
    const report = (phase: Progress['phase']) => req.onProgress?.({ ...progress, phase });
    let counts = { orderLines: 0, paidLines: 0, enrollments: 0 };
    const inTime = runDeadline(policy.maxDurationMs ?? DEFAULT_MAX_RUN_MS, deps.now);
    // an error escaping the run's own promises (a throw in a callback) fails this run, not the process
    const work = () =>
      isolate(`reconciliation run ${runId}`, async () => {
        log.info('reconciliation started', {
          runId,
          mode,
          since: since?.toISOString() ?? null,
          dryRun: req.dryRun,
        });
        const known = await time(
          'lms',
          async () => new Set((await withReadRetry(() => deps.lms.listCourses())).map((c) => c.courseCode)),
        );
        // Every run looks again at the orders behind what is still open, so a fix made in Odoo heals at
        // the next run, incremental or not.
        const recheck = since ? await openOrderIds() : [];
        const { lines, unassignedSeats } = await time('odoo', () =>
          readLines(since, recheck, known, progress, report, inTime, Boolean(req.onProgress)),
        );
        const enrollments = await time('lms', () => readEnrollments(progress, report, inTime));
        inTime();
        if (deps.dataQuality) {
          const quality = await time('quality', () => (deps.dataQuality as DataQualitySource).run());
          await saveDataQuality(pool, runId, quality);
          inTime();
        }
        report('diff');
        const findings = await time('diff', async () =>
          diff(lines, enrollments, { unpaidPolicy: policy.unpaidPolicy, unassignedSeats }),
        );
        progress.findings = findings.length;
        counts = {
          orderLines: lines.length,
          paidLines: lines.filter((l) => l.paymentStatus === 'paid').length,
          enrollments: enrollments.length,
        };
        report('writes');
        const outcome = await time('writes', () =>
          recordRun(recordDeps, {
            runId,
            mode,
            dryRun: req.dryRun,
            findings,
            counts,
            examinedOrderIds: since ? [...new Set([...recheck, ...lines.map((l) => l.orderId)])] : null,
            backfill: req.backfill ?? false,
          }),
        );
        await runs.finish(runId, { ...outcome.end, timingsMs: timings });
        report('done');
        log.info('reconciliation finished', {
          runId,
          status: outcome.end.status,
          findings: findings.length,
          repairs: outcome.end.repairsQueued,
        });
        if (outcome.end.heldReason)
          log.error('reconciliation held its repairs', { runId, reason: outcome.end.heldReason });
        return outcome.result;
      });
    try {
      return await work();
    } catch (err) {
      const error = errorMessage(err);
      log.error('reconciliation failed', { runId, error });
      await runs
        .finish(runId, {
          status: 'failed',
          ...counts,
          findingsByKind: {},
          repairsQueued: 0,
          healed: 0,
          heldReason: null,
          brakeLifted: null,
          error,
          timingsMs: timings,
        })
        .catch(() => undefined);
      return {
        runId,
        status: 'failed',
        findings: 0,
        findingsLeft: 0,
        repairsQueued: 0,
        heldReason: null,
        brakeLifted: null,
        error,
      };
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function openOrderIds(): Promise<number[]> {
    const [problems, tickets] = await Promise.all([
      runs.openProblemOrderIds(),
      deps.helpdesk?.openOrderIds() ?? Promise.resolve([]),
    ]);
    return [...new Set([...problems, ...tickets])].sort((a, b) => a - b);
  }

  async function readLines(
    since: Date | null,
    alsoOrderIds: number[],
    known: Set<string>,
    progress: Progress,
    report: (p: Progress['phase']) => void,
    inTime: () => void,
    /** someone watches the progress: count the orders first */
    counted: boolean,
  ) {
    const lines: CourseOrderLine[] = [];
    const unassignedSeats: UnassignedSeats[] = [];
    const onOrders = (read: number, total: number | null) => {
      progress.orders = read;
      progress.ordersTotal = total;
      if (read === 0) report('odoo');
    };
    const pages = deps.orderLines.pages({
      since,
      pageSize: policy.pageSize,
      alsoOrderIds,
      ...(counted ? { onOrders } : {}),
    });
    for await (const page of pages) {
      inTime();
      for (const l of page.lines)
        lines.push({ ...l, knownCourse: l.courseCode !== null && known.has(l.courseCode) });
      unassignedSeats.push(...page.unassignedSeats);
      progress.orderLines = lines.length;
      report('odoo');
    }
    return { lines, unassignedSeats };
  }

  async function readEnrollments(
    progress: Progress,
    report: (p: Progress['phase']) => void,
    inTime: () => void,
  ) {
    const all: Enrollment[] = [];
    for await (const page of enrollmentPages(deps.lms, policy.pageSize)) {
      inTime();
      for (const e of page) all.push(e);
      progress.enrollments = all.length;
      report('lms');
    }
    return all;
  }

  return {
    begin,
    async run(req: RunRequest): Promise<RunOutcome> {
      return (await begin(req)).done;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
