// The Moodle simulator speaks Moodle's REST web services: PHP-style form parameters, HTTP 200 error
// objects, and Moodle's rules for users and enrolments.
import { encodeMoodleForm, type MoodleFormValue } from '../../../src/lms/moodle-form';
import { MoodleSimException, startMoodleSim, type RunningMoodleSim } from '../../../src/sim/moodle';

const TOKEN = 'sim-test-token';
let sim: RunningMoodleSim;

beforeEach(async () => {
  sim = await startMoodleSim({
    token: TOKEN,
    courses: [
      { courseCode: 'PY-K12', title: 'Python for Kids', by: 'idnumber' },
      { courseCode: 'DS-101', title: 'Data Science 101', by: 'shortname' },
    ],
  });
});
afterEach(() => sim.close());

async function post(fn: string, params: Record<string, MoodleFormValue> = {}, token = TOKEN) {
  const res = await fetch(`${sim.url}/webservice/rest/server.php`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encodeMoodleForm({ wstoken: token, wsfunction: fn, moodlewsrestformat: 'json', ...params }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const user = (n: number, extra: Record<string, string> = {}) => ({
  username: `odoo-partner-${n}`,
  createpassword: 1,
  firstname: 'Jane',
  lastname: String(n),
  email: `jane.${n}@example.com`,
  idnumber: `odoo-partner-${n}`,
  ...extra,
});

async function createUser(n: number): Promise<number> {
  const { body } = await post('core_user_create_users', { users: [user(n)] });
  return (body as Array<{ id: number }>)[0]!.id;
}

function courseId(code: string): number {
  return sim.state.courseByCode(code)!.id;
}

describe('the Moodle simulator', () => {
  it('answers a refused token, an unknown function and a function the service does not allow as HTTP 200 error objects', async () => {
    expect(await post('core_webservice_get_site_info', {}, 'wrong')).toEqual({
      status: 200,
      body: {
        exception: 'moodle_exception',
        errorcode: 'invalidtoken',
        message: 'Invalid token - token not found',
      },
    });
    expect((await post('core_no_such_function')).body).toMatchObject({
      exception: 'dml_missing_record_exception',
      errorcode: 'invalidrecord',
    });
    const narrow = await startMoodleSim({
      token: TOKEN,
      allowedFunctions: ['core_webservice_get_site_info'],
    });
    try {
      const res = await fetch(`${narrow.url}/webservice/rest/server.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: encodeMoodleForm({
          wstoken: TOKEN,
          wsfunction: 'core_user_create_users',
          moodlewsrestformat: 'json',
        }),
      });
      expect(await res.json()).toMatchObject({
        exception: 'webservice_access_exception',
        errorcode: 'accessexception',
      });
    } finally {
      await narrow.close();
    }
  });

  it('reads its parameters from the query string too, and answers JSON only when asked', async () => {
    const query = encodeMoodleForm({
      wstoken: TOKEN,
      wsfunction: 'core_webservice_get_site_info',
      moodlewsrestformat: 'json',
    });
    const res = await fetch(`${sim.url}/webservice/rest/server.php?${query}`);
    expect(await res.json()).toMatchObject({
      sitename: 'Simulated Moodle',
      userid: 2,
      release: expect.any(String),
    });
    const xml = await fetch(
      `${sim.url}/webservice/rest/server.php?wstoken=${TOKEN}&wsfunction=core_webservice_get_site_info`,
    );
    expect(xml.headers.get('content-type')).toContain('xml');
  });

  it('keeps usernames, emails (whatever their case) and ID numbers unique, with invalidparameter', async () => {
    await createUser(1);
    const again = async (extra: Record<string, string>) =>
      (await post('core_user_create_users', { users: [user(2, extra)] })).body;
    expect(await again({ username: 'odoo-partner-1' })).toMatchObject({
      exception: 'invalid_parameter_exception',
      errorcode: 'invalidparameter',
      debuginfo: 'Username already exists: odoo-partner-1',
    });
    expect(await again({ email: 'JANE.1@example.com' })).toMatchObject({
      errorcode: 'invalidparameter',
      debuginfo: expect.stringContaining('Email address already exists'),
    });
    expect(await again({ idnumber: 'odoo-partner-1' })).toMatchObject({
      errorcode: 'invalidparameter',
      debuginfo: expect.stringContaining('ID number already exists'),
    });
    expect(await again({ username: 'Odoo-Partner-2' })).toMatchObject({ errorcode: 'invalidparameter' });
    const { email: _e, ...noEmail } = user(3);
    expect((await post('core_user_create_users', { users: [noEmail] })).body).toMatchObject({
      errorcode: 'invalidparameter',
      debuginfo: 'Missing required key in single structure: email',
    });
    expect(sim.state.users.size).toBe(1);
  });

  it('finds users by ID number and by email, case aside', async () => {
    const id = await createUser(4);
    const byIdnumber = await post('core_user_get_users_by_field', {
      field: 'idnumber',
      values: ['odoo-partner-4'],
    });
    expect(byIdnumber.body).toEqual([
      expect.objectContaining({ id, username: 'odoo-partner-4', idnumber: 'odoo-partner-4' }),
    ]);
    const byEmail = await post('core_user_get_users_by_field', {
      field: 'email',
      values: ['Jane.4@Example.com'],
    });
    expect(byEmail.body).toEqual([expect.objectContaining({ id })]);
    expect(
      (await post('core_user_get_users_by_field', { field: 'idnumber', values: ['nobody'] })).body,
    ).toEqual([]);
    expect((await post('core_user_get_users_by_field', { field: 'city', values: ['x'] })).body).toMatchObject(
      { errorcode: 'invalidparameter' },
    );
  });

  it('finds courses by ID number or short name; the whole list includes the site course', async () => {
    const byIdnumber = await post('core_course_get_courses_by_field', { field: 'idnumber', value: 'PY-K12' });
    expect(byIdnumber.body).toEqual({
      courses: [expect.objectContaining({ idnumber: 'PY-K12', fullname: 'Python for Kids' })],
      warnings: [],
    });
    const byShortname = await post('core_course_get_courses_by_field', {
      field: 'shortname',
      value: 'DS-101',
    });
    expect(byShortname.body).toMatchObject({ courses: [{ shortname: 'DS-101', idnumber: '' }] });
    const all = (await post('core_course_get_courses_by_field')).body as {
      courses: Array<{ format: string }>;
    };
    expect(all.courses.map((c) => c.format)).toEqual(['site', 'topics', 'topics']);
  });

  it('enrols through the manual method; a suspended enrolment is still listed, its status only through onlysuspended / onlyactive', async () => {
    const userid = await createUser(5);
    const courseid = courseId('PY-K12');
    const enrol = (suspend: number) =>
      post('enrol_manual_enrol_users', { enrolments: [{ roleid: 5, userid, courseid, suspend }] });
    expect((await enrol(0)).body).toBeNull();
    expect((await enrol(1)).body).toBeNull();
    expect(sim.state.status('PY-K12', 'odoo-partner-5')).toBe('suspended');
    expect(sim.state.creationCount('PY-K12', 'odoo-partner-5')).toBe(1);

    // per user, only active enrolments
    expect((await post('core_enrol_get_users_courses', { userid })).body).toEqual([]);
    const listed = (options: Array<{ name: string; value: string | number }>) =>
      post('core_enrol_get_enrolled_users', { courseid, options });
    const everyone = (await listed([])).body as Array<Record<string, unknown>>;
    expect(everyone).toEqual([
      expect.objectContaining({
        id: userid,
        idnumber: 'odoo-partner-5',
        roles: [expect.objectContaining({ roleid: 5, shortname: 'student' })],
      }),
    ]);
    expect(everyone[0]).not.toHaveProperty('status');
    expect((await listed([{ name: 'onlysuspended', value: 1 }])).body).toEqual([
      expect.objectContaining({ id: userid }),
    ]);
    expect((await listed([{ name: 'onlyactive', value: 1 }])).body).toEqual([]);
    expect(
      (
        await listed([
          { name: 'onlyactive', value: 1 },
          { name: 'onlysuspended', value: 1 },
        ])
      ).body,
    ).toMatchObject({ errorcode: 'bothonlyactiveandonlysuspended' });
    expect((await listed([{ name: 'userfields', value: 'id' }])).body).toEqual([{ id: userid }]);

    await enrol(0);
    expect((await post('core_enrol_get_users_courses', { userid })).body).toEqual([
      expect.objectContaining({ id: courseid }),
    ]);
  });

  it('pages enrolled users with limitfrom and limitnumber, in user id order', async () => {
    sim.state.seed('PY-K12', 5);
    const page = async (from: number) =>
      (
        (
          await post('core_enrol_get_enrolled_users', {
            courseid: courseId('PY-K12'),
            options: [
              { name: 'limitfrom', value: from },
              { name: 'limitnumber', value: 2 },
              { name: 'userfields', value: 'id,idnumber' },
            ],
          })
        ).body as Array<{ idnumber: string }>
      ).map((u) => u.idnumber);
    expect([...(await page(0)), ...(await page(2)), ...(await page(4))]).toEqual(
      [90001, 90002, 90003, 90004, 90005].map((n) => `odoo-partner-${n}`),
    );
  });

  it('refuses an enrolment without a manual method, an unknown course or user, a role it cannot give, a missing parameter', async () => {
    const userid = await createUser(6);
    const noManual = sim.state.addCourse('CLOSED-1', 'Closed', 'idnumber', false);
    const enrol = (e: Record<string, number>) =>
      post('enrol_manual_enrol_users', {
        enrolments: [{ roleid: 5, userid, courseid: courseId('PY-K12'), ...e }],
      });
    expect((await enrol({ courseid: noManual.id })).body).toMatchObject({
      exception: 'moodle_exception',
      errorcode: 'wsnoinstance',
    });
    expect((await enrol({ courseid: 999 })).body).toMatchObject({ errorcode: 'invalidrecord' });
    expect((await enrol({ userid: 999 })).body).toMatchObject({ errorcode: 'invalidrecord' });
    expect((await enrol({ roleid: 42 })).body).toMatchObject({ errorcode: 'wsusercannotassign' });
    expect(
      (await post('enrol_manual_enrol_users', { enrolments: [{ userid, courseid: 2 }] })).body,
    ).toMatchObject({ errorcode: 'invalidparameter' });
    expect(sim.state.enrolments.size).toBe(0);
  });

  it('injects server errors (an HTML 503), Moodle exceptions and latency, and counts calls by function', async () => {
    sim.state.failNext(1, 503);
    const res = await fetch(`${sim.url}/webservice/rest/server.php`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'wsfunction=core_webservice_get_site_info',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('html');
    sim.state.failNextWith(
      new MoodleSimException('dml_write_exception', 'dmlwriteexception', 'Error writing to database'),
    );
    expect((await post('core_webservice_get_site_info')).body).toMatchObject({
      errorcode: 'dmlwriteexception',
    });
    expect((await post('core_webservice_get_site_info')).body).toMatchObject({
      sitename: 'Simulated Moodle',
    });
    expect(sim.state.calls.get('core_webservice_get_site_info')).toBe(3);
  });

  it('answers a body PHP could not read as invalidparameter', async () => {
    const res = await fetch(`${sim.url}/webservice/rest/server.php?moodlewsrestformat=json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `wstoken=${TOKEN}&a]b=1`,
    });
    expect(await res.json()).toMatchObject({ errorcode: 'invalidparameter' });
  });
});
