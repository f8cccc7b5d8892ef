// The reconciliation diff: paid order lines (Odoo) against enrollments (LMS) → findings. Pure: it takes
// data and returns data, so the run loop stays a thin shell and the rules are tested with tables.
//
// Decisions the rules below encode:
// - "Enrolled" means status active or completed (isEnrolled). A paid student whose only enrollment is
//   suspended (or in a status we do not know) is missing_enrollment; the enroll upsert reactivates it.
// - Several paid orders for one (course, student) expect one enrollment: one missing_enrollment listing
//   them all, repaired with the earliest (lowest id) order. A later order then changes neither the
//   business key nor the fingerprint, and the key is the one the first order's webhook used.
// - An enrollment no paid line covers is unpaid_enrollment only when its source order is one we know as
//   unpaid/refunded. No order, or an order we do not know, means it was made in the LMS by hand: not ours.
// - A paid student not enrolled under their id while their email is enrolled in that course under
//   another id is student_mismatch, not missing_enrollment: enrolling would add a second identity.
// - A paid line with no course code, or one the LMS does not know, is course_unmapped and nothing else.
//
// Fingerprints are `<kind>:<orderId|->:<courseCode|->:<student part>`, with orderId the repair's order
// (missing_enrollment, student_mismatch), the line's order (course_unmapped; course part `#line<lineId>`
// when the code is null) or the unpaid source order (unpaid_enrollment); duplicate_enrollment has no
// order and its student part is the sorted student ids joined by `+`.
import { buildIndex, ENROLLED, ENROLLMENT, LINE, normalizeEmail, UNPAID_SOURCE } from './diff-index';
import type { DiffIndex } from './diff-index';
import {
  courseUnmapped,
  duplicateEnrollment,
  emailMismatch,
  identityMismatch,
  missingEnrollment,
  unassignedSeats,
  unpaidEnrollment,
} from './diff-findings';
import { hash64Into } from './diff-table';
import { FINDING_KINDS } from './diff-types';
import type { DiffOptions, Enrollment, Finding, FindingKind, CourseOrderLine } from './diff-types';

export * from './diff-types';

type Policy = 'report' | 'suspend';

// Item numbers (positions in ix.lines / ix.enrollments) travel through the hot path; enrollment objects
// are read only to build a finding or for a rare key (several enrollments for one student and course).

/** The items of one list of the join, from its first item; for enrollments, only those with `bit`. */
function itemsOf<T>(ix: DiffIndex, list: number, first: number, items: readonly T[], bit = 0): T[] {
  const out: T[] = [];
  for (let i = first; i >= 0; i = ix.join.next(list, i)) {
    if (list === LINE || (ix.enrollmentFlags[i]! & bit) === bit) out.push(items[i]!);
  }
  return out;
}

function earliest(ix: DiffIndex, first: number): CourseOrderLine {
  let best = ix.lines[first]!;
  for (let i = ix.join.next(LINE, first); i >= 0; i = ix.join.next(LINE, i)) {
    const l = ix.lines[i]!;
    if (l.orderId < best.orderId || (l.orderId === best.orderId && l.lineId < best.lineId)) best = l;
  }
  return best;
}

function anyFlagged(ix: DiffIndex, first: number, bit: number): boolean {
  for (let i = first; i >= 0; i = ix.join.next(ENROLLMENT, i)) if (ix.enrollmentFlags[i]! & bit) return true;
  return false;
}

const lineEmail = new Int32Array(2); // scratch: the hash of the paid line's email being checked

/** The paid student is enrolled under their id: the enrolled email must be theirs. */
function checkIdentity(ix: DiffIndex, line: CourseOrderLine, firstEnrollment: number, out: Finding[]): void {
  if (line.email === null) return;
  hash64Into(normalizeEmail(line.email), lineEmail, 0);
  const hashes = ix.enrollmentEmails;
  let wrong: Enrollment[] | undefined;
  for (let i = firstEnrollment; i >= 0; i = ix.join.next(ENROLLMENT, i)) {
    const same = hashes[2 * i] === lineEmail[0] && hashes[2 * i + 1] === lineEmail[1];
    if (ix.enrollmentFlags[i]! & ENROLLED && !same) (wrong ??= []).push(ix.enrollments[i]!);
  }
  if (wrong !== undefined) out.push(emailMismatch(line, wrong));
}

/** Enrolled enrollments in course number `course` with this email (normalised), under any student id. */
function enrolledWithEmail(ix: DiffIndex, course: number, email: string): Enrollment[] {
  hash64Into(email, lineEmail, 0);
  const found: Enrollment[] = [];
  for (let i = ix.byEmail.first(course, lineEmail[0]!); i >= 0; i = ix.byEmail.next(i)) {
    const e = ix.enrollments[i]!;
    if (normalizeEmail(e.email) === email) found.push(e); // a shared hash is not a shared email
  }
  return found;
}

