import type { ActionFailure } from '../../../src/enrollment/outcome';
import {
  attemptLine,
  deadLetterProblem,
  findingProblem,
  healedTickets,
  needsTicket,
  type OpenTicketRow,
} from '../../../src/helpdesk/hooks';
import type { Finding } from '../../../src/reconcile/diff-types';
import { problemKindForFinding } from '../../../src/helpdesk/problems';
import { triage } from '../../../src/helpdesk/rules';

const TEAMS = { system: 'Technical Support', data: 'Ops' };

const msg: Parameters<typeof deadLetterProblem>[0] = {
  messageId: '7c0d0c5e-3f7a-4b8e-9a59-5d2a0c7b1e11',
  eventId: '0b7f6a3e-2d4c-4e9b-8f1a-6c5d4e3b2a19',
  trigger: 'order.paid',
  orderId: 7,
  orderName: 'S00007',
  acceptedAt: '2026-11-24T09:30:00.000Z',
};

const failure = (
  businessKey: string | null,
  code: string,
  over: Partial<ActionFailure> = {},
): ActionFailure => ({
  businessKey,
  code,
  message: 'the LMS said no',
  permanent: true,
  ...over,
});

const finding = (kind: Finding['kind'], orderId: number, courseCode: string): Finding => ({
  kind,
  fingerprint: `${kind}|${orderId}|${courseCode}`,
  orderId,
  orderName: `S0000${orderId}`,
  courseCode,
  studentId: 'odoo-partner-3',
  email: 'ada@example.com',
  enrollmentIds: [],
  detail: `${kind} on S0000${orderId}`,
  repair: { action: 'none' },
});

const ticket = (kind: OpenTicketRow['kind'], orderId: number, courseCode: string): OpenTicketRow => ({
  fingerprint: `${kind}:${orderId}:${courseCode}`,
  kind,
  order_id: orderId,
  course_code: courseCode,
});

