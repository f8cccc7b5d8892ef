// Standard Webhooks signatures, pure: HMAC-SHA256 over "<id>.<timestamp>.<raw body>" with the
// base64-decoded part of a `whsec_...` secret; header `v1,<base64>` (several, space-separated).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 5 * 60;

export type SignatureFailure =
  'missing_headers' | 'bad_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  return Buffer.from(b64, 'base64');
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer | string): Buffer {
  const h = createHmac('sha256', key);
  h.update(`${id}.${timestamp}.`);
  h.update(body);
  return h.digest();
}

/** The value of the `webhook-signature` header for one secret. */
export function sign(secret: string, id: string, timestamp: number | string, body: Buffer | string): string {
  return `v1,${hmac(secretKey(secret), id, String(timestamp), body).toString('base64')}`;
}

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Accepts when any `v1,` signature in the header matches any of the secrets (rotation), and the
 * timestamp is within ±tolerance of `nowSeconds`. Comparisons are constant-time.
 */
export function verify(
  secrets: readonly string[],
  headers: SignedHeaders,
  body: Buffer,
  nowSeconds: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): SignatureCheck {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const offered = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = hmac(secretKey(secret), id, timestamp, body);
    if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected)))
      return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
