// The HTTP listener and its limits: a client that trickles its headers or body, keeps idle
// connections, or opens more of them than we serve costs only its own connections.
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /** the request line and headers must arrive within this */
  headersTimeoutMs: number;
  /** the whole request, body included, must arrive within this (else 408 and the connection closes) */
  requestTimeoutMs: number;
  /** an idle keep-alive connection is closed after this (above a load balancer's own idle timeout) */
  keepAliveTimeoutMs: number;
  /** connections past this many are closed as soon as they are accepted */
  maxConnections: number;
}

export function listenHttp(
  app: RequestListener,
  address: { port: number; host: string },
  limits: ServerLimits,
): Promise<Server> {
  const timeouts = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // how often Node looks for connections past those timeouts (its default, 30 s, would let a
      // short timeout run far over)
      connectionsCheckingInterval: Math.min(30_000, Math.max(25, Math.floor(timeouts / 4))),
    },
    app,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
