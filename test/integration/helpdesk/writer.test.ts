import { PermanentError } from '../../../src/lib/errors';
import { FLAVORS } from '../../../src/helpdesk/flavors';
import { createHelpdeskWriter, type HelpdeskWriter } from '../../../src/helpdesk/writer';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { noteMarker } from '../../../src/odoo/chatter';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { CREDS, STAGE_FLAG, draft, log } from './writer-fixtures';

describe.each(['oca', 'enterprise'] as const)('helpdesk writer (%s)', (flavor) => {
  const names = FLAVORS[flavor];
  let sim: OdooSim;
  let transport: ReturnType<typeof createXmlRpcTransport>;
  let writer: HelpdeskWriter;
  let expectedClosedStage: number;

  const ticket = (id: number) => sim.store.read(names.ticketModel, [id])[0] as Record<string, unknown>;
  const idsNamed = (model: string, name: string) => sim.store.search(model, [['name', '=', name]]);

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS, helpdeskFlavor: flavor });
    transport = createXmlRpcTransport({ url: sim.url, ...CREDS });
    writer = createHelpdeskWriter({ transport, flavor, log });
    // Stage names that would mislead a lookup by name: the stage to use is "Healed", the closing stage with
    // the lowest sequence (but not the lowest id); "Closed" is an open stage and "Done" the later closed one.
    const flag = STAGE_FLAG[flavor];
    const closed = sim.store.search(names.stageModel, [[flag, '=', true]], { order: 'id asc' });
    const open = sim.store.search(names.stageModel, [[flag, '=', false]], { order: 'id asc' });
    const [later, first] = closed as [number, number];
    sim.store.write(names.stageModel, [later], { sequence: 50, name: 'Done' });
    sim.store.write(names.stageModel, [first], { sequence: 40, name: 'Healed' });
    sim.store.write(names.stageModel, [open[1] as number], { name: 'Closed' });
    expectedClosedStage = first;
  });
  afterAll(async () => {
    transport.close();
    await sim.close();
  });

  it('opens a ticket with its title, marker, team, mapped priority, tags and description', async () => {
    const d = draft({ team: 'Escalations', priority: 'high', tags: ['CRM', 'enroll HV'] });
    expect(idsNamed(names.teamModel, 'Escalations')).toHaveLength(0);
    const opened = await writer.open(d);
    expect(opened.created).toBe(true);
    const rec = ticket(opened.ticketId);
    expect(rec.name).toBe(`${d.title} ${d.marker}`);
    expect(rec.description).toBe(d.descriptionHtml);
    expect(rec.priority).toBe('2');
    const [teamId] = idsNamed(names.teamModel, 'Escalations');
    expect((rec.team_id as [number, string])[0]).toBe(teamId);
    const tagIds = [...idsNamed(names.tagModel, 'CRM'), ...idsNamed(names.tagModel, 'enroll HV')];
    expect(tagIds).toHaveLength(2);
    expect([...(rec.tag_ids as number[])].sort()).toEqual(tagIds.sort());
    expect(opened.reference).toBe(rec[names.referenceField]);
    expect(opened.reference).toMatch(flavor === 'oca' ? /^HT\d{5}$/ : /^\d+$/);
  });

  it('reuses teams and tags: a second open creates neither, whatever the tag case', async () => {
    await writer.open(draft({ team: 'Ops', tags: ['LMS', 'auto-healed'] }));
    const counts = () => [names.tagModel, names.teamModel].map((m) => sim.store.search(m, []).length);
    const before = counts();
    const fresh = createHelpdeskWriter({ transport, flavor, log }); // empty caches: found in Odoo, not memory
    await fresh.open(draft({ team: 'Ops', tags: ['lms', 'AUTO-HEALED'] }));
    await writer.open(draft({ team: 'Ops', tags: ['LMS', 'auto-healed'] }));
    expect(counts()).toEqual(before);
  });

  it('creates one tag for concurrent opens needing the same new tag', async () => {
    await Promise.all([1, 2, 3].map(() => writer.open(draft({ tags: ['held_run'] }))));
    expect(idsNamed(names.tagModel, 'held_run')).toHaveLength(1);
  });

  it('takes an underscore in a tag name literally, not as a LIKE wildcard', async () => {
    await transport.executeKw(names.tagModel, 'create', [{ name: 'courseXunmapped' }]);
    const { ticketId } = await writer.open(draft({ tags: ['course_unmapped'] }));
    const [tagId] = idsNamed(names.tagModel, 'course_unmapped');
    expect(tagId).toBeDefined();
    expect(ticket(ticketId).tag_ids).toEqual([tagId]);
  });

  it('sets the customer, and on OCA sends partner_name and partner_email explicitly', async () => {
    const partnerId = sim.store.createPartner({ name: 'Linh Tran', email: 'linh.tran@example.com' });
    const partner = { id: partnerId, name: 'Linh Tran', email: 'linh.tran@example.com' };
    const { ticketId } = await writer.open(draft({ partner }));
    const rec = ticket(ticketId);
    expect((rec.partner_id as [number, string])[0]).toBe(partnerId);
    // OCA fills these only in an onchange, never over RPC: they are there because the writer sent them
    expect(rec.partner_name).toBe('Linh Tran');
    expect(rec.partner_email).toBe('linh.tran@example.com');
  });

  it('opens once per marker: a second open finds the ticket, even archived', async () => {
    const d = draft();
    const first = await writer.open(d);
    sim.store.write(names.ticketModel, [first.ticketId], { active: false });
    const second = await writer.open({ ...d, title: 'Reworded title' });
    expect(second).toEqual({ ticketId: first.ticketId, created: false, reference: first.reference });
    expect(
      sim.store.search(names.ticketModel, [['name', 'ilike', d.marker]], { activeTest: false }),
    ).toHaveLength(1);
  });

  it('creates one ticket for concurrent opens of one marker', async () => {
    const d = draft();
    const results = await Promise.all([writer.open(d), writer.open(d)]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(sim.store.search(names.ticketModel, [['name', 'ilike', d.marker]])).toHaveLength(1);
  });

  it('posts a plain-text internal note, with its marker, and no body_is_html warning in Odoo', async () => {
    const { ticketId } = await writer.open(draft());
    const warnings = sim.store.warnings().length;
    const note = { text: 'Attempt 4 failed: <503>', key: 'writer-test:note' };
    await writer.note(ticketId, note);
    const messages = sim.store.messagesFor(names.ticketModel, ticketId);
    expect(messages.at(-1)).toMatchObject({
      body: `Attempt 4 failed: &lt;503&gt;\n${noteMarker(note.key)}`,
      messageType: 'comment',
      subtypeXmlid: 'mail.mt_note',
    });
    expect(sim.store.warnings()).toHaveLength(warnings);
  });

  it('sets the priority and reads it back in state()', async () => {
    const { ticketId } = await writer.open(draft({ priority: 'normal' }));
    expect(ticket(ticketId).priority).toBe('1');
    await writer.setPriority(ticketId, 'urgent');
    expect(ticket(ticketId).priority).toBe('3');
    expect(await writer.state(ticketId)).toMatchObject({ exists: true, closed: false, priority: 'urgent' });
  });

  it('adds tags to those the ticket has', async () => {
    const { ticketId } = await writer.open(draft({ tags: ['LMS'] }));
    await writer.addTags(ticketId, ['auto-healed', 'LMS']);
    const expected = [...idsNamed(names.tagModel, 'LMS'), ...idsNamed(names.tagModel, 'auto-healed')];
    expect([...(ticket(ticketId).tag_ids as number[])].sort()).toEqual(expected.sort());
  });

  it('closes into the lowest-sequence closing stage, found by its flag and not its name', async () => {
    const { ticketId, reference } = await writer.open(draft());
    await writer.close(ticketId, { text: 'Enrollment succeeded on retry.', key: 'writer-test:close' });
    expect((ticket(ticketId).stage_id as [number, string])[0]).toBe(expectedClosedStage);
    expect(sim.store.messagesFor(names.ticketModel, ticketId).at(-1)?.body).toMatch(
      /^Enrollment succeeded on retry\.\n\(lms-sync note [0-9a-f]{12}\)$/,
    );
    expect(await writer.state(ticketId)).toEqual({ exists: true, closed: true, priority: 'high', reference });
  });

  it('refuses to close, without posting, when no stage is flagged closing', async () => {
    const flag = STAGE_FLAG[flavor];
    const closing = sim.store.search(names.stageModel, [[flag, '=', true]]);
    const { ticketId } = await writer.open(draft());
    sim.store.write(names.stageModel, closing, { [flag]: false });
    try {
      const fresh = createHelpdeskWriter({ transport, flavor, log });
      const err = await fresh
        .close(ticketId, { text: 'healed', key: 'writer-test:no-stage' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect(err).toMatchObject({ code: 'helpdesk_no_closed_stage' });
      expect((err as Error).message).toContain(names.stageModel);
      expect(sim.store.messagesFor(names.ticketModel, ticketId)).toHaveLength(0);
    } finally {
      sim.store.write(names.stageModel, closing, { [flag]: true });
    }
  });

  it('reads a missing ticket as not existing', async () => {
    expect(await writer.state(987654)).toEqual({
      exists: false,
      closed: false,
      priority: null,
      reference: null,
    });
  });

  it('detects the installed flavor', async () => {
    expect(await writer.detect()).toBe(flavor);
  });

  it('links to the ticket in the web client', () => {
    expect(writer.url('https://odoo.example.com/', 42)).toBe(
      'https://odoo.example.com/web#id=42&model=helpdesk.ticket&view_type=form',
    );
  });
});
