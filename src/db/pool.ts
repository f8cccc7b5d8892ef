import { Pool } from 'pg';
import type { Logger } from '../observability';

export function createPool(databaseUrl: string, log: Logger, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // A client losing its connection (PostgreSQL restart, failover) must not crash the process: idle
  // clients report on the pool; checked-out ones on themselves, and their next query fails and is handled.
  pool.on('error', (err) => log.warn('postgres idle client error', { error: err.message }));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn('postgres connection lost', { error: err.message }));
  });
  return pool;
}
