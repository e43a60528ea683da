// createHubSpotServer's bridge between Node's HTTP server and the façade's handler (decision
// 0027). The handler reads little of a request (method, URL, four headers, the body) and Node's
// IncomingMessage has all of it: a SocketRequest hands over exactly that, read off the message
// when asked, without making a web Request, its Headers or its body stream. The answer goes back
// as the JSON text it was made from when it is one (nearly every answer), else as any Response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { markFromSocket, type FacadeRequest } from './body.js';
import { failureResponse, jsonHeadersOf, jsonTextOf } from './errors.js';

/** UTF-8 as a web Request's text() decodes it: a leading BOM dropped, bad bytes replaced. */
const decoder = new TextDecoder();

/**
 * A Host header usable in a URL: a name or IPv4 address, or a bracketed IPv6 one, and a port.
 * Anything else (a client may send any bytes) gives way to the server's own address, so a
 * request's URL, and the paging links made from it, always parse.
 */
const USABLE_HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The request's headers as the façade reads them: `get` by any case, repeated headers joined
 * with `, ` as web Headers join them. Read from the message's raw header list, because Node
 * builds its `headers` object for the whole message on first use and the façade wants four.
 */
export class SocketHeaders {
  readonly #raw: readonly string[];

  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }

  /** The header's value, or null when absent (as `Headers#get`). */
  get(name: string): string | null {
    const raw = this.#raw;
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (let at = 0; at < raw.length; at += 2) {
      const key = raw[at]!;
      if (key.length !== wanted.length || key.toLowerCase() !== wanted) continue;
      value = value === null ? raw[at + 1]! : `${value}, ${raw[at + 1]!}`;
    }
    return value;
  }

  /** Whether the request carries the header. */
  has(name: string): boolean {
    return this.get(name) !== null;
  }
}

/**
 * What the façade reads of a request, read off Node's message: method, URL, headers, the body
 * once (as text, or as a web stream for the chunked and oversized cases readJsonBody streams).
 * Node's HTTP parser reads no more body than the Content-Length declares, which is what lets
 * readJsonBody take a declared body in one read (markFromSocket).
 */
export class SocketRequest implements FacadeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: SocketHeaders;
  readonly #incoming: IncomingMessage;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(incoming: IncomingMessage, fallbackHost: string) {
    this.#incoming = incoming;
    this.method = incoming.method ?? 'GET';
    this.headers = new SocketHeaders(incoming.rawHeaders);
    this.url = urlOf(incoming.url ?? '/', this.headers.get('host'), fallbackHost);
    markFromSocket(this);
  }

  /** Whether the body has been taken (by text(), or handed out as a stream). */
  get bodyUsed(): boolean {
    return this.#used;
  }

  /**
   * The body as a web stream (null for GET and HEAD, as a web Request's), the same one each
   * time it is asked for (as a Request's): two streams over one message would each take every
   * chunk, the unread one holding the whole body. Taking it uses the body.
   */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.method === 'GET' || this.method === 'HEAD') return null;
    this.#used = true;
    return (this.#stream ??= Readable.toWeb(this.#incoming) as ReadableStream<Uint8Array>);
  }

  /** The whole body as UTF-8 text; rejects if the client goes away before sending all of it. */
  text(): Promise<string> {
    if (this.#used) return Promise.reject(new TypeError('The request body has already been read'));
    this.#used = true;
    const incoming = this.#incoming;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => resolve(decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
      incoming.once('error', reject);
      incoming.once('close', () => {
        if (!incoming.readableEnded) reject(new Error('The client closed the connection before sending the whole body'));
      });
    });
  }
}

/** The request's absolute URL: its own when absolute-form, else its Host (when usable) and path. */
function urlOf(target: string, host: string | null, fallbackHost: string): string {
  if (target.startsWith('/')) return `http://${host !== null && USABLE_HOST.test(host) ? host : fallbackHost}${target}`;
  // Absolute-form, as a proxy sends it; anything else ('*' of OPTIONS) routes nowhere.
  try {
    const url = new URL(target);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // not a URL: falls through to a path that no route has
  }
  return `http://${fallbackHost}/${encodeURIComponent(target)}`;
}

/**
 * Writes `response` to Node: a JSON answer as its text, with a Content-Length, at once (no
 * promise: what runs after `end()` in this turn delays the client's next step); any other
 * Response through {@link writeResponse}.
 */
function writeAnswer(response: Response, outgoing: ServerResponse): Promise<void> | undefined {
  const text = jsonTextOf(response);
  const jsonHeaders = text === undefined ? undefined : jsonHeadersOf(response);
  if (text !== undefined && jsonHeaders !== undefined) {
    // Node writes a text body in the same write as the head, encoding it there; a Buffer made
    // first would be one more allocation and copy per answer. A text as long as its UTF-8 bytes
    // is ASCII, whose Latin-1 bytes are the same: Node copies those rather than encoding them.
    const bytes = Buffer.byteLength(text, 'utf8');
    jsonHeaders['content-length'] ??= bytes;
    outgoing.writeHead(response.status, jsonHeaders);
    outgoing.end(text, bytes === text.length ? 'latin1' : 'utf8');
    return undefined;
  }
  return writeResponse(response, outgoing);
}

/** Writes any Response to Node: its status, headers (each Set-Cookie a line of its own) and whole body. */
async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[] | number> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (body !== undefined) headers['content-length'] ??= body.byteLength;
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

/**
 * Node's request listener over `handle`: each request as a {@link SocketRequest}, each answer
 * written back. `fallbackHost` (the listening address) stands in for a missing or unusable Host.
 * Nothing escapes: an answer that cannot be made is the 500 envelope, and a socket that cannot
 * be written to (the client left) is closed.
 *
 * @example
 * const server = createServer(socketListener(facadeHandler(crm), () => '127.0.0.1:4000'));
 */
export function socketListener(handle: (request: FacadeRequest) => Promise<Response>, fallbackHost: () => string): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  const answer = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    let response: Response;
    try {
      response = await handle(new SocketRequest(incoming, fallbackHost()));
    } catch (error) {
      response = failureResponse(error);
    }
    const writing = writeAnswer(response, outgoing);
    if (writing) await writing;
  };
  return (incoming, outgoing) => {
    answer(incoming, outgoing).catch(() => outgoing.destroy());
  };
}
