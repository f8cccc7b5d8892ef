// The webhook's body as the bytes that were signed, read straight from the request stream: no
// decoding, no decompression (the signature covers the bytes as sent, and Odoo sends them plain), and
// never more than `limit` bytes held. A declared Content-Length past the limit is refused before
// anything is read.
import type { IncomingMessage } from 'node:http';
import { InvalidInput } from '../lib';

export function tooLarge(): InvalidInput {
  return new InvalidInput('payload_too_large', 'the body is larger than the limit', 413);
}

/** Any Content-Encoding but `identity` is refused (415): the signed bytes would not be the ones read. */
export function unsupportedEncoding(req: IncomingMessage): string | undefined {
  const enc = req.headers['content-encoding'];
  if (enc === undefined) return undefined;
  const e = enc.trim().toLowerCase();
  return e === '' || e === 'identity' ? undefined : e.slice(0, 32);
}

export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (fn: () => void) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      fn();
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(() => reject(tooLarge()));
        req.resume(); // the rest is read and dropped; the answer closes the connection
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    }
    function onError(err: Error): void {
      settle(() => reject(err));
    }
    function onClose(): void {
      // closed before its end: the client went away mid-body; nobody is left to answer
      settle(() => reject(new InvalidInput('request_aborted', 'the request ended before its body', 400)));
    }
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}
