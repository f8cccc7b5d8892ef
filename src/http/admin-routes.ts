// Operations endpoints behind the ADMIN_TOKEN bearer: dead letters and one event's whole story.
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { DeadLetters } from '../queue/dead-letters';
import { loadEventStory } from './event-story';
import { eventId, flag, isValid, pageLimit, parseQuery, rowId } from './params';

/** Whether a request carries the admin bearer token (compared in constant time). */
export function adminTokenCheck(token: string): (req: Request) => boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req) => {
    const offered = Buffer.from(req.headers.authorization ?? '');
    return offered.length === expected.length && timingSafeEqual(offered, expected);
  };
}

export function requireAdmin(token: string): RequestHandler {
  const isAdmin = adminTokenCheck(token);
  return (req, res, next) => {
    if (isAdmin(req)) return next();
    res
      .set('WWW-Authenticate', 'Bearer')
      .status(401)
      .json({ error: 'unauthorized', message: 'admin bearer token required' });
  };
}

const deadLettersQuery = z.object({ all: flag, limit: pageLimit(1000, 100) });

/** The routes only: app.ts puts requireAdmin in front of everything under /admin. */
export function adminRoutes(deps: { pool: Pool; deadLetters: DeadLetters }): Router {
  const router = express.Router();

  router.get('/admin/dead-letters', async (req, res) => {
    const { all: includeReplayed, limit } = parseQuery(deadLettersQuery, req);
    res.json({ items: await deps.deadLetters.list({ includeReplayed, limit }) });
  });

  router.post('/admin/dead-letters/:id/replay', async (req, res) => {
    if (!isValid(rowId, req.params.id)) {
      res.status(404).json({ error: 'not_found', message: 'no such dead letter' });
      return;
    }
    const r = await deps.deadLetters.replay(req.params.id);
    if (r.status === 'replayed') res.status(202).json({ status: 'replayed', messageId: r.messageId });
    else if (r.status === 'not_found')
      res.status(404).json({ error: 'not_found', message: 'no such dead letter' });
    else
      res.status(409).json({ error: 'already_replayed', message: 'this dead letter was replayed already' });
  });

  router.get('/admin/events/:id', async (req, res) => {
    if (!isValid(eventId, req.params.id)) {
      res.status(404).json({ error: 'not_found', message: 'no such event' });
      return;
    }
    const story = await loadEventStory(deps.pool, req.params.id);
    if (!story) res.status(404).json({ error: 'not_found', message: 'no such event' });
    else res.json(story);
  });
  return router;
}
