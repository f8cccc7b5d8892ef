// Our record of who holds each ticket and every assignment made (migration 011): the queries the
// assigner runs inside the worker's transaction.
import type { PoolClient } from 'pg';
import type { AssigneeChoice } from './rules';

export interface Assignee {
  userId: number;
  partnerId: number | null;
  name: string;
  reason: AssigneeChoice['reason'];
}

export interface Holder {
  assignee: Assignee | null;
  assignedAt: Date | null;
  /** when the ticket reached its current priority */
  prioritySince: Date;
}

export async function holderOf(c: PoolClient, rowId: string): Promise<Holder> {
  const { rows } = await c.query<{
    assignee_user_id: number | null;
    assignee_partner_id: number | null;
    assignee_name: string | null;
    assigned_at: Date | null;
    priority_since: Date;
  }>(
    `SELECT assignee_user_id, assignee_partner_id, assignee_name, assigned_at, priority_since
       FROM helpdesk_tickets WHERE id = $1`,
    [rowId],
  );
  const r = rows[0];
  if (!r) throw new Error(`helpdesk ticket row ${rowId} is gone`);
  const assignee =
    r.assignee_user_id === null
      ? null
      : {
          userId: r.assignee_user_id,
          partnerId: r.assignee_partner_id,
          name: r.assignee_name ?? `User ${r.assignee_user_id}`,
          reason: 'workload' as const,
        };
  return { assignee, assignedAt: r.assigned_at, prioritySince: r.priority_since };
}

/** When we last assigned each of these users a ticket (users never assigned are absent). */
export async function lastAssigned(c: PoolClient, userIds: number[]): Promise<Map<number, Date>> {
  const { rows } = await c.query<{ odoo_user_id: number; at: Date }>(
    `SELECT odoo_user_id, max(assigned_at) AS at FROM helpdesk_assignments
      WHERE odoo_user_id = ANY($1::int[]) GROUP BY 1`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.odoo_user_id, r.at]));
}

/** The ticket is theirs from now; its reassignment check falls due `periodHours` later. */
export async function recordAssignment(
  c: PoolClient,
  rowId: string,
  a: Assignee,
  options: { periodHours: number; reassigned: boolean },
): Promise<void> {
  await c.query(
    `UPDATE helpdesk_tickets SET assignee_user_id = $2, assignee_partner_id = $3, assignee_name = $4,
            assigned_at = now(), reassign_due_at = now() + make_interval(secs => $5),
            reassignments = reassignments + $6::int
      WHERE id = $1`,
    [rowId, a.userId, a.partnerId, a.name, options.periodHours * 3600, options.reassigned ? 1 : 0],
  );
  await c.query(
    'INSERT INTO helpdesk_assignments (ticket_row_id, odoo_user_id, reason, reassigned) VALUES ($1, $2, $3, $4)',
    [rowId, a.userId, a.reason, options.reassigned],
  );
}

/** Look again at `at` (the assignee touched the ticket), or a period from now (nobody else to give it to). */
export async function postponeCheck(c: PoolClient, rowId: string, at: Date): Promise<void> {
  await c.query('UPDATE helpdesk_tickets SET reassign_due_at = $2 WHERE id = $1', [rowId, at]);
}

/** A command's choice, kept in its payload so that the command redone after a failure makes the same one. */
export async function keepChoice(c: PoolClient, commandId: string, chosen: Assignee | null): Promise<void> {
  await c.query(
    `UPDATE helpdesk_commands SET payload = payload || jsonb_build_object('assignee', $2::jsonb) WHERE id = $1`,
    [commandId, JSON.stringify(chosen)],
  );
}

/**
 * A person changed the ticket's assignee in Odoo: ours follows theirs from now (a period before it is
 * looked at again), or, when they took the assignee off, we stop watching it.
 */
export async function adoptAssignee(
  c: PoolClient,
  rowId: string,
  a: Assignee | null,
  periodHours: number,
): Promise<void> {
  await c.query(
    `UPDATE helpdesk_tickets SET assignee_user_id = $2, assignee_partner_id = $3, assignee_name = $4,
            assigned_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() END,
            reassign_due_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() + make_interval(secs => $5) END
      WHERE id = $1`,
    [rowId, a?.userId ?? null, a?.partnerId ?? null, a?.name ?? null, periodHours * 3600],
  );
}
