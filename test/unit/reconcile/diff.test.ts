import { countByKind, diff } from '../../../src/reconcile/diff';
import type { Enrollment, Finding, CourseOrderLine, PaymentStatus } from '../../../src/reconcile/diff';

type LineOpts = Partial<CourseOrderLine>;
type EnrollmentOpts = Partial<Omit<Enrollment, 'source'>> & { orderId?: number | null };

let nextLineId = 1;
function line(
  status: PaymentStatus,
  partnerId: number,
  course: string | null,
  orderId: number,
  o: LineOpts = {},
) {
  return {
    orderId,
    orderName: `S${String(orderId).padStart(5, '0')}`,
    lineId: nextLineId++,
    courseCode: course,
    partnerId,
    email: `student${partnerId}@example.com`,
    fullName: `Student ${partnerId}`,
    paymentStatus: status,
    knownCourse: course !== null,
    ...o,
  };
}
const paid = (p: number, c: string | null, order: number, o?: LineOpts) => line('paid', p, c, order, o);
const refunded = (p: number, c: string, order: number) => line('refunded', p, c, order);
const unpaid = (p: number, c: string, order: number) => line('unpaid', p, c, order);

let nextEnrollmentId = 1;
function enrolled(
  course: string,
  partnerId: number,
  orderId: number | null,
  o: EnrollmentOpts = {},
): Enrollment {
  const { orderId: _ignored, ...rest } = o;
  return {
    enrollmentId: `e${nextEnrollmentId++}`,
    courseCode: course,
    studentId: `odoo-partner-${partnerId}`,
    email: `student${partnerId}@example.com`,
    status: 'active',
    source: { orderId },
    ...rest,
  };
}

const PY = 'PY-K12';
const JS = 'JS-101';
type Row = [string, CourseOrderLine[], Enrollment[], string[]];

