// Assignment by workload, the notices Odoo delivers its own way (a To-Do activity and a note addressed to
// the assignee), and reassignment of a ticket its assignee leaves untouched. The decisions are rules.ts's;
// this reads the team in Odoo and our own record of who got which ticket when.
import type { PoolClient } from 'pg';
import { escapeHtml } from '../lib';
import type { Logger } from '../observability';
import type { OdooUser, People } from './people';
import {
  ASSIGNMENT,
  activityDeadline,
  chooseAssignee,
  reassignment,
  type AssigneeChoice,
  type Candidate,
  type Priority,
} from './rules';
import type { HelpdeskWriter } from './writer';

export interface AssignmentPolicy {
  /** lower-case logins or user ids (HELPDESK_OUT_USERS) */
  outUsers: readonly string[];
  /** team name → leader's login or id (HELPDESK_TEAM_LEADERS) */
  teamLeaders: Readonly<Record<string, string>>;
  reassignAfterHours: Record<Priority, number>;
  slaHours: Record<Priority, number>;
}

/** The helpdesk command being run: its decision is kept in its payload, so that a retry makes the same one. */
export interface CommandStep {
  id: string;
  payload: Record<string, unknown>;
  /** the note key of the command */
  key: string;
  retried: boolean;
}

interface TicketRow {
  rowId: string;
  ticketId: number;
  team: string;
  priority: Priority;
  title: string;
}

interface Assignee {
  userId: number;
  partnerId: number | null;
  name: string;
  reason: AssigneeChoice['reason'];
}

interface Held {
  assignee_user_id: number | null;
  assignee_partner_id: number | null;
  assignee_name: string | null;
  assigned_at: Date | null;
  priority_since: Date;
}

const mention = (a: { name: string }) => `@${a.name}`;

