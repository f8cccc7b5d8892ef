// `lms-sync reconcile`: one run in this process, a progress bar on a TTY, a summary (or --json) at the
// end. Exit code 0 clean, 1 findings left for a person (or repairs held), 2 failed.
import cliProgress from 'cli-progress';
import type { Config } from '../config';
import { helpdeskSummary } from '../helpdesk';
import { startService } from '../service';
import { createLogger } from '../observability';
import { exitCodeFor } from '../reconcile';
import { loadReport } from '../reconcile';
import { renderJson } from '../reconcile';
import type { Progress } from '../reconcile';

export interface ReconcileCliOptions {
  dryRun: boolean;
  json: boolean;
  full: boolean;
  since: Date | null;
}

function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_p: Progress) => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {phase} |{bar}| Odoo lines {lines} · LMS enrollments {enrollments} · findings {findings}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const order: Progress['phase'][] = ['odoo', 'lms', 'diff', 'writes', 'done'];
  bar.start(order.length - 1, 0, { phase: 'odoo', lines: 0, enrollments: 0, findings: 0 });
  return {
    update: (p: Progress) =>
      bar.update(order.indexOf(p.phase), {
        phase: p.phase,
        lines: p.orderLines,
        enrollments: p.enrollments,
        findings: p.findings,
      }),
    stop: () => bar.stop(),
  };
}

export async function runReconcileCli(config: Config, opts: ReconcileCliOptions): Promise<number> {
  const log = createLogger(opts.json ? 'error' : config.LOG_LEVEL);
  const service = await startService(config, { log, roles: [], listen: false });
  const bar = progressBar(Boolean(process.stderr.isTTY) && !opts.json);
  try {
    const outcome = await service.reconciler.run({
      mode: opts.full ? 'full' : opts.since ? 'incremental' : 'auto',
      since: opts.since,
      dryRun: opts.dryRun,
      trigger: 'cli',
      onProgress: bar.update,
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
