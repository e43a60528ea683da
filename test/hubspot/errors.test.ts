// CrmErrors as HubSpot's error envelope (src/hubspot/errors.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError } from 'crmkit';
import { hubspotHandler } from 'crmkit/hubspot';
import { contextOf, failureOf, HttpRefusal, jsonHeadersOf, jsonResponse, jsonTextOf, standardResponse, statusOf } from '../../src/hubspot/errors.js';

const ID = '00000000-0000-4000-8000-000000000000';

describe('statusOf', () => {
  it('maps each family of codes to HubSpot status and category', () => {
    expect(statusOf('DUPLICATE_RECORD')).toEqual({ status: 409, category: 'CONFLICT' });
    expect(statusOf('CONFLICT')).toEqual({ status: 409, category: 'CONFLICT' });
    expect(statusOf('LABEL_EXISTS')).toEqual({ status: 409, category: 'CONFLICT' });
    expect(statusOf('NOT_FOUND')).toEqual({ status: 404, category: 'OBJECT_NOT_FOUND' });
    expect(statusOf('ARCHIVED')).toEqual({ status: 404, category: 'OBJECT_NOT_FOUND' });
    expect(statusOf('STORAGE_ERROR')).toEqual({ status: 500, category: 'INTERNAL_ERROR' });
    expect(statusOf('VALIDATION_ERROR')).toEqual({ status: 400, category: 'VALIDATION_ERROR' });
    expect(statusOf('ASSOCIATION_NOT_ALLOWED')).toEqual({ status: 400, category: 'VALIDATION_ERROR' });
  });
});

describe('contextOf', () => {
  it('keeps plain facts as string lists, leaves nested ones out', () => {
    expect(contextOf({ objectType: 'contacts', id: '7', limit: 3, ids: ['1', '2'], issues: [], cause: new Error('x'), nested: { a: 1 } })).toEqual({
      objectType: ['contacts'],
      id: ['7'],
      limit: ['3'],
      ids: ['1', '2'],
    });
    expect(contextOf({})).toBeUndefined();
  });
});

