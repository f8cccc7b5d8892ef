// The HTTP face of the simulator: POST /xmlrpc/2/common and /xmlrpc/2/object, replies built like Odoo's rpc.py.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimDbPool, DEFAULT_DB_MAXCONN, POOL_FULL_PAGE, type SimDbPool, type SimLoad } from './db-pool';
import { DomainError } from './domain';
import {
  CallFaults,
  faultString,
  serverError,
  SimFault,
  UNAVAILABLE_PAGE,
  type InjectedFault,
} from './faults';
import { bootstrap, seedDemoData } from './seed';
import { seedDataQualityProblems, type DataQualitySeed } from './seed-data-quality';
import type { HelpdeskFlavor } from './schema-types';
import { commonService, objectService, type RpcService } from './services';
import { OdooSimStore } from './sim-store';
import { OdooStore } from './store';
import { parseMethodCall, position } from './xml-parse';
import { CannotMarshalNone, dumpFault, dumpResponse } from './xml-write';

export interface OdooSimOptions {
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
  db: string;
  username: string;
  apiKey: string;
  /** with `orders`, generates the demo data set deterministically from this seed */
  seed?: number;
  /** how many demo orders to generate (default 0) */
  orders?: number;
  /** with `orders`, also seed families buying for children and schools buying seats (default false) */
  seedLearners?: boolean;
  /** which helpdesk addon is "installed" (default 'oca') */
  helpdeskFlavor?: HelpdeskFlavor;
  /** whether odoo-addon/lms_sync is installed: adds sale.order.lms_* fields (default true) */
  addonInstalled?: boolean;
  /** added before every reply; the call holds its database connection meanwhile, as a real call does */
  latencyMs?: number;
  /** database connections the server may hold (Odoo's db_maxconn, default 64); 0 = unlimited */
  dbMaxConn?: number;
  /**
   * how long a message_post's transaction stays open before it commits and answers (default 0). A second
   * message_post on the same record that starts meanwhile, while the author is not yet a follower, fails
   * as on a real Odoo: Fault 2 from the unique index on mail_followers.
   */
  mailPostMs?: number;
  /** the server clock (write_date, create_date); default: real time */
  clock?: () => Date;
  /** also seed the data the reconciliation's data-quality checks find (seed-data-quality.ts) */
  dataQualityProblems?: boolean;
  /** whether odoo-addon/lms_sync_slides is installed: adds slide.channel.lms_course_code (default true) */
  slidesAddonInstalled?: boolean;
  /** whether the API key's user is an eLearning Officer (default true); else memberships are refused */
  elearningOfficer?: boolean;
  /** whether that user is also eLearning Manager (default true); else only Officer, who writes the memberships
   *  of the courses it is Responsible (user_id) of only */
  elearningManager?: boolean;
  /** whether that user may create contacts (Extra Rights / Contact Creation, default true) */
  contactCreation?: boolean;
}

export interface OdooSim {
  url: string;
  store: OdooSimStore;
  /** what `dataQualityProblems` seeded (null without it) */
  dataQuality: DataQualitySeed | null;
  /** calls served, calls in flight and at peak, pool-full refusals since the start or the last reset */
  load(): SimLoad;
  resetLoad(): void;
  /** The next `times` calls of this ORM method run and commit, then the connection is reset unanswered. */
  resetAfterCommit(method: string, times?: number): void;
  /** outages injected into execute_kw calls: failures (HTTP 503, nothing run) and latency */
  faults: CallFaults;
  close(): Promise<void>;
}

/** Calls whose work is committed but whose answer never leaves (a proxy or network dropping it). */
type ResetRules = Map<string, number>;

const MAX_BODY = 128 * 1024 * 1024; // odoo/http.py DEFAULT_MAX_CONTENT_LENGTH

