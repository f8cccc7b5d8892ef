// The two XML-RPC services: `common` (version, authenticate, login) and `object` (execute_kw, execute).

import { accessDenied, accessError, serverError, SimFault, userError } from './faults';
import { aclRefusal, ruleRefusal } from './acl';
import { callModelMethod } from './model-methods';
import type { OdooStore } from './store';

export interface SimCredentials {
  db: string;
  username: string;
  apiKey: string;
}

export type RpcService = (method: string, params: unknown[]) => unknown;

export const SERVER_VERSION = {
  server_version: '17.0',
  server_version_info: [17, 0, 0, 'final', 0, ''],
  server_serie: '17.0',
  protocol_version: 1,
};

function checkDb(creds: SimCredentials, db: unknown): void {
  if (db !== creds.db) {
    throw serverError(
      `psycopg2.OperationalError: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`,
    );
  }
}

export function commonService(store: OdooStore, creds: SimCredentials): RpcService {
  // AccessDenied is caught inside authenticate: a bad login answers False, never a Fault (docs/odoo.md)
  const authenticate = (db: unknown, login: unknown, password: unknown): number | false => {
    checkDb(creds, db);
    return login === creds.username && password === creds.apiKey ? store.uid : false;
  };
  return (method, params) => {
    switch (method) {
      case 'version':
        return SERVER_VERSION;
      case 'authenticate':
        return authenticate(params[0], params[1], params[2]);
      case 'login':
        return authenticate(params[0], params[1], params[2]);
      case 'about':
        return 'See http://openerp.com';
      default:
        throw serverError(`KeyError: 'exp_${method}'`);
    }
  };
}

const PRIVATE_METHOD = /^(_.*|init)$/;
const UNCHECKED = new Set(['fields_get', 'check_access_rights']);

export function objectService(store: OdooStore, creds: SimCredentials): RpcService {
  return (method, params) => {
    if (method !== 'execute_kw' && method !== 'execute')
      throw serverError(`NameError: Method not available ${method}`);
    const [db, uid, password, model, name] = params;
    checkDb(creds, db);
    if (uid !== store.uid || password !== creds.apiKey) throw accessDenied();
    const args = method === 'execute_kw' ? (params[5] ?? []) : params.slice(5);
    const kwargs = method === 'execute_kw' ? (params[6] ?? {}) : {};
    if (!Array.isArray(args)) throw serverError("TypeError: 'args' must be a list");
    if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
      throw serverError('TypeError: execute_kw() argument after ** must be a mapping');
    }
    return execute(store, String(model), String(name), args, kwargs as Record<string, unknown>);
  };
}

function execute(
  store: OdooStore,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): unknown {
  if (PRIVATE_METHOD.test(method)) {
    throw accessError(`Private methods (such as ${method}) cannot be called remotely.`);
  }
  if (!store.hasModel(model)) throw userError(`Object ${model} doesn't exist`);
  // fields_get checks no ACL: it answers even where every record read is refused; check_access_rights
  // is the check itself
  const refused = UNCHECKED.has(method) ? null : aclRefusal(store, model, method);
  if (refused) throw refused;
  const ruled = ruleRefusal(store, model, method, args, kwargs);
  if (ruled) throw ruled;
  const { context: raw, ...rest } = kwargs;
  const context =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const activeTest = context.active_test !== false;
  return store.transaction(() => callModelMethod({ store, model, activeTest, context }, method, args, rest));
}

export { SimFault };
