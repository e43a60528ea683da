// Every bad request crmkit/hubspot refuses, sent two ways: raw fetch to the server, and a
// Request handed to hubspotHandler directly. Each answers its status with a JSON envelope, and
// the crm's storage is byte for byte what it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crm, MemoryStorage } from 'crmkit';
import { createHubSpotServer, hubspotHandler, type HubSpotServer } from 'crmkit/hubspot';
import { testCrm } from '../helpers.js';
import { headersWith, refusedBy, waysOf, type Send } from './harness.js';

const TOKEN = 'secret';
const MAX = 4_096;
const BASE = '/crm/v3/objects';

let crm: Crm;
let storage: MemoryStorage;
let server: HubSpotServer;
let handle: (request: Request) => Promise<Response>;
let contactId: string;

beforeAll(async () => {
  ({ crm, storage } = await testCrm());
  contactId = (await crm.records.create('contacts', { email: 'ann@x.com' })).id;
  server = await createHubSpotServer(crm, { accessToken: TOKEN, maxBodyBytes: MAX });
  handle = hubspotHandler(crm, { accessToken: TOKEN, maxBodyBytes: MAX });
});

afterAll(async () => {
  await server.close();
});

const { auth, json } = headersWith(TOKEN);
const ways = waysOf(() => ({ server, handle }));
const refused = (send: Send, path: string, init: RequestInit, status: number): Promise<{ [key: string]: any }> => refusedBy(storage, send, path, init, status);

