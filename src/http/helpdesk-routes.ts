// GET /admin/helpdesk/summary[?since=ISO&until=ISO]: what the helpdesk write-back did, and the sync-health
// figures of the README's metric dictionary (behind the admin token).
import express, { type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { helpdeskSummary } from '../helpdesk';
import { isoTime, parseQuery } from './params';

const summaryQuery = z
  .object({ since: isoTime.optional(), until: isoTime.optional() })
  .superRefine(({ since, until }, ctx) => {
    // zod runs this even when a field failed: only compare two valid times
    const end = until ?? new Date();
    if (!(since instanceof Date) || !(end instanceof Date)) return;
    if (since >= end)
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: `must be before until (${end.toISOString()})`,
      });
  });

export function helpdeskRoutes(deps: { pool: Pool }): Router {
  const router = express.Router();
  router.get('/admin/helpdesk/summary', async (req, res) => {
    const { since, until } = parseQuery(summaryQuery, req);
    res.json(await helpdeskSummary(deps.pool, since ?? null, until ?? new Date()));
  });
  return router;
}
