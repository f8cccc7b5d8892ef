// The odoo-elearning adapter against the Odoo simulator, beyond the shared contract: what Odoo's rules
// and rights make of each call, and the learner in another database found by its reference.
import { PermanentError, TransientError } from '../../../src/lib/errors';
import {
  createOdooElearningAdapter,
  type OdooElearningAdapter,
} from '../../../src/lms/odoo-elearning-adapter';
import { silentLogger } from '../../../src/observability/logger';
import { startOdooSim, type OdooSim, type OdooSimOptions } from '../../../src/sim/odoo';
import { ODOO_KEY, startElearningOdoo } from './contract/odoo-elearning';
import { enrollRequest, failureOf } from './fixtures';

const MEMBERSHIP = 'slide.channel.partner';

function adapterFor(
  sim: OdooSim,
  options: { sameDatabase?: boolean; db?: string } = {},
): OdooElearningAdapter {
  return createOdooElearningAdapter({
    url: sim.url,
    db: options.db ?? 'odoo',
    username: 'svc',
    apiKey: ODOO_KEY,
    timeoutMs: 2000,
    sameDatabase: options.sameDatabase ?? true,
    log: silentLogger(),
  });
}

describe('odoo-elearning adapter in the sales database', () => {
  let sim: OdooSim;
  let lms: OdooElearningAdapter;
  beforeEach(async () => {
    sim = await startElearningOdoo();
    lms = adapterFor(sim);
  });
  afterEach(async () => {
    lms.close();
    await sim.close();
  });
  const memberships = (partnerId: number) =>
    sim.store.search(MEMBERSHIP, [['partner_id', '=', partnerId]], { activeTest: false });

  it('makes one membership of two enrollments racing (a redelivered message): one created, one not', async () => {
    const results = await Promise.all([lms.enroll(enrollRequest(7)), lms.enroll(enrollRequest(7))]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0]?.enrollmentId).toBe(results[1]?.enrollmentId);
    expect(memberships(7)).toHaveLength(1);
  });

  it('takes a membership another call made and archived between its look and its create as found, and unarchives it', async () => {
    const id = sim.store.db.create(MEMBERSHIP, { channel_id: 1, partner_id: 7, active: false });
    // the adapter's look comes before the other call's create: it sees nothing
    const search = sim.store.db.search.bind(sim.store.db);
    let hidden = false;
    sim.store.db.search = (model, domain, options) => {
      if (model !== MEMBERSHIP || hidden) return search(model, domain, options);
      hidden = true;
      return [];
    };
    await expect(lms.enroll(enrollRequest(7))).resolves.toEqual({
      enrollmentId: String(id),
      status: 'active',
      created: false,
    });
    expect(sim.store.read(MEMBERSHIP, [id], ['active'])).toEqual([{ id, active: true }]);
  });

  it('finds the membership a lost answer had committed: the retry creates nothing', async () => {
    sim.resetAfterCommit('create');
    const lost = await failureOf(lms.enroll(enrollRequest(7)));
    expect(lost).toBeInstanceOf(TransientError);
    expect(lost).toMatchObject({ code: 'lms_unreachable' });
    await expect(lms.enroll(enrollRequest(7))).resolves.toMatchObject({ status: 'active', created: false });
    expect(sim.store.db.created(MEMBERSHIP)).toHaveLength(1);
  });

  it('turns an invitation into a membership, and lists invitations as nothing', async () => {
    sim.store.db.create(MEMBERSHIP, { channel_id: 1, partner_id: 8, member_status: 'invited' });
    expect((await lms.listEnrollments(null, 100)).items).toEqual([]);
    await expect(lms.enroll(enrollRequest(8))).resolves.toMatchObject({ status: 'active', created: false });
    expect(sim.store.read(MEMBERSHIP, memberships(8), ['member_status', 'active'])).toEqual([
      { id: expect.any(Number), member_status: 'joined', active: true },
    ]);
    expect((await lms.listEnrollments(null, 100)).items).toHaveLength(1);
  });

  it('keeps the progress of a suspended learner who comes back', async () => {
    await lms.enroll(enrollRequest(9));
    const [id] = memberships(9);
    sim.store.db.write(MEMBERSHIP, [id as number], { completion: 40 });
    await lms.suspend({ courseCode: 'PY-K12', studentId: 'odoo-partner-9', idempotencyKey: 'suspend:1' });
    await lms.enroll({ ...enrollRequest(9), idempotencyKey: 'enroll:again' });
    expect(sim.store.read(MEMBERSHIP, [id as number], ['completion', 'active'])).toEqual([
      { id, completion: 40, active: true },
    ]);
  });

  it('knows a course given its code after the course list was read, and not an archived one', async () => {
    sim.store.db.write('slide.channel', [2], { active: false });
    const archived = await failureOf(lms.enroll(enrollRequest(11, 'SCR-K8')));
    expect(archived).toBeInstanceOf(PermanentError);
    expect(archived).toMatchObject({ code: 'lms_unknown_course' });
    expect((await lms.listCourses()).map((c) => c.courseCode)).not.toContain('SCR-K8');
    sim.store.db.create('slide.channel', { name: 'New', lms_course_code: 'NEW-1' });
    await expect(lms.enroll(enrollRequest(10, 'NEW-1'))).resolves.toMatchObject({ created: true });
  });

  it('refuses a partner Odoo does not have, as a permanent error', async () => {
    const err = await failureOf(lms.enroll(enrollRequest(999)));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_rejected' });
    expect(err.message).not.toContain('jane.999@example.com');
  });

  it('never calls action_grant_access, whose None answer comes after the commit', async () => {
    const calls: string[] = [];
    const original = sim.store.db.create.bind(sim.store.db);
    sim.store.db.create = (model, vals) => {
      calls.push(model);
      return original(model, vals);
    };
    await lms.enroll(enrollRequest(12));
    expect(calls).toEqual([MEMBERSHIP]);
  });
});

