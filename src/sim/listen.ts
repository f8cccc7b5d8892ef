// Starts an HTTP simulator on a local address: its URL back (a free port when asked for 0), and a close
// that does not wait for clients' keep-alive sockets.
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface Listening {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export async function listenLocally(app: Express, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients with keep-alive agents would otherwise hold close() open until their sockets time out.
        server.closeAllConnections();
      }),
  };
}
