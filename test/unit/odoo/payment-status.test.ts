import { orderPayment, paymentStatus, type InvoiceFacts } from '../../../src/odoo/payment-status';

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

describe('orderPayment: refunds are per order line', () => {
  const billed = (payment_state: string, ...saleLineIds: number[]): InvoiceFacts => ({
    ...inv(payment_state),
    lines: saleLineIds.map((id) => ({ quantity: 1, saleLineIds: [id] })),
  });
  const credit = (...saleLineIds: number[]): InvoiceFacts => ({
    ...refund(),
    lines: saleLineIds.map((id) => ({ quantity: 1, saleLineIds: [id] })),
  });
  const result = (invoices: InvoiceFacts[], lines = [1, 2]) => {
    const r = orderPayment('sale', invoices, lines);
    return { status: r.status, refunded: [...r.refundedLineIds].sort() };
  };

  it.each<[string, InvoiceFacts[], { status: string; refunded: number[] }]>([
    [
      'a credit note on one line of a paid invoice',
      [billed('paid', 1, 2), credit(2)],
      { status: 'paid', refunded: [2] },
    ],
    [
      'a credit note on every line',
      [billed('paid', 1, 2), credit(1, 2)],
      { status: 'refunded', refunded: [1, 2] },
    ],
    ['a full reversal', [billed('reversed', 1, 2), credit(1, 2)], { status: 'refunded', refunded: [1, 2] }],
    [
      'reversed and invoiced again, the new invoice paid',
      [billed('reversed', 1, 2), credit(1, 2), billed('paid', 1, 2)],
      { status: 'paid', refunded: [] },
    ],
    [
      'reversed and invoiced again, the new invoice not paid yet',
      [billed('reversed', 1, 2), credit(1, 2), billed('not_paid', 1, 2)],
      { status: 'unpaid', refunded: [] },
    ],
    [
      'a credit note on a line that is not a course',
      [billed('paid', 1, 2, 3), credit(3)],
      { status: 'paid', refunded: [] },
    ],
    [
      'a credit note whose lines were not read',
      [billed('paid', 1, 2), refund()],
      { status: 'refunded', refunded: [1, 2] },
    ],
    [
      'a draft credit note',
      [billed('paid', 1, 2), { ...credit(1), state: 'draft' }],
      { status: 'paid', refunded: [] },
    ],
  ])('%s', (_, invoices, expected) => {
    expect(result(invoices)).toEqual(expected);
  });
});
