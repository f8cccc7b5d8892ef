// Operations endpoints behind the ADMIN_TOKEN (a bearer, or a browser's Basic login for reads): dead
// letters and one event's whole story.
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { DeadLetters } from '../queue';
import { loadEventStory } from './event-story';
import { eventId, flag, isValid, pageLimit, parseQuery, rowId } from './params';

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** The password of an HTTP Basic header (any user name), or null when the header is not Basic. */
function basicPassword(header: string): Buffer | null {
  const m = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64');
  const colon = decoded.indexOf(0x3a);
  return colon < 0 ? null : decoded.subarray(colon + 1);
}

/**
 * Whether a request carries the admin token (compared in constant time): as `Authorization: Bearer`,
 * or, for reads only, as the password of HTTP Basic. A browser replays Basic credentials on its own,
 * so a page elsewhere could make it POST here; reads change nothing, writes still need the bearer.
 */
export function adminTokenCheck(token: string): (req: Request) => boolean {
  const bearer = Buffer.from(`Bearer ${token}`);
  const password = Buffer.from(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    if (sameBytes(Buffer.from(header), bearer)) return true;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const offered = basicPassword(header);
    return offered !== null && sameBytes(offered, password);
  };
}

/** A browser opening a page (it asks for HTML) gets the Basic challenge, so it shows its login box. */
const wantsPage = (req: Request) => /\btext\/html\b/i.test(req.headers.accept ?? '');

export function requireAdmin(token: string): RequestHandler {
  const isAdmin = adminTokenCheck(token);
  return (req, res, next) => {
    if (isAdmin(req)) return next();
    res
      .set('WWW-Authenticate', wantsPage(req) ? 'Basic realm="lms-sync admin", charset="UTF-8"' : 'Bearer')
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
