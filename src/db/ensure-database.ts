// `lms-sync migrate` on a server without the service's database creates it, as the operator's first
// step; `serve` does not (a typo in DATABASE_URL must not start a new, empty database in production).
import { Client } from 'pg';
import { errorCode } from '../lib';

export type EnsureOutcome = 'exists' | 'created';

export class CannotCreateDatabase extends Error {
  constructor(
    readonly database: string,
    readonly host: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `database "${database}" does not exist and could not be created (${reason}): create it with \`createdb -h ${host} ${database}\` or as a user with CREATEDB, then run lms-sync migrate again`,
      options,
    );
    this.name = 'CannotCreateDatabase';
  }
}

/** The database named in `databaseUrl`, created through the server's `postgres` maintenance database when missing. */
export async function ensureDatabase(databaseUrl: string): Promise<EnsureOutcome> {
  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!database) throw new CannotCreateDatabase('(none)', target.hostname, 'DATABASE_URL names no database');
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
      return 'created';
    } catch (err) {
      if (errorCode(err) === '42P04') return 'exists'; // another replica created it meanwhile
      const reason = errorCode(err) === '42501' ? 'permission denied' : (err as Error).message;
      throw new CannotCreateDatabase(database, target.hostname, reason, { cause: err });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
