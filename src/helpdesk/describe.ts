// The ticket's description: what happened, the order, the student, the course, what the service
// already tried, and what a person should do. HTML, every value escaped.
import { escapeHtml } from '../lib';
import { boundForeignText } from '../lib';
import { odooRecordLink } from '../odoo';
import type { Problem } from './problems';
import type { ProblemKind } from './rules';

const NEXT_STEP: Record<ProblemKind, string> = {
  held_run:
    'Check the LMS: an empty or partial enrollment list made the reconciliation hold its repairs. When the LMS answers normally again, run `lms-sync reconcile --dry-run`, read the report, then run it for real. If this was the first run against an LMS that has none of these enrollments yet (a new installation), run `lms-sync reconcile --backfill` once: it lifts the brake for that run only.',
  enrollment_failed:
    'Look at the errors below. If the LMS refused the data, fix it in Odoo (student, course) or in the LMS; if the LMS was down, check it is up. Then click Retry Enrollment on the order (or replay the dead letter).',
  missing_enrollment:
    'The nightly repair has not managed to enroll this paid student. Check the LMS and the order, then click Retry Enrollment.',
  missing_email: 'Add an email address to the customer in Odoo, then click Retry Enrollment on the order.',
  course_unmapped:
    'Give the course product an Internal Reference equal to the LMS course code (or create the course in the LMS), then click Retry Enrollment on the order.',
  student_mismatch:
    'The LMS holds this student under another identity or email. Decide which one is right, correct it in Odoo or the LMS; the next reconciliation closes this ticket.',
  unpaid_enrollment:
    'This student is enrolled but the order is not paid (or was refunded). Decide: suspend the enrollment in the LMS, or sort out the payment in Odoo.',
  duplicate_enrollment:
    'The same person is enrolled twice in one course. Remove the extra enrollment in the LMS.',
  seats_unassigned:
    'The customer paid for seats that still have no learner. Ask them for the names, then on the order click Assign learners and name a contact per seat: they are enrolled at once, and the next reconciliation closes this ticket.',
};

export function orderLink(odooUrl: string, orderId: number): string {
  return odooRecordLink(odooUrl, 'sale.order', orderId);
}

export function describeProblem(
  p: Problem,
  ctx: { previousReference: string | null; odooUrl: string },
): string {
  const rows: Array<[string, string]> = [];
  if (p.orderId !== null) {
    const name = escapeHtml(p.orderName ?? String(p.orderId));
    rows.push(['Order', `<a href="${escapeHtml(orderLink(ctx.odooUrl, p.orderId))}">${name}</a>`]);
  }
  if (p.studentId) rows.push(['Student', escapeHtml(p.studentId)]);
  if (p.courseCode) rows.push(['Course', escapeHtml(p.courseCode)]);
  if (p.blockedSince)
    rows.push([
      'Waiting since',
      escapeHtml(p.blockedSince.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'),
    ]);
  const table = rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  const tried = p.tried.length
    ? `<p><b>What the service already tried</b></p><ul>${p.tried.map((t) => `<li>${escapeHtml(boundForeignText(t, 600))}</li>`).join('')}</ul>`
    : '';
  const previous = ctx.previousReference
    ? `<p>This problem came back after ticket ${escapeHtml(ctx.previousReference)} was closed.</p>`
    : '';
  return [
    `<p><b>What happened</b>: ${escapeHtml(boundForeignText(p.summary))}</p>`,
    table ? `<table>${table}</table>` : '',
    tried,
    `<p><b>What to do</b>: ${escapeHtml(NEXT_STEP[p.kind])}</p>`,
    previous,
    '<p><i>Opened by odoo-lms-sync. It closes itself when the problem heals.</i></p>',
  ].join('');
}
