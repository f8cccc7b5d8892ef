// mail.thread.message_post as Odoo 17 runs it: one mail.message per call (its id returned), a plain str body
// escaped as text, a WARNING in the server log for body_is_html, and the author subscribed as a follower on
// its first non-notification post: two such posts in flight on one record both insert that follower, and
// the second fails on mail_followers' unique index.

import { missingRecord, serverError, userError } from './faults';
import type { OdooStore } from './store';

/** subtype xml ids the simulator knows, created at start-up in this order */
export const SUBTYPES: Array<[string, string]> = [
  ['mail.mt_comment', 'Discussions'],
  ['mail.mt_note', 'Note'],
];

/** What the simulator keeps of mail.thread besides the tables: followers, the server log, open transactions. */
export class MailThreads {
  /** WARNING lines Odoo's server log would show */
  readonly warnings: string[] = [];
  /** `${model},${res_id},${partner_id}` → when the transaction that subscribed it commits (epoch ms) */
  private readonly followers = new Map<string, number>();
  private holdMs = 0;

  /** `postMs`: how long a message_post's transaction stays open (Odoo computes followers, notifications). */
  constructor(private readonly postMs = 0) {}

  /** How long the reply of the call that just ran must wait for its transaction; resets. */
  takeHold(): number {
    const hold = this.holdMs;
    this.holdMs = 0;
    return hold;
  }

  subscribe(model: string, resId: number, partnerId: number): void {
    const key = `${model},${resId},${partnerId}`;
    const now = Date.now();
    const commitsAt = this.followers.get(key);
    if (commitsAt === undefined) {
      this.followers.set(key, now + this.postMs);
      return;
    }
    if (commitsAt <= now) return; // already a follower
    // The other transaction's row is not visible yet: this insert waits on the unique index, then fails
    // when it commits. Odoo turns the IntegrityError into a ValidationError (Fault 2), without retrying.
    this.holdMs = Math.max(this.holdMs, commitsAt - now);
    throw userError(
      'The operation cannot be completed: Error, a partner cannot follow twice the same object.',
    );
  }

  isFollower(model: string, resId: number, partnerId: number): boolean {
    return this.followers.has(`${model},${resId},${partnerId}`);
  }

  opened(): void {
    this.holdMs = Math.max(this.holdMs, this.postMs);
  }
}

/** markupsafe.escape, which message_post applies to a str body */
function escapeText(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] as string,
  );
}

export function postMessage(
  store: OdooStore,
  model: string,
  ids: number[],
  a: Record<string, unknown>,
  context: Record<string, unknown>,
): number {
  // message_post calls ensure_one(): exactly one record
  if (ids.length !== 1) throw serverError(`ValueError: Expected singleton: ${model}(${ids.join(', ')})`);
  const resId = ids[0] as number;
  if (!store.record(model, resId)) throw missingRecord(model, ids, store.uid);
  const xmlid = typeof a.subtype_xmlid === 'string' ? a.subtype_xmlid : undefined;
  const subtypeIndex = SUBTYPES.findIndex(([x]) => x === xmlid);
  if (xmlid && subtypeIndex < 0)
    throw serverError(`ValueError: External ID not found in the system: ${xmlid}`);
  const user = store.record('res.users', store.uid);
  const authorId = typeof user?.partner_id === 'number' ? user.partner_id : false;
  const messageType = typeof a.message_type === 'string' ? a.message_type : 'notification';
  store.mail.opened();
  if (authorId !== false && messageType !== 'notification' && context.mail_create_nosubscribe !== true) {
    store.mail.subscribe(model, resId, authorId);
  }
  const raw = typeof a.body === 'string' ? a.body : '';
  if (a.body_is_html === true) {
    store.mail.warnings.push(
      `Posting HTML message using body_is_html=True, use a Markup object instead (user: ${store.uid})`,
    );
  }
  return store.create('mail.message', {
    model,
    res_id: resId,
    body: a.body_is_html === true ? raw : escapeText(raw),
    message_type: messageType,
    subtype_id:
      subtypeIndex >= 0 ? subtypeIndex + 1 : typeof a.subtype_id === 'number' ? a.subtype_id : false,
    author_id: authorId,
    partner_ids: [[6, 0, recipients(store, a.partner_ids)]],
  });
}

/** message_post's partner_ids: a list of partner ids, each of which must exist. */
function recipients(store: OdooStore, value: unknown): number[] {
  if (value === undefined || value === null || value === false) return [];
  if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id)))
    throw serverError(`TypeError: partner_ids must be a list of ids`);
  const missing = (value as number[]).filter((id) => !store.record('res.partner', id));
  if (missing.length > 0) throw missingRecord('res.partner', missing, store.uid);
  return value as number[];
}
