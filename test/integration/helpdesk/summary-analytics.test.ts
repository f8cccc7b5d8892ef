// GET /admin/helpdesk/summary over a fixed data set stored in PostgreSQL: the sync-health figures the
// route answers are those worked out by hand (test/support/sync-health-fixture.ts), and a bad window
// is a 400 that says what is wrong.
import request from 'supertest';
import { startHarness, type Harness } from '../../support/harness';
import { EXPECTED, HEALED_PROBLEMS, TICKETS, WINDOW } from '../../support/sync-health-fixture';

const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const pool = h.db.pool;
  for (const [i, t] of TICKETS.entries()) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO helpdesk_tickets (fingerprint, kind, cause, source, order_id, order_name, course_code, state,
         marker, priority, initial_priority, team, recurrences, opened_at, closed_at, closed_by)
       VALUES ($1, $2, 'system', 'reconcile', $3, $4, $5, $6, $7, $8, $8, 'Ops', $9, $10, $11, $12) RETURNING id`,
      [
        t.fingerprint,
        t.kind,
        t.orderId,
        t.orderName,
        t.courseCode,
        t.closedAt ? 'closed' : 'open',
        `[m${i}]`,
        t.priority,
        t.recurrences,
        t.openedAt,
        t.closedAt,
        t.closedBy,
      ],
    );
    const doneAt = t.responseAfterMs === null ? null : new Date(t.openedAt.getTime() + t.responseAfterMs);
    await pool.query(
      `INSERT INTO helpdesk_commands (ticket_row_id, command, created_at, done_at) VALUES ($1, 'open', $2, $3)`,
      [rows[0]!.id, t.openedAt, doneAt],
    );
  }
  for (const p of HEALED_PROBLEMS)
    await pool.query(
      `INSERT INTO reconcile_problems (fingerprint, kind, order_id, course_code, first_seen_at, first_seen_run,
         last_seen_at, last_seen_run, healed_at, healed_run)
       VALUES ($1, $2, $3, $4, $5::timestamptz - interval '1 day', 1, $5::timestamptz - interval '1 day', 1, $5, 2)`,
      [p.fingerprint, p.kind, p.orderId, p.courseCode, p.healedAt],
    );
}, 60_000);
afterAll(() => h?.stop());

const summary = (query: string) => request(h.service.app).get(`/admin/helpdesk/summary${query}`).set(ADMIN);

describe('GET /admin/helpdesk/summary: sync health', () => {
  it('answers the figures of the fixed data set for ?since=&until=', async () => {
    const res = await summary(`?since=${WINDOW.since.toISOString()}&until=${WINDOW.until.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.health).toEqual(EXPECTED);
    expect(res.body).toMatchObject({ opened: 6, urgentShare: 0.333, until: WINDOW.until.toISOString() });
  });

  it('without since covers the 30 days before until', async () => {
    const res = await summary(`?until=${WINDOW.until.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.health.since).toBe('2026-02-13T00:00:00.000Z');
    expect(res.body.health.perDay).toHaveLength(30);
    expect(res.body.health.ticketsAvoided).toEqual({
      total: 3,
      byKind: { missing_enrollment: 2, student_mismatch: 1 },
    });
  });

  it('covers a window longer than a year, its per-day series the last 366 days only', async () => {
    const res = await summary(`?since=2020-01-01T00:00:00Z&until=${WINDOW.until.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.health.perDay).toHaveLength(366);
    expect(res.body.health.backlog).toEqual(EXPECTED.backlog);
    expect(res.body.opened).toBe(TICKETS.length);
  });

  it.each([
    ['until not a time', '?until=tomorrow', 'until'],
    ['since after until', '?since=2026-03-15T00:00:00Z&until=2026-03-01T00:00:00Z', 'since'],
    ['since equal to until', '?since=2026-03-15T00:00:00Z&until=2026-03-15T00:00:00Z', 'since'],
    ['since in the future without until', '?since=2999-01-01T00:00:00Z', 'since'],
    ['until given twice', '?until=2026-03-15T00:00:00Z&until=2026-03-16T00:00:00Z', 'until'],
  ])('answers 400 invalid_query for %s', async (_label, query, path) => {
    const res = await summary(query);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_query');
    expect(res.body.issues).toEqual([expect.objectContaining({ path, message: expect.any(String) })]);
  });
});
