// The simulator's eLearning (website_slides 17.0 with the lms_sync_slides addon) as an XML-RPC client
// sees it: the catalogue's courses with their codes, one membership per partner and course whatever its
// state, the Officer-only ACL, action_grant_access's None trap, and injected outages on chosen models.
import http from 'node:http';
import { SIM_CATALOG } from '../../../src/sim/catalog';
import { ELEARNING_MODELS, startOdooSim, type OdooSim, type OdooSimOptions } from '../../../src/sim/odoo';
import { faultOf, lastLine, rawRpc, type RawRpc } from './rpc-helpers';

const DB = 'odoo';
const KEY = 'e'.repeat(40);

async function connect(options: Partial<OdooSimOptions> = {}) {
  const sim = await startOdooSim({ port: 0, db: DB, username: 'svc', apiKey: KEY, ...options });
  const rpc = rawRpc(sim.url);
  const uid = (await rpc.common('authenticate', [DB, 'svc', KEY, {}])) as number;
  const kw = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc.object('execute_kw', [DB, uid, KEY, model, method, args, kwargs]);
  return { sim, rpc, kw };
}

/** One POST of an execute_kw, for its HTTP status (the xmlrpc client hides it). */
function statusOf(url: string, model: string): Promise<number> {
  const body =
    '<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>' +
    `<param><value><string>${DB}</string></value></param><param><value><int>2</int></value></param>` +
    `<param><value><string>${KEY}</string></value></param><param><value><string>${model}</string></value></param>` +
    '<param><value><string>search_count</string></value></param>' +
    '<param><value><array><data><value><array><data></data></array></value></data></array></value></param>' +
    '</params></methodCall>';
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/xmlrpc/2/object`, { method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Odoo simulator: eLearning', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  let kw: Awaited<ReturnType<typeof connect>>['kw'];
  beforeEach(async () => {
    ({ sim, rpc, kw } = await connect());
  });
  afterEach(async () => {
    rpc.close();
    await sim.close();
  });
  const partner = () => sim.store.createPartner({ name: 'Lea', email: 'lea@example.com' });

  it('has one published course per catalogue entry, found by its lms_course_code', async () => {
    const rows = (await kw('slide.channel', 'search_read', [[['lms_course_code', '!=', false]]], {
      fields: ['name', 'lms_course_code'],
    })) as Array<{ name: string; lms_course_code: string }>;
    expect(rows.map((r) => [r.lms_course_code, r.name])).toEqual(
      SIM_CATALOG.map((c) => [c.courseCode, c.title]),
    );
    const fault = await faultOf(kw('slide.channel', 'create', [{ name: 'Copy', lms_course_code: 'PY-K12' }]));
    expect(fault).toMatchObject({ faultCode: 2 });
    await expect(kw('slide.channel', 'create', [{ name: 'No code yet' }])).resolves.toEqual(
      expect.any(Number),
    );
  });

  it('keeps one membership per partner and course, an archived one included', async () => {
    const id = partner();
    const member = (await kw('slide.channel.partner', 'create', [
      { channel_id: 1, partner_id: id },
    ])) as number;
    await kw('slide.channel.partner', 'write', [[member], { active: false }]);
    const fault = await faultOf(kw('slide.channel.partner', 'create', [{ channel_id: 1, partner_id: id }]));
    expect(fault).toEqual({
      faultCode: 2,
      faultString: 'The operation cannot be completed: A partner membership to a channel must be unique!',
    });
    expect(await kw('slide.channel.partner', 'search_count', [[['partner_id', '=', id]]])).toBe(0);
    const all = await kw('slide.channel.partner', 'search_read', [[['partner_id', '=', id]]], {
      fields: ['member_status', 'partner_email', 'active'],
      context: { active_test: false },
    });
    expect(all).toEqual([
      { id: member, member_status: 'joined', partner_email: 'lea@example.com', active: false },
    ]);
  });

  it('action_grant_access unarchives and upgrades an invitation, commits, then answers Fault 1 cannot marshal None', async () => {
    const archived = partner();
    const invited = partner();
    const a = (await kw('slide.channel.partner', 'create', [
      { channel_id: 1, partner_id: archived },
    ])) as number;
    await kw('slide.channel.partner', 'write', [[a], { active: false }]);
    const b = (await kw('slide.channel.partner', 'create', [
      { channel_id: 1, partner_id: invited, member_status: 'invited' },
    ])) as number;
    for (const id of [archived, invited]) {
      const fault = await faultOf(kw('slide.channel', 'action_grant_access', [[1], id]));
      expect(lastLine(fault.faultString)).toBe('TypeError: cannot marshal None unless allow_none is enabled');
    }
    expect(sim.store.read('slide.channel.partner', [a, b], ['active', 'member_status'])).toEqual([
      { id: a, active: true, member_status: 'joined' },
      { id: b, active: true, member_status: 'joined' },
    ]);
    expect(sim.store.db.created('slide.channel.partner')).toHaveLength(2);
  });

  it('refuses private methods over RPC', async () => {
    const fault = await faultOf(kw('slide.channel', '_action_add_members', [[1], [partner()]]));
    expect(fault.faultCode).toBe(4);
  });

  it('scoped outages fail only the eLearning calls, with HTTP 503 and nothing run', async () => {
    sim.faults.scope(ELEARNING_MODELS);
    sim.faults.failNext(1);
    expect(await statusOf(sim.url, 'res.partner')).toBe(200);
    expect(await statusOf(sim.url, 'slide.channel.partner')).toBe(503);
    expect(await statusOf(sim.url, 'slide.channel.partner')).toBe(200);
    sim.faults.failNext(1);
    const id = partner();
    // the xmlrpc client cannot read the proxy's page: the call fails, and nothing of it was done
    await expect(
      kw('slide.channel.partner', 'create', [{ channel_id: 1, partner_id: id }]),
    ).rejects.toThrow();
    expect(sim.store.db.created('slide.channel.partner')).toHaveLength(0);
  });
});

describe('Odoo simulator: eLearning for a user without eLearning rights, and without lms_sync_slides', () => {
  it('refuses memberships to a user who is not an eLearning Officer, while fields_get still answers', async () => {
    const { sim, rpc, kw } = await connect({ elearningOfficer: false });
    try {
      const fault = await faultOf(kw('slide.channel.partner', 'search_read', [[]]));
      expect(fault.faultCode).toBe(4);
      expect(fault.faultString).toContain("You are not allowed to access 'Channel / Partners (Members)'");
      expect(fault.faultString).toContain('eLearning/Officer');
      await expect(
        kw('slide.channel.partner', 'fields_get', [], { attributes: ['type'] }),
      ).resolves.toMatchObject({
        member_status: { type: 'selection' },
      });
      await expect(kw('slide.channel', 'search_count', [[]])).resolves.toBe(SIM_CATALOG.length);
      // the check a client makes before it writes: a Fault, or false when asked not to raise
      expect((await faultOf(kw('slide.channel.partner', 'check_access_rights', ['create']))).faultCode).toBe(
        4,
      );
      await expect(
        kw('slide.channel.partner', 'check_access_rights', ['create'], { raise_exception: false }),
      ).resolves.toBe(false);
      await expect(kw('slide.channel', 'check_access_rights', ['read'])).resolves.toBe(true);
    } finally {
      rpc.close();
      await sim.close();
    }
  });

  it('refuses to create contacts to a user without Contact Creation, who still reads them', async () => {
    const { sim, rpc, kw } = await connect({ contactCreation: false });
    try {
      const fault = await faultOf(kw('res.partner', 'create', [{ name: 'Lea' }]));
      expect(fault.faultCode).toBe(4);
      expect(fault.faultString).toContain("You are not allowed to create 'Contact' (res.partner) records.");
      expect(fault.faultString).toContain('Extra Rights/Contact Creation');
      await expect(
        kw('res.partner', 'check_access_rights', ['create'], { raise_exception: false }),
      ).resolves.toBe(false);
      await expect(kw('res.partner', 'read', [[3], ['name']])).resolves.toHaveLength(1);
    } finally {
      rpc.close();
      await sim.close();
    }
  });

  it('has no lms_course_code when the addon is not installed', async () => {
    const { sim, rpc, kw } = await connect({ slidesAddonInstalled: false });
    try {
      const fault = await faultOf(kw('slide.channel', 'search_read', [[['lms_course_code', '!=', false]]]));
      expect(fault.faultCode).toBe(1);
      expect(lastLine(fault.faultString)).toMatch(/lms_course_code/);
    } finally {
      rpc.close();
      await sim.close();
    }
  });
});

describe('Odoo simulator: eLearning for an Officer who is not Manager (the record rules of website_slides 17.0)', () => {
  let sim: OdooSim;
  let rpc: RawRpc;
  let kw: Awaited<ReturnType<typeof connect>>['kw'];
  beforeEach(async () => {
    ({ sim, rpc, kw } = await connect({ elearningManager: false }));
  });
  afterEach(async () => {
    rpc.close();
    await sim.close();
  });
  const partner = () => sim.store.createPartner({ name: 'Lea', email: 'lea@example.com' });
  const membership = (channel: number, partnerId: number) =>
    sim.store.db.create('slide.channel.partner', { channel_id: channel, partner_id: partnerId });
  const members = (channel: number, partnerId: number) =>
    sim.store.db.search(
      'slide.channel.partner',
      [
        ['channel_id', '=', channel],
        ['partner_id', '=', partnerId],
      ],
      { activeTest: false },
    );
  const NONE = 'TypeError: cannot marshal None unless allow_none is enabled';

  it('passes check_access_rights and has_group officer, yet may not write the memberships of a course it is not Responsible of', async () => {
    await expect(kw('slide.channel.partner', 'check_access_rights', ['create'])).resolves.toBe(true);
    const groups = [
      'website_slides.group_website_slides_officer',
      'website_slides.group_website_slides_manager',
    ];
    await expect(Promise.all(groups.map((g) => kw('res.users', 'has_group', [g])))).resolves.toEqual([
      true,
      false,
    ]);
    const refused = await faultOf(
      kw('slide.channel.partner', 'create', [{ channel_id: 1, partner_id: partner() }]),
    );
    expect(refused.faultCode).toBe(4);
    expect(refused.faultString).toContain(
      'Uh-oh! Looks like you have stumbled upon some top-secret records.',
    );
    expect(refused.faultString).toContain("doesn't have 'create' access to:\n- Channel / Partners (Members)");
    const other = membership(1, partner());
    for (const call of [
      kw('slide.channel.partner', 'write', [[other], { active: false }]),
      kw('slide.channel.partner', 'unlink', [[other]]),
    ]) {
      expect(await faultOf(call)).toMatchObject({ faultCode: 4 });
    }
    // reading them is allowed, and a missing record is still the MissingError
    await expect(kw('slide.channel.partner', 'read', [[other], ['active']])).resolves.toEqual([
      { id: other, active: true },
    ]);
    expect(await faultOf(kw('slide.channel.partner', 'write', [[99999], { active: false }]))).toMatchObject({
      faultCode: 2,
    });
  });

  it('writes the memberships of the courses it is the Responsible of', async () => {
    sim.store.db.write('slide.channel', [2], { user_id: sim.store.db.uid });
    const id = (await kw('slide.channel.partner', 'create', [
      { channel_id: 2, partner_id: partner() },
    ])) as number;
    await expect(kw('slide.channel.partner', 'write', [[id], { active: false }])).resolves.toBe(true);
    await expect(kw('slide.channel.partner', 'unlink', [[id]])).resolves.toBe(true);
  });

  it('action_grant_access adds it to an open course all the same, but not to an On Invitation one, nor an unknown partner: Fault 1 each time', async () => {
    const open = partner();
    const invited = partner();
    sim.store.db.write('slide.channel', [3], { enroll: 'invite' });
    for (const [channel, id] of [
      [1, open],
      [3, invited],
      [1, 99999],
    ]) {
      const fault = await faultOf(kw('slide.channel', 'action_grant_access', [[channel], id]));
      expect(lastLine(fault.faultString)).toBe(NONE);
    }
    expect(members(1, open)).toHaveLength(1);
    expect(members(3, invited)).toHaveLength(0);
    expect(sim.store.db.created('slide.channel.partner')).toHaveLength(1);
  });
});
