// Helpdesk write-back end to end, for both flavors, over real XML-RPC to the Odoo simulator.
import request from 'supertest';
import { FLAVORS } from '../../src/helpdesk/flavors';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/db';
import { makeCourse, makeStudent, paidOrder } from '../support/orders';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { consumed, send } from '../support/traffic';
import { events } from '../support/webhooks';

jest.setTimeout(60_000);

const ADMIN = { Authorization: 'Bearer admin-token-for-tests-only' };

function odooTickets(h: Harness) {
  return h.odoo.store.read(
    'helpdesk.ticket',
    h.odoo.store.search('helpdesk.ticket', [['active', 'in', [true, false]]]),
    ['name', 'priority', 'tag_ids', 'team_id', 'stage_id', 'description', 'partner_email'],
  );
}

function tagNames(h: Harness, flavor: 'oca' | 'enterprise', ids: unknown): string[] {
  return h.odoo.store.read(FLAVORS[flavor].tagModel, ids as number[], ['name']).map((t) => String(t.name));
}

function isClosed(h: Harness, flavor: 'oca' | 'enterprise', ticketId: number): boolean {
  const [t] = h.odoo.store.read('helpdesk.ticket', [ticketId], ['stage_id']);
  const stageId = (t?.stage_id as [number, string])[0];
  const flag = flavor === 'oca' ? 'closed' : 'fold';
  const [stage] = h.odoo.store.read(FLAVORS[flavor].stageModel, [stageId], [flag]);
  return stage?.[flag] === true;
}

