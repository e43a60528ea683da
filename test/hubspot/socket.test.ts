// createHubSpotServer's own bridge from Node's HTTP server to the handler (src/hubspot/socket.ts):
// what reaches it off a raw socket, which no SDK sends: no Host or a bogus one, an absolute-form
// target, a chunked body, a client that leaves mid-body, repeated headers. Each is answered (or
// survived) and the server goes on serving; a refused or abandoned request writes nothing.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crm, MemoryStorage } from 'crmkit';
import { createHubSpotServer, type HubSpotServer } from 'crmkit/hubspot';
import { SocketHeaders, SocketRequest } from '../../src/hubspot/socket.js';
import { testCrm } from '../helpers.js';

const TOKEN = 'secret';
const MAX = 4_096;
const CONTACTS = '/crm/v3/objects/contacts';

let crm: Crm;
let storage: MemoryStorage;
let server: HubSpotServer;
let port: number;

beforeAll(async () => {
  ({ crm, storage } = await testCrm());
  for (const email of ['a@x.com', 'b@x.com', 'c@x.com']) await crm.records.create('contacts', { email });
  server = await createHubSpotServer(crm, { accessToken: TOKEN, maxBodyBytes: MAX });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.close();
});

/** Writes `lines` (CRLF-joined) and then `body` to a fresh socket; the whole answer once the server is done with it. */
function raw(lines: string[], body = '', { endAfterWrite = false } = {}): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    if (endAfterWrite) socket.end();
  });
}

const json = (text: string): { [key: string]: any } => JSON.parse(text) as { [key: string]: any };
const auth = `Authorization: Bearer ${TOKEN}`;

