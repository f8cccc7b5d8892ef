// Gauges read from the database when /metrics is scraped: the state every replica shares (the last
// reconciliation, open tickets, queued helpdesk writes, open dead letters). Each replica reports the
// same values, so alerts and dashboards take max() over instances. One read per scrape, whatever the
// number of gauges; a failed read shows NaN (unknown) or no series, and a warning, and never fails the scrape.
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger';

export const RUN_STATUSES = ['succeeded', 'held', 'failed'] as const;
export type FinishedRunStatus = (typeof RUN_STATUSES)[number];

export interface LastRun {
  status: FinishedRunStatus;
  startedAt: Date;
  finishedAt: Date;
  findingsByKind: Record<string, number>;
  repairsQueued: number;
}

/** What the gauges show, read by the owners of the tables (reconcile, helpdesk, queue). */
export interface ServiceState {
  /** the newest finished run that was not a dry run */
  lastRun: LastRun | null;
  lastSuccessAt: Date | null;
  /** every finished non-dry run so far, by status */
  runsByStatus: Partial<Record<FinishedRunStatus, number>>;
  openTickets: Array<{ priority: string; team: string; count: number }>;
  queuedHelpdeskWrites: { count: number; oldestAt: Date | null };
  openDeadLetters: number;
}

export interface StateMetricsOptions {
  registry: Registry;
  read: () => Promise<ServiceState>;
  log: Logger;
  /** the finding kinds, so each gets a series (0 when the last run had none) */
  findingKinds: readonly string[];
  now?: () => number;
}

export function registerStateMetrics(o: StateMetricsOptions): void {
  const now = o.now ?? Date.now;
  const snapshot = onePerScrape(o.read, o.log);
  const gauge = (
    name: string,
    help: string,
    set: (g: Gauge<string>, s: ServiceState) => void,
    labelNames: string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [o.registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) set(this, s);
        else if (labelNames.length === 0) this.set(NaN); // unknown, never a made-up 0
      },
    });
  const seconds = (d: Date) => d.getTime() / 1000;

  gauge(
    'lms_sync_reconcile_last_run_status',
    'The last finished (non-dry) reconciliation: 1 for its status, 0 for the others',
    (g, s) => {
      if (s.lastRun) for (const st of RUN_STATUSES) g.set({ status: st }, s.lastRun.status === st ? 1 : 0);
    },
    ['status'],
  );
  gauge('lms_sync_reconcile_last_run_start_timestamp_seconds', 'When the last run started', (g, s) => {
    if (s.lastRun) g.set(seconds(s.lastRun.startedAt));
  });
  gauge('lms_sync_reconcile_last_run_end_timestamp_seconds', 'When the last run ended', (g, s) => {
    if (s.lastRun) g.set(seconds(s.lastRun.finishedAt));
  });
  gauge('lms_sync_reconcile_last_run_duration_seconds', 'How long the last run took', (g, s) => {
    if (s.lastRun) g.set((s.lastRun.finishedAt.getTime() - s.lastRun.startedAt.getTime()) / 1000);
  });
  gauge(
    'lms_sync_reconcile_last_run_findings',
    'Findings of the last run, by kind',
    (g, s) => {
      if (s.lastRun) for (const kind of o.findingKinds) g.set({ kind }, s.lastRun.findingsByKind[kind] ?? 0);
    },
    ['kind'],
  );
  gauge('lms_sync_reconcile_last_run_repairs_queued', 'Repairs the last run queued', (g, s) => {
    if (s.lastRun) g.set(s.lastRun.repairsQueued);
  });
  gauge(
    'lms_sync_reconcile_runs',
    'Finished non-dry reconciliation runs so far, by status (held: stopped by the brake)',
    (g, s) => {
      for (const st of RUN_STATUSES) g.set({ status: st }, s.runsByStatus[st] ?? 0);
    },
    ['status'],
  );
  gauge(
    'lms_sync_reconcile_last_success_timestamp_seconds',
    'When the last successful run ended (0: never)',
    (g, s) => g.set(s.lastSuccessAt ? seconds(s.lastSuccessAt) : 0),
  );
  gauge(
    'lms_sync_reconcile_seconds_since_last_success',
    'Seconds since the last successful run ended (+Inf: never)',
    (g, s) => g.set(s.lastSuccessAt ? (now() - s.lastSuccessAt.getTime()) / 1000 : Infinity),
  );
  gauge(
    'lms_sync_helpdesk_open_tickets',
    'Open tickets of this service, by priority and team',
    (g, s) => {
      for (const t of s.openTickets) g.set({ priority: t.priority, team: t.team }, t.count);
    },
    ['priority', 'team'],
  );
  gauge('lms_sync_helpdesk_queued_writes', 'Helpdesk writes waiting to reach Odoo', (g, s) =>
    g.set(s.queuedHelpdeskWrites.count),
  );
  gauge(
    'lms_sync_helpdesk_oldest_queued_write_age_seconds',
    'Age of the oldest helpdesk write waiting to reach Odoo (0: none waiting)',
    (g, s) => {
      const oldest = s.queuedHelpdeskWrites.oldestAt;
      g.set(oldest ? Math.max(0, (now() - oldest.getTime()) / 1000) : 0);
    },
  );
  gauge('lms_sync_dead_letters_open', 'Dead letters not replayed yet', (g, s) => g.set(s.openDeadLetters));
}

/**
 * The gauges of one scrape share one read. prom-client starts every collect of a scrape in one
 * synchronous pass, before any read can settle: the first starts the read, the others join it, and
 * the next scrape starts a new one.
 */
function onePerScrape(read: () => Promise<ServiceState>, log: Logger): () => Promise<ServiceState | null> {
  let pending: Promise<ServiceState | null> | null = null;
  return () => {
    pending ??= read()
      .catch((err: unknown) => {
        log.warn('could not read the service state for /metrics', { error: (err as Error).message });
        return null;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}
