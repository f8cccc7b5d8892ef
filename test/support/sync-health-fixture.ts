// A fixed data set of tickets and healed problems, and the sync-health figures it must give: the unit
// test feeds it to the pure computation, the integration test stores it and asks the route.
const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const WINDOW = { since: at('2026-03-01T00:00:00Z'), until: at('2026-03-15T00:00:00Z') };

export interface FixtureTicket {
  fingerprint: string;
  kind: string;
  orderId: number | null;
  orderName: string | null;
  courseCode: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  openedAt: Date;
  /** after how long its `open` command reached Odoo (null: still waiting) */
  responseAfterMs: number | null;
  closedAt: Date | null;
  closedBy: 'service' | 'person' | null;
  recurrences: number;
}

const ticket = (
  fingerprint: string,
  priority: FixtureTicket['priority'],
  openedAt: string,
  responseAfterMs: number | null,
  closed: [string, 'service' | 'person'] | null,
  recurrences = 0,
): FixtureTicket => {
  const [kind, order, course] = fingerprint.split(':') as [string, string, string];
  return {
    fingerprint,
    kind,
    orderId: Number(order),
    orderName: `S${order}`,
    courseCode: course,
    priority,
    openedAt: at(openedAt),
    responseAfterMs,
    closedAt: closed ? at(closed[0]) : null,
    closedBy: closed ? closed[1] : null,
    recurrences,
  };
};

export const TICKETS: FixtureTicket[] = [
  ticket(
    'missing_email:101:PY',
    'normal',
    '2026-03-02T10:00:00Z',
    5 * MIN,
    ['2026-03-03T10:00:00Z', 'service'],
    2,
  ),
  ticket('enrollment_failed:102:JS', 'urgent', '2026-03-03T00:00:00Z', 1 * MIN, [
    '2026-03-03T06:00:00Z',
    'person',
  ]),
  ticket('missing_email:101:PY', 'normal', '2026-03-09T12:00:00Z', 10 * MIN, null),
  ticket(
    'course_unmapped:103:GO',
    'normal',
    '2026-03-10T00:00:00Z',
    2 * MIN,
    ['2026-03-12T00:00:00Z', 'service'],
    1,
  ),
  ticket('enrollment_failed:108:RS', 'urgent', '2026-03-13T00:00:00Z', null, null),
  // opened long before the window and still open: in the backlog only
  ticket('student_mismatch:90:PY', 'normal', '2026-01-01T00:00:00Z', 3 * MIN, null),
  ticket('missing_enrollment:104:PY', 'normal', '2026-03-14T20:00:00Z', 30_000, [
    '2026-03-14T22:00:00Z',
    'service',
  ]),
];

export interface FixtureProblem {
  fingerprint: string;
  kind: string;
  orderId: number;
  courseCode: string;
  healedAt: Date;
}

export const HEALED_PROBLEMS: FixtureProblem[] = [
  // healed without a ticket: avoided
  {
    fingerprint: 'p1',
    kind: 'missing_enrollment',
    orderId: 105,
    courseCode: 'PY',
    healedAt: at('2026-03-05T00:00:00Z'),
  },
  {
    fingerprint: 'p5',
    kind: 'student_mismatch',
    orderId: 107,
    courseCode: 'PY',
    healedAt: at('2026-03-07T00:00:00Z'),
  },
  // never a person's problem: nothing avoided
  {
    fingerprint: 'p2',
    kind: 'duplicate_enrollment',
    orderId: 109,
    courseCode: 'PY',
    healedAt: at('2026-03-06T00:00:00Z'),
  },
  // had its ticket (course_unmapped:103:GO)
  {
    fingerprint: 'p3',
    kind: 'course_unmapped',
    orderId: 103,
    courseCode: 'GO',
    healedAt: at('2026-03-12T00:00:00Z'),
  },
  // healed before the window
  {
    fingerprint: 'p4',
    kind: 'missing_enrollment',
    orderId: 106,
    courseCode: 'PY',
    healedAt: at('2026-02-20T00:00:00Z'),
  },
];

const days = (starts: string[], opened: number[], urgent: number[]) =>
  starts.map((start, i) => ({
    start,
    opened: opened[i],
    urgent: urgent[i],
    urgentShare: opened[i] ? Math.round(((urgent[i] as number) / (opened[i] as number)) * 1000) / 1000 : 0,
  }));

/** What the figures must be for WINDOW (worked out by hand; README: metric dictionary). */
export const EXPECTED = {
  since: WINDOW.since.toISOString(),
  until: WINDOW.until.toISOString(),
  perDay: days(
    Array.from({ length: 14 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`),
    [0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1],
    [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
  ),
  // 2026-03-01 is a Sunday: its ISO week starts on Monday 23 February
  perWeek: days(['2026-02-23', '2026-03-02', '2026-03-09'], [0, 2, 4], [0, 1, 1]),
  urgentTrend: { last7Days: 0.25, previous7Days: 0.5, change: -0.25, direction: 'falling' },
  timeToFirstResponse: {
    all: { n: 5, p50Ms: 2 * MIN, p95Ms: 9 * MIN },
    closedByPerson: { n: 1, p50Ms: 1 * MIN, p95Ms: 1 * MIN },
    autoClosed: { n: 3, p50Ms: 2 * MIN, p95Ms: 4.7 * MIN },
  },
  timeToClose: {
    all: { n: 4, p50Ms: 15 * HOUR, p95Ms: 44.4 * HOUR },
    closedByPerson: { n: 1, p50Ms: 6 * HOUR, p95Ms: 6 * HOUR },
    autoClosed: { n: 3, p50Ms: 24 * HOUR, p95Ms: 45.6 * HOUR },
  },
  backlog: {
    open: 3,
    byAge: [
      { bucket: 'under 1 day', tickets: 0 },
      { bucket: '1-3 days', tickets: 1 },
      { bucket: '3-7 days', tickets: 1 },
      { bucket: '7-30 days', tickets: 0 },
      { bucket: '30 days or more', tickets: 1 },
    ],
    ageP50Ms: 5.5 * DAY,
    ageP95Ms: 5.5 * DAY + (73 * DAY - 5.5 * DAY) * 0.9,
  },
  recurringProblems: [
    {
      fingerprint: 'missing_email:101:PY',
      kind: 'missing_email',
      orderName: 'S101',
      courseCode: 'PY',
      tickets: 2,
      occurrences: 4,
    },
    {
      fingerprint: 'course_unmapped:103:GO',
      kind: 'course_unmapped',
      orderName: 'S103',
      courseCode: 'GO',
      tickets: 1,
      occurrences: 2,
    },
  ],
  ticketsAvoided: { total: 2, byKind: { missing_enrollment: 1, student_mismatch: 1 } },
};
