// `lms-sync reconcile`: one run in this process, a progress line on a TTY (progress.ts), a summary (or
// --json) at the end, printed once the progress line is cleared. Exit code 0 clean, 1 findings left for
// a person (or repairs held), 2 failed.
import type { Config } from '../config';
import { helpdeskSummary } from '../helpdesk';
import { startService, startupFields } from '../service';
import { createLogger, type Logger } from '../observability';
import { exitCodeFor } from '../reconcile';
import { loadReport } from '../reconcile';
import { renderJson } from '../reconcile';
import { createProgressDisplay } from './progress';

export interface ReconcileCliOptions {
  dryRun: boolean;
  json: boolean;
  full: boolean;
  since: Date | null;
  /** lift the safety brake for this run only (a first run against an LMS that lacks the enrollments) */
  backfill?: boolean;
}

/** What to do about a held run, in one line. */
export const HELD_NEXT_STEP =
  '  next: first run against an LMS without these enrollments? run `lms-sync reconcile --backfill` once; otherwise check the LMS and Odoo listings (see the report)';

export async function runReconcileCli(
  config: Config,
  opts: ReconcileCliOptions,
  /** tests pass their own logger */
  io: { log?: Logger } = {},
): Promise<number> {
  // On a TTY (and without --json) the progress line owns stderr: the logger writes through it.
  const display = process.stderr.isTTY && !opts.json ? createProgressDisplay(process.stderr) : null;
  const bar = { stop: () => display?.stop() };
  const log =
    io.log ?? createLogger(opts.json ? 'error' : config.LOG_LEVEL, display ? { output: display.log } : {});
  log.info('reconcile run starting', startupFields(config));
  const service = await startService(config, { log, roles: [], listen: false }).catch((err: unknown) => {
    bar.stop();
    throw err;
  });
  try {
    const outcome = await service.reconciler.run({
      mode: opts.full ? 'full' : opts.since ? 'incremental' : 'auto',
      since: opts.since,
      dryRun: opts.dryRun,
      backfill: opts.backfill ?? false,
      trigger: 'cli',
      onProgress: display ? (p) => display.update(p) : undefined,
    });
    bar.stop();
    const report = await loadReport(service.pool, outcome.runId, helpdeskSummary);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report ? renderJson(report) : outcome, null, 2)}\n`);
    } else {
      const r = report?.run;
      const kinds = r
        ? Object.entries(r.findingsByKind)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')
        : '';
      process.stdout.write(
        [
          `reconciliation ${outcome.runId}: ${outcome.status}${r ? ` (${r.mode}${r.dryRun ? ', dry run' : ''})` : ''}`,
          r
            ? `  read ${r.orderLines} Odoo course lines (${r.paidLines} paid) and ${r.enrollments} LMS enrollments`
            : '',
          `  findings: ${outcome.findings}${kinds ? ` (${kinds})` : ''}; repairs queued: ${outcome.repairsQueued}; healed: ${r?.healed ?? 0}`,
          outcome.heldReason ? `  HELD: ${outcome.heldReason}` : '',
          outcome.heldReason ? HELD_NEXT_STEP : '',
          outcome.brakeLifted ? `  backfill: safety brake ${outcome.brakeLifted}` : '',
          outcome.error ? `  error: ${outcome.error}` : '',
          `  report: GET /admin/reconciliations/${outcome.runId}.html`,
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      );
    }
    return exitCodeFor(outcome);
  } finally {
    bar.stop();
    await service.stop();
  }
}
