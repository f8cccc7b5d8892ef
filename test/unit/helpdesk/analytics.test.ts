import { computeSyncHealth, type TicketFact } from '../../../src/helpdesk/analytics';
import { EXPECTED, HEALED_PROBLEMS, TICKETS, WINDOW } from '../../support/sync-health-fixture';

const facts: TicketFact[] = TICKETS.map((t) => ({
  fingerprint: t.fingerprint,
  kind: t.kind,
  orderName: t.orderName,
  courseCode: t.courseCode,
  priority: t.priority,
  openedAt: t.openedAt,
  firstResponseAt: t.responseAfterMs === null ? null : new Date(t.openedAt.getTime() + t.responseAfterMs),
  closedAt: t.closedAt,
  closedBy: t.closedBy,
  recurrences: t.recurrences,
}));
// what summary.ts's query keeps: healed in the window, of a kind a person handles, never ticketed
const avoided = HEALED_PROBLEMS.filter((p) => ['p1', 'p5'].includes(p.fingerprint));

describe('sync-health analytics from a fixed data set', () => {
  const health = computeSyncHealth({ tickets: facts, avoided, ...WINDOW });

  it.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)('%s', (figure) => {
    expect(health[figure]).toEqual(EXPECTED[figure]);
  });

  it('says an urgent share that grew is rising, and an equal one flat', () => {
    const urgentNow = facts.map((t) =>
      t.fingerprint.startsWith('missing_enrollment:104') ? { ...t, priority: 'urgent' as const } : t,
    );
    expect(computeSyncHealth({ tickets: urgentNow, avoided: [], ...WINDOW }).urgentTrend).toEqual({
      last7Days: 0.5,
      previous7Days: 0.5,
      change: 0,
      direction: 'flat',
    });
    const moreUrgent = urgentNow.map((t) =>
      t.fingerprint.startsWith('course_unmapped') ? { ...t, priority: 'urgent' as const } : t,
    );
    expect(computeSyncHealth({ tickets: moreUrgent, avoided: [], ...WINDOW }).urgentTrend.direction).toBe(
      'rising',
    );
  });

  it('has no trend, no percentiles and an empty backlog without tickets', () => {
    const empty = computeSyncHealth({ tickets: [], avoided: [], ...WINDOW });
    expect(empty.urgentTrend).toEqual({
      last7Days: null,
      previous7Days: null,
      change: null,
      direction: null,
    });
    expect(empty.timeToClose.all).toEqual({ n: 0, p50Ms: null, p95Ms: null });
    expect(empty.backlog.open).toBe(0);
    expect(empty.perDay).toHaveLength(14);
    expect(empty.recurringProblems).toEqual([]);
  });

  it('counts a ticket closed after the window as open in its backlog, and not as closed', () => {
    const until = new Date('2026-03-03T03:00:00Z');
    const early = computeSyncHealth({ tickets: facts, avoided: [], since: WINDOW.since, until });
    expect(early.timeToClose.closedByPerson.n).toBe(0); // closed at 06:00, after `until`
    expect(early.backlog.open).toBe(3); // 101 (closed the 3rd at 10:00), 102, and the old 90
  });
});
