// The indexes the diff builds, reading each input once, in order. Keys are numbers (see PairTable): a
// course code becomes a small integer, `odoo-partner-<id>` the partner id, a hand-made student id a
// negative number. What the checks need of each enrollment (flags, email hash) is copied into typed
// arrays, so that walking a million keys in hash order does not chase a million objects around the heap.
import { GroupTable, hash64Into, PairTable } from './diff-table';
import type { Enrollment, CourseOrderLine } from './diff-types';

/** List numbers in `join`. */
export const LINE = 0;
export const ENROLLMENT = 1;

/** Bits of `enrollmentFlags`. */
export const ENROLLED = 1;
export const UNPAID_SOURCE = 2;

export interface DiffIndex {
  lines: readonly CourseOrderLine[];
  enrollments: readonly Enrollment[];
  /** (course, student) → LINE: paid lines with a course code (known or not); ENROLLMENT: every enrollment. */
  join: PairTable;
  /** (course, first email hash) → enrolled enrollments with a non-empty email. */
  byEmail: GroupTable;
  /** course code → course number (≥ 1), as in the keys. */
  courses: Map<string, number>;
  /** order id → its first unpaid/refunded line (an enrollment sourced from it and covered by no paid line is unpaid). */
  unpaidOrders: Map<number, CourseOrderLine>;
  /** Paid lines with no course code or a code the LMS does not know. */
  unmapped: CourseOrderLine[];
  enrollmentFlags: Uint8Array;
  enrollmentCourses: Int32Array;
  /** 64-bit hashes of normalised emails of enrolled enrollments, two int32 each (see hash64Into). */
  enrollmentEmails: Int32Array;
}

const PREFIX = 'odoo-partner-';
const MAX_DIGITS = 9; // partner ids are PostgreSQL integers; 9 digits always fit an int32

/**
 * The partner id of a canonical `odoo-partner-<id>`, parsed without slicing (it runs per enrollment);
 * -1 for anything else (leading zero, other prefix), which is then never taken for a paid partner.
 */
export function partnerIdOf(studentId: string): number {
  const start = PREFIX.length;
  const len = studentId.length;
  if (len === start || len > start + MAX_DIGITS || !studentId.startsWith(PREFIX)) return -1;
  if (studentId.charCodeAt(start) === 48) return -1;
  let n = 0;
  for (let i = start; i < len; i++) {
    const digit = studentId.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Statuses that give the student the course. `completed` counts: re-enrolling a graduate would be wrong.
 * Anything else (suspended, or a status this code does not know) is "not enrolled" for a paid student.
 */
export function isEnrolled(e: Enrollment): boolean {
  return e.status === 'active' || e.status === 'completed';
}

function courseNumber(ix: DiffIndex, code: string): number {
  let id = ix.courses.get(code);
  if (id === undefined) ix.courses.set(code, (id = ix.courses.size + 1));
  return id;
}

/** -1, -2, ... for student ids that are not `odoo-partner-<id>`: they never meet a paid line's key. */
function handMadeNumber(numbers: Map<string, number>, studentId: string): number {
  let n = numbers.get(studentId);
  if (n === undefined) numbers.set(studentId, (n = -(numbers.size + 1)));
  return n;
}

function indexLines(ix: DiffIndex): void {
  const { lines, join } = ix;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.paymentStatus !== 'paid') {
      if (!ix.unpaidOrders.has(line.orderId)) ix.unpaidOrders.set(line.orderId, line);
      continue;
    }
    if (line.courseCode === null || !line.knownCourse) ix.unmapped.push(line);
    // A paid line with an unknown code still backs an enrollment in that code, so it is joined too.
    if (line.courseCode !== null) join.add(LINE, courseNumber(ix, line.courseCode), line.partnerId, i);
  }
}

function indexEnrollments(ix: DiffIndex): void {
  const { enrollments, join, enrollmentFlags, enrollmentCourses, enrollmentEmails } = ix;
  const handMade = new Map<string, number>();
  for (let i = 0; i < enrollments.length; i++) {
    const e = enrollments[i]!;
    const course = courseNumber(ix, e.courseCode);
    const partnerId = partnerIdOf(e.studentId);
    join.add(ENROLLMENT, course, partnerId >= 0 ? partnerId : handMadeNumber(handMade, e.studentId), i);
    if (!isEnrolled(e)) continue;
    const order = e.source.orderId;
    enrollmentFlags[i] = ENROLLED | (order !== null && ix.unpaidOrders.has(order) ? UNPAID_SOURCE : 0);
    enrollmentCourses[i] = course;
    const email = normalizeEmail(e.email);
    hash64Into(email, enrollmentEmails, i);
    if (email !== '') ix.byEmail.add(i);
  }
}

/**
 * Most (course, student) keys are on both sides, so the union is a little above the larger side: 10%
 * headroom avoids growing (which doubles the table) for the usual few thousand differences.
 */
function expectedKeys(lines: number, enrollments: number): number {
  return Math.min(lines + enrollments, Math.ceil(Math.max(lines, enrollments) * 1.1));
}

export function buildIndex(lines: readonly CourseOrderLine[], enrollments: readonly Enrollment[]): DiffIndex {
  const enrollmentCourses = new Int32Array(enrollments.length);
  const enrollmentEmails = new Int32Array(2 * enrollments.length);
  const ix: DiffIndex = {
    lines,
    enrollments,
    join: new PairTable([lines.length, enrollments.length], expectedKeys(lines.length, enrollments.length)),
    byEmail: new GroupTable(enrollmentCourses, enrollmentEmails, 2, enrollments.length),
    courses: new Map(),
    unpaidOrders: new Map(),
    unmapped: [],
    enrollmentFlags: new Uint8Array(enrollments.length),
    enrollmentCourses,
    enrollmentEmails,
  };
  indexLines(ix); // first: enrollments look up unpaidOrders
  indexEnrollments(ix);
  return ix;
}
