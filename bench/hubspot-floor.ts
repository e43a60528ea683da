// The floor of the façade benchmark (bench/hubspot.ts): a bare node:http server on loopback that
// answers the two routes the workload calls with canned bytes, the façade's own answers captured
// once before the clock. It reads every request body to the end before answering, as any server
// must, and parses nothing: what it costs is Node's HTTP server, loopback and the SDK's client
// side (serialising, node-fetch, parsing the same bytes), which the façade pays too. Node's
// defaults on both servers, so keep-alive behaves the same (the SDK's requests go through Node's
// global agent, which keeps connections alive).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer as the façade sent it: status, Content-Type and the body's bytes. */
export interface CannedAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface FloorServer {
  /** `http://127.0.0.1:<port>`: the SDK's basePath. */
  readonly url: string;
  /** Requests answered, and request body bytes read (every body to its end). */
  readonly served: { requests: number; bodyBytes: number };
  close(): Promise<void>;
}

/** Where the SDK sends a contact create and a contact search. */
export const CREATE_PATH = '/crm/v3/objects/contacts';
export const SEARCH_PATH = '/crm/v3/objects/contacts/search';

const NOT_FOUND = Buffer.from(JSON.stringify({ status: 'error', message: 'No such route on the floor server', category: 'OBJECT_NOT_FOUND' }));

/** Starts the floor server on a free loopback port, answering `answers` by route. */
export async function startFloorServer(answers: { create: CannedAnswer; search: CannedAnswer }): Promise<FloorServer> {
  const served = { requests: 0, bodyBytes: 0 };
  const answer = (response: ServerResponse, canned: CannedAnswer): void => {
    response.writeHead(canned.status, { 'content-type': canned.contentType, 'content-length': canned.body.byteLength });
    response.end(canned.body);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    request.on('end', () => {
      served.requests++;
      served.bodyBytes += bytes;
      if (request.method === 'POST' && request.url === CREATE_PATH) answer(response, answers.create);
      else if (request.method === 'POST' && request.url === SEARCH_PATH) answer(response, answers.search);
      else answer(response, { status: 404, contentType: 'application/json;charset=utf-8', body: NOT_FOUND });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
