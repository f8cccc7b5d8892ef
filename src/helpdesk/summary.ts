// The numbers the support team watches: tickets opened, recurring, escalated, auto-closed, by tag and
// priority, the share of urgent (the one that should fall), and how fast auto-closed tickets healed.
import type { Pool } from 'pg';
import type { HelpdeskSummary } from '../reconcile';
import { computeSyncHealth, type TicketFact } from './analytics';
import type { Priority } from './rules';

export type { HelpdeskSummary };

/** Without `since`, the analytics cover the 30 days before `until`. */
export const DEFAULT_WINDOW_DAYS = 30;

export async function helpdeskSummary(
  pool: Pool,
  since: Date | null = null,
  until: Date = new Date(),
): Promise<HelpdeskSummary> {
  const args = [since, until];
  const window = `($1::timestamptz IS NULL OR opened_at >= $1) AND opened_at < $2`;
  const [totals, priorities, tags, kinds, pending, health] = await Promise.all([
    pool.query<{
      opened: number;
      open: number;
      recurring: number;
      escalated: number;
      auto_closed: number;
      by_person: number;
      urgent: number;
      median_ms: number | null;
    }>(
      `SELECT count(*)::int AS opened,
              count(*) FILTER (WHERE state = 'open')::int AS open,
              count(*) FILTER (WHERE recurrences > 0 OR previous_ticket_id IS NOT NULL)::int AS recurring,
              count(*) FILTER (WHERE cardinality(escalated_to) > 0)::int AS escalated,
              count(*) FILTER (WHERE closed_by = 'service')::int AS auto_closed,
              count(*) FILTER (WHERE closed_by = 'person')::int AS by_person,
              count(*) FILTER (WHERE priority = 'urgent')::int AS urgent,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - opened_at) * 1000)
                FILTER (WHERE closed_by = 'service') AS median_ms
         FROM helpdesk_tickets WHERE ${window}`,
      args,
    ),
    pool.query<{ priority: Priority; n: number }>(
      `SELECT priority, count(*)::int AS n FROM helpdesk_tickets WHERE ${window} GROUP BY 1`,
      args,
    ),
    pool.query<{ tag: string; n: number }>(
      `SELECT tag, count(*)::int AS n FROM helpdesk_tickets, unnest(tags) AS tag
        WHERE ${window} GROUP BY 1 ORDER BY 2 DESC, 1`,
      args,
    ),
    pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM helpdesk_tickets WHERE ${window} GROUP BY 1 ORDER BY 2 DESC, 1`,
      args,
    ),
    pool.query<{ n: number }>('SELECT count(*)::int AS n FROM helpdesk_commands WHERE done_at IS NULL'),
    syncHealth(pool, since ?? new Date(until.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS), until),
  ]);
  const t = totals.rows[0] as (typeof totals.rows)[number];
  const byPriority: Record<Priority, number> = { low: 0, normal: 0, high: 0, urgent: 0 };
  for (const r of priorities.rows) byPriority[r.priority] = r.n;
  return {
    since: since?.toISOString() ?? null,
    until: until.toISOString(),
    opened: t.opened,
    open: t.open,
    recurring: t.recurring,
    escalated: t.escalated,
    autoClosed: t.auto_closed,
    closedByPerson: t.by_person,
    byPriority,
    byTag: Object.fromEntries(tags.rows.map((r) => [r.tag, r.n])),
    byKind: Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n])),
    urgentShare: t.opened ? Math.round((t.urgent / t.opened) * 1000) / 1000 : 0,
    medianTimeToAutoCloseMs: t.median_ms === null ? null : Math.round(t.median_ms),
    pendingWrites: pending.rows[0]?.n ?? 0,
    health,
  };
}

const DAY_MS = 24 * 3600 * 1000;

// Kinds a reconciliation problem can be ticketed as (problems.ts, problemKindForFinding); a healed
// duplicate_enrollment never needed a person, so it avoided nothing.
const TICKETABLE_KINDS = ['missing_enrollment', 'course_unmapped', 'student_mismatch', 'unpaid_enrollment'];

/** The facts behind the sync-health figures: tickets of the window (and the two weeks of the trend, and
 * what is still open at `until`), and the problems healed in the window that no ticket ever covered. */
async function syncHealth(pool: Pool, since: Date, until: Date) {
  const trendFrom = new Date(Math.min(since.getTime(), until.getTime() - 14 * DAY_MS));
  const [tickets, avoided] = await Promise.all([
    pool.query<{
      fingerprint: string;
      kind: string;
      order_name: string | null;
      course_code: string | null;
      priority: Priority;
      opened_at: Date;
      first_response_at: Date | null;
      closed_at: Date | null;
      closed_by: 'service' | 'person' | null;
      recurrences: number;
    }>(
      `SELECT t.fingerprint, t.kind, t.order_name, t.course_code, t.priority, t.opened_at, t.closed_at,
              t.closed_by, t.recurrences,
              (SELECT min(c.done_at) FROM helpdesk_commands c
                WHERE c.ticket_row_id = t.id AND c.command = 'open') AS first_response_at
         FROM helpdesk_tickets t
        WHERE t.opened_at < $2
          AND (t.opened_at >= $1 OR t.closed_at IS NULL OR t.closed_at > $2)`,
      [trendFrom, until],
    ),
    pool.query<{ kind: string }>(
      `SELECT p.kind FROM reconcile_problems p
        WHERE p.healed_at >= $1 AND p.healed_at < $2 AND p.kind = ANY($3)
          AND NOT EXISTS (SELECT 1 FROM helpdesk_tickets t
                           WHERE t.order_id IS NOT DISTINCT FROM p.order_id
                             AND t.course_code IS NOT DISTINCT FROM p.course_code
                             AND t.opened_at <= p.healed_at)`,
      [since, until, TICKETABLE_KINDS],
    ),
  ]);
  const facts = tickets.rows.map((r): TicketFact => ({
    fingerprint: r.fingerprint,
    kind: r.kind,
    orderName: r.order_name,
    courseCode: r.course_code,
    priority: r.priority,
    openedAt: r.opened_at,
    firstResponseAt: r.first_response_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    recurrences: r.recurrences,
  }));
  return computeSyncHealth({ tickets: facts, avoided: avoided.rows, since, until });
}
