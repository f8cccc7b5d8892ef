// The moodle adapter's own behaviour against the Moodle simulator: how Moodle's answers map to our
// errors, who the Moodle user is, what each enrollment costs in calls, and the listing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, TransientError } from '../../../src/lib/errors';
import { createMoodleLmsAdapter, type MoodleLmsAdapter } from '../../../src/lms/moodle-adapter';
import { silentLogger } from '../../../src/observability/logger';
import {
  MoodleSimException,
  startMoodleSim,
  type RunningMoodleSim,
  type StartMoodleSimOptions,
} from '../../../src/sim/moodle';
import { enrollRequest, failureOf } from './fixtures';

const TOKEN = 'moodle-adapter-secret-789';
let sim: RunningMoodleSim;
const adapters: MoodleLmsAdapter[] = [];

async function start(options: Partial<StartMoodleSimOptions> = {}): Promise<RunningMoodleSim> {
  sim = await startMoodleSim({
    token: TOKEN,
    courses: [
      { courseCode: 'PY-K12', title: 'Python for Kids', by: 'idnumber' },
      { courseCode: 'DS-101', title: 'Data Science 101', by: 'shortname' },
    ],
    ...options,
  });
  return sim;
}

function adapter(overrides: { url?: string; token?: string; timeoutMs?: number } = {}): MoodleLmsAdapter {
  const lms = createMoodleLmsAdapter({
    url: overrides.url ?? sim.url,
    token: overrides.token ?? TOKEN,
    studentRoleId: 5,
    timeoutMs: overrides.timeoutMs ?? 2000,
    log: silentLogger(),
    callRetryDelaysMs: [1, 1],
  });
  adapters.push(lms);
  return lms;
}

afterEach(async () => {
  adapters.splice(0).forEach((lms) => lms.close());
  await sim?.close();
});

const everything = (err: Error) => `${err.message} ${err.stack ?? ''} ${JSON.stringify(err)}`;
const calls = () => [...sim.state.calls.values()].reduce((a, b) => a + b, 0);

describe('moodle adapter: errors', () => {
  beforeEach(() => start());

  it.each([
    ['an invalid token', () => adapter({ token: 'not-the-token' }), 'lms_auth_failed'],
    [
      'a capability the integration user lacks',
      () => {
        sim.state.failNextWith(
          new MoodleSimException(
            'required_capability_exception',
            'nopermissions',
            'Sorry, but you do not currently have permissions to do that (Create users).',
          ),
        );
        return adapter();
      },
      'lms_auth_failed',
    ],
    [
      'Moodle in maintenance',
      () => {
        sim.state.failNextWith(
          new MoodleSimException('moodle_exception', 'sitemaintenance', 'The site is undergoing maintenance'),
          3,
        );
        return adapter();
      },
      'lms_unavailable',
    ],
    [
      'a database write failing',
      () => {
        sim.state.failNextWith(
          new MoodleSimException('dml_write_exception', 'dmlwriteexception', 'Error writing to database'),
          3,
        );
        return adapter();
      },
      'lms_unavailable',
    ],
  ] as const)('%s is transient', async (_, make, code) => {
    const err = await failureOf(make().enroll(enrollRequest(1)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code });
    expect(everything(err)).not.toContain(TOKEN);
  });

  it("takes a function the token's service does not allow as a refused token, and names the function", async () => {
    await sim.close();
    await start({ allowedFunctions: ['core_webservice_get_site_info', 'core_course_get_courses_by_field'] });
    const err = await failureOf(adapter().enroll(enrollRequest(2)));
    expect(err).toMatchObject({ code: 'lms_auth_failed' });
    expect(err.message).toContain('core_user_get_users_by_field');
    expect(err.message).toContain('accessexception');
  });

  it('says lms_rejected, permanent, for a course without manual enrolments, and lms_unknown_course for none', async () => {
    sim.state.addCourse('CLOSED-1', 'Closed', 'idnumber', false);
    const closed = await failureOf(adapter().enroll(enrollRequest(3, 'CLOSED-1')));
    expect(closed).toBeInstanceOf(PermanentError);
    expect(closed).toMatchObject({ code: 'lms_rejected' });
    expect(closed.message).toContain('wsnoinstance');
    await expect(adapter().enroll(enrollRequest(3, 'NOPE-1'))).rejects.toMatchObject({
      code: 'lms_unknown_course',
    });
  });

  it('repeats a call that met a server error at once, twice, then gives the error to the retry ladder', async () => {
    const lms = adapter();
    sim.state.failNext(2, 503);
    await expect(lms.enroll(enrollRequest(4))).resolves.toMatchObject({ status: 'active', created: true });
    sim.state.failNext(3, 502);
    const err = await failureOf(lms.enroll(enrollRequest(5)));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_unavailable' });
    expect(sim.state.creationCount('PY-K12', 'odoo-partner-5')).toBe(0);
  });

  it('does not repeat the ping: /readyz wants the answer now', async () => {
    sim.state.failNext(1, 503);
    await expect(adapter().ping()).rejects.toMatchObject({ code: 'lms_unavailable' });
    expect(sim.state.calls.get('core_webservice_get_site_info')).toBe(1);
  });

  it('says lms_timeout without repeating the call when Moodle answers too late', async () => {
    sim.state.setLatency(400);
    const err = await failureOf(adapter({ timeoutMs: 100 }).ping());
    expect(err).toMatchObject({ code: 'lms_timeout' });
    expect(sim.state.calls.get('core_webservice_get_site_info')).toBe(1);
  });

  it('takes a 404 (a wrong MOODLE_URL) as transient, naming the setting', async () => {
    const err = await failureOf(adapter({ url: `${sim.url}/moodle` }).listCourses());
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'lms_bad_response' });
    expect(err.message).toContain('MOODLE_URL');
  });

  it('says lms_unreachable for a closed port', async () => {
    const url = sim.url;
    await sim.close();
    const err = await failureOf(adapter({ url }).ping());
    expect(err).toMatchObject({ code: 'lms_unreachable' });
    await start();
  });

  it("keeps the student's email and the token out of what Moodle said", async () => {
    const req = enrollRequest(6);
    sim.state.failNextWith(
      new MoodleSimException('moodle_exception', 'somethingodd', `Odd: ${req.student.email} with ${TOKEN}`),
    );
    const err = await failureOf(adapter().enroll(req));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_client_error' });
    expect(everything(err)).not.toContain(req.student.email);
    expect(everything(err)).not.toContain(TOKEN);
    expect(err.message).toContain('somethingodd');
  });
});

