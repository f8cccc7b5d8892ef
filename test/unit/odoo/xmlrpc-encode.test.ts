import { encodeCall } from '../../../src/odoo/xmlrpc-codec';
import { parseMethodCall } from '../../../src/sim/odoo/xml-parse';

// The simulator's parser is as strict as Odoo's expat: what it accepts, Odoo accepts.
describe('XML-RPC request encoding: only XML 1.0 characters reach Odoo', () => {
  const roundTrip = (value: unknown) => parseMethodCall(encodeCall('execute_kw', [value])).params[0];

  it.each<[string, string, string]>([
    ['ESC in a partner name', 'Lan \u001b[31mNguyen', 'Lan \ufffd[31mNguyen'],
    ['vertical tab and form feed', 'a\u000bb\u000cc', 'a\ufffdb\ufffdc'],
    ['NUL', 'a\u0000b', 'a\ufffdb'],
    ['U+FFFE and U+FFFF', 'a\ufffeb\uffffc', 'a\ufffdb\ufffdc'],
    ['a lone high surrogate', 'x\ud83d', 'x\ufffd'],
    ['a lone low surrogate', '\ude00x', '\ufffdx'],
  ])('replaces %s with U+FFFD', (_, sent, received) => {
    expect(roundTrip(sent)).toBe(received);
  });

  it('keeps tab, LF, CR, emoji and markup characters as they are', () => {
    const text = 'a\tb\nc\rd \ud83d\ude00 <b>&amp;</b>';
    expect(roundTrip(text)).toBe(text);
  });

  it('cleans struct keys and nested values too', () => {
    expect(roundTrip({ 'k\u0007': ['v\u001b', { n: 'w\ud800' }] })).toEqual({
      'k\ufffd': ['v\ufffd', { n: 'w\ufffd' }],
    });
  });
});
