// GET /admin/helpdesk/summary[?since=ISO]: what the helpdesk write-back did (behind the admin token).
import express, { type Router } from 'express';
import type { Pool } from 'pg';
import { InvalidInput } from '../errors';
import { helpdeskSummary } from '../helpdesk/summary';

export function helpdeskRoutes(deps: { pool: Pool }): Router {
  const router = express.Router();
  router.get('/admin/helpdesk/summary', async (req, res, next) => {
    try {
      const since = typeof req.query.since === 'string' ? new Date(req.query.since) : null;
      if (since && Number.isNaN(since.getTime()))
        throw new InvalidInput('invalid_query', 'since must be an ISO-8601 time', 400);
      res.json(await helpdeskSummary(deps.pool, since));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
