// The chatter notes the service posts on a sale.order: short plain text (Odoo escapes it), saying what
// happened.
import { loginForPartner } from '../lms';
import type { ChatterNote } from '../odoo';
import type { OrderSyncMessage } from './message';
import type { PlannedAction } from './plan';

/** An LMS error or a person's name is foreign text: one line, and not a page of it. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

const TRIGGER_LABEL: Record<OrderSyncMessage['trigger'], string> = {
  'order.paid': 'payment received',
  'order.refunded': 'refund',
  'order.learners_changed': 'learners assigned',
  'enrollment.retry_requested': 'Retry Enrollment',
  'reconcile.repair': 'nightly reconciliation repair',
  'dlq.replay': 'dead-letter replay',
};

function trigger(msg: OrderSyncMessage): string {
  const who = msg.requestedBy ? ` by ${oneLine(msg.requestedBy.name, 100)}` : '';
  return `${TRIGGER_LABEL[msg.trigger]}${who}`;
}

/** Where the invitation of each learner without an email went (once per learner). */
function invitations(actions: PlannedAction[]): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const a of actions) {
    const { learner } = a;
    const contact = learner.contact;
    if (a.action !== 'enroll' || !contact || contact.via === 'own' || seen.has(learner.partnerId)) continue;
    seen.add(learner.partnerId);
    const whose = contact.via === 'guardian' ? 'parent contact' : 'customer';
    out.push(
      `${oneLine(learner.name, 100)} has no email: login ${loginForPartner(learner.partnerId)}, invitation sent to ${whose} ${oneLine(contact.guardianName, 100)} at ${oneLine(contact.email, 254)}.`,
    );
  }
  return out;
}

export const describeOutcome = {
  /** `customerId`: learners other than the customer are named after their course. */
  done(
    actions: PlannedAction[],
    msg: OrderSyncMessage,
    kept: Array<{ courseCode: string; coveredBy: string }> = [],
    customerId?: number,
  ): string {
    const keptCodes = new Set(kept.map((k) => k.courseCode));
    const who = (a: PlannedAction) =>
      customerId === undefined || a.learner.partnerId === customerId
        ? ''
        : ` for ${oneLine(a.learner.name, 100)}`;
    const codes = (action: PlannedAction['action']) =>
      actions
        .filter((a) => a.action === action && !(action === 'suspend' && keptCodes.has(a.courseCode ?? '')))
        .map((a) => `${a.courseCode ?? '?'}${who(a)}`);
    const enrolled = codes('enroll');
    const suspended = codes('suspend');
    const parts = [
      ...(enrolled.length > 0 ? [`Enrolled in ${enrolled.join(', ')}.`] : []),
      ...(suspended.length > 0 ? [`Suspended in ${suspended.join(', ')}.`] : []),
      ...kept.map((k) => `${k.courseCode} not suspended: still covered by ${k.coveredBy}.`),
      ...invitations(actions),
    ];
    return `LMS sync (${trigger(msg)}): ${oneLine(parts.join(' '), 1000)}`;
  },
  failed(failures: Array<{ code: string; message: string }>): string {
    const items = failures.slice(0, 10).map((f) => `- ${f.code}: ${oneLine(f.message)}`);
    if (failures.length > 10) items.push(`- and ${failures.length - 10} more`);
    return [
      'LMS sync failed; a person is needed. Fix the cause, then click Retry Enrollment.',
      ...items,
    ].join('\n');
  },
  nothing(reason: string): string {
    return `LMS sync: ${oneLine(reason)}.`;
  },
};

/**
 * Whether a successful sync is worth a chatter note: not a payment's plain enrollment of learners with
 * emails of their own (the order's LMS sync status already says "synced", and a note per paid order
 * would be one more Odoo call per event), but a person's click, a refund, learners assigned, a repair,
 * an invitation sent elsewhere, a suspend not made because something still pays.
 */
export function doneNoteWorthIt(
  actions: PlannedAction[],
  msg: OrderSyncMessage,
  kept: ReadonlyArray<unknown> = [],
): boolean {
  if (msg.trigger !== 'order.paid' || kept.length > 0) return true;
  return actions.some((a) => a.action !== 'enroll' || (a.learner.contact && a.learner.contact.via !== 'own'));
}

/** A note's key is the same for every retry of this message, so a retry finds the note it already posted. */
export function orderNote(
  msg: OrderSyncMessage,
  step: 'done' | 'failed' | 'nothing',
  text: string,
): ChatterNote {
  return { text, key: `order-sync:${msg.messageId}:${step}` };
}
