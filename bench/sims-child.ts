// The Odoo and LMS simulators for a benchmark, in a process of their own so the measured process's
// CPU and RSS are the service's alone. Prints `{"odooUrl","lmsUrl",...}` as one JSON line when ready,
// then answers IPC requests (LMS counts, this process's CPU time). Ends on SIGTERM or when the parent
// goes away.
//   node dist-bench/bench/sims-child.js --paid N [--missing M] [--refunded R] [--enroll]
//                                       [--db-maxconn C] [--odoo-latency MS] [--lms-fail-rate R]
import { parseArgs } from 'node:util';
import { startLmsSim } from '../src/sim/lms';
import { SEED_COURSES, startOdooSim, CATEGORY, type OdooSimStore } from '../src/sim/odoo';
import type { LmsSimState } from '../src/sim/lms';
import type { SimLoad } from '../src/sim/odoo';
import { serveIpc } from './support';

export const SIM_CREDS = { db: 'bench', username: 'svc@example.com', apiKey: 'bench-odoo-key' };
export const LMS_TOKEN = 'bench-lms-token';

export interface SimsReady {
  odooUrl: string;
  lmsUrl: string;
  /** paid order ids, in creation order */
  paidOrders: Array<{ id: number; name: string }>;
  enrollments: number;
  seedMs: number;
}

export interface LmsStats {
  creations: number;
  enrollments: number;
  duplicates: number;
  enrollCalls: number;
  requests: number;
}

/** The Odoo simulator's counters: calls served, peak concurrency, HTTP 500 PoolError answers. */
export type OdooLoad = SimLoad;

export interface CpuStats {
  userMs: number;
  systemMs: number;
}

interface SeededOrder {
  id: number;
  name: string;
  partnerId: number;
  email: string;
  course: string;
}

interface Seeded {
  paid: SeededOrder[];
  refunded: SeededOrder[];
}

/**
 * N paid orders of one course line each, three per student on three different courses (so the
 * (course, student) pairs are unique), plus R orders paid then refunded (credit note), all through the
 * store API the way Odoo records them.
 */
function seedOrders(store: OdooSimStore, paid: number, refunded: number): Seeded {
  const products = SEED_COURSES.map(([code, name, price, cat]) =>
    store.createCourseProduct(code, name, price, {
      category: cat === 'kids' ? CATEGORY.kids : CATEGORY.courses,
    }),
  );
  const out: Seeded = { paid: [], refunded: [] };
  let partnerId = 0;
  let email = '';
  for (let i = 0; i < paid + refunded; i++) {
    if (i % 3 === 0) {
      email = `student${i / 3 + 1}@example.com`;
      partnerId = store.createPartner({ name: `Student ${i / 3 + 1}`, email });
    }
    const k = i % SEED_COURSES.length;
    const orderId = store.createOrder({ partnerId, lines: [{ productId: products[k]! }] });
    const invoiceId = store.invoiceOrder(orderId);
    store.payInvoice(invoiceId);
    const row = { id: orderId, name: '', partnerId, email, course: SEED_COURSES[k]![0] };
    if (i >= paid) {
      store.refundInvoice(invoiceId);
      out.refunded.push(row);
    } else out.paid.push(row);
  }
  const names = store.read(
    'sale.order',
    [...out.paid, ...out.refunded].map((o) => o.id),
    ['name'],
  );
  const byId = new Map(names.map((r) => [r.id as number, r.name as string]));
  for (const o of [...out.paid, ...out.refunded]) o.name = byId.get(o.id) ?? '';
  return out;
}

/** Enrolls (directly in the simulator's state) every seeded order but the first `missing` paid ones. */
function enrollAll(state: LmsSimState, seeded: Seeded, missing: number): number {
  const orders = [...seeded.paid.slice(missing), ...seeded.refunded];
  for (const o of orders) {
    state.enrollments.upsert(
      o.course,
      `odoo-partner-${o.partnerId}`,
      { email: o.email, fullName: 'Student' },
      { orderId: o.id, orderName: o.name },
    );
  }
  return orders.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      paid: { type: 'string', default: '0' },
      missing: { type: 'string', default: '0' },
      refunded: { type: 'string', default: '0' },
      enroll: { type: 'boolean', default: false },
      // Odoo's pool is unlimited unless asked: the other benchmarks measure the service, not Odoo's limits
      'db-maxconn': { type: 'string', default: '0' },
      'odoo-latency': { type: 'string', default: '0' },
      // the share of LMS calls answered 503 before anything is done (the simulator's failRate)
      'lms-fail-rate': { type: 'string', default: '0' },
    },
  });
  const t0 = performance.now();
  const odoo = await startOdooSim({
    port: 0,
    ...SIM_CREDS,
    helpdeskFlavor: 'oca',
    dbMaxConn: Number(values['db-maxconn']),
    latencyMs: Number(values['odoo-latency']),
  });
  const seeded = seedOrders(odoo.store, Number(values.paid), Number(values.refunded));
  const lms = await startLmsSim({
    port: 0,
    apiToken: LMS_TOKEN,
    failRate: Number(values['lms-fail-rate']),
    courses: SEED_COURSES.map(([courseCode, title]) => ({ courseCode, title })),
  });
  const enrollments = values.enroll ? enrollAll(lms.state, seeded, Number(values.missing)) : 0;
  const ready: SimsReady = {
    odooUrl: odoo.url,
    lmsUrl: lms.url,
    paidOrders: seeded.paid.map(({ id, name }) => ({ id, name })),
    enrollments,
    seedMs: Math.round(performance.now() - t0),
  };
  let cpuFrom = process.cpuUsage();
  serveIpc({
    lmsStats: (): LmsStats => ({
      creations: lms.state.createdCount,
      enrollments: lms.state.enrollments.size,
      duplicates: lms.state.duplicates().length,
      enrollCalls: lms.state.enrollCalls,
      requests: lms.state.requestCount,
    }),
    odooLoad: (): OdooLoad => odoo.load(),
    resetOdooLoad: () => {
      odoo.resetLoad();
      return true;
    },
    resetCpu: () => {
      cpuFrom = process.cpuUsage();
      return true;
    },
    cpu: (): CpuStats => {
      const u = process.cpuUsage(cpuFrom);
      return { userMs: u.user / 1000, systemMs: u.system / 1000 };
    },
  });
  process.stdout.write(JSON.stringify(ready) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
