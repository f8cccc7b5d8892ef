// How each kind of finding reads: its fingerprint, its sentence, its proposed repair. Called only for
// differences (few per run), so clarity wins over allocation here. Emails stay out of the fingerprint
// and the sentence: both end up in logs and ticket titles.
import { studentIdForPartner } from '../lms';
import { normalizeEmail } from './diff-index';
import type {
  Enrollment,
  Finding,
  FindingKind,
  CourseOrderLine,
  Repair,
  UnassignedSeats,
} from './diff-types';

const NONE: Repair = { action: 'none' };

export function fingerprint(
  kind: FindingKind,
  orderId: number | null,
  course: string | null,
  student: string | null,
): string {
  return `${kind}:${orderId ?? '-'}:${course ?? '-'}:${student ?? '-'}`;
}

function ids(enrollments: readonly Enrollment[]): string[] {
  return enrollments.map((e) => e.enrollmentId).sort();
}

type FromLine = Pick<Finding, 'kind' | 'enrollmentIds' | 'detail'> & { repair?: Repair; fpCourse?: string };

/** A finding about a paid line: order, course, student and email come from the line. */
function fromLine(line: CourseOrderLine, parts: FromLine): Finding {
  const studentId = studentIdForPartner(line.partnerId);
  return {
    kind: parts.kind,
    fingerprint: fingerprint(parts.kind, line.orderId, parts.fpCourse ?? line.courseCode, studentId),
    orderId: line.orderId,
    orderName: line.orderName,
    courseCode: line.courseCode,
    studentId,
    email: line.email,
    enrollmentIds: parts.enrollmentIds,
    detail: parts.detail,
    repair: parts.repair ?? NONE,
  };
}

/** `orderIds` lists every paid order covering the (course, student); `line` is the earliest one's. */
export function missingEnrollment(line: CourseOrderLine, orderIds: number[], present: Enrollment[]): Finding {
  const studentId = studentIdForPartner(line.partnerId);
  const course = line.courseCode ?? '';
  const statuses = [...new Set(present.map((e) => e.status))].sort().join('/');
  let detail =
    present.length === 0
      ? `paid order ${line.orderName} has no enrollment for ${studentId} in ${course}`
      : `paid order ${line.orderName} but the enrollment of ${studentId} in ${course} is ${statuses}; the repair reactivates it`;
  if (orderIds.length > 1) {
    detail += `; paid orders ${orderIds.join(', ')} all cover it, the repair uses the earliest (${line.orderId})`;
  }
  const businessKey = `enroll:${line.orderId}:${course}:${studentId}`;
  // With no email anywhere (the learner's, a parent contact's, the buyer's) the enrollment cannot be made:
  // a repair would only dead-letter again each night.
  const unreachable = line.email === null && !line.guardianEmail;
  if (unreachable)
    detail +=
      '; the learner has no email address in Odoo, nor has a parent contact or the customer: add one, then Retry Enrollment';
  return fromLine(line, {
    kind: 'missing_enrollment',
    enrollmentIds: ids(present),
    detail,
    repair: unreachable ? { action: 'none' } : { action: 'enroll', businessKey },
  });
}

/** Enrolled under the paid student's id, but with another email. */
export function emailMismatch(line: CourseOrderLine, mismatched: Enrollment[]): Finding {
  const studentId = studentIdForPartner(line.partnerId);
  return fromLine(line, {
    kind: 'student_mismatch',
    enrollmentIds: ids(mismatched),
    detail: `${studentId} is enrolled in ${line.courseCode} with another email than paid order ${line.orderName}`,
  });
}

/** Not enrolled under the paid student's id, but the paid email is, under other ids. */
export function identityMismatch(line: CourseOrderLine, others: Enrollment[]): Finding {
  const otherIds = [...new Set(others.map((e) => e.studentId))].sort().join(', ');
  return fromLine(line, {
    kind: 'student_mismatch',
    enrollmentIds: ids(others),
    detail:
      `the email of paid order ${line.orderName} is enrolled in ${line.courseCode} under ${otherIds}, ` +
      `not ${studentIdForPartner(line.partnerId)}; not enrolling a second identity`,
  });
}

export function courseUnmapped(line: CourseOrderLine): Finding {
  const detail =
    line.courseCode === null
      ? `paid order ${line.orderName} (line ${line.lineId}) sells a course product with no course code`
      : `paid order ${line.orderName} sells course ${line.courseCode}, which the LMS does not know`;
  // Without a code, the line id is what tells two such lines of one order apart.
  const fpCourse = line.courseCode ?? `#line${line.lineId}`;
  return fromLine(line, { kind: 'course_unmapped', enrollmentIds: [], detail, fpCourse });
}

/** `order` is an unpaid/refunded line of the earliest source order of `enrollments`. */
export function unpaidEnrollment(
  enrollments: Enrollment[],
  order: CourseOrderLine,
  policy: 'report' | 'suspend',
): Finding {
  const first = enrollments[0]!;
  const { courseCode, studentId } = first;
  const businessKey = `suspend:${order.orderId}:${courseCode}:${studentId}`;
  return {
    kind: 'unpaid_enrollment',
    fingerprint: fingerprint('unpaid_enrollment', order.orderId, courseCode, studentId),
    orderId: order.orderId,
    orderName: order.orderName,
    courseCode,
    studentId,
    email: first.email,
    enrollmentIds: ids(enrollments),
    detail: `${studentId} is enrolled in ${courseCode} from order ${order.orderName}, which is ${order.paymentStatus}, and no paid order covers it`,
    repair: policy === 'suspend' ? { action: 'suspend', businessKey } : NONE,
  };
}

/** Several enrolled enrollments under one student id, or under several ids sharing one email. */
export function duplicateEnrollment(course: string, enrolled: Enrollment[], sameEmail: boolean): Finding {
  const studentIds = [...new Set(enrolled.map((e) => e.studentId))].sort();
  const studentId = sameEmail ? null : studentIds[0]!;
  const detail = sameEmail
    ? `one email is enrolled in ${course} under ${studentIds.length} student ids: ${studentIds.join(', ')}`
    : `${studentId} has ${enrolled.length} enrollments in ${course}`;
  return {
    kind: 'duplicate_enrollment',
    fingerprint: fingerprint('duplicate_enrollment', null, course, studentIds.join('+')),
    orderId: null,
    orderName: null,
    courseCode: course,
    studentId,
    email: sameEmail ? normalizeEmail(enrolled[0]!.email) : enrolled[0]!.email,
    enrollmentIds: ids(enrolled),
    detail,
    repair: NONE,
  };
}

/** Seats paid for and not named yet: nothing to enroll and nothing to repair, until a learner is named. */
export function unassignedSeats(s: UnassignedSeats): Finding {
  const course = s.courseCode ?? `#line${s.lineId}`;
  return {
    kind: 'unassigned_seats',
    fingerprint: fingerprint('unassigned_seats', s.orderId, course, `#line${s.lineId}`),
    orderId: s.orderId,
    orderName: s.orderName,
    courseCode: s.courseCode,
    studentId: null,
    email: null,
    enrollmentIds: [],
    detail: `paid order ${s.orderName}: ${s.assigned} of ${s.seats} seats in ${course} assigned; ${s.seats - s.assigned} have no learner yet (Assign learners on the order)`,
    repair: NONE,
  };
}