describe.each(ways)('bad requests, by %s', (_, way) => {
  it('no token, or another one: 401 INVALID_AUTHENTICATION', async () => {
    expect(await refused(way(), `${BASE}/contacts`, {}, 401)).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    expect(await refused(way(), `${BASE}/contacts`, { headers: { authorization: 'Bearer nope' } }, 401)).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"properties":{"email":"x@x.com"}}' }, 401);
    for (const authorization of [`Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer x${TOKEN}`, 'Bearer', `Bearer${TOKEN}`, TOKEN]) {
      await refused(way(), `${BASE}/contacts`, { headers: { authorization } }, 401);
    }
  });

  it('the token in any spelling of the Bearer scheme: let in', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER  ${TOKEN}`, ` Bearer\t${TOKEN} `]) {
      expect((await way()(`${BASE}/contacts?limit=1`, { headers: { authorization } })).status, authorization).toBe(200);
    }
  });

  it('malformed JSON: 400 with its line and column', async () => {
    const body = await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: '{\n  "properties": {"email": "x@x.com",}\n}' }, 400);
    expect(body.message).toBe('Invalid input JSON on line 2, column 37: unexpected character "}"');
  });

  it('no body: 400; not JSON: 415', async () => {
    expect((await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json }, 400)).message).toContain('no body');
    expect((await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: '  ' }, 400)).message).toContain('no body');
    await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{"properties":{}}' }, 415);
    await refused(way(), `${BASE}/contacts/batch/create`, { method: 'POST', headers: auth, body: new Blob(['{"inputs":[]}']) }, 415);
  });

  it('a body over maxBodyBytes: 413', async () => {
    const big = JSON.stringify({ properties: { email: 'x@x.com', message: 'x'.repeat(MAX) } });
    expect(await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: big }, 413)).toMatchObject({ category: 'PAYLOAD_TOO_LARGE' });
  });

  it('wrong shapes: 400 naming the field', async () => {
    const post = (path: string, body: unknown): RequestInit & { path: string } => ({ path, method: 'POST', headers: json, body: JSON.stringify(body) });
    const cases: Array<[RequestInit & { path: string }, string]> = [
      [post('/contacts', []), 'body must be an object, got an array'],
      [post('/contacts', { properties: 'x' }), 'properties must be an object, got a string'],
      [post('/contacts', { properties: { email: { a: 1 } } }), 'properties.email must be a string, number, boolean or null, got an object'],
      [post('/contacts', { properties: { email: 'x@x.com' }, associations: [{ to: { id: '1' } }] }), 'associations[0].types must be an array'],
      [post('/contacts', { properties: { email: 'x@x.com' }, associations: [{ to: { id: '1' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 999 }] }] }), 'associations[0].types[0].associationTypeId: 999 is not an association type'],
      [post('/contacts/batch/create', { inputs: {} }), 'inputs must be an array, got an object'],
      [post('/contacts/batch/create', { inputs: [{ properties: { email: 'a@x.com' } }, { properties: { email: ['b'] } }] }), 'inputs[1].properties.email must be a string'],
      [post('/contacts/batch/create', { inputs: Array.from({ length: 101 }, (_, n) => ({ properties: { email: `p${n}@x.com` } })) }), 'inputs may hold at most 100 items, got 101'],
      [post('/contacts/batch/read', { inputs: [{ id: {} }] }), 'inputs[0].id must be a non-empty string'],
      [post('/contacts/batch/update', { inputs: [{ id: contactId, properties: { firstname: 'A' } }, { id: contactId }] }), 'inputs[1].properties must be an object'],
      [post('/contacts/batch/upsert', { inputs: [{ id: 'a@x.com', idProperty: 'email', properties: {} }, { id: '1', properties: {} }] }), 'inputs[1].idProperty: every input of one upsert must use the same idProperty'],
      [post('/contacts/batch/archive', { inputs: 'all' }), 'inputs must be an array'],
      [post('/contacts/search', { filterGroups: {} }), 'filterGroups must be an array'],
      [post('/contacts/search', { sorts: ['{bad'] }), 'sorts[0] is not valid JSON'],
      [post('/contacts/merge', { primaryObjectId: contactId }), 'objectIdToMerge must be a non-empty string'],
      [post('/contacts/gdpr-delete', {}), 'objectId must be a non-empty string'],
    ];
    for (const [{ path, ...init }, message] of cases) {
      const body = await refused(way(), `${BASE}${path}`, init, 400);
      expect(body.message, path).toContain(message);
      expect(body.category).toBe('VALIDATION_ERROR');
    }
  });

  it('bad query parameters: 400 naming them', async () => {
    expect((await refused(way(), `${BASE}/contacts?limit=abc`, { headers: auth }, 400)).message).toContain('limit must be a whole number from 1 to 100');
    expect((await refused(way(), `${BASE}/contacts?limit=101`, { headers: auth }, 400)).message).toContain('limit');
    expect((await refused(way(), `${BASE}/contacts?archived=maybe`, { headers: auth }, 400)).message).toContain('archived must be true or false');
    expect((await refused(way(), `${BASE}/contacts?after=forged`, { headers: auth }, 400)).subCategory).toBe('VALIDATION_ERROR');
  });

  it('bad values: 400 VALIDATION_ERROR with every property problem', async () => {
    const body = await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: JSON.stringify({ properties: { email: 'nope', hs_object_id: '5', nope: 'x' } }) }, 400);
    expect(body.message).toMatch(/^Property values were not valid: /);
    expect(body.errors.map((error: { code: string }) => error.code).sort()).toEqual(['INVALID_EMAIL', 'PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);
  });

  it('a duplicate: 409; unknown ids: 404; an unknown type: 400', async () => {
    expect(await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: JSON.stringify({ properties: { email: 'ANN@x.com' } }) }, 409)).toMatchObject({
      message: `Contact already exists. Existing ID: ${contactId}`,
      context: { existingId: [contactId] },
    });
    await refused(way(), `${BASE}/contacts/nope`, { headers: auth }, 404);
    await refused(way(), `${BASE}/contacts/nope`, { method: 'PATCH', headers: json, body: '{"properties":{"firstname":"X"}}' }, 404);
    await refused(way(), `${BASE}/contacts/nope`, { method: 'DELETE', headers: auth }, 404);
    await refused(way(), `${BASE}/contacts/nope@x.com?idProperty=email`, { headers: auth }, 404);
    expect(await refused(way(), `${BASE}/widgets`, { headers: auth }, 400)).toMatchObject({ message: 'Unable to infer object type from: widgets' });
  });

  it('unknown routes and methods: 404', async () => {
    await refused(way(), '/crm/v3/nothing', { headers: auth }, 404);
    await refused(way(), `${BASE}/contacts`, { method: 'PUT', headers: json, body: '{}' }, 404);
    await refused(way(), `${BASE}/companies/gdpr-delete`, { method: 'POST', headers: json, body: '{"objectId":"1"}' }, 404);
    await refused(way(), '/', { headers: auth }, 404);
  });

  it('__proto__ keys are plain data: refused as unknown properties, or ignored, never a prototype', async () => {
    const body = await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: '{"properties":{"__proto__":{"email":"p@x.com"}}}' }, 400);
    expect(body.message).toContain('properties.__proto__');
    const unknown = await refused(way(), `${BASE}/contacts`, { method: 'POST', headers: json, body: '{"properties":{"email":"p@x.com","__proto__":"x"}}' }, 400);
    expect(unknown.errors).toEqual([expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['__proto__'] } })]);
    await refused(way(), `${BASE}/contacts/batch/upsert`, { method: 'POST', headers: json, body: '{"inputs":[{"id":"x","idProperty":"__proto__","properties":{}}]}' }, 400);
    const response = await way()(`${BASE}/contacts/search`, { method: 'POST', headers: json, body: '{"__proto__":{"polluted":true},"limit":1}' });
    expect(response.status).toBe(200);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('the handler alone', () => {
  it('reads no more of a streamed body than maxBodyBytes allows', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1_024).fill(32));
        if (pulled > 10_000) controller.close();
      },
    });
    const before = JSON.stringify(storage.snapshot());
    const response = await handle(new Request(`http://crm.test${BASE}/contacts`, { method: 'POST', headers: json, body: stream, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });

  it('reads no more of a streamed body than maxBodyBytes allows, whatever length it declares', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1_024).fill(32));
        if (pulled > 10_000) controller.close();
      },
    });
    const response = await handle(new Request(`http://crm.test${BASE}/contacts`, { method: 'POST', headers: { ...json, 'content-length': '10' }, body: stream, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const response = await handle(new Request(`http://crm.test${BASE}/contacts`, { method: 'POST', headers: { ...json, 'content-length': String(MAX + 1) }, body: '{}' }));
    expect(response.status).toBe(413);
  });

  it('serves under a prefix, and nothing outside it', async () => {
    const mounted = hubspotHandler(crm, { prefix: '/hubspot/' });
    const inside = await mounted(new Request(`http://crm.test/hubspot${BASE}/contacts/${contactId}`));
    expect(inside.status).toBe(200);
    expect(((await inside.json()) as { id: string }).id).toBe(contactId);
    expect((await mounted(new Request(`http://crm.test${BASE}/contacts/${contactId}`))).status).toBe(404);
  });

  it('answers the portal id in fully qualified names', async () => {
    const { crm: own } = await testCrm();
    await own.schema.defineObject({ name: 'pets', labels: { singular: 'Pet', plural: 'Pets' }, primaryDisplayProperty: 'pet', properties: [{ name: 'pet', label: 'Pet', type: 'string', fieldType: 'text' }] });
    const portal = hubspotHandler(own, { portalId: 77 });
    expect((await portal(new Request(`http://crm.test${BASE}/p77_pets`))).status).toBe(200);
    expect((await portal(new Request(`http://crm.test${BASE}/p1_pets`))).status).toBe(400);
  });
});
