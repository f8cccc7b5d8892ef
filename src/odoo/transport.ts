// The one seam between the service and Odoo's wire protocol: XML-RPC today, JSON-2 (Odoo 19+) later.
// Keep arguments named (kwargs) wherever Odoo allows, so that a JSON-2 transport is a mechanical change.

export interface OdooTransport {
  executeKw<T = unknown>(
    model: string,
    method: string,
    args: unknown[],
    kwargs?: Record<string, unknown>,
  ): Promise<T>;
  version(): Promise<{ server_version: string }>;
  /** releases sockets (keep-alive agents) */
  close?(): void;
}
