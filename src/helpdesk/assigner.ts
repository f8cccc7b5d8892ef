// Assignment by workload, the notices Odoo delivers its own way (a To-Do activity and a note addressed to
// the assignee), and reassignment of a ticket its assignee leaves untouched. The decisions are rules.ts's;
// this reads the team in Odoo and our own record of who got which ticket when (assignments.ts).
import type { PoolClient } from 'pg';
import { PermanentError, errorMessage, escapeHtml } from '../lib';
import type { Logger } from '../observability';
import {
  adoptAssignee,
  holderOf,
  keepChoice,
  lastAssigned,
  postponeCheck,
  recordAssignment,
  type Assignee,
} from './assignments';
import type { OdooUser, People } from './people';
import {
  ASSIGNMENT,
  activityDeadline,
  chooseAssignee,
  reassignment,
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

/** The helpdesk command being run: its choice is kept in its payload, so that a retry makes the same one. */
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

const mention = (a: { name: string }) => `@${a.name}`;

export function createAssigner(deps: {
  writer: HelpdeskWriter;
  people: People;
  policy: AssignmentPolicy;
  log: Logger;
}) {
  const { writer, people, policy, log } = deps;
  const out = new Set(policy.outUsers);
  const periodHours = (t: TicketRow) => policy.reassignAfterHours[t.priority];

  /** The rule's choice in the ticket's team, read afresh from Odoo, or null when nobody is available. */
  async function choose(c: PoolClient, t: TicketRow, exclude: number[]): Promise<Assignee | null> {
    const roster = await people.roster(await writer.teamId(t.team), policy.teamLeaders[t.team]);
    const [open, last] = await Promise.all([
      people.openTickets(roster.everyone.filter((u) => u.active).map((u) => u.id)),
      lastAssigned(
        c,
        roster.everyone.map((u) => u.id),
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
    const user = choice && roster.everyone.find((u) => u.id === choice.userId);
    return user && choice
      ? { userId: user.id, partnerId: user.partnerId, name: user.name, reason: choice.reason }
      : null;
  }

  /** The step's choice: the one an earlier attempt made, else a fresh one, kept for the next attempt. */
  async function decide(c: PoolClient, step: CommandStep, t: TicketRow, exclude: number[]) {
    if (step.payload.assignee !== undefined) return step.payload.assignee as Assignee | null;
    const chosen = await choose(c, t, exclude);
    await keepChoice(c, step.id, chosen);
    step.payload.assignee = chosen;
    return chosen;
  }

  /** Ours follows the assignee a person set (or cleared) in Odoo, when they changed it. */
  async function followOdoo(c: PoolClient, t: TicketRow, holder: Assignee | null) {
    const inOdoo = await people.assigneeOf(t.ticketId);
    if ((inOdoo?.id ?? null) === (holder?.userId ?? null)) return { changed: false, holder };
    const theirs: Assignee | null = inOdoo && {
      userId: inOdoo.id,
      partnerId: inOdoo.partnerId,
      name: inOdoo.name,
      reason: 'workload',
    };
    await adoptAssignee(c, t.rowId, theirs, periodHours(t));
    return { changed: true, holder: theirs };
  }

  const note = (t: TicketRow, a: Assignee, text: string, step: CommandStep) =>
    writer.note(
      t.ticketId,
      { text, key: step.key, mentions: a.partnerId ? [a.partnerId] : [] },
      { retried: step.retried },
    );

  /** A To-Do for the assignee due by the SLA at the ticket's priority, and `text` addressed to them. */
  async function notify(t: TicketRow, a: Assignee, since: Date, text: string, step: CommandStep) {
    await people
      .scheduleActivity(t.ticketId, {
        userId: a.userId,
        // from when the ticket reached its priority, so that a retry schedules the same activity
        deadline: activityDeadline(since, t.priority, policy.slaHours),
        summary: `${t.priority === 'urgent' ? 'Urgent' : 'Escalated'} ticket: act within ${policy.slaHours[t.priority]} h`,
        note: `<p>${escapeHtml(t.title)}</p>`,
      })
      .catch((err: unknown) => {
        // An Odoo that refuses the activity (the To-Do type deleted, an assignee without access to
        // tickets) still gets the note, and the ticket's other writes are not held behind it.
        if (!(err instanceof PermanentError)) throw err;
        log.warn('could not schedule a To-Do activity for the assignee', {
          ticketId: t.ticketId,
          error: errorMessage(err),
        });
      });
    await note(t, a, `${mention(a)} ${text}`, step);
  }

  return {
    /** A newly opened ticket goes to the rule's choice; an urgent one also gets a To-Do and a note. */
    async assignOpened(c: PoolClient, t: TicketRow, step: CommandStep): Promise<Assignee | null> {
      const holder = await holderOf(c, t.rowId);
      if (holder.assignee) return null; // assigned by an earlier attempt
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
        await notify(t, a, holder.prioritySince, `this urgent ticket is yours ${why}.`, step);
      }
      await recordAssignment(c, t.rowId, a, { periodHours: periodHours(t), reassigned: false });
      return a;
    },

    /**
     * An escalation's note, addressed to the assignee, with a To-Do due by the new priority's SLA. A ticket
     * escalated to urgent goes to the team leader first, when the rule has one available.
     */
    async notifyEscalation(c: PoolClient, t: TicketRow, text: string, step: CommandStep): Promise<boolean> {
      const held = await holderOf(c, t.rowId);
      const { prioritySince } = held;
      // a retry keeps to what the first attempt decided
      const holder =
        step.payload.assignee === undefined ? (await followOdoo(c, t, held.assignee)).holder : held.assignee;
      if (ASSIGNMENT[t.priority] === 'leader') {
        const leader = await decide(c, step, t, []);
        if (leader?.reason === 'leader' && leader.userId !== holder?.userId) {
          await writer.assign(t.ticketId, leader.userId);
          const from = holder ? ` (from ${holder.name})` : '';
          const said = `${text} Urgent now: assigned to the team leader${from}.`;
          await notify(t, leader, prioritySince, said, step);
          await recordAssignment(c, t.rowId, leader, { periodHours: periodHours(t), reassigned: false });
          return true;
        }
      }
      if (!holder) return false;
      await notify(t, holder, prioritySince, text, step);
      return true;
    },

    /**
     * The assignee's last touch decides: untouched for the priority's period, the ticket goes to the rule's
     * next choice with a note saying why; else we look again a period after that touch.
     */
    async reassignIfUntouched(c: PoolClient, t: TicketRow, step: CommandStep): Promise<boolean> {
      const { assignee: holder, assignedAt } = await holderOf(c, t.rowId);
      if (!holder || !assignedAt) return false;
      if (step.payload.assignee === undefined) {
        if ((await followOdoo(c, t, holder)).changed) return false; // a person's choice stands
        const touched = holder.partnerId
          ? await people.lastTouch(t.ticketId, holder.partnerId, assignedAt)
          : null;
        const due = reassignment(
          { priority: t.priority, assignedAt, lastTouchAt: touched },
          new Date(),
          policy.reassignAfterHours,
        );
        if (!due.due) {
          await postponeCheck(c, t.rowId, due.checkAt);
          return false;
        }
      }
      const a = await decide(c, step, t, [holder.userId]);
      if (!a) {
        await postponeCheck(c, t.rowId, new Date(Date.now() + periodHours(t) * 3_600_000));
        log.info('helpdesk ticket untouched, but nobody else in the team is available', { team: t.team });
        return false;
      }
      await writer.assign(t.ticketId, a.userId);
      const why = `${holder.name} has not touched this ${t.priority} ticket for ${periodHours(t)} h (HELPDESK_REASSIGN_AFTER_HOURS).`;
      await note(t, a, `Reassigned from ${holder.name} to ${mention(a)}: ${why}`, step);
      await recordAssignment(c, t.rowId, a, { periodHours: periodHours(t), reassigned: true });
      return true;
    },
  };
}

export type Assigner = ReturnType<typeof createAssigner>;
