// A fresh database per test file, cloned from the run's migrated template.
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { adminUrl, databaseUrl, templateName } from './env';

export interface TestDb {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId)
    throw new Error('TEST_RUN_ID missing: run the tests through jest (globalSetup makes the template)');
  const name = `lms_sync_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName(runId)}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = new Pool({ connectionString: url, max: 10 });
  // Dropping the database (WITH FORCE) ends whatever connection is still open: not a test failure.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const a = new Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Polls until `check` returns a truthy value or the deadline passes (never a bare sleep). */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 15000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until every message the outbox ever queued has been consumed (done, retried to the end or dead). */
export function outboxDrained(pool: Pool, timeoutMs = 30_000): Promise<boolean> {
  return waitFor(
    async () =>
      (
        await pool.query(
          'SELECT 1 FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM consumed_messages c WHERE c.message_id = o.message_id) LIMIT 1',
        )
      ).rowCount === 0,
    'every queued message consumed',
    timeoutMs,
  );
}
