import { parseTeamLeaders, parseUserList } from '../../../src/helpdesk/assignment-settings';
import {
  activityDeadline,
  chooseAssignee,
  parsePriorityHours,
  reassignment,
  type Candidate,
  type Roster,
} from '../../../src/helpdesk/rules';

const person = (userId: number, openTickets: number, extra: Partial<Candidate> = {}): Candidate => ({
  userId,
  login: `user${userId}@example.com`,
  active: true,
  openTickets,
  lastAssignedAt: null,
  ...extra,
});
const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const nobodyOut = { out: new Set<string>() };
const team = (members: Candidate[], leader: Candidate | null = null): Roster => ({ leader, members });

describe('chooseAssignee', () => {
  it.each<[string, Roster, ReturnType<typeof chooseAssignee>]>([
    [
      'the member with the fewest open tickets',
      team([person(1, 5), person(2, 1), person(3, 3)]),
      { userId: 2, login: 'user2@example.com', reason: 'workload' },
    ],
    [
      'on a tie, the one assigned least recently',
      team([person(1, 2, { lastAssignedAt: day(3) }), person(2, 2, { lastAssignedAt: day(1) })]),
      { userId: 2, login: 'user2@example.com', reason: 'workload' },
    ],
    [
      'on a tie, one never assigned before one assigned once',
      team([person(1, 2, { lastAssignedAt: day(1) }), person(2, 2)]),
      { userId: 2, login: 'user2@example.com', reason: 'workload' },
    ],
    [
      'skips an archived member, however idle',
      team([person(1, 0, { active: false }), person(2, 4)]),
      { userId: 2, login: 'user2@example.com', reason: 'workload' },
    ],
    ['nobody when every member is archived', team([person(1, 0, { active: false })]), null],
    ['nobody in a team without members', team([]), null],
  ])('%s', (_label, roster, expected) => {
    expect(chooseAssignee(roster, 'normal', nobodyOut)).toEqual(expected);
  });

  it('skips people listed as out, by login (any case) or by id', () => {
    const roster = team([person(1, 0), person(2, 1), person(3, 2)]);
    expect(chooseAssignee(roster, 'high', { out: new Set(['user1@example.com', '2']) })?.userId).toBe(3);
    const upper = team([person(1, 0, { login: 'Alice@Example.com' }), person(2, 1)]);
    expect(chooseAssignee(upper, 'high', { out: new Set(['alice@example.com']) })?.userId).toBe(2);
  });

  it('gives an urgent ticket to the team leader, even the busiest', () => {
    const roster = team([person(1, 0), person(2, 1)], person(9, 20));
    expect(chooseAssignee(roster, 'urgent', nobodyOut)).toEqual({
      userId: 9,
      login: 'user9@example.com',
      reason: 'leader',
    });
    expect(chooseAssignee(roster, 'high', nobodyOut)?.userId).toBe(1); // only urgent goes to the leader
  });

  it.each<[string, Candidate | null, Set<string>]>([
    ['no leader', null, new Set()],
    ['an archived leader', person(9, 0, { active: false }), new Set()],
    ['a leader who is out', person(9, 0), new Set(['user9@example.com'])],
  ])('falls back to workload for an urgent ticket with %s', (_label, leader, out) => {
    expect(chooseAssignee(team([person(1, 3), person(2, 1)], leader), 'urgent', { out })).toEqual({
      userId: 2,
      login: 'user2@example.com',
      reason: 'workload',
    });
  });

  it('never chooses an excluded person (the assignee a reassignment takes the ticket from)', () => {
    const roster = team([person(1, 0), person(2, 5)], person(9, 0));
    expect(chooseAssignee(roster, 'normal', { ...nobodyOut, exclude: [1] })?.userId).toBe(2);
    expect(chooseAssignee(roster, 'urgent', { ...nobodyOut, exclude: [9] })?.userId).toBe(1);
    expect(chooseAssignee(team([person(1, 0)]), 'low', { ...nobodyOut, exclude: [1] })).toBeNull();
  });
});

describe('reassignment', () => {
  const after = { urgent: 6, high: 6, normal: 24, low: 24 };
  const hoursAfter = (start: Date, h: number) => new Date(start.getTime() + h * 3_600_000);
  const assignedAt = day(10);

  it.each([
    ['urgent, untouched 6 h', 'urgent', null, 6, true],
    ['urgent, untouched 5 h', 'urgent', null, 5, false],
    ['high, untouched 6 h', 'high', null, 6, true],
    ['normal, untouched 6 h', 'normal', null, 6, false],
    ['normal, untouched 24 h', 'normal', null, 24, true],
    ['low, touched an hour after assignment, 24 h later', 'low', 1, 24, false],
    ['low, touched an hour after assignment, 25 h later', 'low', 1, 25, true],
  ] as const)('%s', (_label, priority, touchedAfterH, nowAfterH, due) => {
    const lastTouchAt = touchedAfterH === null ? null : hoursAfter(assignedAt, touchedAfterH);
    const r = reassignment({ priority, assignedAt, lastTouchAt }, hoursAfter(assignedAt, nowAfterH), after);
    expect(r.due).toBe(due);
  });

  it('says when to look again: a period after the last touch', () => {
    const lastTouchAt = hoursAfter(assignedAt, 2);
    expect(
      reassignment({ priority: 'high', assignedAt, lastTouchAt }, hoursAfter(assignedAt, 3), after),
    ).toEqual({ due: false, checkAt: hoursAfter(assignedAt, 8) });
  });
});

describe('activityDeadline', () => {
  const sla = { urgent: 4, high: 24, normal: 72, low: 168 };
  it.each([
    ['urgent at 10:00 is due today', new Date('2026-03-01T10:00:00Z'), 'urgent', '2026-03-01'],
    ['urgent at 21:00 is due tomorrow', new Date('2026-03-01T21:00:00Z'), 'urgent', '2026-03-02'],
    ['high is due a day later', new Date('2026-03-01T10:00:00Z'), 'high', '2026-03-02'],
  ] as const)('%s', (_label, now, priority, expected) => {
    expect(activityDeadline(now, priority, sla)).toBe(expected);
  });
});

describe('assignment settings', () => {
  it('reads the out list as lower-case logins and ids', () => {
    expect(parseUserList(' Alice@Example.com, 7 ,,')).toEqual(['alice@example.com', '7']);
    expect(parseUserList('')).toEqual([]);
  });

  it('reads team leaders as team=login or id', () => {
    expect(parseTeamLeaders('Technical Support=Alice@example.com, Ops = 7')).toEqual({
      'Technical Support': 'alice@example.com',
      Ops: '7',
    });
    expect(parseTeamLeaders('')).toEqual({});
  });

  it.each(['Ops', 'Ops=', '=alice', 'Ops=a=b', 'Ops=a,Ops=b'])('refuses leaders "%s"', (text) => {
    expect(() => parseTeamLeaders(text)).toThrow(/Ops|entry/);
  });

  it('reads reassignment hours per priority, naming the setting in errors', () => {
    expect(parsePriorityHours('urgent=6,high=6,normal=24,low=24', 'reassignment')).toEqual({
      urgent: 6,
      high: 6,
      normal: 24,
      low: 24,
    });
    expect(() => parsePriorityHours('urgent=6', 'reassignment')).toThrow(/reassignment for low is missing/);
  });
});
