// POST /webhooks/odoo: content type → size → signature → JSON → schema → one commit → answer.
// The busiest path of the service, so it is one handler on the app (no router of its own, no body
// parser: raw-body.ts reads the signed bytes) and its answers are written directly (sendJson).
import type { RequestHandler, Response } from 'express';
import { InvalidInput } from '../lib';
import type { Logger } from '../observability';
import type { Metrics } from '../observability';
import type { StoreDelivery } from './intake';
import { readRawBody, unsupportedEncoding } from './raw-body';
import { describeIssues, webhookEvent } from './schemas';
import { verify } from './signature';

export const WEBHOOK_PATH = '/webhooks/odoo';

export interface WebhookRouteDeps {
  secrets: readonly string[];
  storeDelivery: StoreDelivery;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  now?: () => number;
}

function header(
  req: { headers: Record<string, string | string[] | undefined> },
  name: string,
): string | undefined {
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

/** A JSON answer without Express's send machinery (no ETag, freshness or charset look-ups to make). */
function sendJson(res: Response, status: number, body: object, extra?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The handler of `POST /webhooks/odoo` (mount it at WEBHOOK_PATH). */
export function webhookHandler(deps: WebhookRouteDeps): RequestHandler {
  const { secrets, storeDelivery, log, metrics, maxBodyBytes } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const count = (outcome: string) => metrics.webhookOutcomes.inc({ outcome });

  return async (req, res, next) => {
    try {
      if (!req.is('application/json')) {
        count('unsupported_media_type');
        sendJson(res, 415, {
          error: 'unsupported_media_type',
          message: 'Content-Type must be application/json',
        });
        return;
      }
      const encoding = unsupportedEncoding(req);
      if (encoding !== undefined) {
        count('unsupported_media_type');
        sendJson(res, 415, {
          error: 'unsupported_media_type',
          message: `Content-Encoding ${encoding} is not accepted: the body must be sent as signed, uncompressed`,
        });
        return;
      }
      let raw: Buffer;
      try {
        raw = await readRawBody(req, maxBodyBytes);
      } catch (err) {
        if (err instanceof InvalidInput && err.status === 413) {
          count('invalid');
          // the rest of an oversize body is not worth reading: the connection closes after the answer
          res.setHeader('connection', 'close');
        }
        throw err;
      }
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
        sendJson(res, 401, { error: 'invalid_signature', reason: check.reason });
        return;
      }
      const parsed = webhookEvent.safeParse(parseJson(raw));
      if (!parsed.success) {
        count('invalid');
        sendJson(res, 400, { error: 'invalid_payload', issues: describeIssues(parsed.error) });
        return;
      }
      const outcome = await storeDelivery(webhookId as string, parsed.data, raw);
      count(outcome.status);
      switch (outcome.status) {
        case 'accepted':
          log.info('webhook accepted', {
            webhookId,
            type: parsed.data.type,
            orderId: parsed.data.data.orderId,
            eventId: outcome.eventId,
          });
          sendJson(res, 202, { eventId: outcome.eventId, status: 'accepted' });
          return;
        case 'duplicate':
          sendJson(res, 200, { eventId: outcome.eventId, status: 'duplicate' });
          return;
        case 'conflict':
          log.warn('webhook-id reused with a different body', {
            webhookId,
            type: parsed.data.type,
            orderId: parsed.data.data.orderId,
          });
          sendJson(res, 422, {
            error: 'idempotency_conflict',
            message: 'this webhook-id was already used with a different body',
            eventId: outcome.eventId,
          });
          return;
        case 'in_flight':
          sendJson(
            res,
            409,
            {
              error: 'delivery_in_progress',
              message: 'a delivery with this webhook-id is being stored; retry shortly',
            },
            { 'retry-after': '1' },
          );
          return;
      }
    } catch (err) {
      if (err instanceof InvalidInput && err.code === 'invalid_json') count('invalid');
      next(err);
    }
  };
}
