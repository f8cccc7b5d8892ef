// Once per test run: a migrated template database; each integration test file clones it
// (CREATE DATABASE … TEMPLATE …) so files never share state. Fails fast with a clear line when
// PostgreSQL is not reachable.
import { Client, Pool } from 'pg';
import { migrate } from '../../src/db/migrate';
import { adminUrl, databaseUrl, templateName } from './env';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.TEST_RUN_ID = runId;
  const admin = new Client({ connectionString: adminUrl() });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl()}: ${(err as Error).message}. Start it (see README).`,
    );
  }
  const template = templateName(runId);
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const pool = new Pool({ connectionString: databaseUrl(template), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
