// The LMS seen by the rest of the service. One file per adapter implements it (rest first; moodle and
// odoo-elearning later), so every method speaks in business terms, not in one LMS's URLs.

export interface LmsStudent {
  /** `odoo-partner-<res.partner id>` */
  studentId: string;
  /** the student's own email; absent for a learner without one (a child), who then has `guardian` */
  email?: string;
  fullName: string;
  phone?: string;
  /** a login the LMS gives a student without an email: stable, from the res.partner id (loginForPartner) */
  login?: string;
  /** who the LMS writes to for a student without an email: the nearest parent contact, else the buyer */
  guardian?: { name: string; email: string };
}

export interface EnrollRequest {
  courseCode: string;
  student: LmsStudent;
  source: { orderId: number; orderName: string };
  /** The business key `enroll:<orderId>:<courseCode>:<studentId>`, sent as Idempotency-Key. */
  idempotencyKey: string;
}

export interface EnrollResult {
  enrollmentId: string;
  status: string;
  /** true when the LMS created it now, false when it already existed (or replayed the same key). */
  created: boolean;
}

export interface LmsEnrollment {
  enrollmentId: string;
  courseCode: string;
  studentId: string;
  /** the student's own email; "" for a student enrolled without one (reached through a guardian) */
  email: string;
  status: string;
  source: { orderId: number | null };
}

export interface LmsPage {
  items: LmsEnrollment[];
  nextCursor: string | null;
}

/**
 * The contract every adapter keeps (docs/lms-contract.md). Errors: implementations throw TransientError
 * (5xx, 429, 408, 409 in-flight, a refused token, timeouts, connection errors) or PermanentError (other
 * 4xx, e.g. unknown course → code `lms_unknown_course`) from src/lib/errors.ts. suspend() throws
 * PermanentError `lms_not_enrolled` when there is nothing to suspend; an adapter must say
 * `lms_unknown_course` only when the LMS really lacks the course, not for any 404.
 */
export interface LmsAdapter {
  readonly name: string;
  enroll(req: EnrollRequest): Promise<EnrollResult>;
  suspend(req: {
    courseCode: string;
    studentId: string;
    idempotencyKey: string;
    reason?: string;
  }): Promise<{ status: string }>;
  listEnrollments(cursor: string | null, limit: number): Promise<LmsPage>;
  listCourses(): Promise<Array<{ courseCode: string; title: string }>>;
  /** Cheap reachability check for /readyz. */
  ping(): Promise<void>;
}

export function studentIdForPartner(partnerId: number): string {
  return `odoo-partner-${partnerId}`;
}

/** The login of a learner without an email: derived from the partner id alone, so it never changes. */
export function loginForPartner(partnerId: number): string {
  return `learner-${partnerId}`;
}
