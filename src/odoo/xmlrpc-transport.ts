// OdooTransport over XML-RPC (/xmlrpc/2, Odoo ≤ 18, deprecated in 19): one authenticate per process (uid
// cached), keep-alive sockets, a timeout per call, retries only where a repeat cannot do harm twice
// (call-failure.ts says which), and a limit on concurrent calls that shrinks while Odoo is overloaded.
// HTTP and the codec are hand-written rather than the `xmlrpc` package: see xmlrpc-codec.ts for why.

import http from 'node:http';
import https from 'node:https';
import { backoffDelay } from '../lib';
import { PermanentError, TransientError } from '../lib';
import { createConcurrencyLimiter, type CallOutcome, type ConcurrencyLimiter } from '../lib';
import { sleep } from '../lib';
import { urlHost } from '../lib';
import type { Logger } from '../observability';
import { classify, ConnectionFailure, httpStatusError, isOverload, resendable } from './call-failure';
import { OdooFault } from './faults';
import { hasUserinfo } from './links';
import { decodeReply, encodeCall } from './xmlrpc-codec';
import type { OdooTransport } from './transport';

export interface XmlRpcTransportOptions {
  url: string;
  db: string;
  username: string;
  apiKey: string;
  /** per call, default 30 s (Odoo's own real-time limit is 120 s) */
  timeoutMs?: number;
  log?: Logger;
  /** waits before each further try of a resendable call (a longer Retry-After wins) */
  retryDelaysMs?: number[];
  /** concurrent calls allowed (default 4); ignored when `limiter` is given */
  maxConcurrency?: number;
  /** a limiter shared with other transports of the process */
  limiter?: ConcurrencyLimiter;
  /** a reply larger than this is refused while it streams in (default 64 MiB) */
  maxResponseBytes?: number;
  /**
   * once aborted (the service stopping), no call goes out any more: not one waiting for a slot, not a
   * retry, not a batch flushed late. Each is refused as transient, so its message is redelivered.
   */
  stopSignal?: AbortSignal;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A reply past ODOO_MAX_RESPONSE_BYTES: the same call would bring the same reply, so it is not retried. */
export class OdooReplyTooLarge extends PermanentError {
  constructor(what: string, limit: number) {
    super(
      'odoo_reply_too_large',
      `Odoo answered ${what} with more than ${limit} bytes (ODOO_MAX_RESPONSE_BYTES); the reply was dropped`,
    );
  }
}

/** A Retry-After longer than this is not waited out inside a call: the caller's retry takes over. */
const MAX_RETRY_AFTER_MS = 30_000;
const DEFAULT_MAX_CONCURRENCY = 4;

// Reads can be repeated whatever happened to the first attempt.
const READ_METHODS = new Set(['search', 'search_read', 'read', 'search_count', 'fields_get', 'name_search']);

export function createXmlRpcTransport(options: XmlRpcTransportOptions): OdooTransport & { close(): void } {
  const base = options.url.replace(/\/+$/, '');
  const endpoint = urlHost(options.url);
  const agent = base.startsWith('https:')
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const delays = options.retryDelaysMs ?? [200, 1000, 3000];
  const limiter =
    options.limiter ?? createConcurrencyLimiter({ max: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY });
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  /** One call in one slot of the limiter; how it went tells the limiter whether Odoo is struggling. */
  async function rawCall(path: string, method: string, params: unknown[], what: string): Promise<unknown> {
    const slot = await limiter.acquire();
    let outcome: CallOutcome = 'neutral';
    try {
      if (options.stopSignal?.aborted)
        throw new TransientError('shutting_down', `not calling Odoo (${what}): the service is stopping`);
      const value = await send(path, method, params, what);
      outcome = 'ok';
      return value;
    } catch (err) {
      if (err instanceof OdooFault) outcome = 'ok';
      else if (err instanceof ConnectionFailure && isOverload(err.failure)) outcome = 'overload';
      throw err;
    } finally {
      slot.release(outcome);
    }
  }

  function send(path: string, method: string, params: unknown[], what: string): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const post = { agent, signal: controller.signal, maxBytes, what };
    return postXml(`${base}${path}`, encodeCall(method, params), post)
      .then((xml) => {
        const reply = decodeReply(xml);
        if (!reply.ok) throw new OdooFault(reply.fault.faultCode, String(reply.fault.faultString), what);
        return reply.value;
      })
      .catch((err: unknown) => {
        if (err instanceof OdooReplyTooLarge) throw err;
        if (controller.signal.aborted)
          throw new ConnectionFailure(
            `Odoo did not answer ${what} within ${timeoutMs} ms`,
            { kind: 'timeout' },
            err,
          );
        throw classify(err, what, endpoint);
      })
      .finally(() => clearTimeout(timer));
  }

