// /metrics across a reconciliation, over the real service: the run's status, findings and the time
// since the last success change; tickets, dead letters and Odoo calls are counted.
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { consumed, send } from '../support/traffic';
import { events } from '../support/webhooks';

jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
});
afterAll(() => h.stop());

async function scrape(): Promise<(series: string) => number | undefined> {
  const r = await request(h.service.app).get('/metrics');
  expect(r.status).toBe(200);
  const text = r.text;
  return (series) => {
    const l = text.split('\n').find((x) => x.startsWith(`${series} `));
    const v = l?.split(' ')[1];
    return v === undefined ? undefined : v === '+Inf' ? Infinity : Number(v);
  };
}

it('shows the reconciliation, tickets, dead letters and Odoo calls, and they change across a run', async () => {
  const before = await scrape();
  expect(before('lms_sync_reconcile_seconds_since_last_success')).toBe(Infinity);
  expect(before('lms_sync_reconcile_last_run_status{status="succeeded"}')).toBeUndefined();
  expect(before('lms_sync_dead_letters_open')).toBe(0);

  const enrolled = paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'PY-K12')]);
  await consumed(h, await send(h, events.paid(enrolled.orderId, enrolled.name)));
  // a course the LMS does not know: a dead letter now, a course_unmapped finding at the run
  const unknown = paidOrder(h.odoo, makeStudent(h.odoo), [makeCourse(h.odoo, 'NOPE-1')]);
  await consumed(h, await send(h, events.paid(unknown.orderId, unknown.name)));

  const run = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
  expect(run.status).toBe('succeeded');
  await h.service.helpdesk.worker.drainNow();

  const after = await scrape();
  expect(after('lms_sync_reconcile_last_run_status{status="succeeded"}')).toBe(1);
  expect(after('lms_sync_reconcile_last_run_status{status="held"}')).toBe(0);
  expect(after('lms_sync_reconcile_runs{status="succeeded"}')).toBe(1);
  expect(after('lms_sync_reconcile_seconds_since_last_success')).toBeLessThan(60);
  expect(after('lms_sync_reconcile_last_run_findings{kind="course_unmapped"}')).toBe(1);
  expect(after('lms_sync_reconcile_last_run_duration_seconds')).toBeGreaterThanOrEqual(0);
  expect(after('lms_sync_dead_letters_open')).toBe(1);
  expect(after('lms_sync_helpdesk_open_tickets{priority="normal",team="Ops"}')).toBeGreaterThanOrEqual(1);
  expect(after('lms_sync_helpdesk_queued_writes')).toBe(0);
  expect(after('lms_sync_odoo_calls_total{method="search_read",outcome="ok"}')).toBeGreaterThan(0);
  expect(after('lms_sync_odoo_call_seconds_count{method="search_read"}')).toBeGreaterThan(0);
});
