// ir.model.access as the simulator's user meets it: the models only some groups may touch, and the
// AccessError Odoo raises for a user without an ACL row on the model.

import { accessError, type SimFault } from './faults';
import type { OdooStore } from './store';

const ACL_VERB: Record<string, string> = { write: 'modify', create: 'create', unlink: 'delete' };

/** The AccessError for `operation` (an ORM method, or read/write/create/unlink) on `model`; null: allowed. */
export function aclRefusal(store: OdooStore, model: string, operation: string): SimFault | null {
  const def = store.modelDef(model);
  const group = def.adminOnly
    ? 'Administration/Settings'
    : def.officerOnly && !store.elearningOfficer
      ? 'eLearning/Officer'
      : null;
  if (group === null) return null;
  const verb = ACL_VERB[operation] ?? 'access';
  return accessError(
    `You are not allowed to ${verb} '${def.description}' (${model}) records.\n\n` +
      `This operation is allowed for the following groups:\n\t- ${group}\n\n` +
      'Contact your administrator to request access if necessary.',
  );
}