describe('odoo-elearning adapter: Odoo refusing', () => {
  const started: Array<{ sim: OdooSim; lms: OdooElearningAdapter }> = [];
  afterEach(async () => {
    for (const { sim, lms } of started.splice(0)) {
      lms.close();
      await sim.close();
    }
  });
  async function against(options: Partial<OdooSimOptions>, db?: string) {
    const sim = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY, ...options });
    const lms = adapterFor(sim, { db });
    started.push({ sim, lms });
    return lms;
  }

  it('says lms_auth_failed, naming the eLearning / Officer rights, for a user without them', async () => {
    const lms = await against({ elearningOfficer: false });
    const err = await failureOf(lms.enroll(enrollRequest(3)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_auth_failed' });
    expect(err.message).toContain('eLearning / Officer');
    await expect(lms.listEnrollments(null, 10)).rejects.toMatchObject({ code: 'lms_auth_failed' });
    // courses are readable without eLearning rights: the list must not say all is well
    await expect(lms.listCourses()).rejects.toMatchObject({ code: 'lms_auth_failed' });
  });

  it('says lms_auth_failed, naming eLearning / Manager, for an Officer on courses it is not the Responsible of', async () => {
    const lms = await against({ elearningManager: false });
    const { sim } = started[started.length - 1] as { sim: OdooSim };
    // check_access_rights says yes to an Officer: the list must still not say all is well
    const listed = await failureOf(lms.listCourses());
    expect(listed).toBeInstanceOf(TransientError);
    expect(listed).toMatchObject({ code: 'lms_auth_failed' });
    expect(listed.message).toContain('eLearning / Manager');
    expect(listed.message).toContain('not the Responsible of PY-K12, ');
    const err = await failureOf(lms.enroll(enrollRequest(3)));
    expect(err).toMatchObject({ code: 'lms_auth_failed' });
    expect(err.message).toContain('eLearning / Manager');

    // the Responsible of every course with a code: it enrolls, and the list is whole
    const coded = sim.store.db.search('slide.channel', [['lms_course_code', '!=', false]]);
    sim.store.db.write('slide.channel', coded, { user_id: sim.store.db.uid });
    await expect(lms.listCourses()).resolves.toHaveLength(coded.length);
    await expect(lms.enroll(enrollRequest(3))).resolves.toMatchObject({ status: 'active', created: true });
  });

  it('says what to install when the database has no lms_course_code, permanently', async () => {
    const lms = await against({ slidesAddonInstalled: false });
    const err = await failureOf(lms.listCourses());
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_client_error' });
    expect(err.message).toContain('lms_sync_slides');
    await expect(lms.ping()).rejects.toMatchObject({ code: 'lms_client_error' });
  });

  it('is transient when the database does not exist (LMS_ODOO_DB)', async () => {
    const lms = await against({}, 'no-such-db');
    const err = await failureOf(lms.ping());
    expect(err).toBeInstanceOf(TransientError);
  });

  it('says lms_unreachable when nothing listens', async () => {
    const sim = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY });
    const lms = adapterFor(sim);
    await sim.close();
    await expect(lms.ping()).rejects.toMatchObject({ code: 'lms_unreachable' });
    lms.close();
  });
});