describe('diff: kinds found', () => {
  it.each<Row>([
    ['empty inputs', [], [], []],
    ['paid and enrolled', [paid(7, PY, 70)], [enrolled(PY, 7, 70)], []],
    ['paid, not enrolled', [paid(7, PY, 70)], [], ['missing_enrollment']],
    [
      'paid, enrolled in another course only',
      [paid(7, PY, 70)],
      [enrolled(JS, 7, 71)],
      ['missing_enrollment'],
    ],
    [
      'paid, enrollment suspended',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, 70, { status: 'suspended' })],
      ['missing_enrollment'],
    ],
    [
      'paid, enrollment completed (still enrolled)',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, 70, { status: 'completed' })],
      [],
    ],
    [
      'same student, two courses, one missing',
      [paid(7, PY, 70), paid(7, JS, 71)],
      [enrolled(JS, 7, 71)],
      ['missing_enrollment'],
    ],
    [
      'same student, two courses, both enrolled',
      [paid(7, PY, 70), paid(7, JS, 71)],
      [enrolled(PY, 7, 70), enrolled(JS, 7, 71)],
      [],
    ],
    [
      'two paid orders, same course, enrolled once',
      [paid(7, PY, 70), paid(7, PY, 90)],
      [enrolled(PY, 7, 90)],
      [],
    ],
    [
      'two paid orders, same course, not enrolled',
      [paid(7, PY, 90), paid(7, PY, 70)],
      [],
      ['missing_enrollment'],
    ],
    ['refunded after enrollment', [refunded(7, PY, 70)], [enrolled(PY, 7, 70)], ['unpaid_enrollment']],
    [
      'partial payment (unpaid) but enrolled',
      [unpaid(7, PY, 70)],
      [enrolled(PY, 7, 70)],
      ['unpaid_enrollment'],
    ],
    [
      'refunded, enrollment already suspended',
      [refunded(7, PY, 70)],
      [enrolled(PY, 7, 70, { status: 'suspended' })],
      [],
    ],
    [
      'refunded one order, another paid order covers it',
      [refunded(7, PY, 70), paid(7, PY, 80)],
      [enrolled(PY, 7, 70)],
      [],
    ],
    ['refunded, not enrolled', [refunded(7, PY, 70)], [], []],
    ['manual enrollment, no order', [], [enrolled(PY, 7, null)], []],
    ['enrollment from an order we do not know', [], [enrolled(PY, 7, 12345)], []],
    ['hand-made student id', [], [enrolled(PY, 0, 70, { studentId: 'teacher-1' })], []],
    [
      'email differs in case and whitespace only',
      [paid(7, PY, 70, { email: ' Student7@Example.COM ' })],
      [enrolled(PY, 7, 70)],
      [],
    ],
    [
      'enrolled with another email',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, 70, { email: 'old@example.com' })],
      ['student_mismatch'],
    ],
    [
      'paid email enrolled under another id',
      [paid(7, PY, 70)],
      [enrolled(PY, 9, 70, { email: 'STUDENT7@example.com' })],
      ['student_mismatch'],
    ],
    [
      'student id with a non-digit suffix is not the paid partner',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, null, { studentId: 'odoo-partner-7b', email: 'other@example.com' })],
      ['missing_enrollment'],
    ],
    [
      'zero-padded student id is not the paid partner',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, null, { studentId: 'odoo-partner-007', email: 'other@example.com' })],
      ['missing_enrollment'],
    ],
    ['line without email, enrolled', [paid(7, PY, 70, { email: null })], [enrolled(PY, 7, 70)], []],
    ['line without email, not enrolled', [paid(7, PY, 70, { email: null })], [], ['missing_enrollment']],
    ['course code null', [paid(7, null, 70)], [], ['course_unmapped']],
    [
      'course code unknown to the LMS',
      [paid(7, 'ZZ-9', 70, { knownCourse: false })],
      [],
      ['course_unmapped'],
    ],
    [
      'unknown course with an enrollment in it',
      [paid(7, 'ZZ-9', 70, { knownCourse: false })],
      [enrolled('ZZ-9', 7, 70)],
      ['course_unmapped'],
    ],
    ['unpaid line with an unknown course', [unpaid(7, 'ZZ-9', 70)], [], []],
    [
      'two active enrollments, same student',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, 70), enrolled(PY, 7, 70)],
      ['duplicate_enrollment'],
    ],
    [
      'one active and one suspended, same student',
      [paid(7, PY, 70)],
      [enrolled(PY, 7, 70), enrolled(PY, 7, 70, { status: 'suspended' })],
      [],
    ],
    [
      'same email under two ids',
      [paid(7, PY, 70), paid(9, PY, 90, { email: 'student7@example.com' })],
      [enrolled(PY, 7, 70), enrolled(PY, 9, 90, { email: ' Student7@example.com' })],
      ['duplicate_enrollment'],
    ],
    [
      'empty emails are not one email',
      [],
      [enrolled(PY, 7, null, { email: '' }), enrolled(PY, 9, null, { email: ' ' })],
      [],
    ],
  ])('%s', (_, lines, enrollments, kinds) => {
    expect(diff(lines, enrollments).map((f) => f.kind)).toEqual(kinds);
  });
});

