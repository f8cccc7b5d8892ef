// The nightly schedule (node-cron). Every replica schedules; the advisory lock inside the reconciler
// lets exactly one of them run, the others log and skip.
import cron, { type ScheduledTask } from 'node-cron';
import { errorMessage } from '../lib';
import type { Logger } from '../observability';
import { ReconcileBusy, type Reconciler } from './run';

export function createScheduler(deps: {
  reconciler: Reconciler;
  cronExpression: string;
  timezone: string;
  log: Logger;
}) {
  const { reconciler, log } = deps;
  let task: ScheduledTask | null = null;
  let current: Promise<unknown> | null = null;

  /** One scheduled attempt; exported for tests and for the CLI's "run now". */
  async function tick(): Promise<'ran' | 'skipped'> {
    try {
      const { runId, done } = await reconciler.begin({ mode: 'auto', dryRun: false, trigger: 'schedule' });
      log.info('scheduled reconciliation started', { runId });
      current = done;
      await done;
      return 'ran';
    } catch (err) {
      if (err instanceof ReconcileBusy) {
        log.info('scheduled reconciliation skipped: another replica is running one');
        return 'skipped';
      }
      log.error('scheduled reconciliation could not start', { error: errorMessage(err) });
      return 'skipped';
    } finally {
      current = null;
    }
  }

  return {
    tick,
    start(): void {
      task = cron.schedule(deps.cronExpression, () => void tick(), { timezone: deps.timezone });
      log.info('reconciliation scheduled', { cron: deps.cronExpression, timezone: deps.timezone });
    },
    async stop(): Promise<void> {
      await task?.stop();
      task = null;
      await current?.catch(() => undefined);
    },
  };
}
