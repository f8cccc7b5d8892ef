// Assignment by workload, notices through Odoo (a To-Do activity and a note addressed to the assignee) and
// reassignment of untouched tickets, end to end for both flavors over real XML-RPC to the Odoo simulator.
import { FLAVORS } from '../../src/helpdesk/flavors';
import type { Problem } from '../../src/helpdesk/problems';
import { activityDeadline } from '../../src/helpdesk/rules';
import { startHarness, type Harness } from '../support/harness';

jest.setTimeout(60_000);

const SLA = { urgent: 4, high: 24, normal: 72, low: 168 };
let seq = 0;

/** A data problem (team Ops, normal) on its own order, or a held run (Technical Support, urgent). */
function problem(kind: 'course_unmapped' | 'held_run'): Problem {
  seq += 1;
  const onOrder = kind === 'course_unmapped';
  return {
    kind,
    source: 'reconcile',
    orderId: onOrder ? 90_000 + seq : null,
    orderName: onOrder ? `S9${seq}` : null,
    courseCode: onOrder ? `ZZ-${seq}` : null,
    studentId: null,
    blockedSince: new Date(),
    summary: `problem ${seq}`,
    tried: [],
  };
}

describe.each(['oca', 'enterprise'] as const)('helpdesk assignment (%s)', (flavor) => {
  let h: Harness;
  const users: Record<'lead' | 'ann' | 'bao' | 'cuc' | 'dave', number> = {
    lead: 0,
    ann: 0,
    bao: 0,
    cuc: 0,
    dave: 0,
  };
  const ticketModel = FLAVORS[flavor].ticketModel;

  beforeAll(async () => {
    h = await startHarness({
      helpdeskFlavor: flavor,
      env: {
        HELPDESK_OUT_USERS: 'Dave@example.com',
        // Enterprise teams have no leader field: the setting names one
        ...(flavor === 'enterprise'
          ? { HELPDESK_TEAM_LEADERS: 'Technical Support=lead@example.com,Ops=LEAD@example.com' }
          : {}),
      },
    });
    const sim = h.odoo.store;
    users.lead = sim.createUser({ name: 'Lead Le', login: 'lead@example.com' });
    users.ann = sim.createUser({ name: 'Ann An', login: 'ann@example.com' });
    users.bao = sim.createUser({ name: 'Bao Bui', login: 'bao@example.com' });
    users.cuc = sim.createUser({ name: 'Cuc Cao', login: 'cuc@example.com', active: false });
    users.dave = sim.createUser({ name: 'Dave Do', login: 'dave@example.com' });
    const members = [users.ann, users.bao, users.cuc, users.dave];
    for (const team of ['Ops', 'Technical Support'])
      sim.setTeam(team, members, flavor === 'oca' ? users.lead : undefined);
    // Work already on their desks in Odoo: Ann one open ticket, Bao two open and one closed.
    const closed = sim.search(FLAVORS[flavor].stageModel, FLAVORS[flavor].closedStageDomain)[0];
    const existing = (userId: number, stage?: number) =>
      h.odoo.store.db.transaction(() =>
        h.odoo.store.db.create(ticketModel, {
          name: 'earlier work',
          description: '<p>earlier</p>',
          user_id: userId,
          ...(stage ? { stage_id: stage } : {}),
        }),
      );
    existing(users.ann);
    existing(users.bao);
    existing(users.bao);
    existing(users.bao, closed);
  });
  afterAll(() => h.stop());

  async function open(kind: 'course_unmapped' | 'held_run') {
    const { rowId } = await h.service.helpdesk.tickets.report(problem(kind));
    await h.service.helpdesk.worker.drainNow();
    const { rows } = await h.db.pool.query(
      `SELECT odoo_ticket_id, assignee_user_id, priority_since, order_id, course_code FROM helpdesk_tickets WHERE id = $1`,
      [rowId],
    );
    return { rowId, ...rows[0] } as {
      rowId: string;
      odoo_ticket_id: number;
      assignee_user_id: number | null;
      priority_since: Date;
      order_id: number | null;
      course_code: string | null;
    };
  }
  const assigneeInOdoo = (ticketId: number) =>
    (h.odoo.store.read(ticketModel, [ticketId], ['user_id'])[0]?.user_id as [number, string] | false) || null;
  const notes = (ticketId: number) => {
    const ids = h.odoo.store.search('mail.message', [
      ['model', '=', ticketModel],
      ['res_id', '=', ticketId],
    ]);
    return h.odoo.store.read('mail.message', ids, ['body', 'partner_ids', 'subtype_id']).map((m) => ({
      body: String(m.body),
      partnerIds: m.partner_ids as number[],
      note: (m.subtype_id as [number, string])[1] === 'Note',
    }));
  };
  /** Our record says the ticket was assigned `hours` ago, and its check is due. */
  const assignedHoursAgo = (rowId: string, hours: number) =>
    h.db.pool.query(
      `UPDATE helpdesk_tickets SET assigned_at = now() - make_interval(hours => $2), reassign_due_at = now() WHERE id = $1`,
      [rowId, hours],
    );
  const reassignState = async (rowId: string) =>
    (
      await h.db.pool.query(
        `SELECT reassignments, round(extract(epoch FROM reassign_due_at - now()) / 3600)::int AS "nextCheckInHours"
           FROM helpdesk_tickets WHERE id = $1`,
        [rowId],
      )
    ).rows[0];
  const partnerOf = (userId: number) =>
    (h.odoo.store.read('res.users', [userId], ['partner_id'])[0]?.partner_id as [number, string])[0];

  it('assigns a ticket to the available member with the fewest open tickets, skipping archived and out users', async () => {
    const t = await open('course_unmapped');
    // Cuc (archived) and Dave (out) have none; Ann has one open, Bao two (a closed one does not count)
    expect(assigneeInOdoo(t.odoo_ticket_id)).toEqual([users.ann, 'Ann An']);
    expect(t.assignee_user_id).toBe(users.ann);
    expect(h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id)).toEqual([]); // not urgent: no To-Do
  });

  it('breaks a tie in open tickets by the least recently assigned', async () => {
    // Ann and Bao both have two open tickets now; Ann was assigned one a moment ago, Bao never
    const t = await open('course_unmapped');
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(users.bao);
    const { rows } = await h.db.pool.query(
      'SELECT odoo_user_id, reason, reassigned FROM helpdesk_assignments ORDER BY id',
    );
    expect(rows).toEqual([
      { odoo_user_id: users.ann, reason: 'workload', reassigned: false },
      { odoo_user_id: users.bao, reason: 'workload', reassigned: false },
    ]);
  });

  it('gives an urgent ticket to the team leader, with a To-Do due by the SLA and a note addressed to them', async () => {
    const t = await open('held_run');
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(users.lead);
    const activities = h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id);
    expect(activities).toEqual([
      expect.objectContaining({
        activity_type_id: [expect.any(Number), 'To-Do'],
        user_id: [users.lead, 'Lead Le'],
        date_deadline: activityDeadline(t.priority_since, 'urgent', SLA),
      }),
    ]);
    const addressed = notes(t.odoo_ticket_id).filter((n) => n.partnerIds.length > 0);
    expect(addressed).toEqual([
      {
        body: expect.stringMatching(/^@Lead Le this urgent ticket is yours as the team leader/),
        partnerIds: [partnerOf(users.lead)],
        note: true,
      },
    ]);
  });

  it('schedules a To-Do for the assignee and addresses the note to them on every escalation', async () => {
    const t = await open('course_unmapped');
    const assignee = t.assignee_user_id as number;
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET priority_since = now() - interval '100 hours' WHERE id = $1`,
      [t.rowId],
    );
    expect(await h.service.helpdesk.escalate()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    const { rows } = await h.db.pool.query('SELECT priority_since FROM helpdesk_tickets WHERE id = $1', [
      t.rowId,
    ]);
    expect(h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id)).toEqual([
      expect.objectContaining({
        user_id: [assignee, expect.any(String)],
        date_deadline: activityDeadline(rows[0].priority_since, 'high', SLA),
      }),
    ]);
    const escalated = notes(t.odoo_ticket_id).filter((n) => /Escalated from normal to high/.test(n.body));
    expect(escalated).toEqual([
      { body: expect.stringMatching(/^@\S+ \S+ Escalated/), partnerIds: [partnerOf(assignee)], note: true },
    ]);
  });

  it('gives a ticket escalated to urgent to the team leader, with a To-Do and a note saying so', async () => {
    const t = await open('course_unmapped');
    const before = assigneeInOdoo(t.odoo_ticket_id)?.[1];
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET priority = 'high', priority_since = now() - interval '30 hours' WHERE id = $1`,
      [t.rowId],
    );
    expect(await h.service.helpdesk.escalate()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(users.lead);
    const { rows } = await h.db.pool.query('SELECT priority_since FROM helpdesk_tickets WHERE id = $1', [
      t.rowId,
    ]);
    expect(h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id)).toEqual([
      expect.objectContaining({
        user_id: [users.lead, 'Lead Le'],
        date_deadline: activityDeadline(rows[0].priority_since, 'urgent', SLA),
      }),
    ]);
    expect(notes(t.odoo_ticket_id).filter((n) => /Escalated from high to urgent/.test(n.body))).toEqual([
      {
        body: expect.stringContaining(`Urgent now: assigned to the team leader (from ${before}).`),
        partnerIds: [partnerOf(users.lead)],
        note: true,
      },
    ]);
  });

  /** The worker runs what failed again now, instead of after its backoff. */
  async function retryNow() {
    await h.db.pool.query('UPDATE helpdesk_commands SET next_attempt_at = now() WHERE done_at IS NULL');
    await h.service.helpdesk.worker.drainNow();
  }
  const openCount = (userId: number) =>
    h.odoo.store.search(ticketModel, [
      ['user_id', '=', userId],
      [FLAVORS[flavor].ticketClosedField, '=', false],
    ]).length;

  it('keeps the assignee it chose when the assignment is redone after its answer was lost', async () => {
    // Ann and Bao equally loaded: whoever gets the ticket then has one more, and a fresh choice would differ
    while (openCount(users.ann) !== openCount(users.bao)) {
      const lighter = openCount(users.ann) < openCount(users.bao) ? users.ann : users.bao;
      h.odoo.store.write(
        ticketModel,
        [
          h.odoo.store.db.transaction(() =>
            h.odoo.store.db.create(ticketModel, { name: 'x', description: '<p>x</p>' }),
          ),
        ],
        { user_id: lighter },
      );
    }
    // the rule's choice now: of the two, the one we assigned least recently (cuc is archived, dave out)
    const latest = await h.db.pool.query(
      `SELECT odoo_user_id FROM helpdesk_assignments WHERE odoo_user_id = ANY($1) ORDER BY assigned_at DESC, id DESC LIMIT 1`,
      [[users.ann, users.bao]],
    );
    const expected = latest.rows[0].odoo_user_id === users.ann ? users.bao : users.ann;
    h.odoo.resetAfterCommit('write'); // the user_id write commits, its answer is lost
    const { rowId } = await h.service.helpdesk.tickets.report(problem('course_unmapped'));
    await h.service.helpdesk.worker.drainNow();
    await retryNow();
    const { rows } = await h.db.pool.query(
      'SELECT odoo_ticket_id, assignee_user_id FROM helpdesk_tickets WHERE id = $1',
      [rowId],
    );
    const chosen = rows[0].assignee_user_id as number;
    expect(chosen).toBe(expected);
    expect(assigneeInOdoo(rows[0].odoo_ticket_id)?.[0]).toBe(chosen);
    const assignments = await h.db.pool.query(
      'SELECT odoo_user_id FROM helpdesk_assignments WHERE ticket_row_id = $1',
      [rowId],
    );
    expect(assignments.rows).toEqual([{ odoo_user_id: chosen }]);
  });

  it('schedules one To-Do and posts one note when an escalation is redone after the activity lost its answer', async () => {
    const t = await open('course_unmapped');
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET priority_since = now() - interval '100 hours' WHERE id = $1`,
      [t.rowId],
    );
    expect(await h.service.helpdesk.escalate()).toBe(1);
    h.odoo.resetAfterCommit('create'); // the activity is created, its answer is lost
    await h.service.helpdesk.worker.drainNow();
    await retryNow();
    expect(h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id)).toHaveLength(1);
    expect(notes(t.odoo_ticket_id).filter((n) => /Escalated from normal to high/.test(n.body))).toHaveLength(
      1,
    );
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM helpdesk_commands WHERE ticket_row_id = $1 AND done_at IS NULL`,
      [t.rowId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('reassigns a ticket its assignee left untouched past the period, once per period, with a note saying why', async () => {
    const t = await open('course_unmapped');
    const first = t.assignee_user_id as number;
    await assignedHoursAgo(t.rowId, 25);
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    const second = assigneeInOdoo(t.odoo_ticket_id)?.[0];
    expect(second).not.toBe(first);
    expect([users.ann, users.bao]).toContain(second);
    const why = notes(t.odoo_ticket_id).filter((n) => /^Reassigned/.test(n.body));
    expect(why).toEqual([
      {
        body: expect.stringMatching(/has not touched this normal ticket for 24 h/),
        partnerIds: [partnerOf(second as number)],
        note: true,
      },
    ]);
    // Not again within the period: nothing is due, and a check run anyway changes nothing.
    expect(await h.service.helpdesk.reassign()).toBe(0);
    await h.db.pool.query(`INSERT INTO helpdesk_commands (ticket_row_id, command) VALUES ($1, 'reassign')`, [
      t.rowId,
    ]);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(second);
    expect(await reassignState(t.rowId)).toEqual({ reassignments: 1, nextCheckInHours: 24 });
  });

  it('lets the ticket go on when Odoo refuses a reassignment (the person chosen was deleted meanwhile)', async () => {
    const t = await open('course_unmapped');
    const extra = h.odoo.store.createUser({ name: 'Em Eo', login: 'em@example.com' });
    h.odoo.store.setTeam(
      'Ops',
      [users.ann, users.bao, users.cuc, users.dave, extra],
      flavor === 'oca' ? users.lead : undefined,
    );
    await assignedHoursAgo(t.rowId, 25);
    // Em has no open ticket: the reassignment goes to Em; the write commits and its answer is lost
    h.odoo.resetAfterCommit('write');
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    h.odoo.store.db.transaction(() => h.odoo.store.db.unlink('res.users', [extra]));
    await retryNow(); // Odoo now refuses user_id = Em (Fault 2)
    console.log(
      (
        await h.db.pool.query(
          `SELECT command, attempts, last_error, payload->>'assignee' AS a, done_at FROM helpdesk_commands WHERE ticket_row_id = $1`,
          [t.rowId],
        )
      ).rows,
    );
    expect(await h.service.helpdesk.tickets.heal('course_unmapped', t.order_id, t.course_code, 'fixed')).toBe(
      true,
    );
    await h.service.helpdesk.worker.drainNow();
    const { rows } = await h.db.pool.query(
      `SELECT count(*) FILTER (WHERE done_at IS NULL)::int AS pending FROM helpdesk_commands WHERE ticket_row_id = $1`,
      [t.rowId],
    );
    expect(rows[0].pending).toBe(0);
    expect(
      h.odoo.store.read(ticketModel, [t.odoo_ticket_id], [FLAVORS[flavor].ticketClosedField])[0],
    ).toEqual(expect.objectContaining({ [FLAVORS[flavor].ticketClosedField]: true }));
    h.odoo.store.setTeam(
      'Ops',
      [users.ann, users.bao, users.cuc, users.dave],
      flavor === 'oca' ? users.lead : undefined,
    );
  });

  it('leaves a ticket with the person someone chose in Odoo, and stops watching one they unassigned', async () => {
    const t = await open('course_unmapped');
    const other = t.assignee_user_id === users.ann ? users.bao : users.ann;
    h.odoo.store.write(ticketModel, [t.odoo_ticket_id], { user_id: other });
    await assignedHoursAgo(t.rowId, 25);
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(other);
    expect(await reassignState(t.rowId)).toEqual({ reassignments: 0, nextCheckInHours: 24 });
    const { rows } = await h.db.pool.query('SELECT assignee_user_id FROM helpdesk_tickets WHERE id = $1', [
      t.rowId,
    ]);
    expect(rows[0].assignee_user_id).toBe(other);

    h.odoo.store.write(ticketModel, [t.odoo_ticket_id], { user_id: false });
    await assignedHoursAgo(t.rowId, 25);
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)).toBeNull();
    expect(await h.service.helpdesk.reassign()).toBe(0);
  });

  it('addresses an escalation to the person someone assigned in Odoo', async () => {
    const t = await open('course_unmapped');
    const other = t.assignee_user_id === users.ann ? users.bao : users.ann;
    h.odoo.store.write(ticketModel, [t.odoo_ticket_id], { user_id: other });
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET priority_since = now() - interval '100 hours' WHERE id = $1`,
      [t.rowId],
    );
    expect(await h.service.helpdesk.escalate()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(h.odoo.store.activitiesFor(ticketModel, t.odoo_ticket_id)).toEqual([
      expect.objectContaining({ user_id: [other, expect.any(String)] }),
    ]);
    const escalated = notes(t.odoo_ticket_id).filter((n) => /Escalated from normal to high/.test(n.body));
    expect(escalated.map((n) => n.partnerIds)).toEqual([[partnerOf(other)]]);
  });

  it('applies the shorter period of a higher priority from the escalation on', async () => {
    const t = await open('course_unmapped');
    // assigned 7 h ago at normal (24 h): not due; escalated to high (6 h): due at once
    await h.db.pool.query(
      `UPDATE helpdesk_tickets SET assigned_at = now() - interval '7 hours', reassign_due_at = now() + interval '17 hours',
              priority_since = now() - interval '100 hours' WHERE id = $1`,
      [t.rowId],
    );
    expect(await h.service.helpdesk.reassign()).toBe(0);
    expect(await h.service.helpdesk.escalate()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).not.toBe(t.assignee_user_id);
    const why = notes(t.odoo_ticket_id).filter((n) => /^Reassigned/.test(n.body));
    expect(why.map((n) => n.body)).toEqual([expect.stringContaining('this high ticket for 6 h')]);
  });

  it('keeps a ticket with its assignee when they have touched it, and looks again a period after that', async () => {
    const t = await open('course_unmapped');
    const assignee = t.assignee_user_id as number;
    await assignedHoursAgo(t.rowId, 25);
    h.odoo.store.postAs(assignee, ticketModel, t.odoo_ticket_id, 'Looking into it');
    expect(await h.service.helpdesk.reassign()).toBe(1);
    await h.service.helpdesk.worker.drainNow();
    expect(assigneeInOdoo(t.odoo_ticket_id)?.[0]).toBe(assignee);
    expect(await reassignState(t.rowId)).toEqual({ reassignments: 0, nextCheckInHours: 24 });
  });
});

describe('helpdesk assignment when Odoo refuses the activity', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ helpdeskFlavor: 'oca' });
    const lead = h.odoo.store.createUser({ name: 'Lead Le', login: 'lead@example.com' });
    h.odoo.store.setTeam('Technical Support', [lead], lead);
    // someone deleted the To-Do activity type's external id
    const todo = h.odoo.store.search('ir.model.data', [['name', '=', 'mail_activity_data_todo']]);
    h.odoo.store.db.transaction(() => h.odoo.store.db.unlink('ir.model.data', todo));
  });
  afterAll(() => h.stop());

  it('still assigns the urgent ticket and addresses the note to the assignee, without holding its writes', async () => {
    const { rowId } = await h.service.helpdesk.tickets.report(problem('held_run'));
    await h.service.helpdesk.worker.drainNow();
    const { rows } = await h.db.pool.query(
      `SELECT t.odoo_ticket_id, t.assignee_name, count(c.id) FILTER (WHERE c.done_at IS NULL)::int AS pending
         FROM helpdesk_tickets t JOIN helpdesk_commands c ON c.ticket_row_id = t.id WHERE t.id = $1 GROUP BY 1, 2`,
      [rowId],
    );
    expect(rows[0]).toMatchObject({ assignee_name: 'Lead Le', pending: 0 });
    expect(h.odoo.store.activitiesFor('helpdesk.ticket', rows[0].odoo_ticket_id)).toEqual([]);
    const bodies = h.odoo.store.messagesFor('helpdesk.ticket', rows[0].odoo_ticket_id).map((m) => m.body);
    expect(bodies.some((b) => b.startsWith('@Lead Le this urgent ticket is yours'))).toBe(true);
  });
});