describe('helpdesk hooks: dead letters', () => {
  it.each([
    ['an enrollment that failed: a ticket', failure('enroll:7:PY-K12:odoo-partner-3', 'lms_rejected'), true],
    [
      'a course the LMS does not know: a ticket',
      failure('enroll:7:PY-K12:odoo-partner-3', 'lms_unknown_course'),
      true,
    ],
    [
      'only the write-back to Odoo failed: no ticket',
      failure('enroll:7:PY-K12:odoo-partner-3', 'odoo_writeback_failed'),
      false,
    ],
  ])('%s', (_label, f, expected) => {
    expect(needsTicket(f)).toBe(expected);
  });

  it.each([
    [
      'an enroll of a mapped course',
      failure('enroll:7:PY-K12:odoo-partner-3', 'lms_rejected'),
      {
        kind: 'enrollment_failed',
        courseCode: 'PY-K12',
        studentId: 'odoo-partner-3',
        summary: 'lms_rejected: the LMS said no',
      },
    ],
    [
      'a line with no course code',
      failure('enroll:7:unmapped-line-70:odoo-partner-3', 'course_unmapped'),
      { kind: 'course_unmapped', courseCode: null, studentId: 'odoo-partner-3' },
    ],
    [
      'a failure of no action (the order read)',
      failure(null, 'odoo_unavailable', { retriesExhausted: true }),
      {
        kind: 'enrollment_failed',
        courseCode: null,
        studentId: null,
        summary: 'retries_exhausted:odoo_unavailable: the LMS said no',
      },
    ],
    [
      'a student without an email',
      failure('enroll:7:PY-K12:odoo-partner-3', 'missing_email'),
      { kind: 'missing_email', courseCode: 'PY-K12' },
    ],
  ])('%s', (_label, f, expected) => {
    expect(deadLetterProblem(msg, f, [])).toMatchObject({
      source: 'dead_letter',
      orderId: 7,
      orderName: 'S00007',
      blockedSince: new Date('2026-11-24T09:30:00.000Z'),
      ...expected,
    });
  });

  it('says what was tried: the attempts, then the dead letter and where to replay it', () => {
    const tried = ['attempt 1 at 2026-11-24 09:30:01 UTC: transient (lms_unavailable: 503)'];
    expect(
      deadLetterProblem(msg, failure('enroll:7:PY-K12:odoo-partner-3', 'lms_rejected'), tried).tried,
    ).toEqual([
      ...tried,
      'dead-lettered after the retry ladder (trigger order.paid); replayable from /admin/dead-letters',
    ]);
  });

  it('a message without an acceptance time is blocked since now', () => {
    const { acceptedAt: _, ...late } = msg;
    const before = Date.now();
    const since = deadLetterProblem(late, failure(null, 'lms_rejected'), []).blockedSince as Date;
    expect(since.getTime()).toBeGreaterThanOrEqual(before);
    expect(since.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    [
      'a success',
      {
        attempt: 1,
        outcome: 'succeeded',
        error_code: null,
        error: null,
        at: new Date('2026-11-24T09:30:01.250Z'),
      },
      'attempt 1 at 2026-11-24 09:30:01 UTC: succeeded',
    ],
    [
      'a failure with its error',
      {
        attempt: 2,
        outcome: 'transient',
        error_code: 'lms_unavailable',
        error: 'HTTP 503',
        at: new Date('2026-11-24T09:35:00Z'),
      },
      'attempt 2 at 2026-11-24 09:35:00 UTC: transient (lms_unavailable: HTTP 503)',
    ],
    [
      'a failure with a code and no text',
      {
        attempt: 3,
        outcome: 'permanent',
        error_code: 'lms_rejected',
        error: null,
        at: new Date('2026-11-24T10:00:00Z'),
      },
      'attempt 3 at 2026-11-24 10:00:00 UTC: permanent (lms_rejected: )',
    ],
  ])('an attempt line for %s', (_label, row, line) => {
    expect(attemptLine(row)).toBe(line);
  });

  it('an attempt line bounds the LMS error text', () => {
    const row = {
      attempt: 1,
      outcome: 'permanent',
      error_code: 'lms_rejected',
      error: 'x'.repeat(5000),
      at: new Date(0),
    };
    expect(attemptLine(row).length).toBeLessThan(700);
  });
});

describe('helpdesk hooks: reconciliation runs', () => {
  it('a finding that needs a person becomes a problem blocked since it was first seen', () => {
    const seen = new Date('2026-11-20T02:15:42Z');
    expect(findingProblem(finding('course_unmapped', 7, 'PY-K12'), 'course_unmapped', 'run-1', seen)).toEqual(
      {
        kind: 'course_unmapped',
        source: 'reconcile',
        orderId: 7,
        orderName: 'S00007',
        courseCode: 'PY-K12',
        studentId: 'odoo-partner-3',
        blockedSince: seen,
        summary: 'course_unmapped on S00007',
        tried: ['found by reconciliation run run-1 (first seen 2026-11-20 02:15 UTC)'],
      },
    );
  });

  it.each([
    [
      'nothing found any more',
      [ticket('missing_enrollment', 7, 'PY-K12')],
      [],
      [],
      ['missing_enrollment:7:PY-K12'],
    ],
    [
      'reported again by this run',
      [ticket('missing_enrollment', 7, 'PY-K12')],
      [],
      ['missing_enrollment:7:PY-K12'],
      [],
    ],
    [
      'a failed enrollment, the student still not enrolled',
      [ticket('enrollment_failed', 7, 'PY-K12')],
      [finding('missing_enrollment', 7, 'PY-K12')],
      [],
      [],
    ],
    [
      'a failed enrollment whose course lost its code',
      [ticket('enrollment_failed', 7, 'PY-K12')],
      [finding('course_unmapped', 7, 'PY-K12')],
      [],
      [],
    ],
    [
      'a missing email, the student enrolled now',
      [ticket('missing_email', 7, 'PY-K12')],
      [finding('course_unmapped', 7, 'PY-K12')],
      [],
      ['missing_email:7:PY-K12'],
    ],
    [
      'a finding on another course of the order',
      [ticket('missing_enrollment', 7, 'PY-K12')],
      [finding('missing_enrollment', 7, 'JS-K3')],
      [],
      ['missing_enrollment:7:PY-K12'],
    ],
    [
      'a finding of the same course on another order',
      [ticket('student_mismatch', 7, 'PY-K12')],
      [finding('student_mismatch', 8, 'PY-K12')],
      [],
      ['student_mismatch:7:PY-K12'],
    ],
    [
      'a kind no finding keeps open',
      [ticket('held_run', 7, 'PY-K12')],
      [finding('missing_enrollment', 7, 'PY-K12')],
      [],
      ['held_run:7:PY-K12'],
    ],
  ])('an open ticket: %s', (_label, open, findings, stillOpen, healed) => {
    expect(healedTickets(open, findings, new Set(stillOpen)).map((t) => t.fingerprint)).toEqual(healed);
  });
});

describe('helpdesk hooks: seats without a learner', () => {
  const seats = { ...finding('unassigned_seats', 9, 'PY-K12'), studentId: null, email: null };
  const day = 86_400_000;
  const paidAt = new Date('2026-11-01T02:00:00Z');
  it.each([
    ['is pending, no ticket, within SEATS_TICKET_AFTER_DAYS', 13, null],
    ['becomes a seats_unassigned ticket once that long', 14, 'seats_unassigned'],
  ] as const)('%s', (_label, days, kind) => {
    const now = new Date(paidAt.getTime() + days * day);
    expect(problemKindForFinding(seats, paidAt, now, 24, 14)).toBe(kind);
  });

  it('is one ticket per order, whatever the course: the problem has no course', () => {
    expect(findingProblem(seats, 'seats_unassigned', 'run-1', paidAt)).toMatchObject({
      kind: 'seats_unassigned',
      orderId: 9,
      courseCode: null,
    });
    expect(
      triage('seats_unassigned', { blockedHours: 24 * 60, urgentAfterHours: 24, teams: TEAMS }),
    ).toMatchObject({
      priority: 'normal',
      team: 'Ops',
    });
  });

  it('closes once no seat of the order is left without a learner', () => {
    const open = [
      {
        fingerprint: 'seats_unassigned:9:-',
        kind: 'seats_unassigned' as const,
        order_id: 9,
        course_code: null,
      },
    ];
    expect(healedTickets(open, [], new Set()).map((r) => r.fingerprint)).toEqual(['seats_unassigned:9:-']);
    expect(healedTickets(open, [seats], new Set(['seats_unassigned:9:-']))).toEqual([]);
  });
});
