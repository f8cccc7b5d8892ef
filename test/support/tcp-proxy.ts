// A loopback TCP proxy a test can cut and restore: a broker or database "outage" without touching the
// shared local services.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Client connections accepted so far (a reconnect loop shows here). */
  accepted: number;
  url(scheme: string, userinfo?: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** From now on the target's replies are kept from the clients: requests still arrive, answers don't. */
  holdReplies(): void;
  /** Connections with a reply kept from their client (calls the target answered, the client never saw). */
  readonly heldReplies: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let port = 0;
  let accepted = 0;
  let holding = false;
  const held = new Set<net.Socket>();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        accepted += 1;
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream);
        upstream.on('data', (chunk: Buffer) => (holding ? held.add(client) : client.write(chunk)));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  await listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    get heldReplies() {
      return held.size;
    },
    holdReplies: () => {
      holding = true;
    },
    url: (scheme, userinfo) => `${scheme}://${userinfo ? `${userinfo}@` : ''}127.0.0.1:${port}`,
    cut: stop,
    // Idempotent: restoring a proxy that is up must not leave a second server listening.
    restore: () => (server.listening ? Promise.resolve() : listen()),
    close: stop,
  };
}