export async function startOdooSim(options: OdooSimOptions): Promise<OdooSim> {
  const flavor = options.helpdeskFlavor ?? 'oca';
  const db = new OdooStore({
    helpdeskFlavor: flavor,
    addonInstalled: options.addonInstalled ?? true,
    clock: options.clock,
    mailPostMs: options.mailPostMs,
    slidesAddonInstalled: options.slidesAddonInstalled ?? true,
    elearningOfficer: options.elearningOfficer,
    elearningManager: options.elearningManager,
    contactCreation: options.contactCreation,
  });
  bootstrap(db, options.username, flavor);
  const store = new OdooSimStore(db);
  if ((options.orders ?? 0) > 0)
    seedDemoData(store, options.seed ?? 1, options.orders ?? 0, { learners: options.seedLearners ?? false });
  const dataQuality = options.dataQualityProblems ? seedDataQualityProblems(store) : null;
  const creds = { db: options.db, username: options.username, apiKey: options.apiKey };
  const services: Record<string, RpcService> = {
    '/xmlrpc/2/common': commonService(db, creds),
    '/xmlrpc/2/object': objectService(db, creds),
  };
  const pool = createSimDbPool(options.dbMaxConn ?? DEFAULT_DB_MAXCONN);
  const resets: ResetRules = new Map();
  const faults = new CallFaults(options.seed ?? 1);
  const reply = { latencyMs: options.latencyMs ?? 0, resets, faults, hold: () => db.mail.takeHold() };
  const server = http.createServer((req, res) => handle(req, res, services, pool, reply));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    store,
    dataQuality,
    load: () => pool.load(),
    resetLoad: () => pool.resetLoad(),
    resetAfterCommit: (method, times = 1) => resets.set(method, (resets.get(method) ?? 0) + times),
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ReplyPolicy {
  latencyMs: number;
  resets: ResetRules;
  faults: CallFaults;
  /** the extra wait of the call that just ran (a message_post's open transaction) */
  hold: () => number;
}

function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: Record<string, RpcService>,
  pool: SimDbPool,
  policy: ReplyPolicy,
): void {
  const service = services[(req.url ?? '').split('?')[0] as string];
  if (!service || req.method !== 'POST') {
    res
      .writeHead(service ? 405 : 404, { 'Content-Type': 'text/html; charset=utf-8' })
      .end('<h1>Not Found</h1>');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (!pool.borrow()) {
      res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8' }).end(POOL_FULL_PAGE);
      return;
    }
    res.once('close', () => pool.release());
    const { body, method, injected, name } = answer(service, Buffer.concat(chunks), policy.faults);
    pool.record(name);
    const delayMs = policy.latencyMs + injected.delayMs + policy.hold();
    const resets = method === undefined ? 0 : (policy.resets.get(method) ?? 0);
    if (resets > 0) policy.resets.set(method as string, resets - 1);
    const send = () => {
      if (res.destroyed) return;
      if (resets > 0) {
        res.socket?.destroy();
        return;
      }
      if (injected.fail) {
        res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8' }).end(UNAVAILABLE_PAGE);
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/xml; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
}

interface Answer {
  body: string;
  /** the ORM method of an execute_kw */
  method?: string;
  /** what was called (`model.method` for an execute_kw), for the pool's record of calls */
  name: string;
  /** an injected outage: a failed call was not run */
  injected: InjectedFault;
}

/** Faults travel with HTTP 200, as in Odoo. */
function answer(service: RpcService, request: Buffer, faults: CallFaults): Answer {
  let method: string | undefined;
  let name = 'unreadable';
  let injected: InjectedFault = { fail: false, delayMs: 0 };
  try {
    let call;
    try {
      call = parseMethodCall(decodeUtf8(request));
    } catch (err) {
      throw serverError(`xml.parsers.expat.ExpatError: ${(err as Error).message}`);
    }
    name = call.methodName;
    if (call.methodName === 'execute_kw') {
      method = String(call.params[4]);
      name = `${String(call.params[3])}.${method}`;
      injected = faults.decide(String(call.params[3]));
      if (injected.fail) return { body: '', method, name, injected };
    }
    const result = service(call.methodName, call.params);
    // marshalling happens after the transaction committed: a None result fails here, the change stays
    return { body: dumpResponse(result), method, name, injected };
  } catch (err) {
    const fault = toFault(err);
    return { body: dumpFault(fault.faultCode, faultString(fault)), method, name, injected };
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** expat refuses bytes that are not UTF-8 (a lone surrogate encoded as such included). */
function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    const lenient = body.toString('utf8');
    throw new Error(`not well-formed (invalid token): ${position(lenient, lenient.indexOf('\ufffd'))}`);
  }
}

function toFault(err: unknown): SimFault {
  if (err instanceof SimFault) return err;
  if (err instanceof CannotMarshalNone) return serverError(err.message);
  if (err instanceof DomainError) return serverError(`ValueError: ${err.message}`);
  const e = err instanceof Error ? err : new Error(String(err));
  return serverError(`${e.name}: ${e.message}`);
}

export interface SimCliEnv {
  ODOO_DB: string;
  ODOO_USERNAME: string;
  ODOO_API_KEY: string;
}

/** For `lms-sync sim odoo`: credentials come from the same variables the service reads. */
export function runOdooSimFromCli(args: {
  port: number;
  seed?: number;
  orders?: number;
  helpdeskFlavor?: HelpdeskFlavor;
  dbMaxConn?: number;
  latencyMs?: number;
  env: SimCliEnv;
}): Promise<OdooSim> {
  return startOdooSim({
    dbMaxConn: args.dbMaxConn,
    latencyMs: args.latencyMs,
    port: args.port,
    seed: args.seed,
    orders: args.orders,
    helpdeskFlavor: args.helpdeskFlavor,
    db: args.env.ODOO_DB,
    username: args.env.ODOO_USERNAME,
    apiKey: args.env.ODOO_API_KEY,
  });
}
