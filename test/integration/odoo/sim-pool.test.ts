// A default Odoo 17 (threaded, db_maxconn 64) answers HTTP 500 "The Connection Pool Is Full" to the calls
// above its pool and recovers when the load drops: the simulator must do the same.
import http from 'node:http';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'p'.repeat(40) };
const VERSION_CALL =
  '<?xml version="1.0"?><methodCall><methodName>version</methodName><params/></methodCall>';

/** One POST on its own socket, so that concurrent calls really are concurrent connections. */
function post(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/xmlrpc/2/common`, { method: 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(VERSION_CALL);
  });
}

describe('Odoo simulator: the database connection pool', () => {
  let sim: OdooSim;
  beforeAll(async () => {
    // a long latency keeps the first calls holding their connections while the others arrive
    sim = await startOdooSim({ port: 0, ...CREDS, dbMaxConn: 4, latencyMs: 2000 });
  });
  afterAll(() => sim.close());

  it('answers HTTP 500 PoolError above db_maxconn concurrent calls, counts them, and recovers', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(sim.url)));
    const refused = answers.filter((a) => a.status === 500);
    const served = answers.filter((a) => a.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThanOrEqual(4);
    for (const a of refused) {
      expect(a.body).toContain('<title>500 Internal Server Error</title>');
      expect(a.body).toMatch(/psycopg2\.pool\.PoolError: The Connection Pool Is Full<\/pre>/);
    }
    expect(sim.load()).toMatchObject({
      poolFullAnswers: refused.length,
      calls: served.length,
      inFlight: 0,
      peakInFlight: 5, // four served, and one more asking at each refusal
    });

    sim.resetLoad();
    expect((await post(sim.url)).status).toBe(200);
    expect(sim.load()).toMatchObject({ poolFullAnswers: 0, calls: 1, peakInFlight: 1 });
  });

  it('never refuses with db_maxconn 0', async () => {
    const unlimited = await startOdooSim({ port: 0, ...CREDS, dbMaxConn: 0, latencyMs: 500 });
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(unlimited.url)));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(unlimited.load()).toMatchObject({ poolFullAnswers: 0, calls: 10 });
    } finally {
      await unlimited.close();
    }
  });
});
