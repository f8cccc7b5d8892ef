// mail.thread.message_post as the simulator stores it: one mail.message per call, its id returned.

import { missingRecord, serverError } from './faults';
import type { OdooStore } from './store';
import { escapeXml } from './xml-write';

/** subtype xml ids the simulator knows, created at start-up in this order */
export const SUBTYPES: Array<[string, string]> = [
  ['mail.mt_comment', 'Discussions'],
  ['mail.mt_note', 'Note'],
];

export function postMessage(
  store: OdooStore,
  model: string,
  ids: number[],
  a: Record<string, unknown>,
): number {
  // message_post calls ensure_one(): exactly one record
  if (ids.length !== 1) throw serverError(`ValueError: Expected singleton: ${model}(${ids.join(', ')})`);
  const resId = ids[0] as number;
  if (!store.record(model, resId)) throw missingRecord(model, ids, store.uid);
  const raw = typeof a.body === 'string' ? a.body : '';
  // a plain str body is escaped; body_is_html is "to be used only for RPC calls" (facts §5)
  const body = a.body_is_html === true ? raw : escapeXml(raw);
  const xmlid = typeof a.subtype_xmlid === 'string' ? a.subtype_xmlid : undefined;
  const subtypeIndex = SUBTYPES.findIndex(([x]) => x === xmlid);
  if (xmlid && subtypeIndex < 0)
    throw serverError(`ValueError: External ID not found in the system: ${xmlid}`);
  const user = store.record('res.users', store.uid);
  return store.create('mail.message', {
    model,
    res_id: resId,
    body,
    message_type: typeof a.message_type === 'string' ? a.message_type : 'notification',
    subtype_id:
      subtypeIndex >= 0 ? subtypeIndex + 1 : typeof a.subtype_id === 'number' ? a.subtype_id : false,
    author_id: typeof user?.partner_id === 'number' ? user.partner_id : false,
  });
}
