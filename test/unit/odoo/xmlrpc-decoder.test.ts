import { decodeReply } from '../../../src/odoo/xmlrpc-codec';

const reply = (value: string) =>
  `<?xml version="1.0"?><methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
const decoded = (value: string) => {
  const r = decodeReply(reply(value));
  if (!r.ok) throw new Error('a fault');
  return r.value;
};

describe('XML-RPC reply decoder', () => {
  it.each<[string, string, unknown]>([
    ['a comment inside a string', '<string>ab<!-- note -->cd</string>', 'abcd'],
    ['a comment holding ">" and "<"', '<string>a<!-- x > y < z -->b</string>', 'ab'],
    ['two comments and entities', '<string>&lt;a<!--1-->&amp;<!--2-->b&gt;</string>', '<a&b>'],
    ['a comment inside an untyped value', 'ab<!-- c -->cd', 'abcd'],
    ['a comment only, in an untyped value', '<!-- c -->', ''],
    ['a comment before a typed value', '<!-- c --><int>7</int>', 7],
    ['a comment inside an int', '<int>4<!-- c -->2</int>', 42],
    [
      'CDATA kept as it is, entities not decoded in it',
      '<string><![CDATA[<b>&amp;</b>]]>&amp;</string>',
      '<b>&amp;</b>&',
    ],
    [
      'comments between struct members',
      '<struct><!-- a --><member><name>k<!-- b --></name><!-- c --><value><boolean>1</boolean></value></member><!-- d --></struct>',
      { k: true },
    ],
    [
      'comments between array items',
      '<array><data><!-- a --><value><int>1</int></value><!-- b --><value>x</value></data></array>',
      [1, 'x'],
    ],
  ])('keeps the text around %s', (_, xml, expected) => {
    expect(decoded(xml)).toEqual(expected);
  });

  it.each<[string, string]>([
    [
      '__proto__',
      '<struct><member><name>__proto__</name><value><struct><member><name>isAdmin</name><value><boolean>1</boolean></value></member></struct></value></member></struct>',
    ],
    [
      '__proto__ nested in an array',
      '<array><data><value><struct><member><name>__proto__</name><value><struct><member><name>isAdmin</name><value><boolean>1</boolean></value></member></struct></value></member></struct></value></data></array>',
    ],
  ])('reads a %s member as a plain field, never as the prototype', (_, xml) => {
    const value = decoded(xml);
    const record = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect((record as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({ isAdmin: true });
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it.each<[string, string]>([
    ['an unclosed comment', '<string>ab<!-- never closed</string>'],
    ['an unclosed CDATA', '<string><![CDATA[ab</string>'],
  ])('refuses %s as a truncated reply', (_, xml) => {
    expect(() => decoded(xml)).toThrow(/truncated XML-RPC reply/);
  });
});
