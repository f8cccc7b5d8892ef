// The demo's second act: break a few things on purpose, let a reconciliation find, repair and report
// them, and show a second run recording the repairs as healed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Service } from '../service';
import { studentIdForPartner } from '../lms';
import { loadReport } from '../reconcile';
import { helpdeskSummary } from '../helpdesk';
import { renderHtml } from '../reconcile';
import type { RunOutcome } from '../reconcile';
import type { SimulatedLms } from '../sim/any-lms';
import type { OdooSim } from '../sim/odoo';
import type { DemoOrder } from './odoo-facts';

export interface Breakage {
  deleted: string[];
  neverSent: DemoOrder[];
  unmappedOrder: string;
  refundedOrder: string;
}

/** Deletes enrollments by hand, adds an order with a course the LMS lacks, refunds an enrolled order. */
export function breakThings(
  odoo: OdooSim,
  lms: SimulatedLms,
  sentPaid: DemoOrder[],
  neverSent: DemoOrder[],
): Breakage {
  const deleted: string[] = [];
  for (const o of sentPaid.filter((x) => x.hasEmail).slice(10, 13)) {
    const code = o.courseCodes[0] as string;
    if (lms.deleteEnrollment(code, studentIdForPartner(o.partnerId))) deleted.push(`${o.name}/${code}`);
  }
  const product = odoo.store.createCourseProduct('AI-900', 'AI Fundamentals (not in the LMS yet)', 3_000_000);
  const partner = odoo.store.createPartner({ name: 'Early Adopter', email: 'early.adopter@example.com' });
  const unmapped = odoo.store.createOrder({ partnerId: partner, lines: [{ productId: product }] });
  odoo.store.payInvoice(odoo.store.invoiceOrder(unmapped));
  const refunded = sentPaid.filter((x) => x.hasEmail)[20] as DemoOrder;
  const invoiceId = odoo.store.read('sale.order', [refunded.orderId], ['invoice_ids'])[0]
    ?.invoice_ids as number[];
  odoo.store.refundInvoice(invoiceId[0] as number);
  const [unmappedRow] = odoo.store.read('sale.order', [unmapped], ['name']);
  return { deleted, neverSent, unmappedOrder: String(unmappedRow?.name), refundedOrder: refunded.name };
}

export async function reconcileAndReport(
  service: Service,
  waitForDrain: () => Promise<void>,
  say: (line: string) => void,
): Promise<{ first: RunOutcome; second: RunOutcome; reportPath: string }> {
  const first = await service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'demo' });
  say(
    `Reconciliation ${first.runId}: ${first.status}, ${first.findings} findings, ${first.repairsQueued} repairs queued`,
  );
  await waitForDrain();
  const second = await service.reconciler.run({ mode: 'full', dryRun: false, trigger: 'demo' });
  await service.helpdesk.worker.drainNow(); // carry the ticket writes to Odoo before reporting
  const data = await loadReport(service.pool, second.runId, helpdeskSummary);
  const dir = path.resolve('reports');
  mkdirSync(dir, { recursive: true });
  const reportPath = path.join(dir, `reconciliation-${second.runId}.html`);
  if (data) writeFileSync(reportPath, renderHtml(data));
  const firstReport = await loadReport(service.pool, first.runId, helpdeskSummary);
  if (firstReport)
    writeFileSync(path.join(dir, `reconciliation-${first.runId}.html`), renderHtml(firstReport));
  say(
    `Reconciliation ${second.runId}: ${second.status}, ${second.findings} findings left (for a person), ${data?.run.healed ?? 0} healed since the first run`,
  );
  return { first, second, reportPath };
}
