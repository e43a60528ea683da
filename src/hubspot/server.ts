// The handler on Node's HTTP server, through @hono/node-server's request listener.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Crm } from 'crmkit';
import { markFromSocket } from './body.js';
import { jsonHeadersOf, jsonTextOf } from './errors.js';
import { facadeHandler, type HubSpotHandlerOptions } from './handler.js';

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
  const handle = facadeHandler(crm, handlerOptions);
  // overrideGlobalObjects: false keeps Node's own Request and Response (and msw's patches) in
  // the process that embeds the server.
  const listener = getRequestListener(
    async (request, env) => {
      markFromSocket(request);
      const response = await handle(request);
      // A JSON answer goes out as the text it was made from: making a web Response's body
      // stream and reading it back costs more than the rest of a small answer. The same status
      // and headers, with the Content-Length @hono/node-server would have set; anything else
      // (no JSON, a copy of one, a Set-Cookie), through @hono/node-server as before. Encoded
      // once: measuring the text and then writing it would read a search page twice.
      const text = jsonTextOf(response);
      const headers = text === undefined ? undefined : jsonHeadersOf(response);
      if (text === undefined || headers === undefined) return response;
      const bytes = Buffer.from(text, 'utf8');
      headers['content-length'] ??= bytes.byteLength;
      const outgoing = env.outgoing as ServerResponse; // createServer of node:http, never HTTP/2
      outgoing.writeHead(response.status, headers);
      outgoing.end(bytes);
      return RESPONSE_ALREADY_SENT;
    },
    { overrideGlobalObjects: false },
  );
  const server: Server = createServer(listener);
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
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname}:${address.port}`,
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
