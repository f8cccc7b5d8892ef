// OdooTransport over XML-RPC (/xmlrpc/2, Odoo ≤ 18, deprecated in 19): one authenticate per process (uid
// cached), keep-alive sockets, a timeout per call, and retries only where a repeat cannot do harm twice.
// HTTP and the codec are hand-written rather than the `xmlrpc` package: see xmlrpc-codec.ts for why.

import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config';
import { PermanentError, TransientError } from '../errors';
import type { Logger } from '../observability/logger';
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
  /** waits before the 2nd and 3rd try of a retryable call */
  retryDelaysMs?: number[];
  /** a reply larger than this is refused while it streams in (default 64 MiB) */
  maxResponseBytes?: number;
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

// Reads can be repeated whatever happened to the first attempt.
const READ_METHODS = new Set(['search', 'search_read', 'read', 'search_count', 'fields_get', 'name_search']);

/** Why a call failed without a Fault; `notSent` means the request never reached Odoo. */
class ConnectionFailure extends TransientError {
  constructor(
    message: string,
    readonly notSent: boolean,
    cause?: unknown,
  ) {
    super('odoo_unreachable', message, { cause });
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function createXmlRpcTransport(options: XmlRpcTransportOptions): OdooTransport & { close(): void } {
  const base = options.url.replace(/\/+$/, '');
  const agent = base.startsWith('https:')
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const delays = options.retryDelaysMs ?? [100, 300];
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  function rawCall(path: string, method: string, params: unknown[], what: string): Promise<unknown> {
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
          throw new ConnectionFailure(`Odoo did not answer ${what} within ${timeoutMs} ms`, false, err);
        throw classify(err, what);
      })
      .finally(() => clearTimeout(timer));
  }

  async function withRetry<T>(
    what: string,
    retryable: (err: ConnectionFailure) => boolean,
    fn: () => Promise<T>,
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const delay = delays[attempt];
        if (!(err instanceof ConnectionFailure) || delay === undefined || !retryable(err)) throw err;
        options.log?.warn('odoo call failed, retrying', {
          call: what,
          attempt: attempt + 1,
          error: err.message,
        });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  let uidPromise: Promise<number> | undefined;
  function uid(): Promise<number> {
    // concurrent first calls share one authenticate; a failed one is forgotten so the next call tries again
    uidPromise ??= withRetry(
      'common.authenticate',
      () => true,
      () => authenticate(),
    ).catch((err) => {
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
      const retryable = READ_METHODS.has(method) ? () => true : (err: ConnectionFailure) => err.notSent;
      try {
        return (await withRetry(what, retryable, () =>
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
      return (await withRetry(
        'common.version',
        () => true,
        () => rawCall('/xmlrpc/2/common', 'version', [], 'common.version'),
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
    else if (res.statusCode === 200) chunks.push(c);
  });
  res.on('error', reject);
  res.on('end', () => {
    if (res.statusCode !== 200)
      return reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
    try {
      resolve(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      reject(err);
    }
  });
}

function classify(err: unknown, what: string): Error {
  if (err instanceof ConnectionFailure || err instanceof OdooFault) return err;
  const e = err as { code?: string; message?: string; status?: number };
  if (e.code === 'ECONNREFUSED')
    return new ConnectionFailure(`Odoo refused the connection (${what})`, true, err);
  if (e.code && TRANSIENT_CODES.has(e.code)) {
    return new ConnectionFailure(`Odoo connection failed during ${what}: ${e.code}`, false, err);
  }
  if (e.status !== undefined && (e.status >= 500 || e.status === 429)) {
    return new ConnectionFailure(`Odoo answered HTTP ${e.status} to ${what}`, false, err);
  }
  if (/socket hang up|aborted/i.test(e.message ?? '')) {
    return new ConnectionFailure(`Odoo connection dropped during ${what}`, false, err);
  }
  return new PermanentError(
    'odoo_protocol_error',
    `Odoo ${what}: unexpected answer (${e.message ?? String(err)})`,
    {
      cause: err,
    },
  );
}

/** The transport as the service configures it (ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY, ODOO_TIMEOUT_MS). */
export function xmlRpcTransportFromConfig(
  config: Pick<
    Config,
    'ODOO_URL' | 'ODOO_DB' | 'ODOO_USERNAME' | 'ODOO_API_KEY' | 'ODOO_TIMEOUT_MS' | 'ODOO_MAX_RESPONSE_BYTES'
  >,
  log: Logger,
): OdooTransport & { close(): void } {
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
    maxResponseBytes: config.ODOO_MAX_RESPONSE_BYTES,
    log,
  });
}
