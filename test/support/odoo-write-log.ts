// A recording HTTP forwarder in front of the Odoo simulator: notes when each XML-RPC call that changes
// something (anything but a read) arrives, so a test can tell whether the service wrote after a point.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const READS = new Set([
  'read',
  'search',
  'search_read',
  'search_count',
  'fields_get',
  'name_search',
  'read_group',
]);

export interface OdooWriteLog {
  url: string;
  writes: Array<{ at: number; model: string; method: string }>;
  close(): Promise<void>;
}

export async function startOdooWriteLog(targetUrl: string): Promise<OdooWriteLog> {
  const target = new URL(targetUrl);
  const writes: OdooWriteLog['writes'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // execute_kw(db, uid, password, model, method, …): the strings are db, password, model, method.
      const strings = [...body.toString('utf8').matchAll(/<string>([^<]*)<\/string>/g)].map(
        (m) => m[1] ?? '',
      );
      const [model, method] = [strings[2] ?? '', strings[3] ?? ''];
      if (body.includes('execute_kw') && !READS.has(method)) writes.push({ at: Date.now(), model, method });
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