function checkMissing(ix: DiffIndex, slot: number, line: CourseOrderLine, out: Finding[]): void {
  const course = ix.join.keyA(slot);
  const others = line.email === null ? [] : enrolledWithEmail(ix, course, normalizeEmail(line.email));
  if (others.length > 0) {
    out.push(identityMismatch(line, others));
    return;
  }
  const lines = itemsOf(ix, LINE, ix.join.firstAt(LINE, slot), ix.lines);
  const orderIds = [...new Set(lines.map((l) => l.orderId))].sort((a, b) => a - b);
  const present = itemsOf(ix, ENROLLMENT, ix.join.firstAt(ENROLLMENT, slot), ix.enrollments);
  out.push(missingEnrollment(line, orderIds, present));
}

/**
 * Paid keys, visited in line order (sequential reads of the line objects), each once: at the line that
 * heads its list in the join.
 */
function checkPaidLines(ix: DiffIndex, out: Finding[]): void {
  const { lines, join } = ix;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.paymentStatus !== 'paid' || line.courseCode === null) continue;
    const slot = join.slot(ix.courses.get(line.courseCode)!, line.partnerId);
    if (join.firstAt(LINE, slot) !== i) continue;
    const paid = join.next(LINE, i) < 0 ? line : earliest(ix, i);
    if (!paid.knownCourse) continue; // reported as course_unmapped
    const firstEnrollment = join.firstAt(ENROLLMENT, slot);
    if (firstEnrollment >= 0 && anyFlagged(ix, firstEnrollment, ENROLLED)) {
      checkIdentity(ix, paid, firstEnrollment, out);
    } else {
      checkMissing(ix, slot, paid, out);
    }
  }
}

/** Enrolled, no paid line covers it: report only when its source order is known unpaid/refunded. */
function checkUnpaid(ix: DiffIndex, firstEnrollment: number, policy: Policy, out: Finding[]): void {
  if (!anyFlagged(ix, firstEnrollment, UNPAID_SOURCE)) return;
  const hits = itemsOf(ix, ENROLLMENT, firstEnrollment, ix.enrollments, UNPAID_SOURCE);
  const orders = hits.map((e) => ix.unpaidOrders.get(e.source.orderId!)!);
  const order = orders.reduce((a, b) => (b.orderId < a.orderId ? b : a));
  out.push(unpaidEnrollment(hits, order, policy));
}

/** Enrolled keys, in slot order: only typed arrays are read unless there is something to report. */
function checkEnrollmentKeys(ix: DiffIndex, policy: Policy, out: Finding[]): void {
  const { join } = ix;
  for (let slot = 0; slot < join.capacity; slot++) {
    const first = join.firstAt(ENROLLMENT, slot);
    if (first < 0) continue;
    if (join.next(ENROLLMENT, first) >= 0) {
      const enrolled = itemsOf(ix, ENROLLMENT, first, ix.enrollments, ENROLLED);
      if (enrolled.length > 1) out.push(duplicateEnrollment(enrolled[0]!.courseCode, enrolled, false));
    }
    if (join.firstAt(LINE, slot) < 0) checkUnpaid(ix, first, policy, out);
  }
}

/** Several student ids enrolled with one email in one course. */
function checkEmails(ix: DiffIndex, out: Finding[]): void {
  const { byEmail, enrollments } = ix;
  for (let slot = 0; slot < byEmail.capacity; slot++) {
    const first = byEmail.firstAt(slot);
    if (first < 0 || byEmail.next(first) < 0) continue;
    const groups = new Map<string, Enrollment[]>(); // split what only shares a hash
    for (let i = first; i >= 0; i = byEmail.next(i)) {
      const e = enrollments[i]!;
      const email = normalizeEmail(e.email);
      groups.set(email, [...(groups.get(email) ?? []), e]);
    }
    for (const group of groups.values()) {
      if (group.some((e) => e.studentId !== group[0]!.studentId)) {
        out.push(duplicateEnrollment(group[0]!.courseCode, group, true));
      }
    }
  }
}

function byKindThenFingerprint(a: Finding, b: Finding): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/**
 * Findings sorted by kind then fingerprint, one per fingerprint (two identical unmapped lines of one
 * order are one problem). `lines` holds every course line, paid or not; see the header for the rules.
 */
export function diff(
  lines: readonly CourseOrderLine[],
  enrollments: readonly Enrollment[],
  options: DiffOptions = {},
): Finding[] {
  const policy = options.unpaidPolicy ?? 'report';
  const ix = buildIndex(lines, enrollments);
  const out = ix.unmapped.map(courseUnmapped);
  for (const seats of options.unassignedSeats ?? []) out.push(unassignedSeats(seats));
  checkPaidLines(ix, out);
  checkEnrollmentKeys(ix, policy, out);
  checkEmails(ix, out);
  out.sort(byKindThenFingerprint);
  return out.filter((f, i) => i === 0 || f.fingerprint !== out[i - 1]!.fingerprint);
}

export function countByKind(findings: readonly Finding[]): Record<FindingKind, number> {
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const f of findings) counts[f.kind] += 1;
  return counts;
}
