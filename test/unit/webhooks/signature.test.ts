import { sign, verify } from '../../../src/webhooks/signature';
import { OTHER_SECRET, TEST_SECRET } from '../../support/webhooks';

const NOW = 1_764_000_000;
const body = Buffer.from(
  '{"type":"order.paid","timestamp":"2025-11-24T16:00:00Z","data":{"orderId":7,"orderName":"S00007"}}',
);
const headersFor = (secret: string, opts: { id?: string; ts?: number; body?: Buffer } = {}) => {
  const id = opts.id ?? 'msg_1';
  const ts = opts.ts ?? NOW;
  return { id, timestamp: String(ts), signature: sign(secret, id, ts, opts.body ?? body) };
};

describe('webhook signature', () => {
  it('accepts a delivery signed with the current secret', () => {
    expect(verify([TEST_SECRET], headersFor(TEST_SECRET), body, NOW)).toEqual({ ok: true });
  });

  it('refuses a delivery signed with a wrong secret', () => {
    expect(verify([TEST_SECRET], headersFor(OTHER_SECRET), body, NOW)).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('accepts either secret while a rotation is in progress', () => {
    expect(verify([TEST_SECRET, OTHER_SECRET], headersFor(OTHER_SECRET), body, NOW).ok).toBe(true);
    expect(verify([OTHER_SECRET, TEST_SECRET], headersFor(TEST_SECRET), body, NOW).ok).toBe(true);
  });

  it('accepts a header carrying several signatures when one matches', () => {
    const h = headersFor(TEST_SECRET);
    const other = headersFor(OTHER_SECRET).signature;
    expect(verify([TEST_SECRET], { ...h, signature: `${other} v2,abc ${h.signature}` }, body, NOW).ok).toBe(
      true,
    );
  });

  it.each([
    ['stale by 301 s', NOW - 301, 'timestamp_out_of_tolerance'],
    ['future by 301 s', NOW + 301, 'timestamp_out_of_tolerance'],
  ])('refuses a timestamp %s', (_label, ts, reason) => {
    expect(verify([TEST_SECRET], headersFor(TEST_SECRET, { ts }), body, NOW)).toEqual({ ok: false, reason });
  });

  it('accepts a timestamp exactly at the tolerance edge', () => {
    expect(verify([TEST_SECRET], headersFor(TEST_SECRET, { ts: NOW - 300 }), body, NOW).ok).toBe(true);
  });

  it('refuses a body tampered by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 1;
    expect(verify([TEST_SECRET], headersFor(TEST_SECRET), tampered, NOW)).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('refuses a signature computed for another webhook-id', () => {
    const h = headersFor(TEST_SECRET);
    expect(verify([TEST_SECRET], { ...h, id: 'msg_2' }, body, NOW).ok).toBe(false);
  });

  it.each(['id', 'timestamp', 'signature'] as const)('refuses a delivery missing the %s header', (name) => {
    const h = { ...headersFor(TEST_SECRET), [name]: undefined };
    expect(verify([TEST_SECRET], h, body, NOW)).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('refuses a non-numeric timestamp', () => {
    expect(verify([TEST_SECRET], { ...headersFor(TEST_SECRET), timestamp: '2025-11-24' }, body, NOW)).toEqual(
      {
        ok: false,
        reason: 'bad_timestamp',
      },
    );
  });

  it('produces the v1,<base64 HMAC-SHA256> format of Standard Webhooks', () => {
    expect(sign(TEST_SECRET, 'msg_1', NOW, body)).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });
});