describe('diff: finding contents', () => {
  it('two paid orders for one course give one finding, repaired with the earliest order', () => {
    const [f, ...rest] = diff([paid(7, PY, 90), paid(7, PY, 70)], []);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'missing_enrollment',
      fingerprint: 'missing_enrollment:70:PY-K12:odoo-partner-7',
      orderId: 70,
      orderName: 'S00070',
      courseCode: PY,
      studentId: 'odoo-partner-7',
      email: 'student7@example.com',
      enrollmentIds: [],
      repair: { action: 'enroll', businessKey: 'enroll:70:PY-K12:odoo-partner-7' },
    });
    expect(f!.detail).toContain('70, 90');
  });

  it('a suspended enrollment is named, and the repair re-enrolls', () => {
    const e = enrolled(PY, 7, 70, { status: 'suspended' });
    const [f] = diff([paid(7, PY, 70)], [e]);
    expect(f).toMatchObject({ enrollmentIds: [e.enrollmentId], repair: { action: 'enroll' } });
    expect(f!.detail).toContain('suspended');
  });

  it.each([
    ['report', { action: 'none' }],
    ['suspend', { action: 'suspend', businessKey: 'suspend:70:PY-K12:odoo-partner-7' }],
  ] as const)('unpaid policy %s', (policy, repair) => {
    const [f] = diff([refunded(7, PY, 70)], [enrolled(PY, 7, 70)], { unpaidPolicy: policy });
    expect(f).toMatchObject({ kind: 'unpaid_enrollment', orderId: 70, repair });
    expect(f!.detail).toContain('refunded');
  });

  it('proposes no repair for a student without an email, and says what to fix', () => {
    const [f] = diff([paid(7, PY, 70, { email: null })], []);
    expect(f?.repair).toEqual({ action: 'none' });
    expect(f?.detail).toMatch(/no email address/);
  });

  it('default unpaid policy is report', () => {
    expect(diff([unpaid(7, PY, 70)], [enrolled(PY, 7, 70)])[0]!.repair).toEqual({ action: 'none' });
  });

  it.each<[string, CourseOrderLine, string]>([
    ['null code', paid(7, null, 70, { lineId: 5 }), 'course_unmapped:70:#line5:odoo-partner-7'],
    ['unknown code', paid(7, 'ZZ-9', 70, { knownCourse: false }), 'course_unmapped:70:ZZ-9:odoo-partner-7'],
  ])('course_unmapped fingerprint, %s', (_, l, fp) => {
    expect(diff([l], [])).toEqual([expect.objectContaining({ fingerprint: fp, repair: { action: 'none' } })]);
  });

  it('two lines of one order with the same unknown code are one finding', () => {
    const lines = [paid(7, 'ZZ-9', 70, { knownCourse: false }), paid(7, 'ZZ-9', 70, { knownCourse: false })];
    expect(diff(lines, [])).toHaveLength(1);
  });

  it('duplicates list every enrollment of the group and never propose a repair', () => {
    const a = enrolled(PY, 7, 70);
    const b = enrolled(PY, 9, null, { email: 'student7@example.com' });
    const [f] = diff([], [a, b]);
    expect(f).toMatchObject({
      kind: 'duplicate_enrollment',
      fingerprint: 'duplicate_enrollment:-:PY-K12:odoo-partner-7+odoo-partner-9',
      studentId: null,
      enrollmentIds: [a.enrollmentId, b.enrollmentId].sort(),
      repair: { action: 'none' },
    });
  });

  it('an identity mismatch does not also propose an enrollment', () => {
    const other = enrolled(PY, 9, 90, { email: 'student7@example.com' });
    const findings = diff([paid(7, PY, 70)], [other]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'student_mismatch',
        studentId: 'odoo-partner-7',
        enrollmentIds: [other.enrollmentId],
      }),
    ]);
    expect(findings[0]!.detail).toContain('odoo-partner-9');
    expect(findings[0]!.detail).not.toContain('@');
  });
});

describe('diff: stability', () => {
  const lines = [paid(1, PY, 10), paid(2, JS, 20), refunded(3, PY, 30), paid(4, null, 40), paid(5, PY, 50)];
  const enrollments = [
    enrolled(PY, 3, 30),
    enrolled(JS, 2, 20, { email: 'x@example.com' }),
    enrolled(PY, 5, 50),
    enrolled(PY, 5, 50),
    enrolled(PY, 8, null),
  ];

  it('the same inputs in another order give the same findings', () => {
    const forward = diff(lines, enrollments);
    expect(forward.map((f) => f.kind)).toEqual([
      'course_unmapped',
      'duplicate_enrollment',
      'missing_enrollment',
      'student_mismatch',
      'unpaid_enrollment',
    ]);
    expect(diff([...lines].reverse(), [...enrollments].reverse())).toEqual(forward);
  });

  it('is sorted by kind then fingerprint', () => {
    const fps = diff([paid(2, PY, 20), paid(1, PY, 10), paid(3, JS, 5)], []).map((f) => f.fingerprint);
    expect(fps).toEqual([...fps].sort());
  });
});

describe('countByKind', () => {
  const findings: Finding[] = diff([paid(1, PY, 10), paid(2, PY, 20), paid(3, null, 30)], []);

  it('counts every kind, zero included', () => {
    expect(countByKind(findings)).toEqual({
      course_unmapped: 1,
      duplicate_enrollment: 0,
      missing_enrollment: 2,
      student_mismatch: 0,
      unassigned_seats: 0,
      unpaid_enrollment: 0,
    });
  });
});

