// The lms-sync command line, thin: parse arguments, call into the capabilities.
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, loadSimConfig } from '../config';
import { createPool } from '../db';
import { migrate } from '../db';
import { installProcessGuard } from '../lib';
import { createLogger } from '../observability';
import { createDeadLetters } from '../queue';
import { ROLES, startService, type Role } from '../service';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

function parseRoles(v: string): Role[] {
  const roles = v.split(',').map((r) => r.trim());
  for (const r of roles)
    if (!(ROLES as readonly string[]).includes(r))
      throw new InvalidArgumentError(`unknown role ${r}; use ${ROLES.join(',')}`);
  return roles as Role[];
}

/** Runs `fn`; a configuration error prints one line and exits 2. */
async function run(fn: () => Promise<number | void>): Promise<void> {
  try {
    const code = await fn();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    process.stderr.write(
      `lms-sync: ${err instanceof ConfigError || err instanceof InvalidArgumentError ? err.message : ((err as Error).stack ?? String(err))}\n`,
    );
    process.exitCode = 2;
  }
}

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`lms-sync: ${signal} received, shutting down\n`);
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

const program = new Command('lms-sync').description('Keeps Odoo and the LMS in step').showHelpAfterError();

program
  .command('serve')
  .description('run the API, outbox relay and consumer (all by default)')
  .option('--role <roles>', `comma-separated roles: ${ROLES.join(',')}`, parseRoles)
  .action((opts: { role?: Role[] }) =>
    run(async () => {
      const config = loadConfig();
      const log = createLogger(config.LOG_LEVEL);
      installProcessGuard({ log });
      const service = await startService(config, { log, roles: opts.role });
      onSignals(() => service.stop());
      await new Promise(() => undefined);
    }),
  );

program
  .command('migrate')
  .description('apply database migrations (also done at start)')
  .action(() =>
    run(async () => {
      const config = loadConfig();
      const log = createLogger(config.LOG_LEVEL);
      const pool = createPool(config.DATABASE_URL, log, 2);
      try {
        const r = await migrate(pool);
        process.stdout.write(
          r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'database is up to date\n',
        );
      } finally {
        await pool.end();
      }
    }),
  );

const dlq = program.command('dlq').description('dead letters: list and replay');
dlq
  .command('list')
  .option('--all', 'include replayed ones')
  .option('--json', 'print JSON')
  .action((opts: { all?: boolean; json?: boolean }) =>
    run(async () => {
      const config = loadConfig();
      const pool = createPool(config.DATABASE_URL, createLogger(config.LOG_LEVEL), 2);
      try {
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
      } finally {
        await pool.end();
      }
    }),
  );
dlq
  .command('replay <id>')
  .description('send a dead letter through the queue again')
  .action((id: string) =>
    run(async () => {
      const config = loadConfig();
      const pool = createPool(config.DATABASE_URL, createLogger(config.LOG_LEVEL), 2);
      try {
        if (!/^\d+$/.test(id)) throw new InvalidArgumentError('id must be a dead letter id (a number)');
        const r = await createDeadLetters(pool).replay(id);
        process.stdout.write(
          r.status === 'replayed'
            ? `replayed as message ${r.messageId}\n`
            : `${r.status.replace('_', ' ')}\n`,
        );
        return r.status === 'replayed' ? 0 : 1;
      } finally {
        await pool.end();
      }
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
    'compare paid orders in Odoo with LMS enrollments, repair and report (exit 0 clean, 1 findings left, 2 failed)',
  )
  .option('--dry-run', 'find and report only: no repair, no healing, no ticket')
  .option('--json', 'print the report as JSON on stdout')
  .option(
    '--full',
    'read every order (default: incremental since the last good run; full when none in 7 days)',
  )
  .option('--since <iso>', 'incremental from this ISO-8601 time', (v: string) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v))
      throw new InvalidArgumentError('--since must be an ISO-8601 time');
    return d;
  })
  .action((opts: { dryRun?: boolean; json?: boolean; full?: boolean; since?: Date }) =>
    run(async () => {
      if (opts.full && opts.since) throw new InvalidArgumentError('use either --full or --since, not both');
      const config = loadConfig();
      const { runReconcileCli } = await import('./reconcile');
      return runReconcileCli(config, {
        dryRun: opts.dryRun ?? false,
        json: opts.json ?? false,
        full: opts.full ?? false,
        since: opts.since ?? null,
      });
    }),
  );

program
  .command('demo')
  .description('a real end-to-end run on local PostgreSQL and RabbitMQ with the bundled simulators')
  .option('--orders <n>', 'paid orders to send', int('--orders'), 300)
  .action((opts: { orders: number }) =>
    run(async () => (await import('../demo')).runDemo({ orders: opts.orders })),
  );

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
  port: number;
  seed: number;
  orders: number;
  flavor: 'oca' | 'enterprise' | 'none';
  dbMaxconn: number;
  latency: number;
}

const sim = program.command('sim').description('the bundled Odoo and LMS simulators');
sim
  .command('odoo')
  .requiredOption('--port <port>', 'port to listen on', int('--port'))
  .option('--seed <n>', 'random seed for the generated data', int('--seed'), 1)
  .option('--orders <n>', 'orders to generate', int('--orders'), 200)
  .option('--flavor <flavor>', 'helpdesk flavor: oca, enterprise or none', 'oca')
  .option(
    '--db-maxconn <n>',
    "database connections, as Odoo's db_maxconn (0 = unlimited)",
    int('--db-maxconn'),
    64,
  )
  .option('--latency <ms>', 'added latency per call (it holds a connection meanwhile)', int('--latency'), 0)
  .action((opts: OdooSimCliOptions) =>
    runSimulator(
      async (env) =>
        (await import('../sim/odoo')).startOdooSim({
          port: opts.port,
          seed: opts.seed,
          orders: opts.orders,
          db: env.ODOO_DB,
          username: env.ODOO_USERNAME,
          apiKey: env.ODOO_API_KEY,
          helpdeskFlavor: opts.flavor,
          dbMaxConn: opts.dbMaxconn,
          latencyMs: opts.latency,
        }),
      (url, env) =>
        `Odoo simulator on ${url} (db ${env.ODOO_DB}, user ${env.ODOO_USERNAME}, db_maxconn ${opts.dbMaxconn || 'unlimited'})`,
    ),
  );
sim
  .command('lms')
  .requiredOption('--port <port>', 'port to listen on', int('--port'))
  .option('--fail-rate <r>', 'share of calls answered 503 (0..1)', parseFloat, 0)
  .option('--latency <ms>', 'added latency per call', int('--latency'), 0)
  .action((opts: { port: number; failRate: number; latency: number }) =>
    runSimulator(
      async (env) =>
        (await import('../sim/lms')).startLmsSim({
          port: opts.port,
          apiToken: env.LMS_API_TOKEN,
          failRate: opts.failRate,
          latencyMs: opts.latency,
        }),
      (url) => `LMS simulator on ${url} (fail rate ${opts.failRate})`,
    ),
  );

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`lms-sync: ${err.message}\n`);
  process.exitCode = 2;
});
