// POST /webhooks/odoo: content type → size → signature → JSON → schema → one commit → answer.
import express, { type Request, type Router } from 'express';
import { InvalidInput } from '../lib';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import type { StoreDelivery } from './intake';
import { describeIssues, webhookEvent } from './schemas';
import { verify } from './signature';

export interface WebhookRouteDeps {
  secrets: readonly string[];
  storeDelivery: StoreDelivery;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  now?: () => number;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidInput('invalid_json', 'the body is not valid JSON', 400);
  }
}

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const { secrets, storeDelivery, log, metrics } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const router = express.Router();
  const count = (outcome: string) => metrics.webhookOutcomes.inc({ outcome });

  router.post(
    '/webhooks/odoo',
    (req, res, next) => {
      if (!req.is('application/json')) {
        count('unsupported_media_type');
        res
          .status(415)
          .json({ error: 'unsupported_media_type', message: 'Content-Type must be application/json' });
        return;
      }
      next();
    },
    express.raw({ type: () => true, limit: deps.maxBodyBytes }),
    async (req, res, next) => {
      try {
        const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const webhookId = header(req, 'webhook-id');
        const check = verify(
          secrets,
          {
            id: webhookId,
            timestamp: header(req, 'webhook-timestamp'),
            signature: header(req, 'webhook-signature'),
          },
          raw,
          now(),
        );
        if (!check.ok) {
          count('unauthorized');
          log.warn('webhook refused', { reason: check.reason, webhookId });
          res.status(401).json({ error: 'invalid_signature', reason: check.reason });
          return;
        }
        const parsed = webhookEvent.safeParse(parseJson(raw));
        if (!parsed.success) {
          count('invalid');
          res.status(400).json({ error: 'invalid_payload', issues: describeIssues(parsed.error) });
          return;
        }
        const outcome = await storeDelivery(webhookId as string, parsed.data, raw);
        count(outcome.status);
        const ctx = { webhookId, type: parsed.data.type, orderId: parsed.data.data.orderId };
        switch (outcome.status) {
          case 'accepted':
            log.info('webhook accepted', { ...ctx, eventId: outcome.eventId });
            res.status(202).json({ eventId: outcome.eventId, status: 'accepted' });
            return;
          case 'duplicate':
            res.status(200).json({ eventId: outcome.eventId, status: 'duplicate' });
            return;
          case 'conflict':
            log.warn('webhook-id reused with a different body', ctx);
            res.status(422).json({
              error: 'idempotency_conflict',
              message: 'this webhook-id was already used with a different body',
              eventId: outcome.eventId,
            });
            return;
          case 'in_flight':
            res.set('Retry-After', '1').status(409).json({
              error: 'delivery_in_progress',
              message: 'a delivery with this webhook-id is being stored; retry shortly',
            });
            return;
        }
      } catch (err) {
        if (err instanceof InvalidInput) count('invalid');
        next(err);
      }
    },
  );
  return router;
}
