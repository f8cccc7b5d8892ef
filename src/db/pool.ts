import { Pool } from 'pg';
import type { Logger } from '../observability/logger';

export function createPool(databaseUrl: string, log: Logger, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => log.warn('postgres idle client error', { error: err.message }));
  return pool;
}
