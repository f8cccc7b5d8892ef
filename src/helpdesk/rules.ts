// Priority, team and tags from rules, not habit: one small table a reader can change. Pure.
// "Urgent" is kept for what really is: a held mass repair, or a paid student blocked too long.

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Cause = 'system' | 'data';

export const PROBLEM_KINDS = [
  'held_run',
  'enrollment_failed',
  'missing_enrollment',
  'missing_email',
  'course_unmapped',
  'student_mismatch',
  'unpaid_enrollment',
  'duplicate_enrollment',
  'seats_unassigned',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

interface Rule {
  priority: Priority;
  cause: Cause;
  /** a paid student cannot reach their course while this lasts */
  blocksPaidStudent: boolean;
  tags: string[];
  title: string;
}

export const RULES: Record<ProblemKind, Rule> = {
  held_run: {
    priority: 'urgent',
    cause: 'system',
    blocksPaidStudent: true,
    tags: ['LMS', 'sync-failure'],
    title: 'Reconciliation repairs held',
  },
  enrollment_failed: {
    priority: 'high',
    cause: 'system',
    blocksPaidStudent: true,
    tags: ['CRM', 'LMS', 'sync-failure', 'enroll HV'],
    title: 'Enrollment failed',
  },
  missing_enrollment: {
    priority: 'high',
    cause: 'system',
    blocksPaidStudent: true,
    tags: ['CRM', 'LMS', 'sync-failure', 'enroll HV'],
    title: 'Paid but not enrolled',
  },
  missing_email: {
    priority: 'normal',
    cause: 'data',
    blocksPaidStudent: true,
    tags: ['CRM', 'enroll HV'],
    title: 'Student has no email',
  },
  course_unmapped: {
    priority: 'normal',
    cause: 'data',
    blocksPaidStudent: true,
    tags: ['CRM', 'LMS', 'enroll HV'],
    title: 'Course not mapped to the LMS',
  },
  student_mismatch: {
    priority: 'normal',
    cause: 'data',
    blocksPaidStudent: false,
    tags: ['CRM', 'LMS'],
    title: 'Student identity mismatch',
  },
  unpaid_enrollment: {
    priority: 'normal',
    cause: 'data',
    blocksPaidStudent: false,
    tags: ['CRM', 'LMS'],
    title: 'Enrolled without payment',
  },
  // paid seats with no learner named long after payment: Ops asks the customer for the names
  seats_unassigned: {
    priority: 'normal',
    cause: 'data',
    blocksPaidStudent: false,
    tags: ['CRM', 'enroll HV'],
    title: 'Seats not assigned to learners',
  },
  duplicate_enrollment: {
    priority: 'low',
    cause: 'data',
    blocksPaidStudent: false,
    tags: ['LMS'],
    title: 'Duplicate enrollment',
  },
};

export interface TeamNames {
  system: string;
  data: string;
}

export interface Triage {
  priority: Priority;
  cause: Cause;
  team: string;
  tags: string[];
  title: string;
}

export const PRIORITY_ORDER: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export function triage(
  kind: ProblemKind,
  ctx: { blockedHours: number; urgentAfterHours: number; teams: TeamNames },
): Triage {
  const rule = RULES[kind];
  const blockedTooLong = rule.blocksPaidStudent && ctx.blockedHours >= ctx.urgentAfterHours;
  return {
    priority: blockedTooLong ? 'urgent' : rule.priority,
    cause: rule.cause,
    team: rule.cause === 'system' ? ctx.teams.system : ctx.teams.data,
    tags: [...new Set([...rule.tags, kind])],
    title: rule.title,
  };
}

/** The ticket's title in Odoo (before its marker): the problem, its order and course. */
export function ticketTitle(kind: ProblemKind, orderName: string | null, courseCode: string | null): string {
  return [RULES[kind].title, orderName, courseCode].filter(Boolean).join(' · ');
}

/**
 * SLA escalation: an open ticket older than its priority's SLA goes up one level, once per level.
 * It never reaches urgent by age alone unless the problem blocks a paid student.
 */
export function escalation(
  kind: ProblemKind,
  t: { priority: Priority; hoursAtPriority: number; escalatedTo: readonly Priority[] },
  slaHours: Record<Priority, number>,
): Priority | null {
  if (t.hoursAtPriority < slaHours[t.priority]) return null;
  const next = PRIORITY_ORDER[PRIORITY_ORDER.indexOf(t.priority) + 1];
  if (!next || t.escalatedTo.includes(next)) return null;
  if (next === 'urgent' && !RULES[kind].blocksPaidStudent) return null;
  return next;
}

/** "urgent=4,high=24,normal=72,low=168" → hours per priority. */
export function parseSla(text: string): Record<Priority, number> {
  return parsePriorityHours(text, 'SLA');
}

/** "urgent=6,high=6,normal=24,low=24" → hours per priority; `what` names the setting in errors. */
export function parsePriorityHours(text: string, what: string): Record<Priority, number> {
  const out: Partial<Record<Priority, number>> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const hours = Number(v);
    if (!PRIORITY_ORDER.includes(k as Priority) || !Number.isFinite(hours) || hours <= 0) {
      throw new Error(`bad ${what} entry "${part}": use priority=hours, e.g. urgent=4`);
    }
    out[k as Priority] = hours;
  }
  for (const p of PRIORITY_ORDER) if (out[p] === undefined) throw new Error(`${what} for ${p} is missing`);
  return out as Record<Priority, number>;
}

