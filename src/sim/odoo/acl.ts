// ir.model.access as the simulator's user meets it: the models only some groups may touch, and the
// AccessError Odoo raises for a user without an ACL row on the model. And website_slides' one record
// rule the adapter meets: an eLearning Officer who is not Manager creates, writes and deletes memberships
// only of the courses it is the Responsible (user_id) of.

import { accessError, type SimFault } from './faults';
import type { OdooStore } from './store';

const ACL_VERB: Record<string, string> = { write: 'modify', create: 'create', unlink: 'delete' };
const MEMBERSHIP = 'slide.channel.partner';

/** The AccessError for `operation` (an ORM method, or read/write/create/unlink) on `model`; null: allowed. */
export function aclRefusal(store: OdooStore, model: string, operation: string): SimFault | null {
  const def = store.modelDef(model);
  const group = def.adminOnly
    ? 'Administration/Settings'
    : def.officerOnly && !store.elearningOfficer
      ? 'eLearning/Officer'
      : model === 'res.partner' && operation === 'create' && !store.contactCreation
        ? 'Extra Rights/Contact Creation'
        : null;
  if (group === null) return null;
  const verb = ACL_VERB[operation] ?? 'access';
  return accessError(
    `You are not allowed to ${verb} '${def.description}' (${model}) records.\n\n` +
      `This operation is allowed for the following groups:\n\t- ${group}\n\n` +
      'Contact your administrator to request access if necessary.',
  );
}

/** Whether the user may write this course: an eLearning Manager, or the Officer who is its Responsible. */
export function mayWriteCourse(store: OdooStore, channelId: number): boolean {
  if (!store.elearningOfficer) return false;
  return store.elearningManager || store.record('slide.channel', channelId)?.user_id === store.uid;
}

function idsOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** The courses a create/write/unlink on memberships touches (missing records are the method's to refuse). */
function coursesTouched(store: OdooStore, method: string, args: unknown[], kwargs: Record<string, unknown>) {
  if (method === 'create') {
    const vals = args[0] ?? kwargs.vals_list;
    const list = Array.isArray(vals) ? vals : [vals];
    return list
      .map((v) => (v as Record<string, unknown> | null)?.channel_id)
      .filter((c) => typeof c === 'number');
  }
  return idsOf(args[0] ?? kwargs.ids).flatMap((id) => {
    const channel = store.record(MEMBERSHIP, id)?.channel_id;
    return typeof channel === 'number' ? [channel] : [];
  });
}

/** Odoo's record-rule AccessError ("Uh-oh!") for an Officer writing memberships of another's course. */
export function ruleRefusal(
  store: OdooStore,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): SimFault | null {
  if (model !== MEMBERSHIP || !['create', 'write', 'unlink'].includes(method)) return null;
  if (!store.elearningOfficer || store.elearningManager) return null;
  const courses = coursesTouched(store, method, args, kwargs) as number[];
  if (courses.every((id) => store.record('slide.channel', id)?.user_id === store.uid)) return null;
  const user = store.record('res.users', store.uid);
  return accessError(
    'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n' +
      `Sorry, ${String(user?.name ?? '')} (id=${store.uid}) doesn't have '${method}' access to:\n` +
      `- Channel / Partners (Members) (${MEMBERSHIP})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
  );
}
