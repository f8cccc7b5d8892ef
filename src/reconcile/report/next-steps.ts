// What a person does about each finding: the record to open, the field to change, then what follows.
// A Record over FindingKind, so a new kind does not compile until it has its next step.
import type { FindingKind } from '../diff-types';
import type { FindingAction } from './types';

export interface StepContext {
  courseCode: string | null;
  action: FindingAction;
}

const THEN =
  'then click Retry Enrollment on the order in Odoo, or wait for the next run: it heals and its ticket closes.';

const BY_KIND: Record<FindingKind, (c: StepContext) => string> = {
  course_unmapped: ({ courseCode }) =>
    courseCode === null
      ? `The course product on the order line has no Internal Reference. In Odoo open the product (Sales › Products), set Internal Reference (default_code) to the LMS course code, ${THEN}`
      : `The LMS has no course ${courseCode}. In Odoo open the product whose Internal Reference (default_code) is ${courseCode} (Sales › Products) and correct it to the LMS course code, or create course ${courseCode} in the LMS; ${THEN}`,
  missing_enrollment: () =>
    `No repair could be sent: the learner has no email address, nor has any parent contact or the customer. In Odoo open the learner (the order's customer, or its delivery address or named learner) or a parent contact, fill in Email, ${THEN}`,
  student_mismatch: ({ courseCode }) =>
    `The student is in the LMS${courseCode ? ` course ${courseCode}` : ''} under another identity or email, so the service will not enroll a second one. Decide which is right: correct the customer's Email in Odoo, or fix or merge the LMS account; ${THEN}`,
  unpaid_enrollment: () =>
    "The enrollment is backed only by an unpaid or refunded order. Check the order's invoices in Odoo: if it was paid, register the payment; if the refund stands, suspend the enrollment in the LMS (RECONCILE_UNPAID_POLICY=suspend does it at each run). The next run heals it.",
  unassigned_seats: ({ courseCode }) =>
    `Seats${courseCode ? ` of ${courseCode}` : ''} are paid for and not assigned to learners yet. In Odoo open the order, click Assign learners and name a contact per seat: they are enrolled at once, and the next run heals it.`,
  duplicate_enrollment: ({ courseCode }) =>
    `The LMS holds several enrollments${courseCode ? ` in ${courseCode}` : ''} for one student. In the LMS keep one and remove the others (their ids are in the JSON and CSV); the next run heals it.`,
};

/** The next step for one finding: a queued, held or dry-run repair says so; a reported one, its fix. */
export function nextStep(kind: FindingKind, c: StepContext): string {
  switch (c.action) {
    case 'repair_queued':
    case 'suspend_queued':
      return "Nothing to do: a repair is queued and the next run checks it. If the finding comes back, open the repair event's story.";
    case 'held':
      return 'Held by the safety brake: check the LMS and Odoo listings (an empty or partial listing fires it), then run again. If it is the first run against an LMS that has none of these enrollments yet, run lms-sync reconcile --backfill once.';
    case 'dry_run':
      return 'Dry run: nothing was sent. Run without --dry-run: it queues what can be repaired and says how to fix the rest.';
    case 'reported':
      return BY_KIND[kind](c);
  }
}

/** Whether a person is needed: anything but a queued repair. */
export const needsPerson = (action: FindingAction): boolean =>
  action !== 'repair_queued' && action !== 'suspend_queued';
