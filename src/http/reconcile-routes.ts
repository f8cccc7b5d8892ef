// /admin/reconciliations: start a run, list runs, read one run as JSON, CSV or an HTML page, and page
// through one cause's findings (/:id/findings[.html]?kind=…&course=…&page=…).
import express, { type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { InvalidInput } from '../lib';
import { listRuns, loadReport } from '../reconcile';
import { helpdeskSummary } from '../helpdesk';
import { renderCsv } from '../reconcile';
import { renderHtml } from '../reconcile';
import { renderJson } from '../reconcile';
import { findingsPage } from '../reconcile';
import { renderFindingsPage } from '../reconcile';
import { FINDING_KINDS } from '../reconcile';
import { type ReportLinks } from '../reconcile';
import { loadTicketRefs } from '../helpdesk';
import type { FindingRow } from '../reconcile';
import type { Reconciler } from '../reconcile';
import { isoTimeText, isValid, pageLimit, parseQuery, rowId } from './params';

const startBody = z
  .object({
    dryRun: z.boolean().optional(),
    mode: z.enum(['full', 'incremental', 'auto']).optional(),
    since: isoTimeText.optional(),
  })
  .strict();

const runsQuery = z.object({ limit: pageLimit(200, 30) });

/** One cause's findings: its kind, its course (empty: none), a page from 1. */
const groupQuery = z.object({
  kind: z.enum(FINDING_KINDS),
  course: z
    .string()
    .max(200)
    .transform((c) => (c === '' ? null : c)),
  page: pageLimit(1_000_000, 1),
});

/** `odooUrl` (ODOO_URL): the report links each finding to its order and ticket in Odoo. */
export function reconcileRoutes(deps: { pool: Pool; reconciler: Reconciler; odooUrl?: string }): Router {
  const links = async (findings: FindingRow[]): Promise<ReportLinks> => ({
    odooUrl: deps.odooUrl ?? null,
    tickets: await loadTicketRefs(deps.pool, findings),
  });
  const router = express.Router();

  router.post('/admin/reconciliations', async (req, res) => {
    const parsed = startBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '(body)',
        message: i.message,
      }));
      throw new InvalidInput('invalid_payload', 'invalid reconciliation request', 400, issues);
    }
    const { dryRun = false, mode, since } = parsed.data;
    const { runId, done } = await deps.reconciler.begin({
      mode: since ? 'incremental' : (mode ?? 'full'),
      since: since ? new Date(since) : null,
      dryRun,
      trigger: 'api',
    });
    void done; // the run goes on; its outcome is in the report
    res.status(202).json({ runId, status: 'running', report: `/admin/reconciliations/${runId}` });
  });

  router.get('/admin/reconciliations', async (req, res) => {
    const { limit } = parseQuery(runsQuery, req);
    res.json({ items: await listRuns(deps.pool, limit) });
  });

  router.get(/^\/admin\/reconciliations\/(\d+)\/findings(\.json|\.html)?$/, async (req, res) => {
    const [runId, ext] = [req.params[0] as string, (req.params[1] as string | undefined) ?? '.json'];
    const { kind, course, page } = parseQuery(groupQuery, req);
    const data = isValid(rowId, runId) ? await loadReport(deps.pool, runId, helpdeskSummary) : null;
    if (!data) {
      res.status(404).json({ error: 'not_found', message: 'no such reconciliation run' });
      return;
    }
    const p = findingsPage(data.findings, kind, course, page);
    if (ext === '.html') res.type('html').send(renderFindingsPage(data.run, p, await links(p.rows)));
    else res.json({ ...p, rows: renderJson({ ...data, findings: p.rows }).findings });
  });

  router.get(/^\/admin\/reconciliations\/(\d+)(\.json|\.csv|\.html)?$/, async (req, res) => {
    const [runId, ext] = [req.params[0] as string, (req.params[1] as string | undefined) ?? '.json'];
    const data = isValid(rowId, runId) ? await loadReport(deps.pool, runId, helpdeskSummary) : null;
    if (!data) {
      res.status(404).json({ error: 'not_found', message: 'no such reconciliation run' });
      return;
    }
    if (ext === '.csv') {
      res
        .type('text/csv')
        .set('Content-Disposition', `attachment; filename="reconciliation-${runId}.csv"`)
        .send(renderCsv(data.findings));
    } else if (ext === '.html') {
      // the page carries its own strict CSP (its one script's hash)
      res.type('html').send(renderHtml(data, await links(data.findings)));
    } else {
      res.json(renderJson(data));
    }
  });
  return router;
}
