// A hostile server in front of a simulator: it relays every request, unless the test's rule answers
// instead (a reply too large, a page repeated by a caching proxy, a fault with megabytes of text). It
// listens on 127.0.0.1 only, and everything it streams is bounded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  body: string;
  authorization: string | null;
}

export interface Relayed {
  status: number;
  contentType: string;
  body: string;
}

export type HostileAnswer =
  | { status?: number; contentType?: string; body: string }
  /** a 200 of `prefix`, then `chunk` over and over (without Content-Length) until `upTo` bytes or the client hangs up */
  | { stream: { prefix: string; chunk: string; upTo: number } };

export type HostileRule = (
  req: SeenRequest,
  relay: () => Promise<Relayed>,
) => Promise<HostileAnswer | undefined> | HostileAnswer | undefined;

export interface StreamRecord {
  bytesSent: number;
  /** the client closed the connection before the stream reached `upTo` */
  cutByClient: boolean;
}

export interface HostileServer {
  url: string;
  /** every request seen, in order */
  seen: SeenRequest[];
  /** the streams answered so far */
  streams: StreamRecord[];
  answer(rule: HostileRule | null): void;
  close(): Promise<void>;
}

/** `[db, key, model, method]` of an execute_kw call (its string params, in order). */
export function odooCall(req: SeenRequest): { model?: string; method?: string } {
  const strings = [...req.body.matchAll(/<param><value><string>([^<]*)<\/string><\/value><\/param>/g)];
  return { model: strings[2]?.[1], method: strings[3]?.[1] };
}

export async function startHostileServer(target: string): Promise<HostileServer> {
  let rule: HostileRule | null = null;
  const seen: SeenRequest[] = [];
  const streams: StreamRecord[] = [];

  const relay = (req: http.IncomingMessage, body: Buffer) => (): Promise<Relayed> =>
    new Promise((resolve, reject) => {
      const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            contentType: String(res.headers['content-type'] ?? 'text/plain'),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      up.on('error', reject);
      up.end(body);
    });

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    const request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      body: body.toString('utf8'),
      authorization: req.headers.authorization ?? null,
    };
    seen.push(request);
    const forward = relay(req, body);
    const answer = (rule && (await rule(request, forward))) || (await forward());
    if ('stream' in answer) return stream(res, answer.stream);
    res.writeHead(answer.status ?? 200, { 'Content-Type': answer.contentType ?? 'text/xml' });
    res.end(answer.body);
  }

  function stream(res: http.ServerResponse, s: { prefix: string; chunk: string; upTo: number }) {
    const record: StreamRecord = { bytesSent: 0, cutByClient: false };
    streams.push(record);
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    const chunk = Buffer.from(s.chunk);
    res.on('close', () => (record.cutByClient = !res.writableFinished));
    const pump = () => {
      while (!res.destroyed && record.bytesSent < s.upTo) {
        record.bytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    record.bytesSent += Buffer.byteLength(s.prefix);
    res.write(s.prefix);
    pump();
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      respond(req, res, Buffer.concat(chunks)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    streams,
    answer(next) {
      rule = next;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
