// The end of a run: apply the brake, queue the repairs, store the findings and each problem's life,
// hand what needs a person to the helpdesk, and sum it up for the run's record.
import type { Pool } from 'pg';
import { errorMessage } from '../lib';
import type { Logger } from '../observability';
import { brakeReason, liftedBrakeNote } from './brake';
import { countByKind } from './diff';
import type { Finding } from './diff-types';
import type { ReconcileHooks } from './hooks';
import type { FindingAction, RunMode } from './report/types';
import { queueRepairs } from './repairs';
import type { RunStore, StoredFinding } from './run-store';

export interface RecordDeps {
  pool: Pool;
  runs: RunStore;
  log: Logger;
  policy: { maxRepairRatio: number; minRepairsToBrake: number };
  helpdesk?: Pick<ReconcileHooks, 'reconciled'>;
}

export interface RunToRecord {
  runId: string;
  mode: RunMode;
  dryRun: boolean;
  findings: Finding[];
  counts: { orderLines: number; paidLines: number; enrollments: number };
  /** The orders an incremental run read (changed ones and those behind open problems); null: all. */
  examinedOrderIds: readonly number[] | null;
  /** The safety brake is lifted for this run (a first run against an LMS that lacks the enrollments). */
  backfill?: boolean;
}

export async function recordRun(deps: RecordDeps, run: RunToRecord) {
  const { pool, runs, log, policy } = deps;
  const { runId, mode, dryRun, findings, counts } = run;
  const repairs = findings.filter((f) => f.repair.action !== 'none');
  const wouldHold = brakeReason({
    ...counts,
    repairs: repairs.length,
    maxRepairRatio: policy.maxRepairRatio,
    minRepairsToBrake: policy.minRepairsToBrake,
  });
  const heldReason = run.backfill ? null : wouldHold;
  const brakeLifted = run.backfill ? liftedBrakeNote(wouldHold) : null;
  if (brakeLifted) log.warn('reconciliation safety brake lifted for this run', { runId, brake: brakeLifted });
  const eventIds = dryRun || heldReason ? new Map<string, string>() : await queueRepairs(pool, repairs);
  const stored: StoredFinding[] = findings.map((f) => ({
    finding: f,
    action: actionFor(f, dryRun, heldReason !== null),
    repairEventId: eventIds.get(f.fingerprint) ?? null,
  }));
  await runs.saveFindings(runId, stored);
  let healed = 0;
  if (!dryRun) {
    await runs.trackProblems(runId, findings);
    healed = await runs.healUnseen(runId, run.examinedOrderIds);
    await deps.helpdesk
      ?.reconciled({ runId, mode, held: heldReason, findings, examinedOrderIds: run.examinedOrderIds })
      .catch((err: unknown) =>
        log.error('could not update helpdesk tickets from the run', { runId, error: errorMessage(err) }),
      );
  }
  // seats waiting for the customer to name learners are pending, not left for a person
  const findingsLeft = stored.filter(
    (s) => s.repairEventId === null && s.finding.kind !== 'unassigned_seats',
  ).length;
  const status = heldReason ? ('held' as const) : ('succeeded' as const);
  return {
    end: {
      status,
      ...counts,
      findingsByKind: countByKind(findings),
      repairsQueued: eventIds.size,
      healed,
      heldReason,
      brakeLifted,
      error: null,
    },
    result: {
      runId,
      status,
      findings: findings.length,
      findingsLeft,
      repairsQueued: eventIds.size,
      heldReason,
      brakeLifted,
      error: null,
    },
  };
}

function actionFor(f: Finding, dryRun: boolean, held: boolean): FindingAction {
  if (f.repair.action === 'none') return 'reported';
  if (dryRun) return 'dry_run';
  if (held) return 'held';
  return f.repair.action === 'suspend' ? 'suspend_queued' : 'repair_queued';
}
