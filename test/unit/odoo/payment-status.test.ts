import { paymentStatus, type InvoiceFacts } from '../../../src/odoo/payment-status';

const inv = (payment_state: string, state = 'posted'): InvoiceFacts => ({
  move_type: 'out_invoice',
  state,
  payment_state,
});
const refund = (state = 'posted'): InvoiceFacts => ({
  move_type: 'out_refund',
  state,
  payment_state: 'paid',
});

describe('paymentStatus', () => {
  it.each<[string, string, InvoiceFacts[], string]>([
    ['confirmed, one paid invoice', 'sale', [inv('paid')], 'paid'],
    ['in_payment counts as paid (Enterprise)', 'sale', [inv('in_payment')], 'paid'],
    ['done (Odoo ≤ 16) with a paid invoice', 'done', [inv('paid')], 'paid'],
    ['two invoices, both paid', 'sale', [inv('paid'), inv('in_payment')], 'paid'],
    ['two invoices, one not paid', 'sale', [inv('paid'), inv('not_paid')], 'unpaid'],
    ['partial payment', 'sale', [inv('partial')], 'unpaid'],
    ['not paid', 'sale', [inv('not_paid')], 'unpaid'],
    ['no invoice yet', 'sale', [], 'unpaid'],
    ['only a draft invoice', 'sale', [inv('not_paid', 'draft')], 'unpaid'],
    [
      'draft invoice ignored next to a paid posted one',
      'sale',
      [inv('paid'), inv('not_paid', 'draft')],
      'paid',
    ],
    ['cancelled invoice ignored', 'sale', [inv('paid'), inv('not_paid', 'cancel')], 'paid'],
    ['invoice reversed', 'sale', [inv('reversed')], 'refunded'],
    ['posted credit note next to a paid invoice', 'sale', [inv('paid'), refund()], 'refunded'],
    ['draft credit note does not refund', 'sale', [inv('paid'), refund('draft')], 'paid'],
    ['quotation with a paid invoice', 'draft', [inv('paid')], 'unpaid'],
    ['sent quotation', 'sent', [inv('paid')], 'unpaid'],
    ['cancelled order', 'cancel', [inv('paid')], 'unpaid'],
  ])('%s', (_, state, invoices, expected) => {
    expect(paymentStatus(state, invoices)).toBe(expected);
  });
});
