// A reconciliation ends, with its reason, against sources that never do: an Odoo (or a caching proxy)
// answering the same page of orders again, an LMS whose cursor goes round in circles, and a run past
// RECONCILE_MAX_DURATION_MINUTES.
import { createRestLmsAdapter } from '../../../src/lms/rest-adapter';
import { silentLogger } from '../../../src/observability/logger';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { createOdooOrderLines } from '../../../src/reconcile/odoo-order-lines';
import { createRunStore } from '../../../src/reconcile/run-store';
import { createReconciler } from '../../../src/reconcile/run';
import { startLmsSim, type RunningLmsSim } from '../../../src/sim/lms';
import { startOdooSim } from '../../../src/sim/odoo';
import { createTestDb, type TestDb } from '../../support/db';
import type { RunningOdooSim } from '../../support/harness';
import { odooCall, startHostileServer, type HostileServer } from '../../support/hostile-server';
import { makeCourse, makeStudent, paidOrder } from '../../support/orders';

jest.setTimeout(60_000);

const log = silentLogger();
const PAGE = 10;
let db: TestDb;
let odoo: RunningOdooSim;
let lms: RunningLmsSim;
let hostileOdoo: HostileServer;
let hostileLms: HostileServer;
const closers: Array<() => void> = [];

beforeAll(async () => {
  db = await createTestDb();
  odoo = await startOdooSim({ port: 0, db: 'odoo', username: 'svc', apiKey: 'odoo-key', seed: 3, orders: 0 });
  lms = await startLmsSim({ port: 0, apiToken: 'lms-token' });
  hostileOdoo = await startHostileServer(odoo.url);
  hostileLms = await startHostileServer(lms.url);
  const course = makeCourse(odoo, 'LOOP-1');
  for (let i = 0; i < PAGE + 2; i++) paidOrder(odoo, makeStudent(odoo), [course]);
});
afterEach(() => {
  hostileOdoo.answer(null);
  hostileLms.answer(null);
});
afterAll(async () => {
  for (const close of closers) close();
  await hostileOdoo.close();
  await hostileLms.close();
  await odoo.close();
  await lms.close();
  await db.drop();
});

/** A reconciler reading both sides through the hostile servers; `maxDurationMs` bounds every test. */
function reconciler(options: { maxDurationMs?: number; now?: () => number } = {}) {
  const transport = createXmlRpcTransport({
    url: hostileOdoo.url,
    db: 'odoo',
    username: 'svc',
    apiKey: 'odoo-key',
  });
  const lmsAdapter = createRestLmsAdapter({
    baseUrl: hostileLms.url,
    apiToken: 'lms-token',
    timeoutMs: 2000,
    log,
  });
  closers.push(
    () => transport.close(),
    () => lmsAdapter.close(),
  );
  return createReconciler({
    pool: db.pool,
    runs: createRunStore(db.pool),
    orderLines: createOdooOrderLines({ transport, log, courseCategory: 'Courses' }),
    lms: lmsAdapter,
    log,
    policy: {
      maxRepairRatio: 0.2,
      minRepairsToBrake: 10,
      unpaidPolicy: 'report',
      pageSize: PAGE,
      maxDurationMs: options.maxDurationMs ?? 20_000,
    },
    now: options.now,
  });
}

async function storedRun(runId: string) {
  const { rows } = await db.pool.query<{ status: string; error: string | null }>(
    'SELECT status, error FROM reconcile_runs WHERE id = $1',
    [runId],
  );
  return rows[0];
}

it('fails the run when Odoo answers the same page of orders again', async () => {
  let firstPage: string | undefined;
  hostileOdoo.answer(async (req, relay) => {
    const { model, method } = odooCall(req);
    if (model !== 'sale.order' || method !== 'search_read') return undefined;
    firstPage ??= (await relay()).body;
    return { body: firstPage };
  });
  const outcome = await reconciler().run({ mode: 'full', dryRun: true, trigger: 'cli' });
  expect(outcome.status).toBe('failed');
  expect(outcome.error).toMatch(
    /^Odoo answered the sale\.order page after id \d+ with id \d+, which is not past it \(a server or proxy repeating a page\): the run stops$/,
  );
  expect(await storedRun(outcome.runId)).toEqual({ status: 'failed', error: outcome.error });
  expect(hostileOdoo.seen.filter((r) => odooCall(r).method === 'search_read').length).toBe(2);
});

it('fails the run when the LMS hands out a cursor it gave before', async () => {
  hostileLms.answer((req) =>
    req.url.startsWith('/api/v1/enrollments')
      ? { contentType: 'application/json', body: JSON.stringify({ items: [], nextCursor: 'same-again' }) }
      : undefined,
  );
  const outcome = await reconciler().run({ mode: 'full', dryRun: true, trigger: 'cli' });
  expect(outcome).toMatchObject({
    status: 'failed',
    error:
      'the LMS answered enrollment page 2 with a next cursor it had given before (a server or proxy repeating a page): the run stops',
  });
  expect(hostileLms.seen.filter((r) => r.url.startsWith('/api/v1/enrollments'))).toHaveLength(2);
});

it('fails a run still reading after RECONCILE_MAX_DURATION_MINUTES', async () => {
  let minutes = 0;
  const clock = () => (minutes += 10) * 60_000; // ten minutes pass between two looks at the clock
  const outcome = await reconciler({ maxDurationMs: 30 * 60_000, now: clock }).run({
    mode: 'full',
    dryRun: true,
    trigger: 'cli',
  });
  expect(outcome).toMatchObject({
    status: 'failed',
    error: 'the run was still going after 30 minutes (RECONCILE_MAX_DURATION_MINUTES): it stops',
  });
});

it('finishes a run whose sources end, within the limit', async () => {
  const outcome = await reconciler().run({ mode: 'full', dryRun: true, trigger: 'cli' });
  // held, not failed: the LMS here lists nobody, so the brake keeps the twelve repairs for a person
  expect(outcome).toMatchObject({ status: 'held', error: null });
});