describe('requests off the socket', () => {
  it('without a Host header (HTTP/1.0): answered, and links name the server', async () => {
    const answer = await raw([`GET ${CONTACTS}?limit=1 HTTP/1.0`, auth]);
    expect(answer.status).toBe(200);
    expect(json(answer.body).paging.next.link).toMatch(new RegExp(`^${server.url}${CONTACTS}\\?limit=1&after=`));
  });

  it('with a Host that is no host: the links name the server, never the bytes sent', async () => {
    const answer = await raw([`GET ${CONTACTS}?limit=1 HTTP/1.1`, 'Host: evil.test/x?y', auth, 'Connection: close']);
    expect(answer.status).toBe(200);
    expect(json(answer.body).paging.next.link.startsWith(`${server.url}${CONTACTS}?`)).toBe(true);
  });

  it('with the name the client used: links keep it (a container reached as crm:4000)', async () => {
    const answer = await raw([`GET ${CONTACTS}?limit=1 HTTP/1.1`, 'Host: crm.internal:4000', auth, 'Connection: close']);
    expect(json(answer.body).paging.next.link.startsWith(`http://crm.internal:4000${CONTACTS}?`)).toBe(true);
  });

  it('an absolute-form target, as a proxy sends it: routed by its path', async () => {
    const answer = await raw([`GET http://proxied.test${CONTACTS}?limit=1 HTTP/1.1`, 'Host: proxied.test', auth, 'Connection: close']);
    expect(answer.status).toBe(200);
    expect(json(answer.body).results).toHaveLength(1);
  });

  it('a chunked body (no Content-Length): read to its end and written', async () => {
    const payload = JSON.stringify({ properties: { email: 'chunked@x.com' } });
    const chunked = `${payload.length.toString(16)}\r\n${payload}\r\n0\r\n\r\n`;
    const answer = await raw([`POST ${CONTACTS} HTTP/1.1`, 'Host: localhost', auth, 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close'], chunked);
    expect(answer.status).toBe(201);
    expect((await crm.records.getBy('contacts', 'email', 'chunked@x.com'))?.id).toBe(json(answer.body).id);
  });

  it('a large chunked body within the limit: read whole, however many chunks it comes in', async () => {
    const roomy = await createHubSpotServer(crm, { accessToken: TOKEN });
    try {
      // Valid JSON padded with whitespace to 2 MB, sent in 64 KB chunks with no Content-Length.
      const payload = `{"properties":{"email":"large@x.com"}}${' '.repeat(2 * 1024 * 1024)}`;
      const bytes = new TextEncoder().encode(payload);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.subarray(at, at + 65_536));
          controller.close();
        },
      });
      const response = await fetch(`${roomy.url}${CONTACTS}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      expect(response.status).toBe(201);
      expect((await crm.records.getBy('contacts', 'email', 'large@x.com'))?.id).toBe(((await response.json()) as { id: string }).id);
    } finally {
      await roomy.close();
    }
  });

  it('a chunked body past maxBodyBytes: 413, nothing written, and the server serves on', async () => {
    const before = JSON.stringify(storage.snapshot());
    const big = `{"properties":{"email":"big@x.com","firstname":"${'x'.repeat(MAX)}"}}`;
    const answer = await raw([`POST ${CONTACTS} HTTP/1.1`, 'Host: localhost', auth, 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close'], `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    expect(answer.status).toBe(413);
    expect(json(answer.body).category).toBe('PAYLOAD_TOO_LARGE');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    expect((await fetch(`${server.url}${CONTACTS}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('a client that leaves mid-body: nothing written, and the server serves on', async () => {
    const before = JSON.stringify(storage.snapshot());
    const partial = '{"properties":{"email":"gone@x.com"';
    await raw([`POST ${CONTACTS} HTTP/1.1`, 'Host: localhost', auth, 'Content-Type: application/json', `Content-Length: ${partial.length + 40}`], partial, { endAfterWrite: true });
    // The server's side of the abandoned request settles on its own: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    expect((await fetch(`${server.url}${CONTACTS}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('a repeated Authorization header is one value joined, as web Headers join it: refused', async () => {
    const answer = await raw([`GET ${CONTACTS} HTTP/1.1`, 'Host: localhost', auth, auth, 'Connection: close']);
    expect(answer.status).toBe(401);
    expect(answer.headers.toLowerCase()).toContain('content-type: application/json');
  });

  it('a HEAD request: the GET answer`s status and headers, no body', async () => {
    const answer = await raw([`HEAD ${CONTACTS} HTTP/1.1`, 'Host: localhost', auth, 'Connection: close']);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
  });

  // 'Zoë' is Latin-1 only (one byte a character in the engine's string, two in UTF-8); the
  // other needs surrogate pairs. An ASCII answer goes out as Latin-1, the same bytes: neither
  // of these may.
  it.each(['Zoë', 'Zoë 😀 Łódź'])('an answer with text beyond ASCII (%s): its Content-Length counts UTF-8 bytes, and the next answer on the connection is whole', async (name) => {
    const created = await fetch(`${server.url}${CONTACTS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: `${name.length}@x.com`, firstname: name } }),
    });
    const bytes = Buffer.from(await created.arrayBuffer());
    expect(Number(created.headers.get('content-length'))).toBe(bytes.byteLength);
    const { id, properties } = json(bytes.toString('utf8'));
    expect(properties.firstname).toBe(name);
    // Keep-alive: a length counted in characters would leave bytes behind to spoil this answer.
    const read = await fetch(`${server.url}${CONTACTS}/${id}?properties=firstname`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(read.status).toBe(200);
    expect(json(await read.text()).properties.firstname).toBe(name);
  });
});

describe('SocketHeaders: a message`s raw headers read as web Headers read them', () => {
  it('any case, repeated ones joined with a comma and a space, absent ones null', () => {
    const headers = new SocketHeaders(['Content-Type', 'application/json', 'X-Tag', 'a', 'x-tag', 'b', 'Authorization', 'Bearer t']);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('CONTENT-TYPE')).toBe('application/json');
    expect(headers.get('X-TAG')).toBe('a, b');
    expect(headers.get('content-length')).toBeNull();
    expect(headers.has('authorization')).toBe(true);
    expect(headers.has('cookie')).toBe(false);
    const web = new Headers([['X-Tag', 'a'], ['x-tag', 'b']]);
    expect(headers.get('x-tag')).toBe(web.get('x-tag'));
  });
});

describe('SocketRequest', () => {
  it('hands out one body stream however often it is asked for, as a web Request does', async () => {
    const { IncomingMessage } = await import('node:http');
    const { Socket } = await import('node:net');
    const incoming = new IncomingMessage(new Socket());
    incoming.method = 'POST';
    incoming.url = '/x';
    const request = new SocketRequest(incoming, '127.0.0.1:1');
    expect(request.body).toBe(request.body);
    expect(request.bodyUsed).toBe(true);
    incoming.method = 'GET';
    expect(new SocketRequest(incoming, '127.0.0.1:1').body).toBeNull();
  });
});
