// The chatter notes the service posts on a sale.order: short, HTML-escaped, saying what happened.
import type { OrderSyncMessage } from '../queue/messages';
import type { PlannedAction } from './plan';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const TRIGGER_LABEL: Record<OrderSyncMessage['trigger'], string> = {
  'order.paid': 'payment received',
  'order.refunded': 'refund',
  'enrollment.retry_requested': 'Retry Enrollment',
  'reconcile.repair': 'nightly reconciliation repair',
  'dlq.replay': 'dead-letter replay',
};

function trigger(msg: OrderSyncMessage): string {
  const who = msg.requestedBy ? ` by ${escapeHtml(msg.requestedBy.name)}` : '';
  return `${TRIGGER_LABEL[msg.trigger]}${who}`;
}

export const describeOutcome = {
  done(
    actions: PlannedAction[],
    msg: OrderSyncMessage,
    kept: Array<{ courseCode: string; coveredBy: string }> = [],
  ): string {
    const keptCodes = new Set(kept.map((k) => k.courseCode));
    const codes = (action: PlannedAction['action']) =>
      actions
        .filter((a) => a.action === action && !(action === 'suspend' && keptCodes.has(a.courseCode ?? '')))
        .map((a) => escapeHtml(a.courseCode ?? '?'));
    const enrolled = codes('enroll');
    const suspended = codes('suspend');
    const parts = [
      ...(enrolled.length > 0 ? [`Enrolled in ${enrolled.join(', ')}.`] : []),
      ...(suspended.length > 0 ? [`Suspended in ${suspended.join(', ')}.`] : []),
      ...kept.map(
        (k) => `${escapeHtml(k.courseCode)} not suspended: still covered by ${escapeHtml(k.coveredBy)}.`,
      ),
    ];
    return `<p><b>LMS sync</b> (${trigger(msg)}): ${parts.join(' ')}</p>`;
  },
  failed(failures: Array<{ code: string; message: string }>): string {
    const items = failures
      .map((f) => `<li><code>${escapeHtml(f.code)}</code>: ${escapeHtml(f.message)}</li>`)
      .join('');
    return `<p><b>LMS sync failed</b>; a person is needed. Fix the cause, then click <i>Retry Enrollment</i>.</p><ul>${items}</ul>`;
  },
  nothing(reason: string): string {
    return `<p><b>LMS sync</b>: ${escapeHtml(reason)}.</p>`;
  },
};
