// What an operator sees when lms-sync cannot start: one line naming the variable or the host (never a
// password), no stack, and the exit code of the README's table. Real processes, real PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:net';
import { Client } from 'pg';
import { runCli, validEnv } from '../../support/cli';
import { adminUrl, databaseUrl } from '../../support/env';

const closedPort = 'postgres://svc:pg-secret@127.0.0.1:1/lms_sync';

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack
  return lines[0] ?? '';
}

describe('PostgreSQL unreachable', () => {
  it.each([[['migrate']], [['serve']], [['dlq', 'list']], [['dlq', 'replay', '1']], [['reconcile']]])(
    'lms-sync %j says so in one line naming DATABASE_URL, exit 69',
    async (args: string[]) => {
      const r = await runCli(args, validEnv({ DATABASE_URL: closedPort, PORT: '0' }));
      const line = oneLine(r.stderr);
      expect(line).toBe(
        'lms-sync: cannot reach PostgreSQL at postgres://svc@127.0.0.1:1/lms_sync (DATABASE_URL): connection refused (is it running, and on that port?)',
      );
      expect(r.stderr).not.toContain('pg-secret');
      expect(r.code).toBe(69);
    },
  );
});

describe('a database that does not exist yet', () => {
  const name = `lms_sync_test_${process.env.TEST_RUN_ID}_cli_${randomBytes(3).toString('hex')}`;
  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('serve refuses in one line and points at migrate; migrate creates it, then it is up to date', async () => {
    const env = validEnv({ DATABASE_URL: databaseUrl(name), PORT: '0' });
    const serve = await runCli(['serve'], env);
    expect(oneLine(serve.stderr)).toMatch(
      /the database does not exist: run `lms-sync migrate`, which creates it$/,
    );
    expect(serve.code).toBe(69);

    const first = await runCli(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(new RegExp(`^created database ${name}\napplied: 001_spine.sql, `));
    expect(first.code).toBe(0);

    const second = await runCli(['migrate'], env);
    expect(second.stdout).toBe('database is up to date\n');
    expect(second.code).toBe(0);
  });
});

describe('the port is taken', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('serve says which address and variables, exit 69', async () => {
    const name = `lms_sync_test_${process.env.TEST_RUN_ID}_port_${randomBytes(3).toString('hex')}`;
    const env = validEnv({ DATABASE_URL: databaseUrl(name), PORT: String(port), HOST: '127.0.0.1' });
    try {
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const r = await runCli(['serve'], env);
      expect(oneLine(r.stderr)).toBe(
        `lms-sync: cannot listen at 127.0.0.1:${port} (PORT/HOST): address already in use (another process listens there; stop it or choose another PORT)`,
      );
      expect(r.code).toBe(69);
    } finally {
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('usage errors: one line, exit 64', () => {
  it.each([
    [
      ['sim', 'lms', '--port', '0', '--fail-rate', 'abc'],
      /--fail-rate must be a number from 0 to 1 \(got "abc"\)/,
    ],
    [['sim', 'lms', '--port', '0', '--fail-rate', '1.5'], /--fail-rate must be a number from 0 to 1/],
    [['sim', 'odoo', '--port', '0', '--flavor', 'bogus'], /Allowed choices are oca, enterprise, none/],
    [['sim', 'odoo', '--port', '70000'], /--port must be 0\.\.65535/],
    [['sim', 'odoo', '--port', '0', '--orders', '2e3'], /--orders must be a whole number/],
    [['reconcile', '--since', 'yesterday'], /--since must be an ISO-8601 time/],
    [['reconcile', '--full', '--since', '2026-01-01T00:00:00Z'], /use either --full or --since, not both/],
    [['serve', '--role', 'api,cook'], /unknown role cook/],
    [['dlq', 'replay', 'abc'], /id must be a dead letter id/],
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['bogus'], /unknown command 'bogus'/],
  ])('lms-sync %j', async (args, message) => {
    // a configuration that points nowhere: a usage error must be found before anything is reached
    const r = await runCli(args, validEnv({ DATABASE_URL: closedPort }));
    expect(oneLine(r.stderr)).toMatch(message);
    expect(r.stderr).toMatch(/^lms-sync: /);
    expect(r.code).toBe(64);
  });
});

describe('configuration errors: one line, exit 78', () => {
  it('a missing variable', async () => {
    const env = validEnv();
    delete env.AMQP_URL;
    const r = await runCli(['migrate'], env);
    expect(oneLine(r.stderr)).toBe('lms-sync: configuration error: AMQP_URL is missing');
    expect(r.code).toBe(78);
  });

  it.each([
    ['DATABASE_URL', 'postgres://svc:pg-secret@', 'DATABASE_URL is invalid: not a URL'],
    [
      'DATABASE_URL',
      'mysql://svc:pg-secret@db/x',
      'DATABASE_URL is invalid: must be a URL starting with postgres:// or postgresql://',
    ],
    ['AMQP_URL', 'not a url', 'AMQP_URL is invalid: not a URL'],
    ['AMQP_URL', 'http://127.0.0.1', 'AMQP_URL is invalid: must be a URL starting with amqp:// or amqps://'],
    ['PORT', 'abc', 'PORT is invalid: must be a number (got "abc")'],
    ['ODOO_MAX_CONCURRENCY', '2.5', 'ODOO_MAX_CONCURRENCY is invalid: must be a whole number (got "2.5")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL is invalid: must be one of error, warn, info, debug (got "loud")'],
    [
      'ADMIN_TOKEN',
      'replace-with-a-long-random-token',
      "ADMIN_TOKEN is invalid: still .env.example's placeholder; set a value of your own",
    ],
  ])('%s=%j: one line in words, no stack, exit 78', async (name, value, message) => {
    const r = await runCli(['migrate'], validEnv({ [name]: value }));
    expect(oneLine(r.stderr)).toBe(`lms-sync: configuration error: ${message}`);
    expect(r.stderr).not.toMatch(/NaN|TypeError|pg-secret/);
    expect(r.code).toBe(78);
  });
});

describe('.env and --env-file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const asFile = (env: Record<string, string>) =>
    Object.entries(env)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n');

  it('.env in the working directory configures the command; the environment wins over it', async () => {
    const { PATH: _path, ...all } = validEnv({ AMQP_URL: 'http://not-amqp' });
    writeFileSync(path.join(dir, '.env'), asFile(all));
    // everything from the file: its wrong AMQP_URL is what stops the command
    const fromFile = await runCli(['migrate'], {}, { cwd: dir });
    expect(oneLine(fromFile.stderr)).toBe(
      'lms-sync: configuration error: AMQP_URL is invalid: must be a URL starting with amqp:// or amqps://',
    );
    // the environment's own AMQP_URL wins, and the file's DATABASE_URL is used: one line about it
    const winner = await runCli(
      ['serve'],
      { AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672', DATABASE_URL: closedPort },
      { cwd: dir },
    );
    expect(oneLine(winner.stderr)).toMatch(
      /^lms-sync: cannot reach PostgreSQL at postgres:\/\/svc@127\.0\.0\.1:1\/lms_sync \(DATABASE_URL\)/,
    );
    expect(winner.code).toBe(69);
  });

  it('--env-file reads the file named instead of .env, before or after the command', async () => {
    writeFileSync(path.join(dir, '.env'), 'AMQP_URL=http://from-dotenv\n');
    const { PATH: _path, ...all } = validEnv({ LOG_LEVEL: 'chatty' });
    writeFileSync(path.join(dir, 'other.env'), asFile(all));
    for (const args of [
      ['--env-file', 'other.env', 'migrate'],
      ['migrate', '--env-file', 'other.env'],
    ]) {
      const r = await runCli(args, {}, { cwd: dir });
      expect([args, oneLine(r.stderr)]).toEqual([
        args,
        'lms-sync: configuration error: LOG_LEVEL is invalid: must be one of error, warn, info, debug (got "chatty")',
      ]);
    }
  });

  it('--env-file naming no file: one line naming it, a failing exit', async () => {
    const r = await runCli(['--env-file', 'nowhere.env', 'migrate'], {}, { cwd: dir });
    // Node 20 itself checks a --env-file anywhere in its arguments, before lms-sync runs (exit 9);
    // later Node versions leave it to lms-sync (exit 78)
    expect(oneLine(r.stderr)).toMatch(
      /^(lms-sync: configuration error: --env-file nowhere\.env: no such file|\S*node: nowhere\.env: not found)$/,
    );
    expect([9, 78]).toContain(r.code);
  });
});

describe('--version and --help', () => {
  it('--version and -V print the package version, exit 0', async () => {
    const { version } = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'),
    ) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], {});
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.code).toBe(0);
    }
  });

  it('every command and subcommand has a description; serve names its four roles', async () => {
    const seen: string[] = [];
    const walk = async (path: string[]) => {
      const r = await runCli([...path, '--help'], {});
      expect(r.code).toBe(0);
      const section = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(r.stdout)?.[1];
      if (!section) return;
      for (const line of section.split('\n')) {
        const m = /^ {2}(\S+)(?: \[options\]| <[^>]+>| \[[^\]]+\])*(?: {2,}(.*))?$/.exec(line);
        const name = m?.[1];
        if (!name || name === 'help') continue;
        const command = [...path, name].join(' ');
        seen.push(command);
        expect({ command, description: (m?.[2] ?? '').trim() }).toEqual({
          command,
          description: expect.stringMatching(/\w{3,}/),
        });
        await walk([...path, name]);
      }
    };
    await walk([]);
    expect(seen).toEqual(
      expect.arrayContaining([
        'serve',
        'migrate',
        'dlq list',
        'dlq replay',
        'reconcile',
        'sim odoo',
        'sim lms',
        'sim moodle',
      ]),
    );
    const serve = await runCli(['serve', '--help'], {});
    for (const role of ['api', 'relay', 'consumer', 'scheduler']) expect(serve.stdout).toContain(role);
  }, 120_000);
});