describe('odoo-elearning adapter in another database', () => {
  let sim: OdooSim;
  let lms: OdooElearningAdapter;
  beforeEach(async () => {
    sim = await startOdooSim({ db: 'school', username: 'svc', apiKey: ODOO_KEY });
    lms = adapterFor(sim, { db: 'school', sameDatabase: false });
  });
  afterEach(async () => {
    lms.close();
    await sim.close();
  });
  const byRef = (studentId: string) => sim.store.search('res.partner', [['ref', '=', studentId]]);

  it('says lms_auth_failed, naming Contact Creation, when the user may not create the learner there', async () => {
    const refusing = await startOdooSim({
      db: 'school',
      username: 'svc',
      apiKey: ODOO_KEY,
      contactCreation: false,
    });
    const other = adapterFor(refusing, { db: 'school', sameDatabase: false });
    try {
      const err = await failureOf(other.enroll(enrollRequest(5)));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ code: 'lms_auth_failed' });
      expect(err.message).toContain('the user needs Extra Rights / Contact Creation in that database');
      expect(err.message).not.toContain('eLearning / Manager');
      expect(err.message).not.toContain(enrollRequest(5).student.email);
    } finally {
      other.close();
      await refusing.close();
    }
  });

  it('creates the learner once, by the student id as its reference, and lists them by it', async () => {
    const first = await lms.enroll(enrollRequest(7));
    await lms.enroll(enrollRequest(7, 'DS-101'));
    expect(first).toMatchObject({ created: true });
    const [partner] = byRef('odoo-partner-7');
    expect(byRef('odoo-partner-7')).toHaveLength(1);
    expect(sim.store.read('res.partner', [partner as number], ['name', 'email'])).toEqual([
      { id: partner, name: 'Jane 7', email: 'jane.7@example.com' },
    ]);
    // partner 7 of this database is someone else, and a membership made here by hand is not ours
    const stranger = sim.store.createPartner({ name: 'Someone here' });
    sim.store.db.create(MEMBERSHIP, { channel_id: 1, partner_id: stranger });
    const listed = (await lms.listEnrollments(null, 100)).items;
    expect(listed.map((e) => [e.courseCode, e.studentId, e.email])).toEqual([
      ['PY-K12', 'odoo-partner-7', 'jane.7@example.com'],
      ['DS-101', 'odoo-partner-7', 'jane.7@example.com'],
    ]);
  });

  it('suspends by the reference, and has nothing to suspend for a student it never met', async () => {
    await lms.enroll(enrollRequest(8));
    const key = { courseCode: 'PY-K12', idempotencyKey: 'suspend:1' };
    await expect(lms.suspend({ ...key, studentId: 'odoo-partner-8' })).resolves.toEqual({
      status: 'suspended',
    });
    const never = await failureOf(lms.suspend({ ...key, studentId: 'odoo-partner-9' }));
    expect(never).toMatchObject({ code: 'lms_not_enrolled' });
    expect(byRef('odoo-partner-9')).toEqual([]);
  });
});
