// Reconciliation end to end: the real service, PostgreSQL, RabbitMQ and both simulators over HTTP.
import request from 'supertest';
import type { Service } from '../../src/service';
import { startHarness, type Harness } from '../support/harness';
import { outboxDrained, waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { events, signedDelivery } from '../support/webhooks';

jest.setTimeout(60_000);

const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };

async function lmsPut(h: Harness, course: string, studentId: string, email: string, orderId: number | null) {
  const res = await fetch(`${h.lms.url}/api/v1/courses/${course}/enrollments/${studentId}`, {
    method: 'PUT',
    headers: { authorization: 'Bearer lms-token', 'content-type': 'application/json' },
    body: JSON.stringify({
      student: { email, fullName: 'Manual' },
      source: { orderId: orderId ?? 900_001, orderName: 'manual' },
    }),
  });
  if (res.status >= 300) throw new Error(`LMS PUT failed: ${res.status}`);
}

const count = async (h: Harness, sql: string) => (await h.db.pool.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
const outboxRows = (h: Harness) => count(h, 'SELECT count(*)::int AS n FROM outbox');
const drained = (h: Harness) => outboxDrained(h.db.pool, 30_000);

async function sendPaid(h: Harness, o: { orderId: number; name: string }) {
  const d = signedDelivery(events.paid(o.orderId, o.name));
  const res = await request(h.service.app).post('/webhooks/odoo').set(d.headers).send(d.body);
  expect(res.status).toBe(202);
}

describe('reconciliation', () => {
  let h: Harness;
  const ids: Record<string, { orderId: number; name: string; student: number; invoiceId?: number }> = {};

  beforeAll(async () => {
    h = await startHarness({ env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
    const py = makeCourse(h.odoo, 'PY-K12');
    const web = makeCourse(h.odoo, 'WEB-101');
    const unknown = makeCourse(h.odoo, 'NOT-IN-LMS');
    const make = (key: string, product: number, email?: string) => {
      const student = makeStudent(h.odoo, email ? { email } : {});
      ids[key] = { student, ...paidOrder(h.odoo, student, [product]) };
      return ids[key]!;
    };
    // Healthy: enrolled through the webhook path.
    for (const k of ['ok1', 'ok2', 'ok3', 'ok4', 'ok5', 'ok6']) await sendPaid(h, make(k, py));
    // Broken on purpose:
    make('neverSent', web); // a webhook never sent → missing_enrollment
    await sendPaid(h, make('deleted', web)); // enrolled, then removed by hand in the LMS → missing_enrollment
    make('unmapped', unknown); // the LMS does not know the course → course_unmapped
    await sendPaid(h, make('refunded', py)); // enrolled, then refunded in Odoo → unpaid_enrollment
    await sendPaid(h, make('mismatch', web, 'right@example.com')); // enrolled under another email → student_mismatch
    await drained(h);
    h.lms.state.deleteEnrollment('WEB-101', `odoo-partner-${ids.deleted!.student}`);
    h.odoo.store.refundInvoice(ids.refunded!.invoiceId as number);
    await lmsPut(
      h,
      'WEB-101',
      `odoo-partner-${ids.mismatch!.student}`,
      'wrong@example.com',
      ids.mismatch!.orderId,
    );
    // Same person enrolled twice in one course under two identities → duplicate_enrollment
    await lmsPut(h, 'PY-K12', 'manual-777', `student-dup@example.com`, null);
    await lmsPut(h, 'PY-K12', 'manual-778', `student-dup@example.com`, null);
  });
  afterAll(() => h.stop());

  it('a dry run finds every kind of problem and writes nothing but its report', async () => {
    const before = {
      outbox: await outboxRows(h),
      problems: await count(h, 'SELECT count(*)::int AS n FROM reconcile_problems'),
    };
    const calls = h.lms.state.enrollCalls;
    const outcome = await h.service.reconciler.run({ mode: 'full', dryRun: true, trigger: 'cli' });
    expect(outcome.status).toBe('succeeded');
    const { rows } = await h.db.pool.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM reconcile_findings WHERE run_id = $1 GROUP BY kind ORDER BY kind',
      [outcome.runId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toEqual({
      course_unmapped: 1,
      duplicate_enrollment: 1,
      missing_enrollment: 2,
      student_mismatch: 1,
      unpaid_enrollment: 1,
    });
    expect(await outboxRows(h)).toBe(before.outbox);
    expect(await count(h, 'SELECT count(*)::int AS n FROM reconcile_problems')).toBe(before.problems);
    expect(h.lms.state.enrollCalls).toBe(calls);
  });

  it('a full run repairs the missing enrollments through the queue, reports the rest, and the next run records them healed', async () => {
    const first = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(first).toMatchObject({ status: 'succeeded', repairsQueued: 2 });
    expect(first.findingsLeft).toBe(4);
    await drained(h);
    for (const k of ['neverSent', 'deleted']) {
      expect(h.lms.state.enrollment('WEB-101', `odoo-partner-${ids[k]!.student}`)).toMatchObject({
        status: 'active',
      });
    }
    const second = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(second.repairsQueued).toBe(0);
    const healed = await h.db.pool.query('SELECT kind FROM reconcile_problems WHERE healed_run = $1', [
      second.runId,
    ]);
    expect(healed.rows.map((r) => r.kind)).toEqual(['missing_enrollment', 'missing_enrollment']);
    const report = await request(h.service.app).get(`/admin/reconciliations/${second.runId}`).set(ADMIN);
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body)).toMatch(/"healed":2/);
  });

  it('a repair whose first attempt fails still redoes the lost enrollment on its retry', async () => {
    const key = `odoo-partner-${ids.ok1!.student}`;
    h.lms.state.deleteEnrollment('PY-K12', key);
    h.lms.state.failNext(1, 503);
    const run = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(run.repairsQueued).toBeGreaterThanOrEqual(1);
    await drained(h);
    expect(h.lms.state.enrollment('PY-K12', key)).toMatchObject({ status: 'active' });
  });

  it('serves the report as CSV and as an HTML page', async () => {
    const list = await request(h.service.app).get('/admin/reconciliations').set(ADMIN);
    const runId = list.body.items[0].id;
    const csv = await request(h.service.app).get(`/admin/reconciliations/${runId}.csv`).set(ADMIN);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/fingerprint/);
    const html = await request(h.service.app).get(`/admin/reconciliations/${runId}.html`).set(ADMIN);
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/<html/);
    expect((await request(h.service.app).get(`/admin/reconciliations/999999.html`).set(ADMIN)).status).toBe(
      404,
    );
    expect((await request(h.service.app).get(`/admin/reconciliations/${runId}.html`)).status).toBe(401);
  });

  it('starts a run from the API and refuses a second one while it runs', async () => {
    h.lms.state.setLatency(300);
    try {
      const a = await request(h.service.app).post('/admin/reconciliations').set(ADMIN).send({ dryRun: true });
      expect(a.status).toBe(202);
      const b = await request(h.service.app).post('/admin/reconciliations').set(ADMIN).send({ dryRun: true });
      expect(b.status).toBe(409);
      await waitFor(async () => {
        const r = await request(h.service.app).get(`/admin/reconciliations/${a.body.runId}`).set(ADMIN);
        return r.body.run?.status === 'succeeded';
      }, 'the API run to finish');
    } finally {
      h.lms.state.setLatency(0);
    }
    const bad = await request(h.service.app)
      .post('/admin/reconciliations')
      .set(ADMIN)
      .send({ dryRun: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('holds every repair when the LMS lists no enrollments while Odoo has paid lines', async () => {
    const saved = h.lms.state.enrollments.page(0, 100000).items.map((e) => ({ ...e }));
    for (const e of saved) h.lms.state.deleteEnrollment(e.courseCode, e.studentId);
    const before = await outboxRows(h);
    const outcome = await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    expect(outcome.status).toBe('held');
    expect(outcome.heldReason).toMatch(/no enrollments/);
    expect(outcome.repairsQueued).toBe(0);
    expect(await outboxRows(h)).toBe(before);
    // put the LMS back as it was (through the API, as a person would)
    for (const e of saved) await lmsPut(h, e.courseCode, e.studentId, e.email ?? '', e.source.orderId);
  });

  it('marks a run left running by a crashed process as failed on the next start', async () => {
    const { rows } = await h.db.pool.query<{ id: string }>(
      `INSERT INTO reconcile_runs (status, mode, dry_run, trigger, owner) VALUES ('running', 'full', false, 'schedule', 'dead-host:1') RETURNING id::text`,
    );
    await h.service.reconciler.run({ mode: 'full', dryRun: true, trigger: 'cli' });
    const r = await h.db.pool.query('SELECT status, error FROM reconcile_runs WHERE id = $1', [rows[0]?.id]);
    expect(r.rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped/) });
  });

  it('runs once when two replicas fire the schedule at the same moment', async () => {
    const replica: Service = await h.startReplica(['api']);
    h.lms.state.setLatency(100);
    try {
      const before = await count(h, 'SELECT count(*)::int AS n FROM reconcile_runs');
      const results = await Promise.all([h.service.scheduler.tick(), replica.scheduler.tick()]);
      expect(results.sort()).toEqual(['ran', 'skipped']);
      expect(await count(h, 'SELECT count(*)::int AS n FROM reconcile_runs')).toBe(before + 1);
    } finally {
      h.lms.state.setLatency(0);
    }
  });
});

describe('a repair racing a webhook for the same enrollment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '1000' } });
  });
  afterAll(() => h.stop());

  it('reaches the LMS as one enrollment', async () => {
    // One student already enrolled, so the LMS listing is never empty (that would trip the brake).
    const first = makeStudent(h.odoo);
    const enrolled = paidOrder(h.odoo, first, [makeCourse(h.odoo, 'WEB-101')]);
    await sendPaid(h, enrolled);
    await waitFor(() => h.lms.state.enrollment('WEB-101', `odoo-partner-${first}`), 'the first enrollment');
    const course = makeCourse(h.odoo, 'DATA-201');
    const orders = Array.from({ length: 10 }, () => {
      const student = makeStudent(h.odoo);
      return { student, ...paidOrder(h.odoo, student, [course]) };
    });
    // The webhooks and the reconciliation's repairs for the same orders go out together.
    const [outcome] = await Promise.all([
      h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' }),
      ...orders.map((o) => sendPaid(h, o)),
    ]);
    expect(outcome.status).toBe('succeeded');
    await drained(h);
    for (const o of orders)
      expect(h.lms.state.creationCount('DATA-201', `odoo-partner-${o.student}`)).toBe(1);
    expect(h.lms.state.duplicates()).toEqual([]);
  });
});
