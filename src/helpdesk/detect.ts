// Which Helpdesk addon Odoo has installed, asked the way the service's own user may ask it.
import { OdooFault } from '../odoo';
import type { OdooTransport } from '../odoo';
import { FLAVORS, type FlavorName } from './flavors';

// An integration user may not read ir.model (Fault 4), but fields_get works on any model it may use, and
// a model whose addon is not installed answers Fault 2 "Object … doesn't exist".
export async function detectFlavor(transport: OdooTransport): Promise<FlavorName | 'none'> {
  const installed = (model: string) =>
    transport.executeKw(model, 'fields_get', [], { allfields: ['name'], attributes: ['type'] }).then(
      () => true,
      (err: unknown) => {
        if (err instanceof OdooFault && err.faultCode === 2) return false;
        throw err;
      },
    );
  if (!(await installed(FLAVORS.oca.ticketModel))) return 'none';
  for (const candidate of [FLAVORS.oca, FLAVORS.enterprise]) {
    if (await installed(candidate.detectModel)) return candidate.name;
  }
  return 'none';
}
