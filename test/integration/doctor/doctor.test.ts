// `lms-sync doctor` against real PostgreSQL and RabbitMQ and the bundled simulators: each dependency
// broken the way an operator meets it, and the row that says so.
import net from 'node:net';
import { Client } from 'pg';
import { runDoctorCli } from '../../../src/cli/doctor';
import { EXIT } from '../../../src/cli/exit-codes';
import { loadConfig, type Config } from '../../../src/config';
import { runDoctor, type CheckRow } from '../../../src/doctor';
import { startLmsSim, type RunningLmsSim, type StartLmsSimOptions } from '../../../src/sim/lms';
import { startOdooSim, type OdooSim, type OdooSimOptions } from '../../../src/sim/odoo';
import { runCli } from '../../support/cli';
import { createTestDb, type TestDb } from '../../support/db';
import { adminUrl, amqpUrl, databaseUrl } from '../../support/env';
import { TEST_SECRET } from '../../support/webhooks';

jest.setTimeout(60_000);

const ODOO_KEY = 'odoo-key-for-doctor';
const LMS_TOKEN = 'lms-token-for-doctor';
const ADMIN_TOKEN = 'admin-token-for-doctor-tests';
const COURSES = [
  { courseCode: 'PY-K12', title: 'Python for Kids' },
  { courseCode: 'DS-101', title: 'Data Science 101' },
];

interface World {
  odoo: OdooSim;
  lms: RunningLmsSim;
  env: Record<string, string>;
  close(): Promise<void>;
}

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

async function world(
  options: {
    odoo?: Partial<OdooSimOptions>;
    lms?: Partial<StartLmsSimOptions>;
    sells?: string[];
    /** leave the helpdesk teams without members (default: one agent in each) */
    emptyTeams?: boolean;
  } = {},
): Promise<World> {
  const odoo = await startOdooSim({ db: 'odoo', username: 'svc', apiKey: ODOO_KEY, ...options.odoo });
  if (!options.emptyTeams && options.odoo?.helpdeskFlavor !== 'none') {
    const agent = odoo.store.createUser({ name: 'Agent', login: 'agent@example.com' });
    for (const team of ['Technical Support', 'Ops']) odoo.store.setTeam(team, [agent]);
  }
  for (const code of options.sells ?? COURSES.map((c) => c.courseCode))
    odoo.store.createCourseProduct(code, `Course ${code}`, 1000);
  const lms = await startLmsSim({ apiToken: LMS_TOKEN, courses: COURSES, ...options.lms });
  const env = {
    DATABASE_URL: db.url,
    AMQP_URL: amqpUrl(),
    WEBHOOK_SECRETS: TEST_SECRET,
    ADMIN_TOKEN,
    ODOO_URL: odoo.url,
    ODOO_DB: 'odoo',
    ODOO_USERNAME: 'svc',
    ODOO_API_KEY: ODOO_KEY,
    LMS_BASE_URL: lms.url,
    LMS_API_TOKEN: LMS_TOKEN,
    ODOO_TIMEOUT_MS: '3000',
    LMS_TIMEOUT_MS: '3000',
  };
  return { odoo, lms, env, close: async () => void (await Promise.all([odoo.close(), lms.close()])) };
}

async function doctor(w: World, env: Record<string, string> = {}): Promise<CheckRow[]> {
  return runDoctor(loadConfig({ ...w.env, ...env }));
}

const row = (rows: CheckRow[], name: string): CheckRow => {
  const found = rows.find((r) => r.check === name);
  if (!found) throw new Error(`no row "${name}" in ${rows.map((r) => r.check).join(', ')}`);
  return found;
};

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectNoSecret(text: string): void {
  for (const secret of [ODOO_KEY, LMS_TOKEN, ADMIN_TOKEN, TEST_SECRET]) expect(text).not.toContain(secret);
}