// ---- assignment -----------------------------------------------------------------------------------

/**
 * Who a ticket goes to, by its priority: `leader` = the team's leader (HELPDESK_TEAM_LEADERS, else the
 * team's leader field), falling back to `workload` when there is none or they are archived or out;
 * `workload` = the available member with the fewest open tickets, ties to the least recently assigned.
 */
export const ASSIGNMENT: Record<Priority, 'leader' | 'workload'> = {
  urgent: 'leader',
  high: 'workload',
  normal: 'workload',
  low: 'workload',
};

/** A person a ticket may go to, as read from Odoo (and our own record of who got what when). */
export interface Candidate {
  userId: number;
  login: string;
  /** false: archived in Odoo */
  active: boolean;
  /** open tickets assigned to them in Odoo, ours or not */
  openTickets: number;
  /** when we last assigned them a ticket; null: never */
  lastAssignedAt: Date | null;
}

export interface Roster {
  leader: Candidate | null;
  members: Candidate[];
}

export interface AssigneeChoice {
  userId: number;
  login: string;
  reason: 'leader' | 'workload';
}

/**
 * The assignee for a ticket of `priority` in a team, or null when nobody is available. `out`: logins
 * (lower case) or ids of people away (HELPDESK_OUT_USERS); `exclude`: ids not to choose (the assignee
 * a reassignment takes the ticket from). Pure.
 */
export function chooseAssignee(
  roster: Roster,
  priority: Priority,
  options: { out: ReadonlySet<string>; exclude?: readonly number[] },
): AssigneeChoice | null {
  const available = (c: Candidate) =>
    c.active &&
    !options.out.has(c.login.toLowerCase()) &&
    !options.out.has(String(c.userId)) &&
    !(options.exclude ?? []).includes(c.userId);
  const leader = roster.leader;
  if (ASSIGNMENT[priority] === 'leader' && leader && available(leader)) {
    return { userId: leader.userId, login: leader.login, reason: 'leader' };
  }
  const never = Number.NEGATIVE_INFINITY;
  const [best] = roster.members
    .filter(available)
    .sort(
      (a, b) =>
        a.openTickets - b.openTickets ||
        (a.lastAssignedAt?.getTime() ?? never) - (b.lastAssignedAt?.getTime() ?? never) ||
        a.userId - b.userId,
    );
  return best ? { userId: best.userId, login: best.login, reason: 'workload' } : null;
}

/**
 * Whether a ticket untouched by its assignee is due for reassignment: its assignee has done nothing on
 * it (since `assignedAt`, or since their last touch) for `afterHours[priority]`. Otherwise, when to look
 * again. Pure.
 */
export function reassignment(
  t: { priority: Priority; assignedAt: Date; lastTouchAt: Date | null },
  now: Date,
  afterHours: Record<Priority, number>,
): { due: true } | { due: false; checkAt: Date } {
  const since = Math.max(t.assignedAt.getTime(), t.lastTouchAt?.getTime() ?? 0);
  const checkAt = new Date(since + afterHours[t.priority] * 3_600_000);
  return checkAt.getTime() <= now.getTime() ? { due: true } : { due: false, checkAt };
}

/** An activity's due date (a Date, "YYYY-MM-DD", UTC): the end of the ticket's SLA at its priority. */
export function activityDeadline(now: Date, priority: Priority, slaHours: Record<Priority, number>): string {
  return new Date(now.getTime() + slaHours[priority] * 3_600_000).toISOString().slice(0, 10);
}
