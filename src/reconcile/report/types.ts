// What a reconciliation report shows: one run, its findings, what healed since the last run, and the
// recent history. The run loop stores these in PostgreSQL; the renderers (json, csv, html) only format.
import type { DataQualityResult } from '../data-quality';
import type { Finding, FindingKind } from '../diff-types';

export type RunStatus = 'running' | 'succeeded' | 'held' | 'failed';
export type RunMode = 'full' | 'incremental';
export type RunTrigger = 'schedule' | 'cli' | 'api' | 'demo';

export interface RunSummary {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  mode: RunMode;
  dryRun: boolean;
  trigger: RunTrigger;
  /** course lines read from Odoo (paid, unpaid and refunded) and of those, paid */
  orderLines: number;
  paidLines: number;
  enrollments: number;
  findingsByKind: Record<FindingKind, number>;
  /** repairs put in the outbox (0 for a dry run or a held run) */
  repairsQueued: number;
  /** findings of earlier runs no longer found now */
  healed: number;
  /** why repairs were held (the safety brake), else null */
  heldReason: string | null;
  /** a backfill run (`lms-sync reconcile --backfill`): the safety brake was lifted, and what it would have held */
  brakeLifted: string | null;
  error: string | null;
  /** milliseconds spent per phase, e.g. { odoo: 1200, lms: 800, diff: 40, writes: 90 } */
  timingsMs: Record<string, number>;
  timeToHealP50Ms: number | null;
  timeToHealP95Ms: number | null;
}

export type FindingAction = 'repair_queued' | 'suspend_queued' | 'reported' | 'held' | 'dry_run';

/** A stored finding as the report shows it: the diff's Finding, its email masked, with what was done. */
export interface FindingRow extends Omit<Finding, 'email' | 'repair'> {
  /** already masked (j***@example.com) */
  email: string | null;
  action: FindingAction;
  /** the outbox message's event id when a repair was queued */
  repairEventId: string | null;
  /** when this problem was first found (an earlier run, for a recurring finding) */
  firstSeenAt: string;
  /** how many runs in a row have found it */
  seenRuns: number;
}

export interface HealedRow {
  fingerprint: string;
  kind: FindingKind;
  orderName: string | null;
  courseCode: string | null;
  studentId: string | null;
  firstSeenAt: string;
  healedAt: string;
  healedAfterMs: number;
}

export interface ReportData {
  run: RunSummary;
  findings: FindingRow[];
  healed: HealedRow[];
  /** up to the last 30 runs, oldest first, this run included */
  history: RunSummary[];
  /** what the helpdesk write-back did over the last 30 days (absent in older callers and samples) */
  helpdesk?: HelpdeskSummary | null;
  /** the run's data-quality checks on Odoo (null: the run ran none) */
  dataQuality?: DataQualityResult[] | null;
}

/** The helpdesk's section of a report: what the write-back did (helpdesk/summary.ts produces it). */
export interface HelpdeskSummary {
  since: string | null;
  /** the end of the window (the request's `until`, else when the summary was made) */
  until?: string;
  opened: number;
  open: number;
  recurring: number;
  escalated: number;
  autoClosed: number;
  closedByPerson: number;
  byPriority: Record<'low' | 'normal' | 'high' | 'urgent', number>;
  byTag: Record<string, number>;
  byKind: Record<string, number>;
  urgentShare: number;
  medianTimeToAutoCloseMs: number | null;
  /** Odoo writes waiting (Odoo unreachable or refusing): they are retried, never dropped */
  pendingWrites: number;
  /** the sync-health figures of the README's metric dictionary (absent in older samples) */
  health?: SyncHealth;
}

/** p50/p95 of a duration over `n` tickets (null when n is 0). */
export interface DurationStats {
  n: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** A duration for every ticket of ours, and separately for those a person closed and those we closed. */
export interface DurationsByCloser {
  all: DurationStats;
  closedByPerson: DurationStats;
  autoClosed: DurationStats;
}

export interface TicketCount {
  /** a UTC day (YYYY-MM-DD) or the Monday starting an ISO week */
  start: string;
  opened: number;
  urgent: number;
  urgentShare: number;
}

/** What the support team steers by (helpdesk/analytics.ts computes it; README: metric dictionary). */
export interface SyncHealth {
  since: string;
  until: string;
  perDay: TicketCount[];
  perWeek: TicketCount[];
  urgentTrend: {
    last7Days: number | null;
    previous7Days: number | null;
    /** last7Days − previous7Days (null when either week opened no ticket) */
    change: number | null;
    direction: 'falling' | 'rising' | 'flat' | null;
  };
  timeToFirstResponse: DurationsByCloser;
  timeToClose: DurationsByCloser;
  backlog: {
    open: number;
    byAge: Array<{ bucket: string; tickets: number }>;
    ageP50Ms: number | null;
    ageP95Ms: number | null;
  };
  recurringProblems: Array<{
    fingerprint: string;
    kind: string;
    orderName: string | null;
    courseCode: string | null;
    tickets: number;
    occurrences: number;
  }>;
  ticketsAvoided: { total: number; byKind: Record<string, number> };
}