describe('lms-sync doctor', () => {
  let w: World;
  afterEach(() => w.close());

  it('answers every row ok and exits 0 when everything is in place, naming the Odoo version', async () => {
    w = await world();
    const { code, out } = await doctorCli(loadConfig(w.env), true);
    const rows = JSON.parse(out) as CheckRow[];
    expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(row(rows, 'Odoo reachable').detail).toMatch(/^Odoo 17\.0 at http:\/\/127\.0\.0\.1:\d+$/);
    expect(rows.map((r) => r.check)).toEqual(
      expect.arrayContaining([
        'PostgreSQL migrations',
        'RabbitMQ',
        'Odoo sale.order',
        'Odoo account.move.line',
        'Odoo lms_sync addon',
        'Odoo helpdesk',
        'Odoo course category',
        'LMS courses',
        'Courses known to the LMS',
      ]),
    );
    expect(row(rows, 'Courses known to the LMS').detail).toBe('the LMS knows all 2 courses Odoo sells');
    expectNoSecret(out);
  });

  it('fails the login row with a fix when ODOO_API_KEY is wrong, skips what needs it, exits 1', async () => {
    w = await world();
    const cli = await doctorCli(loadConfig({ ...w.env, ODOO_API_KEY: 'not-the-key' }), true);
    expect(cli.code).toBe(EXIT.attention);
    const rows = JSON.parse(cli.out) as CheckRow[];
    expect(row(rows, 'Odoo reachable').status).toBe('ok');
    expect(row(rows, 'Odoo login')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('refused the API key of ODOO_USERNAME "svc"'),
      fix: expect.stringContaining('ODOO_API_KEY'),
    });
    for (const name of [
      'Odoo sale.order',
      'Odoo lms_sync addon',
      'Odoo helpdesk',
      'Courses known to the LMS',
    ])
      expect(row(rows, name)).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^needs "/) });
    expect(row(rows, 'LMS courses').status).toBe('ok');
  });

  it('fails the token row when the LMS refuses LMS_API_TOKEN, and says the LMS answered', async () => {
    w = await world();
    const rows = await doctor(w, { LMS_API_TOKEN: 'wrong-token-1234' });
    expect(row(rows, 'LMS reachable').status).toBe('ok');
    expect(row(rows, 'LMS token')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('LMS_API_TOKEN'),
    });
    expect(row(rows, 'LMS courses').status).toBe('skipped');
    expect(JSON.stringify(rows)).not.toContain('wrong-token-1234');
  });

  it('fails the database row with "run lms-sync migrate" when the database does not exist', async () => {
    w = await world();
    const rows = await doctor(w, { DATABASE_URL: databaseUrl(`${db.name}_missing`) });
    expect(row(rows, 'PostgreSQL reachable').status).toBe('ok');
    expect(row(rows, 'PostgreSQL database')).toMatchObject({
      status: 'fail',
      detail: `database "${db.name}_missing" does not exist`,
      fix: 'run lms-sync migrate',
    });
    expect(row(rows, 'PostgreSQL migrations').status).toBe('skipped');
  });

  it('names the pending migrations of an empty database, as a warning', async () => {
    w = await world();
    const name = `${db.name}_empty`;
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const rows = await doctor(w, { DATABASE_URL: databaseUrl(name) });
      expect(row(rows, 'PostgreSQL migrations')).toMatchObject({
        status: 'warn',
        detail: expect.stringMatching(/^\d+ pending: 001_spine\.sql, 002_reconcile\.sql/),
        fix: expect.stringContaining('lms-sync migrate'),
      });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('fails PostgreSQL and RabbitMQ at a closed port, naming the host, with no secret', async () => {
    w = await world();
    const pgPort = await closedPort();
    const amqpPort = await closedPort();
    const rows = await doctor(w, {
      DATABASE_URL: `postgres://postgres:pg-secret-pw@127.0.0.1:${pgPort}/lms_sync`,
      AMQP_URL: `amqp://guest:amqp-secret-pw@127.0.0.1:${amqpPort}`,
    });
    expect(row(rows, 'PostgreSQL reachable')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`cannot reach PostgreSQL at 127.0.0.1:${pgPort}`),
      fix: expect.stringContaining('DATABASE_URL'),
    });
    expect(row(rows, 'PostgreSQL database').status).toBe('skipped');
    expect(row(rows, 'RabbitMQ')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`cannot reach RabbitMQ at 127.0.0.1:${amqpPort}`),
      fix: expect.stringContaining('AMQP_URL'),
    });
    const text = JSON.stringify(rows);
    expect(text).not.toContain('pg-secret-pw');
    expect(text).not.toContain('amqp-secret-pw');
  });

  it.each([
    [
      'a wrong password',
      'guest:not-the-password@',
      '',
      /refused the login/,
      'fix the user and password in AMQP_URL',
    ],
    [
      'an unknown virtual host',
      'guest:guest@',
      '/no-such-vhost',
      /vhost/,
      expect.stringContaining('virtual host'),
    ],
  ])('fails the RabbitMQ row for %s, saying which', async (_, auth, vhost, detail, fix) => {
    w = await world();
    const url = new URL(amqpUrl());
    const rows = await doctor(w, { AMQP_URL: `amqp://${auth}${url.host}${vhost}` });
    expect(row(rows, 'RabbitMQ')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(detail),
      fix,
    });
    expect(JSON.stringify(rows)).not.toContain('not-the-password');
  });

  it('fails Odoo and the LMS at a closed port, and skips what needs them', async () => {
    w = await world();
    const rows = await doctor(w, {
      ODOO_URL: `http://127.0.0.1:${await closedPort()}`,
      LMS_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(row(rows, 'Odoo reachable')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('ODOO_URL'),
    });
    expect(row(rows, 'Odoo login').status).toBe('skipped');
    expect(row(rows, 'LMS reachable')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('LMS_BASE_URL'),
    });
    expect(row(rows, 'LMS token').status).toBe('skipped');
  });

  it('stays bounded when every dependency accepts the connection and never answers', async () => {
    w = await world();
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const rows = await doctor(w, {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/lms_sync`,
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}`,
        ODOO_URL: `http://127.0.0.1:${port}`,
        ODOO_TIMEOUT_MS: '500',
        LMS_BASE_URL: `http://127.0.0.1:${port}`,
        LMS_TIMEOUT_MS: '500',
      });
      for (const name of ['PostgreSQL reachable', 'RabbitMQ', 'Odoo reachable', 'LMS reachable'])
        expect(row(rows, name)).toMatchObject({ status: 'fail', fix: expect.any(String) });
      expect(row(rows, 'Odoo reachable').detail).toMatch(/did not answer .* within 500 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.each([
    ['enterprise', 'oca', /Odoo has the enterprise helpdesk/, 'set HELPDESK_FLAVOR=enterprise'],
    ['oca', 'enterprise', /Odoo has the oca helpdesk/, 'set HELPDESK_FLAVOR=oca'],
    ['none', 'oca', /no helpdesk is installed/, expect.stringContaining('HELPDESK_ENABLED=false')],
  ] as const)(
    'says so when Odoo has the %s helpdesk and HELPDESK_FLAVOR is %s',
    async (installed, configured, detail, fix) => {
      w = await world({ odoo: { helpdeskFlavor: installed } });
      const rows = await doctor(w, { HELPDESK_FLAVOR: configured });
      expect(row(rows, 'Odoo helpdesk')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(detail),
        fix,
      });
    },
  );

  it('warns when tickets could not be assigned as configured, naming each reason', async () => {
    w = await world({ emptyTeams: true });
    const archived = w.odoo.store.createUser({ name: 'Gone', login: 'gone@example.com', active: false });
    w.odoo.store.setTeam('Ops', [archived]);
    const rows = await doctor(w, {
      HELPDESK_TEAM_LEADERS: 'Technical Support=gone@example.com',
      HELPDESK_OUT_USERS: 'nobody@example.com',
    });
    const assignment = row(rows, 'Helpdesk assignment');
    expect(assignment).toMatchObject({ status: 'warn', fix: expect.stringContaining('Teams') });
    expect(assignment.detail.split('; ')).toEqual([
      'team "Ops" has no active member: its tickets stay unassigned',
      'HELPDESK_TEAM_LEADERS names "gone@example.com" for Technical Support: archived',
      'HELPDESK_OUT_USERS names "nobody@example.com": no such Odoo user (a typo?)',
    ]);
  });

  it('counts the members of each team when assignment has all it needs', async () => {
    w = await world();
    expect(row(await doctor(w), 'Helpdesk assignment')).toMatchObject({
      status: 'ok',
      detail: 'Technical Support: 1 member, Ops: 1 member',
    });
  });

  it('takes no helpdesk as fine when HELPDESK_ENABLED=false', async () => {
    w = await world({ odoo: { helpdeskFlavor: 'none' } });
    const rows = await doctor(w, { HELPDESK_ENABLED: 'false' });
    expect(row(rows, 'Odoo helpdesk')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('none'),
    });
    expect(rows.map((r) => r.check)).not.toContain('Helpdesk assignment');
  });

  it('names the courses Odoo sells that the LMS does not know, with their count', async () => {
    w = await world({ sells: ['PY-K12', 'GHOST-1', 'GHOST-2', 'DS-101'] });
    const rows = await doctor(w);
    expect(row(rows, 'Courses known to the LMS')).toMatchObject({
      status: 'fail',
      detail: '2 of 4 course codes Odoo sells are unknown to the LMS: GHOST-1, GHOST-2',
      fix: expect.stringContaining('course_unmapped'),
    });
  });

  it('fails the addon row when the lms_sync addon is not installed', async () => {
    w = await world({ odoo: { addonInstalled: false } });
    const rows = await doctor(w);
    expect(row(rows, 'Odoo lms_sync addon')).toMatchObject({
      status: 'fail',
      detail: 'sale.order lacks lms_sync_state, lms_last_sync_at, lms_last_error: the addon is not installed',
      fix: expect.stringContaining('odoo-addon/lms_sync'),
    });
    expect(row(rows, 'Odoo sale.order').status).toBe('ok');
  });

  it("checks the addon's learners of course lines when LEARNER_SOURCE is attendees", async () => {
    w = await world();
    const rows = await doctor(w, { LEARNER_SOURCE: 'attendees' });
    expect(row(rows, 'Odoo lms_sync addon')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('sale.order.line has lms_learner_ids'),
    });
  });

  it.each([
    ['ODOO_DB', 'odoo_typo', 'Odoo login', 'Odoo has no database "odoo_typo"', 'Odoo sale.order'],
    [
      'COURSE_CATEGORY',
      'Trainings',
      'Odoo course category',
      'no product category named "Trainings" (COURSE_CATEGORY)',
      'Courses known to the LMS',
    ],
  ])(
    'fails one row when %s names nothing in Odoo (%s), naming it',
    async (name, value, failed, detail, skipped) => {
      w = await world();
      const rows = await doctor(w, { [name]: value });
      expect(row(rows, failed)).toMatchObject({ status: 'fail', detail, fix: expect.stringContaining(name) });
      expect(row(rows, skipped).status).toBe('skipped');
    },
  );

  it('runs as `lms-sync doctor`: a table on stdout, exit 1 when a check fails', async () => {
    w = await world({ sells: ['GHOST-1'] });
    const { code, stdout } = await runCli(['doctor'], w.env);
    expect(stdout).toMatch(/^check\s+status\s+detail$/m);
    expect(stdout).toMatch(
      /^Courses known to the LMS\s+FAIL\s+1 of 1 course codes Odoo sells are unknown to the LMS: GHOST-1$/m,
    );
    expect(stdout).toMatch(/^\s+fix: create these courses in the LMS/m);
    expect(stdout).toMatch(/failed/);
    expectNoSecret(stdout);
    expect(code).toBe(EXIT.attention);
  });
});

/** `lms-sync doctor` in-process: its exit code and what it printed. */
async function doctorCli(config: Config, json: boolean): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    return { code: await runDoctorCli(config, { json }), out: out.join('') };
  } finally {
    spy.mockRestore();
  }
}
