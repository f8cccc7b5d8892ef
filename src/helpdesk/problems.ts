// The problems that need a person, in one shape whatever their source, and their ticket fingerprint:
// one open ticket per (kind, order, course), never one per run or per delivery.
import { partnerIdOf } from '../reconcile';
import type { Finding } from '../reconcile';
import type { ProblemKind } from './rules';

export interface Problem {
  kind: ProblemKind;
  source: 'dead_letter' | 'reconcile';
  orderId: number | null;
  orderName: string | null;
  courseCode: string | null;
  studentId: string | null;
  /** since when a paid student has been waiting (for the urgent rule) */
  blockedSince: Date | null;
  /** one sentence: what happened */
  summary: string;
  /** what the service already tried: attempts with their errors, the repair, the run */
  tried: string[];
}

export function ticketFingerprint(
  kind: ProblemKind,
  orderId: number | null,
  courseCode: string | null,
): string {
  return `${kind}:${orderId ?? '-'}:${courseCode ?? '-'}`;
}

export function partnerIdFromStudent(studentId: string | null): number | null {
  if (!studentId) return null;
  const id = partnerIdOf(studentId);
  return id > 0 ? id : null;
}

/** SEATS_TICKET_AFTER_DAYS's default: paid seats without a learner this long become one ticket per order. */
export const DEFAULT_SEATS_TICKET_AFTER_DAYS = 14;

/** Dead-letter reason codes that are data problems for Ops rather than a failed system. */
const DATA_REASONS: Record<string, ProblemKind> = {
  course_unmapped: 'course_unmapped',
  lms_unknown_course: 'course_unmapped',
  missing_email: 'missing_email',
};

export function kindForDeadLetter(reasonCode: string): ProblemKind {
  return DATA_REASONS[reasonCode] ?? 'enrollment_failed';
}

/** `enroll:<orderId>:<courseCode>:<studentId>` → its parts (null when the key has another shape). */
export function parseBusinessKey(
  key: string | null,
): { orderId: number; courseCode: string; studentId: string } | null {
  const m = key ? /^(?:enroll|suspend):(\d+):([^:]+):(.+)$/.exec(key) : null;
  return m ? { orderId: Number(m[1]), courseCode: m[2] as string, studentId: m[3] as string } : null;
}

/**
 * Which reconciliation findings need a person, and as which kind. A missing enrollment with a repair
 * queued is not a ticket yet: only when it has lasted past the urgent limit (the repairs keep failing).
 */
export function problemKindForFinding(
  f: Finding,
  firstSeenAt: Date,
  now: Date,
  urgentAfterHours: number,
  seatsTicketAfterDays = DEFAULT_SEATS_TICKET_AFTER_DAYS,
): ProblemKind | null {
  switch (f.kind) {
    case 'course_unmapped':
    case 'student_mismatch':
      return f.kind;
    case 'unpaid_enrollment':
      return f.repair.action === 'none' ? 'unpaid_enrollment' : null;
    case 'missing_enrollment':
      if (f.repair.action === 'none') return 'missing_email';
      return (now.getTime() - firstSeenAt.getTime()) / 3_600_000 >= urgentAfterHours
        ? 'missing_enrollment'
        : null;
    case 'duplicate_enrollment':
      return null; // informational: in the report, not worth a person's queue
    case 'unassigned_seats':
      // waiting for the customer to name learners: pending, until it has lasted too long
      return (now.getTime() - firstSeenAt.getTime()) / 86_400_000 >= seatsTicketAfterDays
        ? 'seats_unassigned'
        : null;
  }
}
