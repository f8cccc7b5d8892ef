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
  const out: Partial<Record<Priority, number>> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const hours = Number(v);
    if (!PRIORITY_ORDER.includes(k as Priority) || !Number.isFinite(hours) || hours <= 0) {
      throw new Error(`bad SLA entry "${part}": use priority=hours, e.g. urgent=4`);
    }
    out[k as Priority] = hours;
  }
  for (const p of PRIORITY_ORDER) if (out[p] === undefined) throw new Error(`SLA for ${p} is missing`);
  return out as Record<Priority, number>;
}
