import { escalation, parseSla, PROBLEM_KINDS, triage, type ProblemKind } from '../../../src/helpdesk/rules';

const teams = { system: 'Technical Support', data: 'Ops' };
const at = (blockedHours: number) => ({ blockedHours, urgentAfterHours: 24, teams });
const SLA = { urgent: 4, high: 24, normal: 72, low: 168 };

describe('triage table', () => {
  it.each<[ProblemKind, number, string, string]>([
    ['held_run', 0, 'urgent', 'Technical Support'],
    ['enrollment_failed', 1, 'high', 'Technical Support'],
    ['enrollment_failed', 24, 'urgent', 'Technical Support'],
    ['missing_enrollment', 3, 'high', 'Technical Support'],
    ['missing_email', 2, 'normal', 'Ops'],
    ['missing_email', 30, 'urgent', 'Ops'],
    ['course_unmapped', 0, 'normal', 'Ops'],
    ['student_mismatch', 100, 'normal', 'Ops'],
    ['unpaid_enrollment', 100, 'normal', 'Ops'],
    ['duplicate_enrollment', 0, 'low', 'Ops'],
  ])('%s blocked %ih → %s, team %s', (kind, hours, priority, team) => {
    expect(triage(kind, at(hours))).toMatchObject({ priority, team });
  });

  it('tags every ticket with its kind and the standard tags', () => {
    expect(triage('enrollment_failed', at(0)).tags).toEqual([
      'CRM',
      'LMS',
      'sync-failure',
      'enroll HV',
      'enrollment_failed',
    ]);
  });

  it('keeps urgent rare: only the held run is urgent when nobody has waited long', () => {
    const urgent = PROBLEM_KINDS.filter((k) => triage(k, at(0)).priority === 'urgent');
    expect(urgent).toEqual(['held_run']);
  });
});

describe('SLA escalation', () => {
  it.each([
    ['within SLA', 'normal', 71, [], null],
    ['normal past SLA', 'normal', 72, [], 'high'],
    ['already escalated to that level', 'normal', 100, ['high'], null],
    ['high past SLA, blocking kind', 'high', 25, [], 'urgent'],
    ['low past SLA', 'low', 200, [], 'normal'],
  ] as const)('%s', (_label, priority, hours, escalatedTo, expected) => {
    expect(escalation('missing_email', { priority, hoursAtPriority: hours, escalatedTo }, SLA)).toBe(
      expected,
    );
  });

  it('never escalates a non-blocking problem to urgent by age alone', () => {
    expect(
      escalation('student_mismatch', { priority: 'high', hoursAtPriority: 1000, escalatedTo: [] }, SLA),
    ).toBeNull();
  });

  it('stops at urgent', () => {
    expect(
      escalation('held_run', { priority: 'urgent', hoursAtPriority: 1000, escalatedTo: [] }, SLA),
    ).toBeNull();
  });
});

describe('parseSla', () => {
  it('reads priority=hours pairs', () => {
    expect(parseSla('urgent=4, high=24,normal=72,low=168')).toEqual(SLA);
  });
  it.each([
    'urgent=4,high=24,normal=72',
    'urgent=x,high=1,normal=1,low=1',
    'critical=1,urgent=4,high=24,normal=72,low=168',
  ])('refuses %s', (text) => {
    expect(() => parseSla(text)).toThrow(/SLA/);
  });
});
