// Shared by the helpdesk writer tests: a simulator per flavor over real XML-RPC, and ticket drafts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransientError } from '../../../src/lib/errors';
import type { FlavorName } from '../../../src/helpdesk/flavors';
import type { TicketDraft } from '../../../src/helpdesk/writer';
import { silentLogger } from '../../../src/observability/logger';
import type { OdooTransport } from '../../../src/odoo/transport';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type HelpdeskFlavor, type OdooSim } from '../../../src/sim/odoo';

export const CREDS = { db: 'odoo', username: 'svc', apiKey: 'h'.repeat(40) };
export const log = silentLogger();
/** the stage's own closing flag, per flavor */
export const STAGE_FLAG: Record<FlavorName, string> = { oca: 'closed', enterprise: 'fold' };

let markers = 0;
export function draft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  markers += 1;
  return {
    title: 'Paid but not enrolled: SO0042',
    descriptionHtml: '<p>Order <b>SO0042</b> is paid; the LMS refused the enrollment.</p>',
    partner: null,
    team: 'Technical Support',
    priority: 'high',
    tags: ['LMS', 'sync-failure'],
    marker: `[lms-sync t${String(markers).padStart(7, '0')}]`,
    ...overrides,
  };
}

export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Fails the first call on `model` as if Odoo were unreachable, then behaves. */
export function failingFirstCallOn(inner: OdooTransport, model: string): OdooTransport {
  let failed = false;
  return {
    executeKw<T>(m: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T> {
      if (m === model && !failed) {
        failed = true;
        return Promise.reject(new TransientError('odoo_unreachable', 'Odoo refused the connection'));
      }
      return inner.executeKw<T>(m, method, args, kwargs);
    },
    version: () => inner.version(),
  };
}

/** A simulator with `flavor` installed and a transport to it, both closed after `fn`. */
export async function withSim(
  flavor: HelpdeskFlavor,
  fn: (sim: OdooSim, transport: OdooTransport) => Promise<void>,
): Promise<void> {
  const sim = await startOdooSim({ port: 0, ...CREDS, helpdeskFlavor: flavor });
  const transport = createXmlRpcTransport({ url: sim.url, ...CREDS });
  try {
    await fn(sim, transport);
  } finally {
    transport.close();
    await sim.close();
  }
}
