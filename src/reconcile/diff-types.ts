import type { LmsEnrollment } from '../lms';

// The data the reconciliation diff takes and returns. Plain shapes only: the shells (the Odoo reader,
// the LMS pager) map their sources into these, and the report stores a Finding as it is.

export type PaymentStatus = 'paid' | 'unpaid' | 'refunded';

/**
 * One course line of a sale order, whatever its payment state. Unpaid and refunded lines are passed
 * too: they are how an enrollment backed only by an unpaid/refunded order is recognised.
 */
export interface CourseOrderLine {
  orderId: number;
  orderName: string;
  lineId: number;
  /** The product's Internal Reference; null when the course product has none. */
  courseCode: string | null;
  /** the learner's res.partner id (the customer's unless LEARNER_SOURCE says otherwise) */
  partnerId: number;
  /** the learner's own email */
  email: string | null;
  /** for a learner without one: the guardian's (or the buyer's) address the LMS writes to instead */
  guardianEmail?: string | null;
  fullName: string;
  /** Order-level: `partial` and `not_paid` invoices arrive here as `unpaid`. */
  paymentStatus: PaymentStatus;
  /** The LMS knows `courseCode` (from its course list). */
  knownCourse: boolean;
}

/** A paid course line with seats that no learner is named for yet (LEARNER_SOURCE attendees). */
export interface UnassignedSeats {
  orderId: number;
  orderName: string;
  lineId: number;
  courseCode: string | null;
  seats: number;
  assigned: number;
}

/** One LMS enrollment, as the adapter lists it. `studentId` is `odoo-partner-<id>` for ours; anything else
 *  was created in the LMS by hand. `status` is 'active' | 'completed' | 'suspended' | ... */
export type Enrollment = LmsEnrollment;

export const FINDING_KINDS = [
  'course_unmapped',
  'duplicate_enrollment',
  'missing_enrollment',
  'student_mismatch',
  'unassigned_seats',
  'unpaid_enrollment',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Repair {
  action: 'enroll' | 'suspend' | 'none';
  /** `enroll:<orderId>:<courseCode>:<studentId>` or `suspend:<orderId>:<courseCode>:<studentId>`. */
  businessKey?: string;
}

export interface Finding {
  kind: FindingKind;
  /** Stable across runs for the same problem, so a finding that reappears keeps its ticket (see diff.ts). */
  fingerprint: string;
  orderId: number | null;
  orderName: string | null;
  courseCode: string | null;
  studentId: string | null;
  /** Kept for the report; logs mask it. Never part of the fingerprint or the detail. */
  email: string | null;
  /** Sorted. */
  enrollmentIds: string[];
  /** One human sentence. */
  detail: string;
  repair: Repair;
}

export interface DiffOptions {
  /** What to propose for unpaid_enrollment: `report` (default, no repair) or `suspend`. */
  unpaidPolicy?: 'report' | 'suspend';
  /** Paid seats without a learner: each line is an `unassigned_seats` finding (never a repair). */
  unassignedSeats?: readonly UnassignedSeats[];
}
