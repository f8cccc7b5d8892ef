// `lms-sync demo`: a real end-to-end run on the local PostgreSQL and RabbitMQ with the bundled
// simulators, ending with a report. Exit code 0 when every paid order was enrolled exactly once.
import type { Pool } from 'pg';
import { startService, type Service } from '../service';
import { createLogger } from '../observability';
import { startOdooSim } from '../sim/odoo';
import type { LmsAdapterName } from '../config';
import { startSimulatedLms } from '../sim/any-lms';
import { DEMO_SECRET, deleteQueues, demoConfig, demoUrls, recreateDatabase } from './environment';
import { demoOrders, type DemoOrder } from './odoo-facts';
import { breakThings, reconcileAndReport } from './reconcile-phase';
import { printReport, type TrafficCounts } from './report';
import { delivery, post, postAll, type Answer } from './traffic';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function runDemo(options: { orders: number; lms?: LmsAdapterName }): Promise<number> {
  const urls = demoUrls(process.env);
  say(
    `Preparing: database ${new URL(urls.databaseUrl).pathname.slice(1)} (recreated), RabbitMQ at ${new URL(urls.amqpUrl).host}`,
  );
  await recreateDatabase(urls);
  const odoo = await startOdooSim({
    port: 0,
    db: 'demo',
    username: 'lms-sync@example.com',
    apiKey: 'demo-odoo-api-key',
    seed: 42,
    orders: Math.ceil(options.orders / 0.72),
  });
  const lms = await startSimulatedLms(options.lms ?? 'rest', { odoo, failRate: 0.2, seed: 42 });
  const config = demoConfig(urls, odoo.url, lms.settings);
  const service = await startService(config, { log: createLogger(config.LOG_LEVEL) });
  say(
    `Odoo simulator ${odoo.url}, ${lms.adapter} LMS simulator (failing 20% of calls), service http://127.0.0.1:${service.port}`,
  );
  try {
    // One paid order whose student has no email: it needs a person, and must say so.
    const noEmail = odoo.store.createPartner({ name: 'Student Without Email', email: false });
    const course = odoo.store.search('product.product', [['default_code', '=', 'DS-101']])[0] as number;
    const orderId = odoo.store.createOrder({ partnerId: noEmail, lines: [{ productId: course }] });
    odoo.store.payInvoice(odoo.store.invoiceOrder(orderId));

    const orders = demoOrders(odoo.store);
    // Act 1: the real-time path. Five paid orders' webhooks are "never sent" (Odoo's 1 s, no-retry hook).
    const paidWithCourse = orders.filter((o) => o.status === 'paid' && o.courseCodes.length > 0);
    const neverSent = paidWithCourse.filter((o) => o.hasEmail).slice(-5);
    const skip = new Set(neverSent.map((o) => o.orderId));
    const traffic = await sendTraffic(`http://127.0.0.1:${service.port}`, orders, skip);
    say(`Sent ${traffic.sent} webhooks; waiting for the queue to drain…`);
    await waitForDrain(service.pool, traffic.eventIds, 120_000);
    // Act 2: things break behind the service's back; the reconciliation finds, repairs and reports them.
    const sentPaid = paidWithCourse.filter((o) => !skip.has(o.orderId));
    const broken = breakThings(odoo, lms, sentPaid, neverSent);
    say(
      `Broke on purpose: ${broken.deleted.length} enrollments deleted in the LMS, ${neverSent.length} webhooks never sent, ` +
        `an unmapped course (${broken.unmappedOrder}), a refund (${broken.refundedOrder})`,
    );
    const recon = await reconcileAndReport(service, () => waitForOutbox(service.pool, 120_000), say);
    return await printReport({
      pool: service.pool,
      metrics: service.metrics,
      lms,
      orders: demoOrders(odoo.store),
      traffic,
      recon,
      say,
    });
  } finally {
    await stopAll(service, [odoo.close, lms.close]);
    await deleteQueues(config).catch(() => undefined);
  }
}

async function sendTraffic(baseUrl: string, orders: DemoOrder[], skip: Set<number>): Promise<TrafficCounts> {
  const paid = orders.filter((o) => o.status === 'paid' && o.courseCodes.length > 0 && !skip.has(o.orderId));
  const unpaid = orders.find((o) => o.status === 'unpaid' && o.courseCodes.length > 0);
  const first = delivery('order.paid', { orderId: paid[0]?.orderId, orderName: paid[0]?.name });
  const paidDeliveries = [
    first,
    ...paid.slice(1).map((o) => delivery('order.paid', { orderId: o.orderId, orderName: o.name })),
  ];
  const answers: Answer[] = await postAll(baseUrl, DEMO_SECRET, paidDeliveries);
  // Odoo's webhook has a 1 s timeout and no retry: resends of the same delivery happen.
  const resends = await postAll(baseUrl, DEMO_SECRET, paidDeliveries.slice(0, 25));
  // Ops double-clicks Retry Enrollment: two deliveries, one business action.
  const requestedBy = { userId: 2, name: 'Ops Agent' };
  const retryData = { orderId: paid[1]?.orderId, orderName: paid[1]?.name, requestedBy };
  const doubleClick = await Promise.all(
    [0, 1].map(() => post(baseUrl, DEMO_SECRET, delivery('enrollment.retry_requested', retryData))),
  );
  // A retry on an unpaid order: accepted, enrolls nobody, says why on the order.
  const unpaidRetry = unpaid
    ? [
        await post(
          baseUrl,
          DEMO_SECRET,
          delivery('enrollment.retry_requested', {
            orderId: unpaid.orderId,
            orderName: unpaid.name,
            requestedBy,
          }),
        ),
      ]
    : [];
  // The same webhook-id with a different body is refused (422), never processed.
  const reused = await post(
    baseUrl,
    DEMO_SECRET,
    delivery('order.paid', { orderId: 999999, orderName: 'S-FORGED' }, first.id),
  );
  // Refunds, some of a course the same customer paid for again in another order: that one stays enrolled.
  const refunds = await postAll(
    baseUrl,
    DEMO_SECRET,
    orders
      .filter((o) => o.status === 'refunded')
      .map((o) => delivery('order.refunded', { orderId: o.orderId, orderName: o.name })),
  );
  const all = [...answers, ...refunds, ...resends, ...doubleClick, ...unpaidRetry, reused];
  const count = (status: number) => all.filter((a) => a.status === status).length;
  const eventIds = [
    ...new Set(all.filter((a) => a.status === 202 && a.eventId).map((a) => a.eventId as string)),
  ];
  return {
    sent: all.length,
    accepted: count(202),
    duplicates: count(200),
    conflicts: count(422),
    other: all.length - count(202) - count(200) - count(422),
    eventIds,
    unpaidRetryEventId: unpaidRetry[0]?.eventId ?? null,
  };
}

async function waitForDrain(pool: Pool, eventIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(DISTINCT event_id)::int AS n FROM consumed_messages WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    );
    if ((rows[0]?.n ?? 0) >= eventIds.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `the queue did not drain within ${timeoutMs / 1000} s (${rows[0]?.n}/${eventIds.length})`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every message in the outbox consumed (the reconciliation's repairs included). */
async function waitForOutbox(pool: Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM consumed_messages c WHERE c.message_id = o.message_id)`,
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`the repairs did not drain within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll(service: Service, closers: Array<() => Promise<void>>): Promise<void> {
  await service.stop();
  for (const close of closers) await close().catch(() => undefined);
}
