import { Registry } from 'prom-client';
import { silentLogger } from '../../../src/observability/logger';
import { registerStateMetrics, type ServiceState } from '../../../src/observability/state-metrics';

const NOW = Date.parse('2026-12-02T06:00:00Z');

const state = (over: Partial<ServiceState> = {}): ServiceState => ({
  lastRun: {
    status: 'held',
    startedAt: new Date('2026-12-02T02:00:00Z'),
    finishedAt: new Date('2026-12-02T02:01:30Z'),
    findingsByKind: { missing_enrollment: 7 },
    repairsQueued: 0,
  },
  lastSuccessAt: new Date('2026-12-01T02:01:00Z'),
  runsByStatus: { succeeded: 12, held: 1 },
  openTickets: [
    { priority: 'urgent', team: 'Technical Support', count: 1 },
    { priority: 'normal', team: 'Ops', count: 4 },
  ],
  queuedHelpdeskWrites: { count: 3, oldestAt: new Date('2026-12-02T05:50:00Z') },
  openDeadLetters: 9,
  ...over,
});

function setup(read: () => Promise<ServiceState>) {
  const registry = new Registry();
  registerStateMetrics({
    registry,
    read,
    log: silentLogger(),
    findingKinds: ['missing_enrollment', 'course_unmapped'],
    now: () => NOW,
  });
  return registry;
}

const line = (text: string, series: string) =>
  text
    .split('\n')
    .find((l) => l.startsWith(`${series} `))
    ?.split(' ')[1];

describe('state metrics read from the database at scrape time', () => {
  it('shows the last run, the time since the last success, tickets, queued writes and dead letters', async () => {
    const text = await setup(async () => state()).metrics();
    expect(line(text, 'lms_sync_reconcile_last_run_status{status="held"}')).toBe('1');
    expect(line(text, 'lms_sync_reconcile_last_run_status{status="succeeded"}')).toBe('0');
    expect(line(text, 'lms_sync_reconcile_last_run_duration_seconds')).toBe('90');
    expect(line(text, 'lms_sync_reconcile_last_run_findings{kind="missing_enrollment"}')).toBe('7');
    expect(line(text, 'lms_sync_reconcile_last_run_findings{kind="course_unmapped"}')).toBe('0');
    expect(line(text, 'lms_sync_reconcile_runs{status="held"}')).toBe('1');
    expect(line(text, 'lms_sync_reconcile_runs{status="failed"}')).toBe('0');
    expect(line(text, 'lms_sync_reconcile_seconds_since_last_success')).toBe(String(27 * 3600 + 59 * 60));
    expect(line(text, 'lms_sync_helpdesk_open_tickets{priority="normal",team="Ops"}')).toBe('4');
    expect(line(text, 'lms_sync_helpdesk_queued_writes')).toBe('3');
    expect(line(text, 'lms_sync_helpdesk_oldest_queued_write_age_seconds')).toBe('600');
    expect(line(text, 'lms_sync_dead_letters_open')).toBe('9');
  });

  it('says "never" as +Inf since the last success and 0 for its timestamp, with no run series', async () => {
    const text = await setup(async () => state({ lastRun: null, lastSuccessAt: null })).metrics();
    expect(line(text, 'lms_sync_reconcile_seconds_since_last_success')).toBe('+Inf');
    expect(line(text, 'lms_sync_reconcile_last_success_timestamp_seconds')).toBe('0');
    expect(text).not.toContain('lms_sync_reconcile_last_run_status{');
  });

  it('reads once per scrape, and a failed read shows unknown (NaN) without failing the scrape', async () => {
    let reads = 0;
    let fail = false;
    const registry = setup(async () => {
      reads += 1;
      if (fail) throw new Error('connection refused');
      return state();
    });
    await registry.metrics();
    await registry.metrics();
    expect(reads).toBe(2);
    fail = true;
    const text = await registry.metrics();
    expect(reads).toBe(3);
    expect(line(text, 'lms_sync_dead_letters_open')?.toLowerCase()).toBe('nan'); // prom-client writes "Nan"
    expect(text).not.toContain('lms_sync_reconcile_last_run_status{');
    expect(text).toContain('# HELP lms_sync_dead_letters_open');
  });
});
