import {
  httpFailure,
  isOverload,
  parseRetryAfter,
  resendable,
  type CallFailure,
} from '../../../src/odoo/call-failure';
import { POOL_FULL_PAGE } from '../../../src/sim/odoo/db-pool';

const NOW = Date.parse('2026-12-02T08:00:00Z');

describe('Retry-After', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['spaces around', ' 5 ', 5_000],
    ['an HTTP date ahead', 'Wed, 02 Dec 2026 08:00:30 GMT', 30_000],
    ['an HTTP date in the past', 'Wed, 02 Dec 2026 07:00:00 GMT', 0],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['negative', '-5', undefined],
    ['a fraction', '1.5', undefined],
    ['a bare number that is not seconds', '12abc', undefined],
    ['not a date', 'soon', undefined],
  ])('%s: %p', (_, header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });
});

describe('what an Odoo call failure allows', () => {
  const http = (status: number, body = '', retryAfter?: string) => httpFailure(status, body, retryAfter, NOW);

  it('recognises the PoolError page of a full pool, and only on 500/503', () => {
    expect(http(500, POOL_FULL_PAGE)).toMatchObject({ poolFull: true });
    expect(http(503, POOL_FULL_PAGE)).toMatchObject({ poolFull: true });
    expect(http(502, POOL_FULL_PAGE)).toMatchObject({ poolFull: false });
    expect(http(500, '<h1>Internal Server Error</h1>')).toMatchObject({ poolFull: false });
    expect(http(429, '', '3')).toMatchObject({ retryAfterMs: 3000 });
  });

  it.each<[string, CallFailure, boolean, boolean]>([
    // failure, a write may be resent, it is an overload
    ['refused connection', { kind: 'refused' }, true, false],
    ['reset after sending', { kind: 'dropped' }, false, false],
    ['timeout', { kind: 'timeout' }, false, true],
    ['429', http(429), true, true],
    ['503', http(503), true, true],
    ['500 PoolError page', http(500, POOL_FULL_PAGE), true, true],
    ['500 other page', http(500, 'oops'), false, true],
    ['502', http(502), false, true],
    ['504', http(504), false, true],
  ])('%s', (_, failure, writeResent, overload) => {
    expect(resendable(failure, false)).toBe(writeResent);
    expect(resendable(failure, true)).toBe(true);
    expect(isOverload(failure)).toBe(overload);
  });
});