describe.each(['oca', 'enterprise'] as const)('helpdesk write-back (%s)', (flavor) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ helpdeskFlavor: flavor });
  });
  afterAll(() => h.stop());

  it('opens one tagged, honestly prioritised ticket for a dead-lettered enrollment, recurs on it, and closes it when healed', async () => {
    h.lms.state.addCourse({ courseCode: 'HD-1', title: 'Helpdesk course' });
    h.lms.state.rejectCourse('HD-1');
    const student = makeStudent(h.odoo, { email: 'hd.student@example.com' });
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'HD-1')]);

    const paidEvent = await send(h, events.paid(o.orderId, o.name));
    await consumed(h, paidEvent);
    await h.service.helpdesk.worker.drainNow();
    const story = await request(h.service.app).get(`/admin/events/${paidEvent}`).set(ADMIN);
    expect(story.body.tickets).toEqual([
      expect.objectContaining({ kind: 'enrollment_failed', state: 'open', priority: 'high' }),
    ]);
    let tickets = odooTickets(h);
    expect(tickets).toHaveLength(1);
    const t = tickets[0]!;
    expect(t.priority).toBe('2'); // high: a dead-lettered enrollment, not urgent
    expect(tagNames(h, flavor, t.tag_ids)).toEqual(
      expect.arrayContaining(['CRM', 'LMS', 'sync-failure', 'enroll HV', 'enrollment_failed']),
    );
    expect((t.team_id as [number, string])[1]).toBe('Technical Support');
    expect(String(t.description)).toMatch(/lms_rejected/);
    expect(t.partner_email).toBe('hd.student@example.com');
    expect(
      h.odoo.store
        .messagesFor('sale.order', o.orderId)
        .map((m) => m.body)
        .join(),
    ).toMatch(/helpdesk ticket was opened/);

    // The same problem again (ops clicks Retry before fixing anything): a note, not a new ticket.
    await consumed(h, await send(h, events.retry(o.orderId, o.name)));
    await h.service.helpdesk.worker.drainNow();
    tickets = odooTickets(h);
    expect(tickets).toHaveLength(1);
    expect(
      h.odoo.store
        .messagesFor('helpdesk.ticket', t.id as number)
        .map((m) => m.body)
        .join(),
    ).toMatch(/Seen again/);

    // Fixed, retried, enrolled: the ticket closes itself, tagged auto-healed.
    h.lms.state.acceptCourse('HD-1');
    await consumed(h, await send(h, events.retry(o.orderId, o.name)));
    await h.service.helpdesk.worker.drainNow();
    expect(isClosed(h, flavor, t.id as number)).toBe(true);
    expect(tagNames(h, flavor, odooTickets(h)[0]!.tag_ids)).toContain('auto-healed');
    const summary = await request(h.service.app).get('/admin/helpdesk/summary').set(ADMIN);
    expect(summary.body).toMatchObject({ opened: 1, recurring: 1, autoClosed: 1, byPriority: { high: 1 } });
  });

  it('opens a new ticket, referring to the old, when a person closed it and the problem comes back', async () => {
    const student = makeStudent(h.odoo, { email: false });
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'PY-K12')]);
    await consumed(h, await send(h, events.paid(o.orderId, o.name)));
    await h.service.helpdesk.worker.drainNow();
    const before = odooTickets(h).length;
    const { rows } = await h.db.pool.query(
      `SELECT odoo_ticket_id, odoo_reference, priority, team FROM helpdesk_tickets WHERE kind = 'missing_email' AND order_id = $1`,
      [o.orderId],
    );
    expect(rows[0]).toMatchObject({ priority: 'normal', team: 'Ops' });
    // A person closes it in Odoo without fixing the email.
    const closedStage = h.odoo.store.search(FLAVORS[flavor].stageModel, FLAVORS[flavor].closedStageDomain)[0];
    h.odoo.store.write('helpdesk.ticket', [rows[0].odoo_ticket_id], { stage_id: closedStage });
    await consumed(h, await send(h, events.retry(o.orderId, o.name)));
    await h.service.helpdesk.worker.drainNow();
    await h.service.helpdesk.worker.drainNow();
    const after = odooTickets(h);
    expect(after).toHaveLength(before + 1);
    const newest = after.find(
      (x) => x.id !== rows[0].odoo_ticket_id && String(x.description).includes('came back'),
    );
    expect(String(newest?.description)).toContain(String(rows[0].odoo_reference));
  });

  it('escalates a ticket past its SLA one level, once, with a note', async () => {
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET priority_since = now() - interval '100 hours' WHERE state = 'open' AND priority = 'normal'`,
    );
    const raised = await h.service.helpdesk.escalate();
    expect(raised).toBeGreaterThanOrEqual(1);
    expect(await h.service.helpdesk.escalate()).toBe(0); // not again at the same level
    await h.service.helpdesk.worker.drainNow();
    const { rows } = await h.db.pool.query(
      `SELECT odoo_ticket_id FROM helpdesk_tickets WHERE state = 'open' AND 'high' = ANY(escalated_to)`,
    );
    const [t] = h.odoo.store.read('helpdesk.ticket', [rows[0].odoo_ticket_id], ['priority']);
    expect(t?.priority).toBe('2');
    expect(
      h.odoo.store
        .messagesFor('helpdesk.ticket', rows[0].odoo_ticket_id)
        .map((m) => m.body)
        .join(),
    ).toMatch(/Escalated from/);
  });
});

describe('when Odoo is unreachable', () => {
  let h: Harness;
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    h = await startHarness({
      odooUrl: async (simUrl) => {
        proxy = await startTcpProxy(Number(new URL(simUrl).port));
        return proxy.url('http');
      },
    });
  });
  afterAll(async () => {
    await h.stop();
    await proxy?.close();
  });

  it('queues the ticket writes and opens exactly one ticket once Odoo is back', async () => {
    await proxy!.cut();
    await h.service.helpdesk.tickets.report({
      kind: 'course_unmapped',
      source: 'reconcile',
      orderId: 4242,
      orderName: 'S04242',
      courseCode: 'ZZ-1',
      studentId: 'odoo-partner-1',
      blockedSince: new Date(),
      summary: 'paid order S04242 sells course ZZ-1, which the LMS does not know',
      tried: [],
    });
    await h.service.helpdesk.worker.drainNow();
    const pending = await request(h.service.app).get('/admin/helpdesk/summary').set(ADMIN);
    expect(pending.body.pendingWrites).toBe(1);
    expect(h.odoo.store.search('helpdesk.ticket', [])).toHaveLength(0);
    await proxy!.restore();
    await h.db.pool.query('UPDATE helpdesk_commands SET next_attempt_at = now()');
    await h.service.helpdesk.worker.drainNow();
    await h.service.helpdesk.worker.drainNow();
    expect(h.odoo.store.search('helpdesk.ticket', [])).toHaveLength(1);
    const after = await request(h.service.app).get('/admin/helpdesk/summary').set(ADMIN);
    expect(after.body.pendingWrites).toBe(0);
  });
});

describe('tickets from reconciliation runs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RECONCILE_MIN_REPAIRS_TO_BRAKE: '100' } });
  });
  afterAll(() => h.stop());

  const ticketsOf = async (kind: string) =>
    (
      await h.db.pool.query(
        `SELECT state, priority, team, closed_by, recurrences FROM helpdesk_tickets WHERE kind = $1 ORDER BY id`,
        [kind],
      )
    ).rows;

  it('opens one ticket per finding that needs a person, keeps it across runs, and closes it when a full run no longer finds it', async () => {
    const student = makeStudent(h.odoo);
    const o = paidOrder(h.odoo, student, [makeCourse(h.odoo, 'NEW-COURSE')]);
    const ok = makeStudent(h.odoo);
    await consumed(
      h,
      await send(h, events.paid(paidOrder(h.odoo, ok, [makeCourse(h.odoo, 'PY-K12')]).orderId)),
    );
    await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    await h.service.helpdesk.worker.drainNow();
    expect(await ticketsOf('course_unmapped')).toEqual([
      { state: 'open', priority: 'normal', team: 'Ops', closed_by: null, recurrences: 1 },
    ]);
    expect(h.odoo.store.search('helpdesk.ticket', [])).toHaveLength(1);

    // Ops maps the course in the LMS; the next run repairs, the one after finds nothing: closed.
    h.lms.state.addCourse({ courseCode: 'NEW-COURSE', title: 'New course' });
    await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    await waitFor(() => h.lms.state.enrollment('NEW-COURSE', `odoo-partner-${student}`), 'the repair');
    await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' });
    await h.service.helpdesk.worker.drainNow();
    expect(await ticketsOf('course_unmapped')).toEqual([
      expect.objectContaining({ state: 'closed', closed_by: 'service' }),
    ]);
    expect(o.orderId).toBeGreaterThan(0);
  });

  it('reports a dead letter that never became a ticket (a crash between the two writes), once', async () => {
    const message = {
      messageId: '00000000-0000-4000-8000-00000000a001',
      eventId: '00000000-0000-4000-8000-00000000a002',
      trigger: 'order.paid',
      orderId: 777001,
      orderName: 'S777001',
    };
    await h.db.pool.query(
      `INSERT INTO dead_letters (message_id, event_id, business_key, routing_key, payload, reason_code, reason, attempts, created_at)
       VALUES ($1, $2, $3, 'order.sync', $4, 'lms_rejected', 'the LMS said no', 1, now() - interval '2 minutes')`,
      [message.messageId, message.eventId, 'enroll:777001:PY-K12:odoo-partner-1', message],
    );
    expect(await h.service.helpdesk.hooks.reportUnreported()).toBe(1);
    expect(await h.service.helpdesk.hooks.reportUnreported()).toBe(0);
    expect(await ticketsOf('enrollment_failed')).toEqual([
      expect.objectContaining({ state: 'open', priority: 'high' }),
    ]);
  });

  it('opens an urgent ticket for a held run, and closes it once a run is not held', async () => {
    const saved = h.lms.state.enrollments.page(0, 100000).items.map((e) => ({ ...e }));
    for (const e of saved) h.lms.state.deleteEnrollment(e.courseCode, e.studentId);
    expect((await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' })).status).toBe(
      'held',
    );
    await h.service.helpdesk.worker.drainNow();
    expect(await ticketsOf('held_run')).toEqual([
      expect.objectContaining({ state: 'open', priority: 'urgent', team: 'Technical Support' }),
    ]);
    const urgent = h.odoo.store.search('helpdesk.ticket', [['priority', '=', '3']]);
    expect(urgent).toHaveLength(1);
    // the LMS answers normally again (it lists an enrollment): the next run is not held
    h.lms.state.addCourse({ courseCode: 'WEB-101', title: 'Web' });
    const res = await fetch(`${h.lms.url}/api/v1/courses/WEB-101/enrollments/manual-1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer lms-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        student: { email: 'm@example.com', fullName: 'M' },
        source: { orderId: 999999, orderName: 'x' },
      }),
    });
    expect(res.status).toBe(201);
    await h.service.reconciler.run({ mode: 'full', dryRun: true, trigger: 'cli' });
    expect((await ticketsOf('held_run'))[0].state).toBe('open'); // a dry run changes no ticket
    expect((await h.service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'cli' })).status).toBe(
      'succeeded',
    );
    await h.service.helpdesk.worker.drainNow();
    expect(await ticketsOf('held_run')).toEqual([
      expect.objectContaining({ state: 'closed', closed_by: 'service' }),
    ]);
    expect(urgent.every((id) => isClosed(h, 'oca', id))).toBe(true);
  });
});
