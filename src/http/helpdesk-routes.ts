// GET /admin/helpdesk/summary[?since=ISO]: what the helpdesk write-back did (behind the admin token).
import express, { type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { helpdeskSummary } from '../helpdesk';
import { isoTime, parseQuery } from './params';

const summaryQuery = z.object({ since: isoTime.optional() });

export function helpdeskRoutes(deps: { pool: Pool }): Router {
  const router = express.Router();
  router.get('/admin/helpdesk/summary', async (req, res) => {
    const { since } = parseQuery(summaryQuery, req);
    res.json(await helpdeskSummary(deps.pool, since ?? null));
  });
  return router;
}