describe('failureOf', () => {
  it('a duplicate contact: 409 with HubSpot message and every existing id', () => {
    const error = new CrmError('DUPLICATE_RECORD', 'A contacts record with email "a@b.com" already exists (id 7)', {
      objectType: 'contacts',
      existingId: '7',
      conflicts: [
        { index: 0, property: 'email', value: 'a@b.com', existingId: '7' },
        { index: 2, property: 'email', value: 'c@d.com', existingId: '9' },
        { index: 3, property: 'email', value: 'e@f.com', conflictsWithIndex: 1 },
      ],
    });
    const { status, body } = failureOf(error, ID);
    expect(status).toBe(409);
    expect(body).toMatchObject({
      status: 'error',
      message: 'Contact already exists. Existing ID: 7, 9',
      correlationId: ID,
      category: 'CONFLICT',
      subCategory: 'DUPLICATE_RECORD',
      context: { objectType: ['contacts'], existingId: ['7', '9'], inputIndex: ['0', '2', '3'] },
    });
    expect(body.errors).toHaveLength(3);
    expect(body.errors![2]).toMatchObject({ code: 'DUPLICATE_VALUE', message: 'Input 3: email "e@f.com" repeats input 1' });
  });

  it('a duplicate of another type keeps the crm message', () => {
    const error = new CrmError('DUPLICATE_RECORD', 'A companies record with domain "a.com" already exists (id 4)', { objectType: 'companies', existingId: '4' });
    expect(failureOf(error, ID).body).toMatchObject({ message: 'A companies record with domain "a.com" already exists (id 4)', context: { existingId: ['4'] } });
  });

  it('property problems: HubSpot "Property values were not valid" list, and errors[] with code and propertyName', () => {
    const error = new CrmError('VALIDATION_ERROR', 'contacts: email: bad', {
      issues: [
        { code: 'INVALID_EMAIL', property: 'email', message: 'email: "x" is not a valid email address' },
        { code: 'PROPERTY_DOESNT_EXIST', property: 'nope', message: 'Property "nope" does not exist on contacts', index: 1 },
      ],
    });
    const { status, body } = failureOf(error, ID);
    expect(status).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.message.startsWith('Property values were not valid: ')).toBe(true);
    expect(JSON.parse(body.message.slice('Property values were not valid: '.length))).toEqual([
      { isValid: false, message: 'email: "x" is not a valid email address', error: 'INVALID_EMAIL', name: 'email' },
      { isValid: false, message: 'Property "nope" does not exist on contacts', error: 'PROPERTY_DOESNT_EXIST', name: 'nope' },
    ]);
    expect(body.errors).toEqual([
      { message: 'email: "x" is not a valid email address', code: 'INVALID_EMAIL', context: { propertyName: ['email'] } },
      { message: 'Property "nope" does not exist on contacts', code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['nope'], inputIndex: ['1'] } },
    ]);
  });

  it('other validation problems keep the crm message', () => {
    const error = new CrmError('VALIDATION_ERROR', 'inputs must be an array, got an object', { issues: [{ code: 'INVALID_ARGUMENT', property: 'inputs', message: 'inputs must be an array, got an object' }] });
    expect(failureOf(error, ID).body).toMatchObject({ message: 'inputs must be an array, got an object', errors: [{ code: 'INVALID_ARGUMENT', context: { propertyName: ['inputs'] } }] });
  });

  it('an unknown object type: "Unable to infer object type from"', () => {
    const { status, body } = failureOf(new CrmError('UNKNOWN_OBJECT_TYPE', 'x', { objectType: 'widgets' }), ID);
    expect(status).toBe(400);
    expect(body).toMatchObject({ message: 'Unable to infer object type from: widgets', category: 'VALIDATION_ERROR', subCategory: 'UNKNOWN_OBJECT_TYPE' });
  });

  it('missing and archived records are 404 OBJECT_NOT_FOUND', () => {
    expect(failureOf(new CrmError('NOT_FOUND', 'No contacts record with id "9"', { objectType: 'contacts', id: '9' }), ID)).toMatchObject({
      status: 404,
      body: { category: 'OBJECT_NOT_FOUND', subCategory: 'NOT_FOUND', context: { objectType: ['contacts'], id: ['9'] } },
    });
    expect(failureOf(new CrmError('ARCHIVED', 'archived', { objectType: 'contacts', id: '9' }), ID).status).toBe(404);
  });

  it('a storage failure is 500 without the driver error; a bug is 500 without its stack', () => {
    const storage = failureOf(new CrmError('STORAGE_ERROR', 'disk full', { cause: new Error('ENOSPC /secret/path'), code: 'SQLITE_FULL' }), ID);
    expect(storage).toMatchObject({ status: 500, body: { category: 'INTERNAL_ERROR', subCategory: 'STORAGE_ERROR', context: { code: ['SQLITE_FULL'] } } });
    expect(JSON.stringify(storage.body)).not.toContain('secret');
    const bug = failureOf(new TypeError('cannot read x of undefined'), ID);
    expect(bug).toMatchObject({ status: 500, body: { category: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(bug.body)).not.toContain('undefined');
  });

  it('an HttpRefusal is answered as it says', () => {
    expect(failureOf(new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON only'), ID)).toEqual({
      status: 415,
      body: { status: 'error', message: 'JSON only', correlationId: ID, category: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });
});

describe('jsonResponse', () => {
  it('is a Response like any other, its body made when first read', async () => {
    const response = jsonResponse(201, { id: '1', name: 'Ann' });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(response.bodyUsed).toBe(false);
    expect(jsonTextOf(response)).toBe('{"id":"1","name":"Ann"}');
    expect(await response.json()).toEqual({ id: '1', name: 'Ann' });
    expect(response.bodyUsed).toBe(true);
    expect(jsonTextOf(response)).toBeUndefined(); // the body was asked for: the server reads it as any Response
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('every reader, the stream, clone() and a copy see the same text', async () => {
    const text = '{"a":[1,2]}';
    expect(await jsonResponse(200, { a: [1, 2] }).text()).toBe(text);
    expect(new TextDecoder().decode(await jsonResponse(200, { a: [1, 2] }).arrayBuffer())).toBe(text);
    expect(await (await jsonResponse(200, { a: [1, 2] }).blob()).text()).toBe(text);
    const streamed = jsonResponse(200, { a: [1, 2] });
    expect(await new Response(streamed.body).text()).toBe(text);
    const original = jsonResponse(404, { a: [1, 2] });
    const clone = original.clone();
    expect(clone.status).toBe(404);
    expect(await clone.text()).toBe(text);
    expect(await original.text()).toBe(text);
    const headed = jsonResponse(429, { a: [1, 2] });
    const copy = new Response(headed.body, headed);
    copy.headers.set('x-extra', '1');
    expect([copy.status, copy.headers.get('content-type'), await copy.text()]).toEqual([429, 'application/json;charset=utf-8', text]);
    expect(jsonTextOf(copy)).toBeUndefined();
    expect(jsonTextOf(new Response(text))).toBeUndefined();
  });
});

describe('jsonResponse against a plain Response of the same text and status', () => {
  // Every getter of Response.prototype, read on both; then the body through each reader.
  const getters = Object.entries(Object.getOwnPropertyDescriptors(Response.prototype))
    .filter(([, member]) => member.get !== undefined)
    .map(([name]) => name)
    .filter((name) => name !== 'body' && name !== 'headers');
  const entriesOf = (headers: Headers): string[][] => {
    const entries: string[][] = [];
    headers.forEach((value, name) => entries.push([name, value]));
    return entries;
  };
  const statuses = fc.constantFrom(200, 201, 207, 299, 300, 400, 401, 404, 409, 413, 429, 500, 501);
  const bodies = fc.jsonValue();

  it('answers every getter alike, before and after its body is read', async () => {
    await fc.assert(
      fc.asyncProperty(statuses, bodies, async (status, body) => {
        const lazy = jsonResponse(status, body);
        const plain = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json;charset=utf-8' } });
        expect(getters.length).toBeGreaterThanOrEqual(7); // status, ok, statusText, type, url, redirected, bodyUsed
        for (const name of getters) expect((lazy as unknown as Record<string, unknown>)[name], name).toEqual((plain as unknown as Record<string, unknown>)[name]);
        // Reading them left the answer as text: createHubSpotServer still writes it directly.
        expect(jsonTextOf(lazy)).toBe(JSON.stringify(body));
        expect(entriesOf(lazy.headers)).toEqual(entriesOf(plain.headers));
        expect(Object.prototype.toString.call(lazy)).toBe(Object.prototype.toString.call(plain));
        expect(await lazy.text()).toBe(await plain.text());
        for (const name of getters) expect((lazy as unknown as Record<string, unknown>)[name], `${name} after reading`).toEqual((plain as unknown as Record<string, unknown>)[name]);
      }),
      { numRuns: 60 },
    );
  });

  it('has every method a Response has, each answering as the plain one does', async () => {
    const methods = Object.entries(Object.getOwnPropertyDescriptors(Response.prototype))
      .filter(([name, member]) => name !== 'constructor' && typeof member.value === 'function')
      .map(([name]) => name);
    expect(methods).toEqual(expect.arrayContaining(['arrayBuffer', 'blob', 'clone', 'formData', 'json', 'text']));
    for (const name of methods.filter((method) => method !== 'formData')) {
      const call = async (response: Response): Promise<unknown> => {
        const answer = await (response as unknown as Record<string, () => unknown>)[name]!();
        if (answer instanceof Response) return [answer.status, await answer.text()];
        if (answer instanceof Blob) return answer.text();
        if (answer instanceof ArrayBuffer || answer instanceof Uint8Array) return new TextDecoder().decode(answer);
        return answer;
      };
      expect(await call(jsonResponse(404, { a: [1, 'ü'] })), name).toEqual(await call(new Response('{"a":[1,"ü"]}', { status: 404 })));
    }
  });
});

describe('jsonHeadersOf: the headers createHubSpotServer writes for a JSON answer', () => {
  it('are the JSON Content-Type alone when no one touched the headers', () => {
    expect(jsonHeadersOf(jsonResponse(201, { id: '1' }))).toEqual({ 'content-type': 'application/json;charset=utf-8' });
  });

  it('carry what code added to the headers, and a body read later still has them', async () => {
    const response = jsonResponse(200, { ok: true });
    response.headers.set('x-hubspot-ratelimit-max', '100');
    expect(jsonHeadersOf(response)).toEqual({ 'content-type': 'application/json;charset=utf-8', 'x-hubspot-ratelimit-max': '100' });
    const full = standardResponse(response);
    expect([full.headers.get('x-hubspot-ratelimit-max'), full.headers.get('content-type'), await full.text()]).toEqual(['100', 'application/json;charset=utf-8', '{"ok":true}']);
  });

  it('are undefined with a Set-Cookie (Node writes each on its own line), and read any other Response too', () => {
    const response = jsonResponse(200, {});
    response.headers.append('set-cookie', 'a=1');
    expect(jsonHeadersOf(response)).toBeUndefined();
    expect(jsonHeadersOf(new Response('{}', { headers: { 'content-type': 'application/json', 'x-a': 'b' } }))).toEqual({ 'content-type': 'application/json', 'x-a': 'b' });
  });
});

describe('what hubspotHandler answers', () => {
  it('plain web Responses, whose bodies a runtime reading them natively (Deno, Bun, workers) finds: the lazy body stays inside createHubSpotServer', async () => {
    const handle = hubspotHandler(await createCrm());
    const answers = [
      await handle(new Request('http://localhost/crm/v3/objects/contacts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { email: 'a@x.com' } }) })),
      await handle(new Request('http://localhost/crm/v3/objects/contacts?limit=nope')),
      await handle(new Request('http://localhost/nowhere')),
    ];
    expect(answers.map((answer) => [answer.status, Object.getPrototypeOf(answer) === Response.prototype, jsonTextOf(answer)])).toEqual([
      [201, true, undefined],
      [400, true, undefined],
      [404, true, undefined],
    ]);
    // Read as a native reader would: through Response.prototype's own text(), not an override.
    expect(JSON.parse(await Response.prototype.text.call(answers[0]!))).toMatchObject({ properties: { email: 'a@x.com' } });
    const lazy = jsonResponse(200, { ok: true });
    expect(await Response.prototype.text.call(standardResponse(lazy))).toBe('{"ok":true}');
  });
});
