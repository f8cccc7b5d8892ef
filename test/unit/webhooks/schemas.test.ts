import { describeIssues, webhookEvent } from '../../../src/webhooks/schemas';
import { events } from '../../support/webhooks';

describe('webhook payload schemas', () => {
  it.each([
    ['order.paid', events.paid(7)],
    ['order.refunded', events.refunded(7)],
    ['enrollment.retry_requested', events.retry(7)],
    ['enrollment.retry_requested with lineIds', events.retry(7, 'S00007', [11, 12])],
  ])('accepts a valid %s', (_label, payload) => {
    expect(webhookEvent.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['unknown type', { ...events.paid(7), type: 'order.shipped' }, 'type'],
    ['orderId as a string', { ...events.paid(7), data: { orderId: '7', orderName: 'S7' } }, 'data.orderId'],
    ['negative orderId', { ...events.paid(7), data: { orderId: -1, orderName: 'S7' } }, 'data.orderId'],
    ['missing orderName', { ...events.refunded(7), data: { orderId: 7 } }, 'data.orderName'],
    ['timestamp not ISO', { ...events.paid(7), timestamp: '24/11/2025' }, 'timestamp'],
    [
      'retry without requestedBy',
      { ...events.retry(7), data: { orderId: 7, orderName: 'S7' } },
      'data.requestedBy',
    ],
    ['empty lineIds', events.retry(7, 'S7', []), 'data.lineIds'],
    ['no data', { type: 'order.paid', timestamp: new Date().toISOString() }, 'data'],
  ])('refuses %s and names the path', (_label, payload, path) => {
    const r = webhookEvent.safeParse(payload);
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error).map((i) => i.path)).toContain(path);
  });

  it('explains an unknown type by listing the known ones', () => {
    const r = webhookEvent.safeParse({ ...events.paid(7), type: 'order.shipped' });
    if (r.success) throw new Error('should fail');
    expect(describeIssues(r.error)[0]?.message).toMatch(/order\.paid/);
  });
});
