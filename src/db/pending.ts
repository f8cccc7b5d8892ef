// Which migrations a database still lacks, read without applying any (for `lms-sync doctor`).
import type { Pool } from 'pg';
import { listMigrations, MIGRATIONS_DIR } from './migrate';

export async function pendingMigrations(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const ledger = await pool.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  const done = new Set<string>();
  if (ledger.rows[0]?.exists) {
    const rows = await pool.query<{ name: string }>('SELECT name FROM schema_migrations');
    for (const r of rows.rows) done.add(r.name);
  }
  return listMigrations(dir)
    .map((m) => m.name)
    .filter((name) => !done.has(name));
}
