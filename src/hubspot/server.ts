// The handler on Node's HTTP server, through the façade's own request listener (socket.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Crm } from 'crmkit';
import { facadeHandler, type HubSpotHandlerOptions } from './handler.js';
import { socketListener } from './socket.js';

/**
 * Options of {@link createHubSpotServer}: the handler's, and where to listen.
 *
 * @example
 * const options: HubSpotServerOptions = { accessToken: 'test-token', port: 4000 };
 */
export interface HubSpotServerOptions extends HubSpotHandlerOptions {
  /** Default 0: a free port (read it from `url`). */
  port?: number;
  /** Default `127.0.0.1`: only this machine can reach it. */
  host?: string;
}

/**
 * A running server: its base URL (no trailing slash) and how to stop it.
 *
 * @example
 * const server: HubSpotServer = await createHubSpotServer(crm);
 * await server.close();
 */
export interface HubSpotServer {
  /** `http://127.0.0.1:<port>`: the SDK's `basePath`. */
  readonly url: string;
  /** Stops listening and closes every connection, keep-alive ones included; resolves once closed. */
  close(): Promise<void>;
}

/**
 * HubSpot's CRM REST API over `crm` on a local HTTP server, for the official SDK or any client.
 *
 * @example
 * import { Client } from '@hubspot/api-client';
 * const server = await createHubSpotServer(crm, { accessToken: 'test-token' });
 * const hubspot = new Client({ accessToken: 'test-token', basePath: server.url });
 * await hubspot.crm.contacts.basicApi.create({ properties: { email: 'ann@example.com' }, associations: [] });
 * await server.close();
 */
export async function createHubSpotServer(crm: Crm, options: HubSpotServerOptions = {}): Promise<HubSpotServer> {
  const { port = 0, host = '127.0.0.1', ...handlerOptions } = options;
  // The listening address stands in for a missing Host header; known once listening.
  let address = '';
  const server: Server = createServer(socketListener(facadeHandler(crm, handlerOptions), () => address));
  // Idle keep-alive connections stay open a minute, not Node's default 5 s: a client whose event
  // loop was busy longer than that (a seed on a synchronous database) sends its next request on
  // its pooled socket before any timer runs, and the server's timer would then close that
  // socket under the request (ECONNRESET). close() still ends idle connections at once.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const listening = server.address() as AddressInfo;
  const hostname = listening.family === 'IPv6' || listening.address.includes(':') ? `[${listening.address}]` : listening.address;
  address = `${hostname}:${listening.port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would hold close() open for seconds: end them now, and give
        // requests in flight a moment to finish before their sockets are ended too.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      return closing;
    },
  };
}
