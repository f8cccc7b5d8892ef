// The database connection pool of a threaded Odoo server (db_maxconn, 64 by default). Every RPC holds a
// connection while it runs; one that finds them all taken fails before it touches the database, and the
// server answers HTTP 500 with an HTML page whose traceback ends in psycopg2's PoolError.

export const DEFAULT_DB_MAXCONN = 64;

export interface SimLoad {
  /** calls that got a connection and were answered (or are being answered) */
  calls: number;
  /** calls being served right now */
  inFlight: number;
  /** the most calls that asked for a connection at the same moment, the refused one included */
  peakInFlight: number;
  /** HTTP 500 "The Connection Pool Is Full" answers */
  poolFullAnswers: number;
  /** calls answered, by `model.method` (an execute_kw) or RPC method: what a test counts reads by */
  byMethod: Record<string, number>;
}

export interface SimDbPool {
  /** true and one connection taken, or false when the pool is full (the refusal is counted) */
  borrow(): boolean;
  release(): void;
  /** counts an answered call under its name */
  record(name: string): void;
  load(): SimLoad;
  /** zeroes the counters (not the connections in use), for a bench stage or a test step */
  resetLoad(): void;
}

/** maxconn 0 means unlimited: a simulator that never refuses, for tests about other things. */
export function createSimDbPool(maxconn: number): SimDbPool {
  let inUse = 0;
  let calls = 0;
  let peak = 0;
  let refused = 0;
  let byMethod = new Map<string, number>();
  return {
    borrow() {
      peak = Math.max(peak, inUse + 1);
      if (maxconn > 0 && inUse >= maxconn) {
        refused++;
        return false;
      }
      inUse++;
      calls++;
      return true;
    },
    release() {
      inUse = Math.max(0, inUse - 1);
    },
    record(name) {
      byMethod.set(name, (byMethod.get(name) ?? 0) + 1);
    },
    load: () => ({
      calls,
      inFlight: inUse,
      peakInFlight: peak,
      poolFullAnswers: refused,
      byMethod: Object.fromEntries(byMethod),
    }),
    resetLoad() {
      calls = 0;
      refused = 0;
      byMethod = new Map();
      peak = inUse;
    },
  };
}

const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2189, in __call__',
  '    response = request._serve_db()',
  '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 1757, in _serve_db',
  '    cr_readwrite = self.registry.cursor()',
  '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 746, in cursor',
  '    return Cursor(self.__pool, self.__dbname, self.__dsn)',
  '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 267, in __init__',
  '    self._cnx = pool.borrow(dsn)',
  '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 671, in borrow',
  "    raise PoolError('The Connection Pool Is Full')",
  'psycopg2.pool.PoolError: The Connection Pool Is Full',
].join('\n');

/** The body of the HTTP 500 a full pool gives: werkzeug's error page with the traceback in it. */
export const POOL_FULL_PAGE = [
  '<!doctype html>',
  '<html lang=en>',
  '<title>500 Internal Server Error</title>',
  '<h1>Internal Server Error</h1>',
  '<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>',
  `<pre>${TRACEBACK}</pre>`,
  '',
].join('\n');