  async function withRetry<T>(what: string, isRead: boolean, fn: () => Promise<T>) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof ConnectionFailure)) throw err;
        const asked = err.failure.kind === 'http' ? err.failure.retryAfterMs : undefined;
        const delay = backoffDelay({ ladderMs: delays }, attempt, { retryAfterMs: asked });
        if (delay === undefined || !resendable(err.failure, isRead)) throw err;
        if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) throw err;
        // Odoo's request to wait holds for every call of the process, not only this one
        if (asked !== undefined) limiter.pauseFor(asked);
        options.log?.warn('odoo call failed, retrying', {
          call: what,
          attempt: attempt + 1,
          error: err.message,
        });
        await sleep(delay);
      }
    }
  }

  let uidPromise: Promise<number> | undefined;
  function uid(): Promise<number> {
    // concurrent first calls share one authenticate; a failed one is forgotten so the next call tries again
    uidPromise ??= withRetry('common.authenticate', true, () => authenticate()).catch((err) => {
      uidPromise = undefined;
      throw err;
    });
    return uidPromise;
  }

  async function authenticate(): Promise<number> {
    const result = await rawCall(
      '/xmlrpc/2/common',
      'authenticate',
      [options.db, options.username, options.apiKey, {}],
      'common.authenticate',
    );
    if (typeof result !== 'number' || result <= 0) {
      throw new PermanentError(
        'odoo_auth_failed',
        `Odoo refused the API key of ODOO_USERNAME "${options.username}" on ODOO_DB "${options.db}" (authenticate answered false): check the user, the database and the key`,
      );
    }
    return result;
  }

  return {
    async executeKw<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) {
      const what = `${model}.${method}`;
      const userId = await uid();
      try {
        return (await withRetry(what, READ_METHODS.has(method), () =>
          rawCall(
            '/xmlrpc/2/object',
            'execute_kw',
            [options.db, userId, options.apiKey, model, method, args, kwargs],
            what,
          ),
        )) as T;
      } catch (err) {
        // a key revoked after we authenticated: authenticate again on the next call
        if (err instanceof OdooFault && err.faultCode === 3) uidPromise = undefined;
        throw err;
      }
    },
    async version() {
      return (await withRetry('common.version', true, () =>
        rawCall('/xmlrpc/2/common', 'version', [], 'common.version'),
      )) as {
        server_version: string;
      };
    },
    close() {
      agent.destroy();
    },
  };
}

interface PostOptions {
  agent: http.Agent;
  signal: AbortSignal;
  maxBytes: number;
  what: string;
}

/**
 * One POST; resolves with the body of a 200, rejects with the HTTP status, the socket error or
 * OdooReplyTooLarge. The body is counted as it arrives and the request torn down once it passes the
 * limit: an unbounded reply would otherwise grow past what a string can hold and throw inside an
 * event handler, where nothing catches it and the process dies.
 */
function postXml(url: string, body: string, options: PostOptions): Promise<string> {
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        agent: options.agent,
        signal: options.signal,
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => collectReply(res, options, resolve, reject, () => req.destroy()),
    );
    req.on('error', reject);
    req.end(body);
  });
}

function collectReply(
  res: http.IncomingMessage,
  options: PostOptions,
  resolve: (xml: string) => void,
  reject: (err: unknown) => void,
  abort: () => void,
): void {
  const refuse = () => {
    abort();
    reject(new OdooReplyTooLarge(options.what, options.maxBytes));
  };
  if (Number(res.headers['content-length'] ?? 0) > options.maxBytes) return refuse();
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    if (size > options.maxBytes) return;
    size += c.length;
    if (size > options.maxBytes) refuse();
    else chunks.push(c); // an error page too: its tail says whether Odoo's pool was full
  });
  res.on('error', reject);
  res.on('end', () => {
    if (res.statusCode !== 200) return reject(httpStatusError(res, chunks));
    try {
      resolve(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * The transport as the service configures it (ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY,
 * ODOO_TIMEOUT_MS, ODOO_MAX_CONCURRENCY, ODOO_MAX_RESPONSE_BYTES). Build one per process and hand it to every user of Odoo: its
 * limiter is what keeps the process within ODOO_MAX_CONCURRENCY.
 */
export function xmlRpcTransportFromConfig(
  config: {
    ODOO_URL: string;
    ODOO_DB: string;
    ODOO_USERNAME: string;
    ODOO_API_KEY: string;
    ODOO_TIMEOUT_MS: number;
    ODOO_MAX_CONCURRENCY: number;
    ODOO_MAX_RESPONSE_BYTES: number;
  },
  log: Logger,
  /** told the allowed concurrency at start and at every change (the lms_sync_odoo_call_limit gauge) */
  onCallLimit?: (limit: number) => void,
  /** the service's shutdown: no call goes out once it began */
  stopSignal?: AbortSignal,
): OdooTransport & { close(): void } {
  const max = config.ODOO_MAX_CONCURRENCY;
  onCallLimit?.(max);
  const limiter = createConcurrencyLimiter({
    max,
    onLimitChange: ({ from, to }) => {
      onCallLimit?.(to);
      if (to < from) log.warn('Odoo is overloaded: fewer concurrent calls for a while', { from, to, max });
      else if (to === max) log.info('Odoo keeps up again: concurrent calls back to the maximum', { max });
    },
  });
  if (hasUserinfo(config.ODOO_URL)) {
    log.warn(
      'ODOO_URL carries a user and password: they go to the server as basic auth, never into the links written to Odoo',
    );
  }
  return createXmlRpcTransport({
    url: config.ODOO_URL,
    db: config.ODOO_DB,
    username: config.ODOO_USERNAME,
    apiKey: config.ODOO_API_KEY,
    timeoutMs: config.ODOO_TIMEOUT_MS,
    limiter,
    maxResponseBytes: config.ODOO_MAX_RESPONSE_BYTES,
    log,
    stopSignal,
  });
}
