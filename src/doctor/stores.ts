// The doctor's checks of PostgreSQL (server, database, migrations) and RabbitMQ (connect and close).
import type { Pool } from 'pg';
import { pendingMigrations } from '../db';
import { maskUrl, urlHost } from '../lib';
import { probeBroker } from '../queue';
import { fail, ok, warn, type Check } from './checks';
import { reasonOf } from './reason';

const PG_TIMEOUT_MS = 6000; // the pool gives up connecting after 5 s
const AMQP_TIMEOUT_MS = 5000;

const MISSING_DATABASE = '3D000';
const refusedLogin = (code: unknown) => typeof code === 'string' && code.startsWith('28');

type Connected = { up: true; version: string } | { up: false; err: unknown; code: unknown };

export function postgresChecks(pool: Pool, databaseUrl: string): Check[] {
  let answer: Promise<Connected> | undefined;
  // one query answers the first two rows: the server's version, or why it could not be asked
  const connect = () =>
    (answer ??= pool.query<{ server_version: string }>('SHOW server_version').then<Connected, Connected>(
      (r) => ({ up: true, version: r.rows[0]?.server_version.split(' ')[0] ?? '?' }),
      (err: unknown) => ({ up: false, err, code: (err as { code?: unknown }).code }),
    ));
  const host = urlHost(databaseUrl);
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || '(default)';
  return [
    {
      name: 'PostgreSQL reachable',
      timeoutMs: PG_TIMEOUT_MS,
      fix: 'start PostgreSQL, or fix the host and port in DATABASE_URL',
      async run() {
        const c = await connect();
        if (c.up) return ok(`PostgreSQL ${c.version} at ${host}`);
        if (c.code === MISSING_DATABASE || refusedLogin(c.code)) return ok(`a server answers at ${host}`);
        throw new Error(`cannot reach PostgreSQL at ${host}: ${reasonOf(c.err)}`);
      },
    },
    {
      name: 'PostgreSQL database',
      needs: ['PostgreSQL reachable'],
      timeoutMs: PG_TIMEOUT_MS,
      fix: 'check DATABASE_URL',
      async run() {
        const c = await connect();
        if (c.up) return ok(maskUrl(databaseUrl));
        if (c.code === MISSING_DATABASE)
          return fail(`database "${database}" does not exist`, 'run lms-sync migrate');
        if (refusedLogin(c.code)) return fail(reasonOf(c.err), 'fix the user or password in DATABASE_URL');
        throw c.err;
      },
    },
    {
      name: 'PostgreSQL migrations',
      needs: ['PostgreSQL database'],
      timeoutMs: PG_TIMEOUT_MS,
      fix: 'run lms-sync migrate',
      async run() {
        const pending = await pendingMigrations(pool);
        if (pending.length === 0) return ok('every migration applied');
        return warn(
          `${pending.length} pending: ${pending.join(', ')}`,
          'run lms-sync migrate (lms-sync serve also applies them at start)',
        );
      },
    },
  ];
}

export function brokerCheck(amqpUrl: string): Check {
  return {
    name: 'RabbitMQ',
    timeoutMs: AMQP_TIMEOUT_MS + 1000,
    fix: 'start RabbitMQ, or fix the host and port in AMQP_URL',
    async run() {
      try {
        return ok(`${await probeBroker(amqpUrl, AMQP_TIMEOUT_MS)} at ${maskUrl(amqpUrl)}`);
      } catch (err) {
        const reason = reasonOf(err);
        if (/ACCESS[-_]REFUSED/.test(reason))
          return fail(
            `RabbitMQ at ${urlHost(amqpUrl)} refused the login`,
            'fix the user and password in AMQP_URL',
          );
        // the broker closes the connection instead of opening it: the virtual host is missing or not the user's
        if (/NOT[-_]ALLOWED|Expected ConnectionOpenOk/.test(reason))
          return fail(
            `RabbitMQ at ${urlHost(amqpUrl)} accepted the login but would not open virtual host "${vhostOf(amqpUrl)}"`,
            'create the virtual host or give the user access to it, or fix its name in AMQP_URL',
          );
        throw new Error(`cannot reach RabbitMQ at ${urlHost(amqpUrl)}: ${reason}`);
      }
    },
  };
}

function vhostOf(url: string): string {
  const path = new URL(url).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}
