// The doctor's runner: prerequisites, time limits, thrown errors and secrets.
import { fail, ok, runChecks, warn, type Check, type Outcome } from '../../../src/doctor/checks';

const check = (name: string, run: () => Promise<Outcome>, needs?: string[]): Check => ({
  name,
  needs,
  timeoutMs: 1000,
  fix: `fix ${name}`,
  run,
});

describe('runChecks', () => {
  it('answers the rows in the order of the checks, whatever order they finish in', async () => {
    let release = () => undefined as void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const rows = runChecks(
      [check('a', async () => (await slow, ok('first'))), check('b', async () => (release(), ok('second')))],
      { secrets: [] },
    );
    expect((await rows).map((r) => r.check)).toEqual(['a', 'b']);
  });

  it.each([
    ['failed', fail('down', 'start it'), 'skipped'],
    ['warned', warn('odd'), 'ok'],
    ['passed', ok('fine'), 'ok'],
  ] as const)('runs a dependant of a check that %s as %s', async (_, first, expected) => {
    const rows = await runChecks(
      [check('server', async () => first), check('database', async () => ok('there'), ['server'])],
      { secrets: [] },
    );
    expect(rows[1]?.status).toBe(expected);
  });

  it('skips a check whose prerequisite was itself skipped, naming the one it needs', async () => {
    const rows = await runChecks(
      [
        check('server', async () => fail('down', 'start it')),
        check('login', async () => ok('in'), ['server']),
        check('models', async () => ok('read'), ['login']),
      ],
      { secrets: [] },
    );
    expect(rows.slice(1)).toEqual([
      { check: 'login', status: 'skipped', detail: 'needs "server"' },
      { check: 'models', status: 'skipped', detail: 'needs "login"' },
    ]);
  });

  it('fails a check that throws, with its message and the check’s own fix', async () => {
    const rows = await runChecks([check('broker', () => Promise.reject(new Error('connect ECONNREFUSED')))], {
      secrets: [],
    });
    expect(rows).toEqual([
      { check: 'broker', status: 'fail', detail: 'connect ECONNREFUSED', fix: 'fix broker' },
    ]);
  });

  it('shows the error code when a thrown error has no message (an AggregateError of a refused connect)', async () => {
    const err = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    const [row] = await runChecks([check('db', () => Promise.reject(err))], { secrets: [] });
    expect(row?.detail).toBe('ECONNREFUSED');
  });

  it('fails a check that does not answer within its time limit', async () => {
    const never: Check = { ...check('odoo', () => new Promise<Outcome>(() => undefined)), timeoutMs: 5 };
    const [row] = await runChecks([never], { secrets: [] });
    expect(row).toEqual({ check: 'odoo', status: 'fail', detail: 'no answer within 5 ms', fix: 'fix odoo' });
  });

  it('hides every secret that reached a detail or a fix', async () => {
    const [row] = await runChecks(
      [check('lms', async () => fail('token s3cr3t-token refused', 'not s3cr3t-token but pw-1234'))],
      { secrets: ['s3cr3t-token', 'pw-1234'] },
    );
    expect(row).toMatchObject({ detail: 'token *** refused', fix: 'not *** but ***' });
  });

  it('refuses a check that needs one declared after it (or not at all)', async () => {
    await expect(
      runChecks([check('b', async () => ok(''), ['a']), check('a', async () => ok(''))], { secrets: [] }),
    ).rejects.toThrow('check "b" needs "a" before it');
  });
});
