// One honest ticket per problem: report a problem (open a ticket, or note a recurrence on the open
// one), heal it (close with a note), escalate by SLA. Every Odoo write goes through helpdesk_commands in
// the same transaction as our record, so an unreachable Odoo delays it and never drops or repeats it.
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db';
import type { ServiceState } from '../observability';
import { describeProblem } from './describe';
import { partnerIdFromStudent, ticketFingerprint, type Problem } from './problems';
import { escalation, ticketTitle, triage, type Priority, type ProblemKind, type TeamNames } from './rules';

export interface TicketPolicy {
  teams: TeamNames;
  urgentAfterHours: number;
  slaHours: Record<Priority, number>;
  /** how long an assignee may leave a ticket untouched at each priority before it is reassigned */
  reassignAfterHours: Record<Priority, number>;
  odooUrl: string;
}

interface TicketRow {
  id: string;
  fingerprint: string;
  kind: ProblemKind;
  priority: Priority;
  escalated_to: Priority[];
  hours_at_priority: number;
  blocked_hours: number | null;
}

export function createTickets(deps: { pool: Pool; policy: TicketPolicy; wake?: () => void }) {
  const { pool, policy } = deps;

  async function inTx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const r = await inTransaction(pool, fn);
    deps.wake?.(); // committed: the worker may carry the new commands to Odoo
    return r;
  }

  const command = (c: PoolClient, rowId: string, cmd: string, payload: object = {}) =>
    c.query('INSERT INTO helpdesk_commands (ticket_row_id, command, payload) VALUES ($1, $2, $3)', [
      rowId,
      cmd,
      payload,
    ]);

  async function open(
    c: PoolClient,
    p: Problem,
    fingerprint: string,
    previous: { id: string; reference: string | null } | null,
  ) {
    const blockedHours = p.blockedSince ? (Date.now() - p.blockedSince.getTime()) / 3_600_000 : 0;
    const t = triage(p.kind, {
      blockedHours,
      urgentAfterHours: policy.urgentAfterHours,
      teams: policy.teams,
    });
    const marker = `[lms-sync ${randomBytes(4).toString('hex')}]`;
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO helpdesk_tickets (fingerprint, kind, cause, source, order_id, order_name, course_code, student_id, state,
                                     marker, priority, initial_priority, team, tags, blocked_since, previous_ticket_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10, $11, $12, $13, $14) RETURNING id::text`,
      [
        fingerprint,
        p.kind,
        t.cause,
        p.source,
        p.orderId,
        p.orderName,
        p.courseCode,
        p.studentId,
        marker,
        t.priority,
        t.team,
        t.tags,
        p.blockedSince,
        previous?.id ?? null,
      ],
    );
    const rowId = (rows[0] as { id: string }).id;
    const title = ticketTitle(p.kind, p.orderName, p.courseCode);
    await command(c, rowId, 'open', {
      draft: {
        title,
        descriptionHtml: describeProblem(p, {
          previousReference: previous?.reference ?? null,
          odooUrl: policy.odooUrl,
        }),
        team: t.team,
        priority: t.priority,
        tags: t.tags,
        marker,
      },
      partnerId: partnerIdFromStudent(p.studentId),
    });
    return { rowId, priority: t.priority };
  }

  async function reportIn(
    c: PoolClient,
    p: Problem,
  ): Promise<{ rowId: string; outcome: 'opened' | 'recurred' }> {
    const fingerprint = ticketFingerprint(p.kind, p.orderId, p.courseCode);
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 5501))', [fingerprint]);
    const current = await c.query<{ id: string; recurrences: number }>(
      `SELECT id::text, recurrences FROM helpdesk_tickets WHERE fingerprint = $1 AND state = 'open'`,
      [fingerprint],
    );
    const row = current.rows[0];
    if (row) {
      await c.query(
        'UPDATE helpdesk_tickets SET recurrences = recurrences + 1, last_seen_at = now() WHERE id = $1',
        [row.id],
      );
      await command(c, row.id, 'recur', { summary: p.summary, times: row.recurrences + 2, problem: p });
      return { rowId: row.id, outcome: 'recurred' };
    }
    const prev = await c.query<{ id: string; odoo_reference: string | null }>(
      'SELECT id::text, odoo_reference FROM helpdesk_tickets WHERE fingerprint = $1 ORDER BY id DESC LIMIT 1',
      [fingerprint],
    );
    const previous = prev.rows[0] ? { id: prev.rows[0].id, reference: prev.rows[0].odoo_reference } : null;
    const { rowId } = await open(c, p, fingerprint, previous);
    return { rowId, outcome: 'opened' };
  }

  return {
    /** Opens a ticket for a new problem, or notes a recurrence on the open one. */
    report(p: Problem): Promise<{ rowId: string; outcome: 'opened' | 'recurred' }> {
      return inTx((c) => reportIn(c, p));
    },

    /** The same, inside the caller's transaction (the worker replacing a ticket a person closed). */
    reportIn,

    /** The problem healed: close its open ticket with a note (tag auto-healed). */
    async heal(
      kind: ProblemKind,
      orderId: number | null,
      courseCode: string | null,
      why: string,
    ): Promise<boolean> {
      return this.healFingerprints([ticketFingerprint(kind, orderId, courseCode)], why).then((n) => n > 0);
    },

    async healFingerprints(fingerprints: string[], why: string): Promise<number> {
      if (fingerprints.length === 0) return 0;
      return inTx(async (c) => {
        const { rows } = await c.query<{ id: string }>(
          `UPDATE helpdesk_tickets SET state = 'closed', closed_at = now(), closed_by = 'service'
            WHERE fingerprint = ANY($1) AND state = 'open' RETURNING id::text`,
          [fingerprints],
        );
        for (const r of rows) await command(c, r.id, 'close', { why });
        return rows.length;
      });
    },

    /** A successful sync of an order heals its open enrollment tickets (cheap: partial index on open rows). */
    /** Heals the open enrollment tickets of these (order, courses): one look-up for all of them. */
    async healOrders(
      synced: ReadonlyArray<{ orderId: number; courseCodes: string[] }>,
      why: string,
    ): Promise<number> {
      const kinds: ProblemKind[] = [
        'enrollment_failed',
        'missing_enrollment',
        'missing_email',
        'course_unmapped',
      ];
      const fps = synced.flatMap(({ orderId, courseCodes }) =>
        kinds.flatMap((k) => courseCodes.map((code) => ticketFingerprint(k, orderId, code))),
      );
      if (fps.length === 0) return 0;
      const { rows } = await pool.query<{ fingerprint: string }>(
        `SELECT fingerprint FROM helpdesk_tickets WHERE state = 'open' AND fingerprint = ANY($1)`,
        [fps],
      );
      return rows.length
        ? this.healFingerprints(
            rows.map((r) => r.fingerprint),
            why,
          )
        : 0;
    },

    /**
     * Queues a reassignment check for each open ticket whose assignee's period is over; the worker asks
     * Odoo whether they touched it. Returns how many were queued.
     */
    async queueReassignments(): Promise<number> {
      return inTx(async (c) => {
        const { rowCount } = await c.query(
          `INSERT INTO helpdesk_commands (ticket_row_id, command)
           SELECT t.id, 'reassign' FROM helpdesk_tickets t
            WHERE t.state = 'open' AND t.assignee_user_id IS NOT NULL AND t.reassign_due_at <= now()
              AND NOT EXISTS (SELECT 1 FROM helpdesk_commands c
                               WHERE c.ticket_row_id = t.id AND c.command = 'reassign' AND c.done_at IS NULL)`,
        );
        return rowCount ?? 0;
      });
    },

    /** Raises open tickets past their SLA one level, once per level, with a note saying why. */
    async escalateOverdue(): Promise<number> {
      const { rows } = await pool.query<TicketRow>(
        `SELECT id::text, fingerprint, kind, priority, escalated_to,
                extract(epoch FROM now() - priority_since) / 3600 AS hours_at_priority,
                extract(epoch FROM now() - blocked_since) / 3600 AS blocked_hours
           FROM helpdesk_tickets WHERE state = 'open'`,
      );
      let raised = 0;
      for (const t of rows) {
        const next = escalation(
          t.kind,
          { priority: t.priority, hoursAtPriority: t.hours_at_priority, escalatedTo: t.escalated_to },
          policy.slaHours,
        );
        if (!next) continue;
        await inTx(async (c) => {
          // a shorter reassignment period at the new priority applies from now on
          const r = await c.query(
            `UPDATE helpdesk_tickets SET priority = $2, priority_since = now(), escalated_to = array_append(escalated_to, $2),
                    reassign_due_at = CASE WHEN assigned_at IS NULL THEN reassign_due_at
                      ELSE least(reassign_due_at, greatest(assigned_at + make_interval(secs => $4), now())) END
              WHERE id = $1 AND state = 'open' AND priority = $3`,
            [t.id, next, t.priority, policy.reassignAfterHours[next] * 3600],
          );
          if (r.rowCount)
            await command(c, t.id, 'escalate', {
              from: t.priority,
              to: next,
              hours: Math.floor(t.hours_at_priority),
              slaHours: policy.slaHours[t.priority],
            });
          raised += r.rowCount ?? 0;
        });
      }
      return raised;
    },
  };
}

export type Tickets = ReturnType<typeof createTickets>;

/** The helpdesk's part of /metrics: open tickets by priority and team, writes still queued for Odoo. */
export async function helpdeskHealth(
  pool: Pool,
): Promise<Pick<ServiceState, 'openTickets' | 'queuedHelpdeskWrites'>> {
  const [open, queued] = await Promise.all([
    pool.query<{ priority: string; team: string; count: number }>(
      `SELECT priority, team, count(*)::int AS count FROM helpdesk_tickets WHERE state = 'open' GROUP BY 1, 2`,
    ),
    pool.query<{ count: number; oldest_at: Date | null }>(
      'SELECT count(*)::int AS count, min(created_at) AS oldest_at FROM helpdesk_commands WHERE done_at IS NULL',
    ),
  ]);
  const q = queued.rows[0];
  return {
    openTickets: open.rows,
    queuedHelpdeskWrites: { count: q?.count ?? 0, oldestAt: q?.oldest_at ?? null },
  };
}
