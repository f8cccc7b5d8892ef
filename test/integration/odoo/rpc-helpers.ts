// A bare XML-RPC client against the simulator, to observe exactly what an Odoo client would receive.
import http from 'node:http';
import xmlrpc from 'xmlrpc';

export interface RawFault {
  faultCode: number;
  faultString: string;
}

export interface RawRpc {
  common(method: string, params: unknown[]): Promise<unknown>;
  object(method: string, params: unknown[]): Promise<unknown>;
  close(): void;
}

export function rawRpc(url: string): RawRpc {
  const agent = new http.Agent({ keepAlive: true });
  const client = (path: string) =>
    xmlrpc.createClient({ url: `${url}${path}`, agent } as Parameters<typeof xmlrpc.createClient>[0]);
  const common = client('/xmlrpc/2/common');
  const object = client('/xmlrpc/2/object');
  const call = (c: xmlrpc.Client, method: string, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) =>
      c.methodCall(method, params, (err, value) => (err ? reject(err) : resolve(value))),
    );
  return {
    common: (m, p) => call(common, m, p),
    object: (m, p) => call(object, m, p),
    close: () => agent.destroy(),
  };
}

/** Resolves to the Fault a call ends with; fails the test when the call succeeds. */
export async function faultOf(promise: Promise<unknown>): Promise<RawFault> {
  try {
    const value = await promise;
    throw new Error(`expected a Fault, got ${JSON.stringify(value)}`);
  } catch (err) {
    const e = err as Partial<RawFault>;
    if (typeof e.faultCode !== 'number') throw err;
    return { faultCode: e.faultCode, faultString: String(e.faultString) };
  }
}

export function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
