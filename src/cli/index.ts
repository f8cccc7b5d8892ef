// The lms-sync command line, thin: parse arguments, call into the capabilities.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Pool } from 'pg';
import {
  LMS_ADAPTERS,
  loadConfig,
  loadEnvFile,
  loadSimConfig,
  type Config,
  type LmsAdapterName,
} from '../config';
import { createPool, ensureDatabase, migrate } from '../db';
import { errorCode, installProcessGuard, isConnectionFailure, unavailable } from '../lib';
import { createLogger, type Logger } from '../observability';
import { createDeadLetters } from '../queue';
import { ROLES, startService, type Role } from '../service';
import { EXIT } from './exit-codes';
import { describeFailure, UsageError } from './failures';

// commander passes an option's value as the first argument and the previous value as the second: these
// parsers take only the first, so `parseFloat`'s radix-like second argument can never sneak in.
const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`${name} must be a whole number (got "${v.slice(0, 40)}")`);
  return n;
};
const port = (v: string) => {
  const n = int('--port')(v);
  if (n > 65535) throw new InvalidArgumentError(`--port must be 0..65535 (got ${n})`);
  return n;
};
const share = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`${name} must be a number from 0 to 1 (got "${v.slice(0, 40)}")`);
  return n;
};

function parseRoles(v: string): Role[] {
  const roles = v.split(',').map((r) => r.trim());
  for (const r of roles)
    if (!(ROLES as readonly string[]).includes(r))
      throw new InvalidArgumentError(`unknown role ${r}; use ${ROLES.join(',')}`);
  return roles as Role[];
}

/** Runs `fn`; what stops it prints one line (a stack only for the unexpected) and sets the exit code. */
async function run(fn: () => Promise<number | void>): Promise<void> {
  try {
    const code = await fn();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    const failure = describeFailure(err);
    process.stderr.write(`lms-sync: ${failure.line}\n`);
    process.exitCode = failure.code;
  }
}

