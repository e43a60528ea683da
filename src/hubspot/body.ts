// Reading a request: the JSON body (its type, its size, its syntax) and array query
// parameters. Every refusal happens before any crm call, so a refused request changes nothing.
import { CrmError } from 'crmkit';
import { HttpRefusal } from './errors.js';
import { jsonSyntaxError } from './json.js';

/**
 * A VALIDATION_ERROR about the request itself (`field`: what is wrong, as the client wrote it).
 *
 * @example
 * throw requestError('inputs', 'inputs must be an array, got an object');
 */
export function requestError(field: string, message: string): CrmError<'VALIDATION_ERROR'> {
  return new CrmError('VALIDATION_ERROR', message, { issues: [{ code: 'INVALID_ARGUMENT', property: field, message }] });
}

/**
 * Whether a Content-Type header names JSON (`application/json`, or any `+json` type), parameters aside.
 *
 * @example
 * isJsonType('application/json; charset=utf-8'); // true
 */
export function isJsonType(header: string | null): boolean {
  if (header === null) return false;
  if (header === 'application/json') return true; // what every SDK sends; the rest below
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * What the façade reads of a request: a web `Request` has all of it, and so does the lighter
 * request createHubSpotServer makes from Node's message (src/hubspot/socket.ts), which has no
 * more: the façade's code reads a request through this type only.
 *
 * @example
 * const request: FacadeRequest = new Request('http://localhost/crm/v3/objects/contacts');
 */
export interface FacadeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
}

/**
 * The request's JSON body. Refuses, in this order: a non-JSON Content-Type (415), a declared
 * length over `maxBytes` (413, before reading a byte), a body that grows past `maxBytes` while
 * read (413, the rest left unread), no body (400), malformed JSON (400 with its line and column).
 *
 * @example
 * const body = await readJsonBody(request, 10 * 1024 * 1024);
 */
export async function readJsonBody(request: FacadeRequest, maxBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  const whole = readDeclared(request, declared, maxBytes);
  const text = whole !== undefined ? await whole : decoder.decode(await readStreamed(request, declared, maxBytes));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Only text that is not JSON can be blank: asked here, not of every body.
    if (text.trim() === '') throw requestError('body', 'The request has no body: this endpoint takes a JSON body');
    const at = jsonSyntaxError(text);
    throw requestError('body', at ? `Invalid input JSON on line ${at.line}, column ${at.column}: ${at.reason}` : 'Invalid input JSON');
  }
}

/**
 * Marks a request read off a socket by Node's HTTP parser (createHubSpotServer sets it). A
 * symbol-keyed property, not a WeakSet: a WeakSet gains an entry per request that only a GC
 * removes, and costs a hash lookup on each side, on the path every request takes.
 */
const FROM_SOCKET = Symbol('crmkit.fromSocket');

/**
 * Marks `request` as read off a socket by Node's HTTP parser, which reads no more body than the
 * request's Content-Length declares: {@link readJsonBody} may then read a declared body whole.
 *
 * @example
 * markFromSocket(request); // as createHubSpotServer's SocketRequest does
 */
export function markFromSocket(request: FacadeRequest): void {
  (request as FacadeRequest & { [FROM_SOCKET]?: true })[FROM_SOCKET] = true;
}

/**
 * The body's text in one read, for a request off a socket (see {@link markFromSocket}) whose
 * length is declared (1 to `maxBytes` bytes), whose type is JSON and whose body is unread:
 * `text()` then reads Node's message straight, without a web body stream (most of a small
 * request's cost), and Node's HTTP parser reads no more than the declared length. `undefined`
 * otherwise: the streamed read below answers every other case, refusals included.
 */
function readDeclared(request: FacadeRequest, declared: string | null, maxBytes: number): Promise<string> | undefined {
  if ((request as FacadeRequest & { [FROM_SOCKET]?: true })[FROM_SOCKET] !== true || declared === null || !/^[1-9]\d*$/.test(declared) || Number(declared) > maxBytes) return undefined;
  if (request.bodyUsed || !isJsonType(request.headers.get('content-type'))) return undefined;
  return request.text(); // UTF-8, a BOM dropped, bad bytes replaced: as the decoder below
}

/** UTF-8, as Request.text() decodes (a leading BOM dropped, bad bytes replaced); stateless between calls. */
const decoder = new TextDecoder();

/** The body read chunk by chunk, refusing as {@link readJsonBody} says. */
async function readStreamed(request: FacadeRequest, declared: string | null, maxBytes: number): Promise<Uint8Array> {
  if (request.body === null || declared === '0') throw requestError('body', 'The request has no body: this endpoint takes a JSON body');
  if (!isJsonType(request.headers.get('content-type'))) {
    throw new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got ${JSON.stringify(request.headers.get('content-type') ?? '')}`);
  }
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop reading: a client sending gigabytes gets its answer without being read to the end.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

function tooLarge(maxBytes: number): HttpRefusal {
  return new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * An array query parameter, repeated (`?properties=a&properties=b`, as the SDK sends it) or
 * comma-separated (`?properties=a,b`, as HubSpot's docs write it), or both; blanks dropped.
 * `undefined` when absent.
 *
 * @example
 * queryList(new URL('http://x/?properties=a,b&properties=c').searchParams, 'properties'); // ['a', 'b', 'c']
 */
export function queryList(params: URLSearchParams, name: string): string[] | undefined {
  const raw = params.getAll(name);
  if (raw.length === 0) return undefined;
  return raw.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

/**
 * A boolean query parameter: `true` or `false` (any case); absent is `fallback`; anything else 400.
 *
 * @example
 * queryBoolean(params, 'archived', false);
 */
export function queryBoolean(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === null || value === '') return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw requestError(name, `Query parameter ${name} must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * A page size from a query parameter or body field: a whole number from 1 to `max`; absent is `fallback`.
 *
 * @example
 * pageLimit(params.get('limit'), 'limit', 10, 100);
 */
export function pageLimit(value: unknown, field: string, fallback: number, max: number): number {
  if (value === null || value === undefined || value === '') return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > max) {
    throw requestError(field, `${field} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * A paging cursor from the client: `undefined` for the first page. HubSpot's examples start
 * with `after: 0` or `'0'`, so those mean the first page too.
 *
 * @example
 * cursorOf('0'); // undefined
 */
export function cursorOf(value: unknown, field: string): string | undefined {
  if (value === null || value === undefined || value === '' || value === 0 || value === '0') return undefined;
  if (typeof value !== 'string') throw requestError(field, `${field} must be a string cursor from paging.next.after`);
  return value;
}

/**
 * A page's `paging` with HubSpot's `link` beside the cursor: the request's own URL with `after`
 * set; undefined on the last page.
 *
 * @example
 * pagingOf(request, 'MTA'); // { next: { after: 'MTA', link: 'http://127.0.0.1:4000/crm/v3/objects/contacts?after=MTA' } }
 */
export function pagingOf(request: FacadeRequest, after: string | undefined): { next: { after: string; link: string } } | undefined {
  if (after === undefined) return undefined;
  const url = new URL(request.url);
  url.searchParams.set('after', after);
  return { next: { after, link: url.toString() } };
}
