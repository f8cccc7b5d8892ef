// The first reconciliation against a fresh LMS: every paid order is missing there, so the safety brake
// holds the run, and the CLI says in one line what to do next. `lms-sync reconcile --backfill` lifts the
// brake for that one run, records it in the run's report, and the next run is braked again.
import request from 'supertest';
import { runReconcileCli } from '../../src/cli/reconcile';
import { waitFor } from '../support/db';
import { startHarness, type Harness } from '../support/harness';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { captureStdout } from '../support/stdout';

jest.setTimeout(60_000);

const ADMIN = { authorization: 'Bearer admin-token-for-tests-only' };
const cli = { dryRun: false, json: false, full: true, since: null };

describe('lms-sync reconcile --backfill', () => {
  let h: Harness;
  const stdout = captureStdout();
  const students: number[] = [];
  beforeAll(async () => {
    h = await startHarness();
    const course = makeCourse(h.odoo, 'PY-K12');
    for (let i = 0; i < 12; i++) {
      const student = makeStudent(h.odoo);
      students.push(student);
      paidOrder(h.odoo, student, [course]);
    }
  });
  afterAll(() => h.stop());

  const enrolled = () => students.filter((s) => h.lms.state.enrollment('PY-K12', `odoo-partner-${s}`));
  const lastRun = async () =>
    (await request(h.service.app).get('/admin/reconciliations').set(ADMIN)).body.items[0] as {
      id: string;
      status: string;
    };

  it('holds the first run against a fresh LMS and says in one line to run it with --backfill', async () => {
    expect(await runReconcileCli(h.config, cli)).toBe(1);
    const lines = stdout.text().split('\n');
    expect(lines.find((l) => l.includes('HELD:'))).toMatch(/listed no enrollments/);
    expect(lines.filter((l) => l.includes('lms-sync reconcile --backfill'))).toHaveLength(1);
    expect(enrolled()).toEqual([]);
  });

  it('lifts the brake for that run only, says so, and records it in the run report', async () => {
    expect(await runReconcileCli(h.config, { ...cli, backfill: true })).toBe(0);
    const text = stdout.text();
    expect(text).toMatch(/: succeeded/);
    expect(text).toMatch(/repairs queued: 12/);
    expect(text).toMatch(
      /backfill: safety brake lifted for this run \(--backfill\); it would have held: the LMS listed no enrollments/,
    );
    await waitFor(() => enrolled().length === students.length, 'every paid order enrolled');

    const run = await lastRun();
    const report = await request(h.service.app).get(`/admin/reconciliations/${run.id}`).set(ADMIN);
    expect(report.body.run).toMatchObject({
      status: 'succeeded',
      heldReason: null,
      brakeLifted: expect.stringMatching(/^lifted for this run \(--backfill\); it would have held/),
    });
    const html = await request(h.service.app).get(`/admin/reconciliations/${run.id}.html`).set(ADMIN);
    expect(html.text).toContain('id="backfill-banner"');
  });

  it('brakes the next run again: the backfill was for that one run', async () => {
    for (const s of students) h.lms.state.deleteEnrollment('PY-K12', `odoo-partner-${s}`);
    expect(await runReconcileCli(h.config, cli)).toBe(1);
    expect(stdout.text()).toMatch(/HELD: the LMS listed no enrollments/);
    const run = await lastRun();
    const report = await request(h.service.app).get(`/admin/reconciliations/${run.id}`).set(ADMIN);
    expect(report.body.run).toMatchObject({ status: 'held', brakeLifted: null });
  });
});
