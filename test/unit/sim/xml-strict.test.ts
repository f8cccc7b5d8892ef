import { parseMethodCall } from '../../../src/sim/odoo/xml-parse';

// Odoo reads a request with xmlrpc.client.loads over expat: one character outside XML 1.0 and the whole
// call is refused with expat's message (which Odoo returns as a Fault 1 traceback).
describe('simulator request parsing is as strict as expat', () => {
  const withString = (text: string) =>
    `<?xml version="1.0"?><methodCall><methodName>m</methodName><params><param><value><string>${text}</string></value></param></params></methodCall>`;
  const parse = (text: string) => parseMethodCall(withString(text)).params[0];

  it.each<[string, string]>([
    ['ESC', 'Lan\u001b[31m Nguyen'],
    ['vertical tab', 'a\u000bb'],
    ['NUL', 'a\u0000b'],
    ['U+FFFF', 'a\uffffb'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude00b'],
  ])('refuses a raw %s as not well-formed', (_, text) => {
    expect(() => parse(text)).toThrow(/^not well-formed \(invalid token\): line 1, column \d+$/);
  });

  it.each<[string, string]>([
    ['&#27;', 'ESC by decimal reference'],
    ['&#x1B;', 'ESC by hex reference'],
    ['&#xD800;', 'a surrogate by reference'],
    ['&#xFFFE;', 'U+FFFE by reference'],
  ])('refuses %s (%s) as a reference to an invalid character', (ref) => {
    expect(() => parse(`a${ref}b`)).toThrow(/^reference to invalid character number: line 1, column \d+$/);
  });

  it('refuses a bare ampersand, an undefined entity and a stray <', () => {
    expect(() => parse('Lan & Co')).toThrow(/^not well-formed \(invalid token\)/);
    expect(() => parse('&nbsp;')).toThrow(/^undefined entity/);
    expect(() => parse('1 <3')).toThrow(/^not well-formed \(invalid token\)/);
  });

  it('keeps tab, LF, CR, characters beyond the BMP and valid references', () => {
    expect(parse('a\tb\nc\rd \ud83d\ude00 &#233;&#x1F600;&amp;')).toBe(
      'a\tb\nc\rd \ud83d\ude00 é\ud83d\ude00&',
    );
  });

  it('says where on which line the bad character is, as expat does', () => {
    const xml = withString('ok').replace('<params>', '<params>\n').replace('<string>ok', '<string>o\u001bk');
    expect(() => parseMethodCall(xml)).toThrow('not well-formed (invalid token): line 2, column 23');
  });
});
