// Sync-health analytics (pure): from the tickets of ours and the problems that healed, the figures the
// support team steers by. Each figure is defined once, in the README's metric dictionary; the SQL that
// gathers the facts is in summary.ts.
import { percentile } from '../lib';
import type { DurationStats, DurationsByCloser, SyncHealth, TicketCount } from '../reconcile';
import type { Priority } from './rules';

const DAY_MS = 24 * 3600 * 1000;
const TOP_RECURRING = 10;
/** The per-day and per-week series cover at most the last year of a longer window. */
export const SERIES_MAX_DAYS = 366;

export interface TicketFact {
  fingerprint: string;
  kind: string;
  orderName: string | null;
  courseCode: string | null;
  priority: Priority;
  openedAt: Date;
  /** when the ticket was written in Odoo (its `open` command done), null while it waits */
  firstResponseAt: Date | null;
  closedAt: Date | null;
  closedBy: 'service' | 'person' | null;
  recurrences: number;
}

export interface SyncHealthInput {
  /** tickets opened before `until`: those opened since `since` (or 14 days before `until`), and older open ones */
  tickets: readonly TicketFact[];
  /** the kind of each problem healed in the window that never had a ticket */
  avoided: readonly { kind: string }[];
  since: Date;
  until: Date;
}

/** The ages a backlog is sorted into, as [label, lower bound in days]. */
export const BACKLOG_BUCKETS: ReadonlyArray<readonly [string, number]> = [
  ['under 1 day', 0],
  ['1-3 days', 1],
  ['3-7 days', 3],
  ['7-30 days', 7],
  ['30 days or more', 30],
];

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : 0);
const roundMs = (v: number | null) => (v === null ? null : Math.round(v));

function stats(durations: number[]): DurationStats {
  return {
    n: durations.length,
    p50Ms: roundMs(percentile(durations, 0.5)),
    p95Ms: roundMs(percentile(durations, 0.95)),
  };
}

function byCloser(tickets: readonly TicketFact[], end: (t: TicketFact) => Date | null, until: Date) {
  const of = (list: readonly TicketFact[]) =>
    stats(
      list.flatMap((t) => {
        const at = end(t);
        return at && at <= until ? [at.getTime() - t.openedAt.getTime()] : [];
      }),
    );
  return {
    all: of(tickets),
    closedByPerson: of(tickets.filter((t) => t.closedBy === 'person' && t.closedAt && t.closedAt <= until)),
    autoClosed: of(tickets.filter((t) => t.closedBy === 'service' && t.closedAt && t.closedAt <= until)),
  } satisfies DurationsByCloser;
}

const utcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const isoWeekStart = (d: Date) => new Date(utcDay(d).getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);

/** One row per period from the one holding `since` to the one holding `until`, empty periods included. */
function series(
  tickets: readonly TicketFact[],
  since: Date,
  until: Date,
  start: (d: Date) => Date,
  step: number,
) {
  const rows = new Map<number, { opened: number; urgent: number }>();
  for (let at = start(since).getTime(); at < until.getTime(); at += step)
    rows.set(at, { opened: 0, urgent: 0 });
  for (const t of tickets) {
    const row = rows.get(start(t.openedAt).getTime());
    if (!row) continue;
    row.opened += 1;
    if (t.priority === 'urgent') row.urgent += 1;
  }
  return [...rows].map(([at, r]): TicketCount => ({
    start: new Date(at).toISOString().slice(0, 10),
    ...r,
    urgentShare: share(r.urgent, r.opened),
  }));
}

function urgentTrend(tickets: readonly TicketFact[], until: Date): SyncHealth['urgentTrend'] {
  const weekShare = (weeksBack: number) => {
    const to = until.getTime() - weeksBack * 7 * DAY_MS;
    const week = tickets.filter((t) => t.openedAt.getTime() < to && t.openedAt.getTime() >= to - 7 * DAY_MS);
    return week.length ? share(week.filter((t) => t.priority === 'urgent').length, week.length) : null;
  };
  const last7Days = weekShare(0);
  const previous7Days = weekShare(1);
  const change =
    last7Days === null || previous7Days === null
      ? null
      : Math.round((last7Days - previous7Days) * 1000) / 1000;
  const direction = change === null ? null : change < 0 ? 'falling' : change > 0 ? 'rising' : 'flat';
  return { last7Days, previous7Days, change, direction };
}

function backlog(tickets: readonly TicketFact[], until: Date): SyncHealth['backlog'] {
  const ages = tickets
    .filter((t) => t.openedAt < until && (t.closedAt === null || t.closedAt > until))
    .map((t) => until.getTime() - t.openedAt.getTime());
  const bucketOf = (ageMs: number) =>
    BACKLOG_BUCKETS.reduce((found, [, days], i) => (ageMs >= days * DAY_MS ? i : found), 0);
  const byAge = BACKLOG_BUCKETS.map(([bucket]) => ({ bucket, tickets: 0 }));
  for (const age of ages) (byAge[bucketOf(age)] as { tickets: number }).tickets += 1;
  return {
    open: ages.length,
    byAge,
    ageP50Ms: roundMs(percentile(ages, 0.5)),
    ageP95Ms: roundMs(percentile(ages, 0.95)),
  };
}

function recurringProblems(tickets: readonly TicketFact[]): SyncHealth['recurringProblems'] {
  const byFingerprint = new Map<string, SyncHealth['recurringProblems'][number]>();
  for (const t of tickets) {
    const row = byFingerprint.get(t.fingerprint) ?? {
      fingerprint: t.fingerprint,
      kind: t.kind,
      orderName: t.orderName,
      courseCode: t.courseCode,
      tickets: 0,
      occurrences: 0,
    };
    row.tickets += 1;
    row.occurrences += 1 + t.recurrences;
    byFingerprint.set(t.fingerprint, row);
  }
  return [...byFingerprint.values()]
    .filter((r) => r.occurrences > 1)
    .sort(
      (a, b) =>
        b.occurrences - a.occurrences || b.tickets - a.tickets || a.fingerprint.localeCompare(b.fingerprint),
    )
    .slice(0, TOP_RECURRING);
}

export function computeSyncHealth(input: SyncHealthInput): SyncHealth {
  const { since, until } = input;
  const opened = input.tickets.filter((t) => t.openedAt >= since && t.openedAt < until);
  const seriesFrom = new Date(Math.max(since.getTime(), until.getTime() - SERIES_MAX_DAYS * DAY_MS));
  const byKind: Record<string, number> = {};
  for (const a of input.avoided) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    perDay: series(opened, seriesFrom, until, utcDay, DAY_MS),
    perWeek: series(opened, seriesFrom, until, isoWeekStart, 7 * DAY_MS),
    urgentTrend: urgentTrend(input.tickets, until),
    timeToFirstResponse: byCloser(opened, (t) => t.firstResponseAt, until),
    timeToClose: byCloser(opened, (t) => t.closedAt, until),
    backlog: backlog(input.tickets, until),
    recurringProblems: recurringProblems(opened),
    ticketsAvoided: { total: input.avoided.length, byKind },
  };
}
