import { randomUUID } from 'node:crypto';
import { doneNoteWorthIt } from '../../../src/enrollment/order-notes';
import type { OrderSyncMessage } from '../../../src/enrollment/message';
import type { PlannedAction } from '../../../src/enrollment/plan';

const msg = (trigger: OrderSyncMessage['trigger']): OrderSyncMessage => ({
  messageId: randomUUID(),
  eventId: randomUUID(),
  trigger,
  orderId: 7,
  orderName: 'S00007',
});

function action(kind: PlannedAction['action'], via: 'own' | 'guardian' = 'own'): PlannedAction {
  return {
    action: kind,
    businessKey: `${kind}:7:PY-K12:odoo-partner-3`,
    courseCode: 'PY-K12',
    studentId: 'odoo-partner-3',
    learner: {
      partnerId: 3,
      studentId: 'odoo-partner-3',
      name: 'Ann',
      email: via === 'own' ? 'ann@example.com' : null,
      contact:
        via === 'own'
          ? { via: 'own', email: 'ann@example.com' }
          : { via: 'guardian', email: 'mum@example.com', guardianName: 'Mum' },
    },
  } as unknown as PlannedAction;
}

describe('which successful syncs get a chatter note', () => {
  it("not a payment's plain enrollment of learners with their own email: the status says it", () => {
    expect(doneNoteWorthIt([action('enroll'), action('enroll')], msg('order.paid'))).toBe(false);
    expect(doneNoteWorthIt([], msg('order.paid'))).toBe(false);
  });

  it('an invitation sent to someone else, a suspend, a kept course, or anything a person or a run asked for', () => {
    expect(doneNoteWorthIt([action('enroll', 'guardian')], msg('order.paid'))).toBe(true);
    expect(doneNoteWorthIt([action('suspend')], msg('order.paid'))).toBe(true);
    expect(doneNoteWorthIt([action('enroll')], msg('order.paid'), [{ courseCode: 'PY-K12' }])).toBe(true);
    for (const t of [
      'order.refunded',
      'order.learners_changed',
      'enrollment.retry_requested',
      'reconcile.repair',
      'dlq.replay',
    ] as const) {
      expect(doneNoteWorthIt([action('enroll')], msg(t))).toBe(true);
    }
  });
});