export function createAssigner(deps: {
  writer: HelpdeskWriter;
  people: People;
  policy: AssignmentPolicy;
  log: Logger;
}) {
  const { writer, people, policy, log } = deps;
  const out = new Set(policy.outUsers);

  async function held(c: PoolClient, rowId: string): Promise<Held> {
    const { rows } = await c.query<Held>(
      `SELECT assignee_user_id, assignee_partner_id, assignee_name, assigned_at, priority_since
         FROM helpdesk_tickets WHERE id = $1`,
      [rowId],
    );
    return rows[0] as Held;
  }

  async function lastAssigned(c: PoolClient, userIds: number[]): Promise<Map<number, Date>> {
    const { rows } = await c.query<{ odoo_user_id: number; at: Date }>(
      `SELECT odoo_user_id, max(assigned_at) AS at FROM helpdesk_assignments
        WHERE odoo_user_id = ANY($1::int[]) GROUP BY 1`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.odoo_user_id, r.at]));
  }

  /** The rule's choice in the ticket's team, read afresh from Odoo, or null when nobody is available. */
  async function choose(c: PoolClient, t: TicketRow, exclude: number[]): Promise<Assignee | null> {
    const roster = await people.roster(await writer.teamId(t.team), policy.teamLeaders[t.team]);
    const everyone = [
      ...new Map(
        [...roster.members, ...(roster.leader ? [roster.leader] : [])].map((u) => [u.id, u]),
      ).values(),
    ];
    const [open, last] = await Promise.all([
      people.openTickets(everyone.filter((u) => u.active).map((u) => u.id)),
      lastAssigned(
        c,
        everyone.map((u) => u.id),
      ),
    ]);
    const candidate = (u: OdooUser): Candidate => ({
      userId: u.id,
      login: u.login,
      active: u.active,
      openTickets: open.get(u.id) ?? 0,
      lastAssignedAt: last.get(u.id) ?? null,
    });
    const choice = chooseAssignee(
      { leader: roster.leader ? candidate(roster.leader) : null, members: roster.members.map(candidate) },
      t.priority,
      { out, exclude },
    );
    const user = choice && everyone.find((u) => u.id === choice.userId);
    return user && choice
      ? { userId: user.id, partnerId: user.partnerId, name: user.name, reason: choice.reason }
      : null;
  }

  /** The step's decision: the one an earlier attempt made, else a fresh one, kept for the next attempt. */
  async function decide(c: PoolClient, step: CommandStep, t: TicketRow, exclude: number[]) {
    if (step.payload.assignee !== undefined) return step.payload.assignee as Assignee | null;
    const chosen = await choose(c, t, exclude);
    await c.query(
      `UPDATE helpdesk_commands SET payload = payload || jsonb_build_object('assignee', $2::jsonb) WHERE id = $1`,
      [step.id, JSON.stringify(chosen)],
    );
    step.payload.assignee = chosen;
    return chosen;
  }

  async function record(c: PoolClient, t: TicketRow, a: Assignee, reassigned: boolean): Promise<void> {
    await c.query(
      `UPDATE helpdesk_tickets SET assignee_user_id = $2, assignee_partner_id = $3, assignee_name = $4,
              assigned_at = now(), reassign_due_at = now() + make_interval(secs => $5),
              reassignments = reassignments + $6::int
        WHERE id = $1`,
      [
        t.rowId,
        a.userId,
        a.partnerId,
        a.name,
        policy.reassignAfterHours[t.priority] * 3600,
        reassigned ? 1 : 0,
      ],
    );
    await c.query(
      'INSERT INTO helpdesk_assignments (ticket_row_id, odoo_user_id, reason, reassigned) VALUES ($1, $2, $3, $4)',
      [t.rowId, a.userId, a.reason, reassigned],
    );
  }

  /** A To-Do for the assignee due by the SLA at the ticket's priority, and `text` addressed to them. */
  async function notify(t: TicketRow, a: Assignee, since: Date, text: string, step: CommandStep) {
    await people.scheduleActivity(t.ticketId, {
      userId: a.userId,
      // from when the ticket reached its priority, so that a retry schedules the same activity
      deadline: activityDeadline(since, t.priority, policy.slaHours),
      summary: `${t.priority === 'urgent' ? 'Urgent' : 'Escalated'} ticket: act within ${policy.slaHours[t.priority]} h`,
      note: `<p>${escapeHtml(t.title)}</p>`,
    });
    await writer.note(
      t.ticketId,
      { text: `${mention(a)} ${text}`, key: step.key, mentions: a.partnerId ? [a.partnerId] : [] },
      {
        retried: step.retried,
      },
    );
  }

  return {
    /** A newly opened ticket goes to the rule's choice; an urgent one also gets a To-Do and a note. */
    async assignOpened(c: PoolClient, t: TicketRow, step: CommandStep): Promise<Assignee | null> {
      const current = await held(c, t.rowId);
      if (current.assignee_user_id !== null) return null; // assigned by an earlier attempt
      const a = await decide(c, step, t, []);
      if (!a) {
        log.warn('no one to assign the helpdesk ticket to: the team has no available member', {
          team: t.team,
        });
        return null;
      }
      await writer.assign(t.ticketId, a.userId);
      if (t.priority === 'urgent') {
        const why =
          a.reason === 'leader' ? 'as the team leader' : 'by workload (the team leader is not available)';
        await notify(t, a, current.priority_since, `this urgent ticket is yours ${why}.`, step);
      }
      await record(c, t, a, false);
      return a;
    },

    /**
     * An escalation's note, addressed to the assignee, with a To-Do due by the new priority's SLA. A ticket
     * escalated to urgent goes to the team leader first, when the rule has one available.
     */
    async notifyEscalation(c: PoolClient, t: TicketRow, text: string, step: CommandStep): Promise<boolean> {
      const current = await held(c, t.rowId);
      const holder: Assignee | null =
        current.assignee_user_id === null
          ? null
          : {
              userId: current.assignee_user_id,
              partnerId: current.assignee_partner_id,
              name: current.assignee_name ?? `User ${current.assignee_user_id}`,
              reason: 'workload',
            };
      if (ASSIGNMENT[t.priority] === 'leader') {
        const leader = await decide(c, step, t, []);
        if (leader?.reason === 'leader' && leader.userId !== holder?.userId) {
          await writer.assign(t.ticketId, leader.userId);
          const from = holder ? ` (from ${holder.name})` : '';
          await notify(
            t,
            leader,
            current.priority_since,
            `${text} Urgent now: assigned to the team leader${from}.`,
            step,
          );
          await record(c, t, leader, false);
          return true;
        }
      }
      if (!holder) return false;
      await notify(t, holder, current.priority_since, text, step);
      return true;
    },

    /**
     * The assignee's last touch decides: untouched for the priority's period, the ticket goes to the rule's
     * next choice with a note saying why; else we look again a period after that touch.
     */
    async reassignIfUntouched(c: PoolClient, t: TicketRow, step: CommandStep): Promise<boolean> {
      const current = await held(c, t.rowId);
      if (current.assignee_user_id === null || current.assigned_at === null) return false;
      if (step.payload.assignee === undefined) {
        const touched = current.assignee_partner_id
          ? await people.lastTouch(t.ticketId, current.assignee_partner_id, current.assigned_at)
          : null;
        const due = reassignment(
          { priority: t.priority, assignedAt: current.assigned_at, lastTouchAt: touched },
          new Date(),
          policy.reassignAfterHours,
        );
        if (!due.due) {
          await c.query('UPDATE helpdesk_tickets SET reassign_due_at = $2 WHERE id = $1', [
            t.rowId,
            due.checkAt,
          ]);
          return false;
        }
      }
      const a = await decide(c, step, t, [current.assignee_user_id]);
      if (!a) {
        await c.query(
          `UPDATE helpdesk_tickets SET reassign_due_at = now() + make_interval(secs => $2) WHERE id = $1`,
          [t.rowId, policy.reassignAfterHours[t.priority] * 3600],
        );
        log.info('helpdesk ticket untouched, but nobody else in the team is available', { team: t.team });
        return false;
      }
      const previous = current.assignee_name ?? `user ${current.assignee_user_id}`;
      const hours = policy.reassignAfterHours[t.priority];
      await writer.assign(t.ticketId, a.userId);
      await writer.note(
        t.ticketId,
        {
          text: `Reassigned from ${previous} to ${mention(a)}: ${previous} has not touched this ${t.priority} ticket for ${hours} h (HELPDESK_REASSIGN_AFTER_HOURS).`,
          key: step.key,
          mentions: a.partnerId ? [a.partnerId] : [],
        },
        { retried: step.retried },
      );
      await record(c, t, a, true);
      return true;
    },
  };
}

export type Assigner = ReturnType<typeof createAssigner>;
