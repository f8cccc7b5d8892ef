import { ConnectionFailure } from '../../../src/odoo/call-failure';
import { OdooFault } from '../../../src/odoo/faults';
import {
  methodLabel,
  observeOdooCalls,
  odooCallOutcome,
  type OdooCallObservation,
} from '../../../src/odoo/observed-transport';
import type { OdooTransport } from '../../../src/odoo/transport';

describe('Odoo calls, counted by method and outcome', () => {
  it.each([
    ['a Fault', new OdooFault(2, 'Access Denied', 'sale.order.read'), 'fault'],
    ['pool full', new ConnectionFailure('500', { kind: 'http', status: 500, poolFull: true }), 'overloaded'],
    ['503', new ConnectionFailure('503', { kind: 'http', status: 503, poolFull: false }), 'overloaded'],
    ['502', new ConnectionFailure('502', { kind: 'http', status: 502, poolFull: false }), 'error'],
    ['refused', new ConnectionFailure('refused', { kind: 'refused' }), 'unreachable'],
    ['reset', new ConnectionFailure('reset', { kind: 'dropped' }), 'unreachable'],
    ['timeout', new ConnectionFailure('timeout', { kind: 'timeout' }), 'timeout'],
    ['anything else', new Error('boom'), 'error'],
  ])('%s → %s', (_what, err, outcome) => {
    expect(odooCallOutcome(err)).toBe(outcome);
  });

  it('keeps the method label bounded', () => {
    expect(methodLabel('search_read')).toBe('search_read');
    expect(methodLabel('action_grant_access')).toBe('other');
  });

  it('observes each call once, success or failure, and passes results and errors through', async () => {
    const seen: OdooCallObservation[] = [];
    const inner: OdooTransport = {
      executeKw: async <T>(_model: string, method: string) => {
        if (method === 'write') throw new OdooFault(1, 'no', 'sale.order.write');
        return [{ id: 1 }] as T;
      },
      version: async () => ({ server_version: '17.0' }),
    };
    const t = observeOdooCalls(inner, (o) => seen.push(o));
    await expect(t.executeKw('sale.order', 'search_read', [[]])).resolves.toEqual([{ id: 1 }]);
    await expect(t.executeKw('sale.order', 'write', [[1], {}])).rejects.toBeInstanceOf(OdooFault);
    await t.version();
    expect(seen.map(({ method, outcome }) => [method, outcome])).toEqual([
      ['search_read', 'ok'],
      ['write', 'fault'],
      ['version', 'ok'],
    ]);
    expect(seen.every((o) => o.seconds >= 0)).toBe(true);
  });
});
