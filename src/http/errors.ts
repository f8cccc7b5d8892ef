// The one place errors become HTTP statuses. Unexpected errors are logged once, with their stack.
import type { ErrorRequestHandler } from 'express';
import { BusyError, InvalidInput } from '../lib';
import type { Logger } from '../observability';

const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && PG_UNAVAILABLE.has(e.code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
    e?.message ?? '',
  );
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const bodyParserType = (err as { type?: string }).type;
    if (bodyParserType === 'entity.too.large') {
      res.status(413).json({ error: 'payload_too_large', message: 'the body is larger than the limit' });
      return;
    }
    const status = (err as { status?: number }).status;
    if (bodyParserType && status && status >= 400 && status < 500) {
      // body-parser's own refusals (malformed JSON, unsupported charset): the client's fault, not ours
      res.status(status).json({ error: 'invalid_body', message: (err as Error).message });
      return;
    }
    if (err instanceof URIError) {
      // the router could not percent-decode a path parameter: a malformed URL, not our fault
      res.status(400).json({ error: 'invalid_path', message: 'the path is not valid percent-encoding' });
      return;
    }
    if (err instanceof InvalidInput) {
      res
        .status(err.status)
        .json({ error: err.code, message: err.message, ...(err.details ? { issues: err.details } : {}) });
      return;
    }
    if (err instanceof BusyError) {
      res.status(409).json({ error: err.code, message: err.message });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      log.error('database unavailable', { path: req.path, error: (err as Error).message });
      res
        .set('Retry-After', '5')
        .status(503)
        .json({ error: 'unavailable', message: 'storage is unavailable; retry later' });
      return;
    }
    log.error('unexpected error', { path: req.path, error: err });
    res.status(500).json({ error: 'internal', message: 'unexpected error; see the service logs' });
  };
}