/** A pool for a one-off command; failing to reach PostgreSQL is one line naming DATABASE_URL. */
async function withPool<T>(config: Config, fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(config.DATABASE_URL, createLogger(config.LOG_LEVEL), 2);
  try {
    return await fn(pool);
  } catch (err) {
    throw isConnectionFailure(err)
      ? unavailable('PostgreSQL', 'DATABASE_URL', config.DATABASE_URL, err)
      : err;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

function version(): string {
  // src/cli and dist/cli both sit two levels below the package
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** On SIGINT/SIGTERM: says so (a JSON log line through `log` when there is one), stops, exits 0. */
function onSignals(stop: () => Promise<void>, log?: Logger): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (log) log.info('shutting down', { signal });
    else process.stderr.write(`lms-sync: ${signal} received, shutting down\n`);
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

const program = new Command('lms-sync')
  .description('Keeps Odoo and the LMS in step')
  .version(version(), '-V, --version', 'print the version')
  .option(
    '--env-file <path>',
    'read settings from this dotenv file (default: .env in the working directory, when there is one); variables already in the environment win',
  )
  // before any command runs: its settings may come from the file
  .hook('preAction', () => {
    loadEnvFile(program.opts<{ envFile?: string }>().envFile);
  })
  // usage errors: one line, exit 64; help and --version asked for: exit 0
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(`lms-sync: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
  });

program
  .command('serve')
  .description(
    'run the service: api (webhooks, admin, /metrics), relay (outbox to RabbitMQ), consumer (enrollments into the LMS) and scheduler (nightly reconciliation, helpdesk SLA); all four by default',
  )
  .option('--role <roles>', `comma-separated roles to run here: ${ROLES.join(',')}`, parseRoles)
  .action((opts: { role?: Role[] }) =>
    run(async () => {
      const config = loadConfig();
      const log = createLogger(config.LOG_LEVEL);
      installProcessGuard({ log });
      // signals are handled from the start: one during start-up stops the service once it is up
      const service = startService(config, { log, roles: opts.role });
      onSignals(async () => (await service.catch(() => null))?.stop(), log);
      await service;
      await new Promise(() => undefined);
    }),
  );

program
  .command('migrate')
  .description(
    'create the database when it is missing, then apply its migrations (serve applies them too, but never creates the database)',
  )
  .action(() =>
    run(async () => {
      const config = loadConfig();
      const r = await withPool(config, async (pool) => {
        try {
          return await migrate(pool);
        } catch (err) {
          if (errorCode(err) !== '3D000') throw err;
          const outcome = await ensureDatabase(config.DATABASE_URL).catch((e: unknown) => {
            throw isConnectionFailure(e)
              ? unavailable('PostgreSQL', 'DATABASE_URL', config.DATABASE_URL, e)
              : e;
          });
          if (outcome === 'created')
            process.stdout.write(`created database ${new URL(config.DATABASE_URL).pathname.slice(1)}\n`);
          return migrate(pool);
        }
      });
      process.stdout.write(
        r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'database is up to date\n',
      );
    }),
  );

const dlq = program.command('dlq').description('dead letters: list and replay');
dlq
  .command('list')
  .description('list the open dead letters: id, state, order, reason code and reason')
  .option('--all', 'include replayed ones')
  .option('--json', 'print JSON')
  .action((opts: { all?: boolean; json?: boolean }) =>
    run(async () => {
      const config = loadConfig();
      await withPool(config, async (pool) => {
        const items = await createDeadLetters(pool).list({ includeReplayed: opts.all ?? false, limit: 1000 });
        if (opts.json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        else if (items.length === 0) process.stdout.write('no dead letters\n');
        else
          for (const d of items) {
            const state = d.replayed_at ? 'replayed' : 'open';
            process.stdout.write(
              `${d.id}\t${state}\t${d.payload.orderName}\t${d.reason_code}\t${d.reason}\n`,
            );
          }
      });
    }),
  );
dlq
  .command('replay <id>')
  .description('send a dead letter through the queue again (exit 1 when not found or already replayed)')
  .action((id: string) =>
    run(async () => {
      if (!/^\d+$/.test(id)) throw new UsageError('id must be a dead letter id (a number, see dlq list)');
      const config = loadConfig();
      return withPool(config, async (pool) => {
        const r = await createDeadLetters(pool).replay(id);
        process.stdout.write(
          r.status === 'replayed'
            ? `replayed as message ${r.messageId}\n`
            : `${r.status.replace('_', ' ')}\n`,
        );
        return r.status === 'replayed' ? EXIT.ok : EXIT.attention;
      });
    }),
  );

program
  .command('doctor')
  .description(
    'check PostgreSQL, RabbitMQ, Odoo and the LMS and print what is fine and what to fix (exit 0 all fine, 1 a check failed)',
  )
  .option('--json', 'print the checks as JSON on stdout')
  .action((opts: { json?: boolean }) =>
    run(async () => {
      const config = loadConfig();
      const { runDoctorCli } = await import('./doctor');
      return runDoctorCli(config, { json: opts.json ?? false });
    }),
  );

program
  .command('reconcile')
  .description(
    'compare paid orders in Odoo with LMS enrollments, repair and report (exit 0 clean, 1 findings left or repairs held, 2 the run failed)',
  )
  .option('--dry-run', 'find and report only: no repair, no healing, no ticket')
  .option('--json', 'print the report as JSON on stdout')
  .option(
    '--full',
    'read every order (default: incremental since the last good run; full when none in 7 days)',
  )
  .option(
    '--backfill',
    'lift the safety brake for this run only: the first run against an LMS that lacks the enrollments',
  )
  .option('--since <iso>', 'incremental from this ISO-8601 time', (v: string) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v))
      throw new InvalidArgumentError('--since must be an ISO-8601 time');
    return d;
  })
  .action((opts: { dryRun?: boolean; json?: boolean; full?: boolean; since?: Date; backfill?: boolean }) =>
    run(async () => {
      if (opts.full && opts.since) throw new UsageError('use either --full or --since, not both');
      const config = loadConfig();
      const { runReconcileCli } = await import('./reconcile');
      return runReconcileCli(config, {
        dryRun: opts.dryRun ?? false,
        json: opts.json ?? false,
        full: opts.full ?? false,
        since: opts.since ?? null,
        backfill: opts.backfill ?? false,
      });
    }),
  );

program
  .command('demo')
  .description('a real end-to-end run on local PostgreSQL and RabbitMQ with the bundled simulators')
  .option('--orders <n>', 'paid orders to send', int('--orders'), 300)
  .addOption(
    new Option('--lms <adapter>', 'the LMS adapter to run with, against its simulator')
      .choices([...LMS_ADAPTERS])
      .default('rest'),
  )
  .action((opts: { orders: number; lms: LmsAdapterName }) =>
    run(async () => (await import('../demo')).runDemo({ orders: opts.orders, lms: opts.lms })),
  );

/** The port a simulator listens on: --port, else the port of the URL the service calls it on, else `fallback`. */
function simPort(flag: number | undefined, url: string | undefined, fallback: number): number {
  if (flag !== undefined) return flag;
  if (!url) return fallback;
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

/** A simulator started by hand: says where it listens, then serves until SIGINT/SIGTERM. */
function runSimulator(
  start: (env: ReturnType<typeof loadSimConfig>) => Promise<{ url: string; close(): Promise<void> }>,
  banner: (url: string, env: ReturnType<typeof loadSimConfig>) => string,
): Promise<void> {
  return run(async () => {
    const env = loadSimConfig();
    const sim = await start(env);
    process.stderr.write(`${banner(sim.url, env)}\n`);
    onSignals(() => sim.close());
    await new Promise<never>(() => undefined);
  });
}

interface OdooSimCliOptions {
  port?: number;
  host: string;
  seed: number;
  orders: number;
  learners?: boolean;
  flavor: 'oca' | 'enterprise' | 'none';
  dbMaxconn: number;
  latency: number;
  dataQualityProblems?: boolean;
}

const sim = program
  .command('sim')
  .description('the bundled Odoo and LMS simulators, to try the service without either');
sim
  .command('odoo')
  .description('an Odoo 17 simulator (XML-RPC) seeded with customers, course products and paid orders')
  .option('--port <port>', 'port to listen on (default: the port of ODOO_URL, else 8069)', port)
  .option(
    '--host <address>',
    'address to listen on (0.0.0.0: reachable from other hosts or containers)',
    '127.0.0.1',
  )
  .option('--seed <n>', 'random seed for the generated data', int('--seed'), 1)
  .option('--orders <n>', 'orders to generate', int('--orders'), 200)
  .option('--learners', 'also seed parents buying for children and schools buying seats')
  .addOption(
    new Option('--flavor <flavor>', 'helpdesk flavor installed')
      .choices(['oca', 'enterprise', 'none'])
      .default('oca'),
  )
  .option(
    '--db-maxconn <n>',
    "database connections, as Odoo's db_maxconn (0 = unlimited)",
    int('--db-maxconn'),
    64,
  )
  .option('--latency <ms>', 'added latency per call (it holds a connection meanwhile)', int('--latency'), 0)
  .option(
    '--data-quality-problems',
    'also seed the data the reconciliation data-quality checks find (learners without email, shared emails, …)',
  )
  .action((opts: OdooSimCliOptions) =>
    runSimulator(
      async (env) =>
        (await import('../sim/odoo')).startOdooSim({
          port: simPort(opts.port, env.ODOO_URL, 8069),
          host: opts.host,
          seed: opts.seed,
          orders: opts.orders,
          seedLearners: opts.learners ?? false,
          db: env.ODOO_DB,
          username: env.ODOO_USERNAME,
          apiKey: env.ODOO_API_KEY,
          helpdeskFlavor: opts.flavor,
          dbMaxConn: opts.dbMaxconn,
          latencyMs: opts.latency,
          dataQualityProblems: opts.dataQualityProblems ?? false,
        }),
      (url, env) =>
        `Odoo simulator on ${url} (db ${env.ODOO_DB}, user ${env.ODOO_USERNAME}, db_maxconn ${opts.dbMaxconn || 'unlimited'})`,
    ),
  );
interface LmsSimCliOptions {
  port?: number;
  host: string;
  failRate: number;
  latency: number;
}

/** An LMS simulator's command: where it listens, and how flaky and slow it is. */
function lmsSimCommand(
  name: string,
  description: string,
  portSetting: string,
  fallbackPort: number,
): Command {
  return sim
    .command(name)
    .description(description)
    .option(
      '--port <port>',
      `port to listen on (default: the port of ${portSetting}, else ${fallbackPort})`,
      port,
    )
    .option(
      '--host <address>',
      'address to listen on (0.0.0.0: reachable from other hosts or containers)',
      '127.0.0.1',
    )
    .option('--fail-rate <r>', 'share of calls answered 503 (0..1)', share('--fail-rate'), 0)
    .option('--latency <ms>', 'added latency per call', int('--latency'), 0);
}

lmsSimCommand(
  'lms',
  'an LMS simulator speaking the REST contract (courses, students, enrollments)',
  'LMS_BASE_URL',
  8080,
).action((opts: LmsSimCliOptions) =>
  runSimulator(
    async (env) =>
      (await import('../sim/lms')).startLmsSim({
        port: simPort(opts.port, env.LMS_BASE_URL, 8080),
        host: opts.host,
        apiToken: env.LMS_API_TOKEN,
        failRate: opts.failRate,
        latencyMs: opts.latency,
      }),
    (url) => `LMS simulator on ${url} (fail rate ${opts.failRate})`,
  ),
);

lmsSimCommand(
  'moodle',
  "a Moodle simulator speaking Moodle's REST web services (the functions the moodle adapter calls)",
  'MOODLE_URL',
  8081,
).action((opts: LmsSimCliOptions) =>
  runSimulator(
    async (env) =>
      (await import('../sim/moodle')).startMoodleSim({
        port: simPort(opts.port, env.MOODLE_URL, 8081),
        host: opts.host,
        token: env.MOODLE_TOKEN,
        failRate: opts.failRate,
        latencyMs: opts.latency,
      }),
    (url) =>
      `Moodle simulator on ${url} (REST server ${url}/webservice/rest/server.php, fail rate ${opts.failRate})`,
  ),
);

program.parseAsync(process.argv).catch((err: unknown) => {
  // commander has printed its own line already (configureOutput above)
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  else {
    const failure = describeFailure(err);
    process.stderr.write(`lms-sync: ${failure.line}\n`);
    process.exitCode = failure.code;
  }
});