describe('diff: index edge cases', () => {
  it('keys mostly on one side each (the join table grows)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => paid(1000 + i, PY, 5000 + i));
    const manual = Array.from({ length: 300 }, (_, i) => enrolled(PY, 9000 + i, null));
    const findings = diff(lines, [...manual, enrolled(PY, 1000, 5000)]);
    expect(countByKind(findings).missing_enrollment).toBe(299);
    expect(findings).toHaveLength(299);
  });

  it('hand-made student ids group by their exact text', () => {
    const a = enrolled(PY, 0, null, { studentId: 'teacher-1', email: 't1@example.com' });
    const b = enrolled(PY, 0, null, { studentId: 'teacher-1', email: 't1@example.com' });
    const c = enrolled(PY, 0, null, { studentId: 'teacher-2', email: 't2@example.com' });
    expect(diff([], [a, b, c])).toEqual([
      expect.objectContaining({
        kind: 'duplicate_enrollment',
        studentId: 'teacher-1',
        enrollmentIds: [a.enrollmentId, b.enrollmentId].sort(),
      }),
    ]);
  });

  it('an unpaid finding names the earliest unpaid source order', () => {
    const findings = diff(
      [refunded(7, PY, 80), unpaid(7, PY, 60)],
      [enrolled(PY, 7, 80), enrolled(PY, 7, 60)],
      { unpaidPolicy: 'suspend' },
    );
    expect(findings.map((f) => [f.kind, f.orderId, f.repair.businessKey])).toEqual([
      ['duplicate_enrollment', null, undefined],
      ['unpaid_enrollment', 60, 'suspend:60:PY-K12:odoo-partner-7'],
    ]);
  });

  it('suspended enrollments under the same email do not count as duplicates', () => {
    const findings = diff(
      [],
      [enrolled(PY, 7, null), enrolled(PY, 9, null, { email: 'student7@example.com', status: 'suspended' })],
    );
    expect(findings).toEqual([]);
  });
});

describe('diff: seats without a learner', () => {
  const seats = { orderId: 9, orderName: 'S00009', lineId: 90, courseCode: PY, seats: 20, assigned: 12 };

  it('reports paid seats nobody is named for as unassigned_seats, never missing_enrollment, with no repair', () => {
    const findings = diff([paid(21, PY, 9)], [enrolled(PY, 21, 9)], { unassignedSeats: [seats] });
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'unassigned_seats',
        fingerprint: 'unassigned_seats:9:PY-K12:#line90',
        orderName: 'S00009',
        studentId: null,
        repair: { action: 'none' },
        detail: expect.stringMatching(/12 of 20 seats in PY-K12 assigned; 8 have no learner yet/),
      }),
    ]);
  });

  it('expects one enrollment per named learner of a line, not one for the buyer', () => {
    const lines = [paid(21, PY, 9), paid(22, PY, 9)];
    expect(diff(lines, [enrolled(PY, 21, 9)]).map((f) => [f.kind, f.studentId])).toEqual([
      ['missing_enrollment', 'odoo-partner-22'],
    ]);
  });
});

describe('diff: learners without an email', () => {
  it.each([
    [
      'repairs a learner reached through a guardian',
      'hoa@example.com',
      { action: 'enroll', businessKey: 'enroll:9:PY-K12:odoo-partner-31' },
    ],
    ['repairs nothing when no email exists up the chain', null, { action: 'none' }],
  ])('%s', (_label, guardianEmail, repair) => {
    const [finding] = diff([paid(31, PY, 9, { email: null, guardianEmail })], []);
    expect(finding).toMatchObject({ kind: 'missing_enrollment', repair });
  });

  it('sees no mismatch between two siblings enrolled under the same guardian', () => {
    const lines = [
      paid(31, PY, 9, { email: null, guardianEmail: 'hoa@example.com' }),
      paid(32, PY, 9, { email: null, guardianEmail: 'hoa@example.com' }),
    ];
    expect(diff(lines, [enrolled(PY, 31, 9, { email: '' }), enrolled(PY, 32, 9, { email: '' })])).toEqual([]);
  });
});
