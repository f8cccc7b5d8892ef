// The numbers the support team watches: tickets opened, recurring, escalated, auto-closed, by tag and
// priority, the share of urgent (the one that should fall), and how fast auto-closed tickets healed.
import type { Pool } from 'pg';
import type { HelpdeskSummary } from '../reconcile';
import type { Priority } from './rules';

export type { HelpdeskSummary };

export async function helpdeskSummary(pool: Pool, since: Date | null = null): Promise<HelpdeskSummary> {
  const args = [since];
  const [totals, priorities, tags, kinds, pending] = await Promise.all([
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
         FROM helpdesk_tickets WHERE ($1::timestamptz IS NULL OR opened_at >= $1)`,
      args,
    ),
    pool.query<{ priority: Priority; n: number }>(
      `SELECT priority, count(*)::int AS n FROM helpdesk_tickets WHERE ($1::timestamptz IS NULL OR opened_at >= $1) GROUP BY 1`,
      args,
    ),
    pool.query<{ tag: string; n: number }>(
      `SELECT tag, count(*)::int AS n FROM helpdesk_tickets, unnest(tags) AS tag
        WHERE ($1::timestamptz IS NULL OR opened_at >= $1) GROUP BY 1 ORDER BY 2 DESC, 1`,
      args,
    ),
    pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM helpdesk_tickets WHERE ($1::timestamptz IS NULL OR opened_at >= $1) GROUP BY 1 ORDER BY 2 DESC, 1`,
      args,
    ),
    pool.query<{ n: number }>('SELECT count(*)::int AS n FROM helpdesk_commands WHERE done_at IS NULL'),
  ]);
  const t = totals.rows[0] as (typeof totals.rows)[number];
  const byPriority: Record<Priority, number> = { low: 0, normal: 0, high: 0, urgent: 0 };
  for (const r of priorities.rows) byPriority[r.priority] = r.n;
  return {
    since: since?.toISOString() ?? null,
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
  };
}
