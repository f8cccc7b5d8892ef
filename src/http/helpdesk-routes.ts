// GET /admin/helpdesk/summary[?since=ISO&until=ISO]: what the helpdesk write-back did, and the sync-health
// figures of the README's metric dictionary (behind the admin token).
import express, { type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { helpdeskSummary } from '../helpdesk';
import { isoTime, parseQuery } from './params';

/** The per-day series has one row a day: a window is at most a year (and a leap day). */
const MAX_WINDOW_DAYS = 366;

const summaryQuery = z
  .object({ since: isoTime.optional(), until: isoTime.optional() })
  .superRefine(({ since, until }, ctx) => {
    const end = until ?? new Date();
    if (since && since >= end)
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: `must be before until (${end.toISOString()})`,
      });
    else if (since && end.getTime() - since.getTime() > MAX_WINDOW_DAYS * 24 * 3600 * 1000)
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: `the window may span at most ${MAX_WINDOW_DAYS} days`,
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
