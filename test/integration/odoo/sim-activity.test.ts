// The Odoo simulator's activities, external ids, team members and archived users, as Odoo 17 has them.
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { faultOf, rawRpc, type RawRpc } from './rpc-helpers';

const DB = 'odoo';
const KEY = 'a'.repeat(40);

describe.each([
  ['oca', 'helpdesk.ticket.team', 'helpdesk_mgmt'],
  ['enterprise', 'helpdesk.team', 'helpdesk'],
] as const)('Odoo simulator (%s): activities, external ids, team members', (flavor, teamModel, module) => {
  let sim: OdooSim;
  let rpc: RawRpc;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [DB, 2, KEY, model, method, args, kwargs]);
  const xmlid = async (model: string, name: string) =>
    (
      (await kw(
        'ir.model.data',
        'search_read',
        [
          [
            ['model', '=', model],
            ['name', '=', name],
          ],
        ],
        {
          fields: ['module', 'res_id'],
        },
      )) as Array<{ module: string; res_id: number }>
    )[0];
  const newTicket = () =>
    kw('helpdesk.ticket', 'create', [{ name: 'T', description: '<p>T</p>' }]) as Promise<number>;

  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, db: DB, username: 'svc', apiKey: KEY, helpdeskFlavor: flavor });
    rpc = rawRpc(sim.url);
  });
  afterAll(async () => {
    rpc.close();
    await sim.close();
  });

  it('finds the To-Do activity type by its external id mail.mail_activity_data_todo, not by position', async () => {
    const todo = await xmlid('mail.activity.type', 'mail_activity_data_todo');
    expect(todo?.module).toBe('mail');
    const [type] = (await kw('mail.activity.type', 'read', [[todo!.res_id]], { fields: ['name'] })) as Array<{
      name: string;
    }>;
    expect(type?.name).toBe('To-Do');
    expect(todo!.res_id).not.toBe(1);
  });

  it("refuses ir.model to the integration user, but gives the ticket model's id through its external id", async () => {
    expect(
      (await faultOf(kw('ir.model', 'search_read', [[['model', '=', 'helpdesk.ticket']]]))).faultCode,
    ).toBe(4);
    const ref = await xmlid('ir.model', 'model_helpdesk_ticket');
    expect(ref?.module).toBe(module);
    const [model] = sim.store.read('ir.model', [ref!.res_id], ['model']);
    expect(model?.model).toBe('helpdesk.ticket');
  });

  it('schedules an activity on a ticket by res_model_id, fills res_model, and refuses a missing document', async () => {
    const ticketId = await newTicket();
    const modelId = (await xmlid('ir.model', 'model_helpdesk_ticket'))!.res_id;
    const todoId = (await xmlid('mail.activity.type', 'mail_activity_data_todo'))!.res_id;
    const assignee = sim.store.createUser({ name: 'Hoa', login: `hoa.${ticketId}@example.com` });
    const partnerId = (sim.store.read('res.users', [assignee], ['partner_id'])[0]?.partner_id as [number])[0];
    const vals = { res_model_id: modelId, res_id: ticketId, activity_type_id: todoId, user_id: assignee };
    expect(sim.store.isFollower('helpdesk.ticket', ticketId, partnerId)).toBe(false);
    const id = (await kw('mail.activity', 'create', [{ ...vals, date_deadline: '2026-03-02' }])) as number;
    expect(sim.store.isFollower('helpdesk.ticket', ticketId, partnerId)).toBe(true); // the assignee follows it
    expect(
      sim.store.read('mail.activity', [id], ['res_model', 'date_deadline', 'activity_type_id'])[0],
    ).toMatchObject({
      res_model: 'helpdesk.ticket',
      date_deadline: '2026-03-02',
      activity_type_id: [todoId, 'To-Do'],
    });
    const noModel = await faultOf(kw('mail.activity', 'create', [{ res_id: ticketId, user_id: 2 }]));
    expect(noModel).toMatchObject({ faultCode: 2 });
    expect(noModel.faultString).toMatch(/mandatory field is not set[\s\S]*res_model_id/);
    const gone = await faultOf(kw('mail.activity', 'create', [{ ...vals, res_id: 999_999 }]));
    expect(gone).toMatchObject({ faultCode: 2 });
    expect(gone.faultString).toMatch(/Record does not exist or has been deleted/);
  });

  it('leaves archived users out of team members and searches unless active_test is false', async () => {
    const alice = sim.store.createUser({ name: 'Alice', login: 'alice@example.com' });
    const bob = sim.store.createUser({ name: 'Bob', login: 'bob@example.com', active: false });
    sim.store.setTeam('Ops', [alice, bob]);
    const members = flavor === 'oca' ? 'user_ids' : 'member_ids';
    const [teamId] = sim.store.search(teamModel, [['name', '=', 'Ops']]);
    const [team] = (await kw(teamModel, 'read', [[teamId]], { fields: [members] })) as Array<
      Record<string, unknown>
    >;
    // as a real Odoo 17 does (Field.convert_to_record): a many2many hides archived records too
    expect(team?.[members]).toEqual([alice]);
    expect(await kw('res.users', 'search', [[['id', 'in', [alice, bob]]]])).toEqual([alice]);
    const all = { context: { active_test: false } };
    const [withArchived] = (await kw(teamModel, 'read', [[teamId]], { fields: [members], ...all })) as Array<
      Record<string, unknown>
    >;
    expect(withArchived?.[members]).toEqual([alice, bob]);
    expect(await kw('res.users', 'search', [[['id', 'in', [alice, bob]]]], all)).toEqual([alice, bob]);
    const read = (await kw('res.users', 'read', [[bob]], { fields: ['active'] })) as Array<{
      active: boolean;
    }>;
    expect(read[0]?.active).toBe(false);
  });

  it(flavor === 'oca' ? 'has a team leader field (user_id)' : 'has no team leader field', async () => {
    const fields = (await kw(teamModel, 'fields_get', [], { attributes: ['type', 'relation'] })) as Record<
      string,
      { type: string; relation?: string }
    >;
    if (flavor === 'oca') expect(fields.user_id).toEqual({ type: 'many2one', relation: 'res.users' });
    else expect(fields.user_id).toBeUndefined();
  });

  it('keeps the partners a note is addressed to (partner_ids), and refuses an unknown one', async () => {
    const ticketId = await newTicket();
    const partnerId = sim.store.createPartner({ name: 'Lan' });
    const post = (partner_ids: number[]) =>
      kw('helpdesk.ticket', 'message_post', [[ticketId]], {
        body: '@Lan please look',
        message_type: 'comment',
        subtype_xmlid: 'mail.mt_note',
        partner_ids,
      });
    const messageId = (await post([partnerId])) as number;
    expect(sim.store.read('mail.message', [messageId], ['partner_ids'])[0]?.partner_ids).toEqual([partnerId]);
    expect((await faultOf(post([987_654]))).faultCode).toBe(2);
  });
});
