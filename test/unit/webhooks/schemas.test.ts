import { describeIssues, webhookEvent } from '../../../src/webhooks/schemas';
import { events } from '../../support/webhooks';

describe('webhook payload schemas', () => {
  it.each([
    ['order.paid', events.paid(7)],
    ['order.refunded', events.refunded(7)],
    ['order.learners_changed', events.learnersChanged(7)],
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

  const paidWith = (data: Record<string, unknown>) => ({
    ...events.paid(7),
    data: { ...events.paid(7).data, ...data },
  });
  const retryWith = (requestedBy: Record<string, unknown>, lineIds?: unknown[]) => {
    const e = events.retry(7);
    return { ...e, data: { ...e.data, requestedBy: { ...e.data.requestedBy, ...requestedBy }, lineIds } };
  };

  it.each([
    ['orderId 2^31', paidWith({ orderId: 2 ** 31 }), 'data.orderId'],
    ['orderId 2^53+1 (JSON rounds it)', JSON.parse('{"orderId": 9007199254740993}'), 'data.orderId'],
    ['orderId 1e300', paidWith({ orderId: 1e300 }), 'data.orderId'],
    ['orderId 0', paidWith({ orderId: 0 }), 'data.orderId'],
    ['userId 2^31', retryWith({ userId: 2 ** 31 }), 'data.requestedBy.userId'],
    ['a lineId 2^31', retryWith({}, [5, 2 ** 31]), 'data.lineIds.1'],
  ])('refuses %s, beyond what an Odoo id can be', (_label, payloadOrData, path) => {
    const payload = 'type' in payloadOrData ? payloadOrData : paidWith(payloadOrData);
    const r = webhookEvent.safeParse(payload);
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error).map((i) => i.path)).toEqual([path]);
  });

  it('accepts the largest Odoo id', () => {
    expect(webhookEvent.safeParse(paidWith({ orderId: 2147483647 })).success).toBe(true);
  });

  it.each([
    ['a NUL in orderName', paidWith({ orderName: 'S0\u00007' }), 'data.orderName'],
    ['a lone high surrogate in orderName', paidWith({ orderName: 'S\uD800x' }), 'data.orderName'],
    ['a lone low surrogate in requestedBy.name', retryWith({ name: 'Ann \uDC00' }), 'data.requestedBy.name'],
    ['a control character in requestedBy.name', retryWith({ name: 'Ann\u0008' }), 'data.requestedBy.name'],
  ])('refuses %s and names the path', (_label, payload, path) => {
    const r = webhookEvent.safeParse(payload);
    expect(r.success).toBe(false);
    if (!r.success)
      expect(describeIssues(r.error)).toEqual([{ path, message: expect.stringMatching(/cannot be stored/) }]);
  });

  it('accepts names in any script, with emoji (surrogate pairs) and tabs', () => {
    expect(webhookEvent.safeParse(retryWith({ name: 'Nguyễn Thị\tÁnh 👩‍🏫 李' })).success).toBe(true);
  });

  it('explains an unknown type by listing the known ones', () => {
    const r = webhookEvent.safeParse({ ...events.paid(7), type: 'order.shipped' });
    if (r.success) throw new Error('should fail');
    expect(describeIssues(r.error)[0]?.message).toMatch(/order\.paid/);
  });
});
