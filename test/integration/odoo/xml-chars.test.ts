import http from 'node:http';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { startOdooSim, type OdooSim } from '../../../src/sim/odoo';
import { lastLine } from './rpc-helpers';

const CREDS = { db: 'odoo', username: 'svc', apiKey: 'x'.repeat(40) };

/** POSTs a raw body, as a client with a careless encoder would. */
function post(url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/xmlrpc/2/object`, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const createPartnerCall = (name: string) =>
  `<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>` +
  `<param><value><string>odoo</string></value></param><param><value><int>2</int></value></param>` +
  `<param><value><string>${CREDS.apiKey}</string></value></param>` +
  `<param><value><string>res.partner</string></value></param><param><value><string>create</string></value></param>` +
  `<param><value><array><data><value><struct><member><name>name</name><value><string>${name}</string></value></member></struct></value></data></array></value></param>` +
  `</params></methodCall>`;

describe('characters outside XML 1.0 between the service and Odoo', () => {
  let sim: OdooSim;
  beforeAll(async () => {
    sim = await startOdooSim({ port: 0, ...CREDS });
  });
  afterAll(() => sim.close());

  const partnersNamed = (pattern: string) => sim.store.search('res.partner', [['name', 'ilike', pattern]]);

  it.each<[string, Buffer]>([
    ['an ESC in a string', Buffer.from(createPartnerCall('Lan \u001bNguyen'))],
    ['a reference to ESC', Buffer.from(createPartnerCall('Lan &#27;Nguyen'))],
    [
      'bytes that are not UTF-8',
      Buffer.concat([Buffer.from(createPartnerCall('Lan ')), Buffer.from([0xc3, 0x28])]),
    ],
  ])(
    'the simulator refuses a request with %s like Odoo: HTTP 200, Fault 1 ExpatError, nothing stored',
    async (_, body) => {
      const before = partnersNamed('Lan ').length;
      const { status, text } = await post(sim.url, body);
      expect(status).toBe(200);
      expect(text).toContain('<name>faultCode</name>\n<value><int>1</int></value>');
      const faultString =
        /<name>faultString<\/name>\n<value><string>([\s\S]*?)<\/string>/.exec(text)?.[1] ?? '';
      expect(lastLine(faultString)).toMatch(/^xml\.parsers\.expat\.ExpatError: .+: line \d+, column \d+$/);
      expect(partnersNamed('Lan ')).toHaveLength(before);
    },
  );

  it('a partner name with ESC and a lone surrogate reaches Odoo as a valid call, those characters as U+FFFD', async () => {
    const transport = createXmlRpcTransport({ url: sim.url, ...CREDS, timeoutMs: 5000 });
    try {
      const id = await transport.executeKw<number>('res.partner', 'create', [
        { name: 'Minh \u001b[1mTran\ud800' },
      ]);
      expect(sim.store.read('res.partner', [id], ['name'])).toEqual([
        { id, name: 'Minh \ufffd[1mTran\ufffd' },
      ]);
    } finally {
      transport.close();
    }
  });
});