describe('moodle adapter: an answer that is not Moodle', () => {
  it('says lms_bad_response for an HTML page served as 200 (a login page, a proxy)', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Log in</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await start();
    try {
      const { port } = server.address() as AddressInfo;
      const err = await failureOf(adapter({ url: `http://127.0.0.1:${port}` }).ping());
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ code: 'lms_bad_response' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('moodle adapter: users and courses', () => {
  beforeEach(() => start());

  it('costs 4 calls for a first enrollment (course lookup included), 2 for a repeated one, 3 when the course is found by short name', async () => {
    const lms = adapter();
    await lms.enroll(enrollRequest(10));
    expect(calls()).toBe(4); // course by ID number, user by ID number, create user, enrol
    sim.state.calls.clear();
    await lms.enroll(enrollRequest(10));
    expect(calls()).toBe(2); // user by ID number, the user's active courses (the course is cached)
    sim.state.calls.clear();
    await lms.enroll(enrollRequest(11, 'DS-101'));
    expect(calls()).toBe(5); // course by ID number (none), by short name, then as above
    sim.state.calls.clear();
    await lms.suspend({ courseCode: 'PY-K12', studentId: 'odoo-partner-10', idempotencyKey: 'suspend:1' });
    expect(calls()).toBe(3); // user, the user's active courses, enrol suspended
  });

  it('makes the Moodle user with the student id as username and ID number, and the name split in two', async () => {
    await adapter().enroll({
      ...enrollRequest(12),
      student: { ...enrollRequest(12).student, fullName: 'Trần Thị Hoa' },
    });
    const u = sim.state.userByIdnumber('odoo-partner-12');
    expect(u).toMatchObject({
      username: 'odoo-partner-12',
      firstname: 'Trần Thị',
      lastname: 'Hoa',
      email: 'jane.12@example.com',
      auth: 'manual',
      phone1: '+1 555 0100',
    });
  });

  it("takes an existing Moodle user with the student's email and no ID number, giving them the ID number", async () => {
    const existing = sim.state.createUser({
      username: 'jane13',
      idnumber: '',
      email: 'JANE.13@example.com',
      firstname: 'Jane',
      lastname: 'T',
      auth: 'manual',
      phone1: '',
    });
    const lms = adapter();
    await expect(lms.enroll(enrollRequest(13))).resolves.toMatchObject({
      created: true,
      enrollmentId: `${sim.state.courseByCode('PY-K12')!.id}:${existing.id}`,
    });
    expect(existing.idnumber).toBe('odoo-partner-13');
    expect(sim.state.users.size).toBe(1);
    const listed = (await lms.listEnrollments(null, 10)).items;
    expect(listed).toEqual([expect.objectContaining({ studentId: 'odoo-partner-13', status: 'active' })]);
  });

  it("refuses, permanently, a student whose email belongs to another student's Moodle user, naming no email", async () => {
    const lms = adapter();
    await lms.enroll(enrollRequest(14));
    const other = {
      ...enrollRequest(15),
      student: { ...enrollRequest(15).student, email: 'jane.14@example.com' },
    };
    const err = await failureOf(lms.enroll(other));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_rejected' });
    expect(err.message).toContain('odoo-partner-14');
    expect(everything(err)).not.toContain('jane.14@example.com');
  });

  it('refuses a learner without an email, unless a Moodle user with their ID number was made by hand', async () => {
    const { email: _none, ...child } = enrollRequest(16).student;
    const req = {
      ...enrollRequest(16),
      student: { ...child, login: 'learner-16', guardian: { name: 'Hoa', email: 'hoa@example.com' } },
    };
    const lms = adapter();
    const err = await failureOf(lms.enroll(req));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'lms_rejected' });
    expect(err.message).toContain('ID number odoo-partner-16');
    expect(everything(err)).not.toContain('hoa@example.com');
    sim.state.createUser({
      username: 'learner-16',
      idnumber: 'odoo-partner-16',
      email: 'child16@school.example',
      firstname: 'Kid',
      lastname: '16',
      auth: 'manual',
      phone1: '',
    });
    await expect(lms.enroll(req)).resolves.toMatchObject({ status: 'active', created: true });
  });

  it('makes one user and one enrolment when the same new student is enrolled twice at once', async () => {
    const lms = adapter();
    const both = await Promise.all([lms.enroll(enrollRequest(17)), lms.enroll(enrollRequest(17))]);
    expect(both.map((r) => r.status)).toEqual(['active', 'active']);
    expect(sim.state.users.size).toBe(1);
    expect(sim.state.creationCount('PY-K12', 'odoo-partner-17')).toBe(1);
  });
});

describe('moodle adapter: listing', () => {
  beforeEach(() => start());

  it('lists the students of every course with their status, leaves teachers out, and pages without a repeated cursor', async () => {
    const lms = adapter();
    sim.state.seed('PY-K12', 4);
    sim.state.seed('DS-101', 3, 80001);
    await lms.suspend({ courseCode: 'PY-K12', studentId: 'odoo-partner-90002', idempotencyKey: 'suspend:2' });
    const teacher = sim.state.createUser({
      username: 'teacher',
      idnumber: '',
      email: 't@school.example',
      firstname: 'T',
      lastname: 'T',
      auth: 'manual',
      phone1: '',
    });
    sim.state.enrol(sim.state.courseByCode('PY-K12')!.id, teacher.id, 3, 0);
    const seen: Array<{ courseCode: string; studentId: string; status: string }> = [];
    const cursors: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof lms.listEnrollments>> = await lms.listEnrollments(cursor, 3);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(
        ...page.items.map(({ courseCode, studentId, status }) => ({ courseCode, studentId, status })),
      );
      cursor = page.nextCursor;
      if (cursor) cursors.push(cursor);
    } while (cursor !== null && cursors.length < 10);
    expect(cursor).toBeNull();
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(seen).toHaveLength(7);
    expect(seen).toContainEqual({
      courseCode: 'PY-K12',
      studentId: 'odoo-partner-90002',
      status: 'suspended',
    });
    expect(seen.filter((e) => e.status === 'suspended')).toHaveLength(1);
    expect(seen.filter((e) => e.courseCode === 'DS-101')).toHaveLength(3);
    expect(seen.some((e) => e.studentId.startsWith('moodle-user-'))).toBe(false);
  });

  it('lists a student made by hand without an ID number as moodle-user-<id>', async () => {
    const hand = sim.state.createUser({
      username: 'hand',
      idnumber: '',
      email: 'h@school.example',
      firstname: 'H',
      lastname: 'H',
      auth: 'manual',
      phone1: '',
    });
    sim.state.enrol(sim.state.courseByCode('DS-101')!.id, hand.id, 5, 0);
    expect((await adapter().listEnrollments(null, 10)).items).toEqual([
      expect.objectContaining({
        courseCode: 'DS-101',
        studentId: `moodle-user-${hand.id}`,
        email: 'h@school.example',
        source: { orderId: null },
      }),
    ]);
  });

  it('refuses a cursor it did not give', async () => {
    await expect(adapter().listEnrollments('bm9wZQ', 10)).rejects.toMatchObject({ code: 'lms_rejected' });
  });

  it('lists the courses by code, without the site course', async () => {
    expect(await adapter().listCourses()).toEqual([
      { courseCode: 'PY-K12', title: 'Python for Kids' },
      { courseCode: 'DS-101', title: 'Data Science 101' },
    ]);
  });
});
