import { decodeReply, encodeCall } from '../../../src/odoo/xmlrpc-codec';
import { parseMethodCall, XmlRpcBinary, XmlRpcDateTime } from '../../../src/sim/odoo/xml-parse';
import { CannotMarshalNone, dumpFault, dumpResponse, PyFloat } from '../../../src/sim/odoo/xml-write';

describe('simulator request parsing (what Python xmlrpc.client.loads accepts)', () => {
  const call = (value: string) =>
    parseMethodCall(
      `<?xml version="1.0"?><methodCall><methodName>m</methodName><params><param><value>${value}</value></param></params></methodCall>`,
    ).params[0];

  it.each<[string, string, unknown]>([
    ['int', '<int>7</int>', 7],
    ['i4', '<i4>-3</i4>', -3],
    ['i8 as a number', '<i8>4294967296</i8>', 4294967296],
    ['double', '<double>4750000.0</double>', 4750000],
    ['boolean', '<boolean>1</boolean>', true],
    ['string with entities', '<string>a &amp; b &lt;c&gt;</string>', 'a & b <c>'],
    ['untyped value is a string', 'plain', 'plain'],
    ['CDATA string (the xmlrpc package sends these)', '<string><![CDATA[<b>x</b>]]></string>', '<b>x</b>'],
    ['nil', '<nil/>', null],
    ['namespaced nil', '<ex:nil/>', null],
    [
      'array',
      '<array><data><value><int>1</int></value><value><string>a</string></value></data></array>',
      [1, 'a'],
    ],
    [
      'struct',
      '<struct><member><name>k</name><value><boolean>0</boolean></value></member></struct>',
      { k: false },
    ],
  ])('%s', (_, xml, expected) => {
    expect(call(xml)).toEqual(expected);
  });

  it('keeps base64 and dateTime.iso8601 as Python objects the ORM does not understand', () => {
    expect(call('<base64>aGk=</base64>')).toEqual(new XmlRpcBinary(Buffer.from('hi')));
    expect(call('<dateTime.iso8601>20240501T10:00:00</dateTime.iso8601>')).toEqual(
      new XmlRpcDateTime('20240501T10:00:00'),
    );
  });

  it('rejects malformed XML and bad booleans', () => {
    expect(() => call('<int>1</i4>')).toThrow(/mismatched tag/);
    expect(() => call('<boolean>2</boolean>')).toThrow(/bad boolean/);
  });
});

describe('simulator replies read by the client codec', () => {
  it('round-trips Odoo values: doubles for floats, [id, name], false, nested structs', () => {
    const record = {
      id: 1,
      amount_total: new PyFloat(4750000),
      partner_id: [7, 'Lan & Co <VN>'],
      email: false,
      line_ids: [],
    };
    const xml = dumpResponse([record]);
    expect(xml).toContain('<double>4750000.0</double>');
    expect(xml).not.toContain('<nil/>');
    expect(decodeReply(xml)).toEqual({
      ok: true,
      value: [{ id: 1, amount_total: 4750000, partner_id: [7, 'Lan & Co <VN>'], email: false, line_ids: [] }],
    });
  });

  it('strips control characters Odoo cannot send', () => {
    expect(decodeReply(dumpResponse('a\u0001b\tc'))).toEqual({ ok: true, value: 'ab\tc' });
  });

  it('refuses to marshal None, as allow_none=False does', () => {
    expect(() => dumpResponse({ a: undefined })).toThrow(CannotMarshalNone);
  });

  it('decodes a fault', () => {
    expect(decodeReply(dumpFault(2, "Object x doesn't exist"))).toEqual({
      ok: false,
      fault: { faultCode: 2, faultString: "Object x doesn't exist" },
    });
  });

  it('encodes a call the simulator parses back', () => {
    const params = [
      'db',
      2,
      'key',
      'sale.order',
      'write',
      [[1], { note: '<b>&</b>', amount: 1.5, flag: true }],
      {},
    ];
    expect(parseMethodCall(encodeCall('execute_kw', params))).toEqual({ methodName: 'execute_kw', params });
  });
});
