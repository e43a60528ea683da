// Every bad request to the definition endpoints (properties, groups, schemas, pipelines, the
// object library), sent as raw fetch to the server and as a Request to hubspotHandler: its
// status, a JSON envelope, and storage byte for byte what it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crm, MemoryStorage } from 'crmkit';
import { createHubSpotServer, hubspotHandler, type HubSpotServer } from 'crmkit/hubspot';
import { testCrm } from '../helpers.js';
import { headersWith, refusedBy, waysOf, type Send } from './harness.js';

const TOKEN = 'secret';
const MAX = 4_096;

let crm: Crm;
let storage: MemoryStorage;
let server: HubSpotServer;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  ({ crm, storage } = await testCrm());
  await crm.records.create('deals', { dealname: 'Acme', dealstage: 'qualifiedtobuy' });
  await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
  await crm.schema.defineProperty('contacts', { name: 'roast', label: 'Roast', type: 'string', fieldType: 'text', groupName: 'coffee' });
  await crm.schema.defineObject({ name: 'cars', labels: { singular: 'Car', plural: 'Cars' }, primaryDisplayProperty: 'vin', properties: [{ name: 'vin', label: 'VIN', type: 'string', fieldType: 'text' }] });
  await crm.records.create('cars', { vin: 'W1' });
  server = await createHubSpotServer(crm, { accessToken: TOKEN, maxBodyBytes: MAX });
  handle = hubspotHandler(crm, { accessToken: TOKEN, maxBodyBytes: MAX });
});

afterAll(async () => {
  await server.close();
});

const { auth, json } = headersWith(TOKEN);
const ways = waysOf(() => ({ server, handle }));
const refused = (send: Send, path: string, init: RequestInit, status: number): Promise<{ [key: string]: any }> => refusedBy(storage, send, path, init, status);

const send = (method: string, body: unknown): RequestInit => ({ method, headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
const post = (body: unknown): RequestInit => send('POST', body);

const P = '/crm/v3/properties';
const S = '/crm-object-schemas/v3/schemas';
const L = '/crm/v3/pipelines';

describe.each(ways)('bad definition requests, by %s', (_, way) => {
  it('no token: 401; malformed JSON 400; not JSON 415; too large 413', async () => {
    await refused(way(), `${P}/contacts`, {}, 401);
    await refused(way(), `${L}/deals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 401);
    expect((await refused(way(), `${P}/contacts`, post('{"name": "x",}'), 400)).message).toMatch(/^Invalid input JSON on line 1, column 14/);
    await refused(way(), `${P}/contacts/groups`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' }, 415);
    await refused(way(), S, post({ name: 'x'.repeat(MAX) }), 413);
  });

  it('property bodies: 400 naming the field', async () => {
    const base = { name: 'brew', label: 'Brew', type: 'string', fieldType: 'text', groupName: 'coffee' };
    const cases: Array<[string, RequestInit, string]> = [
      [`${P}/contacts`, post([]), 'body must be an object'],
      [`${P}/contacts`, post({ ...base, label: 3 }), 'label must be a string'],
      [`${P}/contacts`, post({ ...base, hidden: true }), 'hidden: crmkit does not support true'],
      [`${P}/contacts`, post({ ...base, calculationFormula: 'a' }), 'calculationFormula'],
      [`${P}/contacts`, post({ ...base, lable: 'x' }), 'lable is not a field this endpoint takes'],
      [`${P}/contacts`, post({ ...base, type: 'enumeration', fieldType: 'select', options: [{ label: 'A' }] }), 'options[0].value must be a string'],
      [`${P}/contacts`, post({ ...base, fieldType: 'number' }), 'cannot be used with type'],
      [`${P}/contacts`, post({ ...base, groupName: 'nowhere' }), 'no property group'],
      [`${P}/contacts`, post({ ...base, name: 'Brew Name' }), 'Brew Name'],
      [`${P}/contacts/roast`, send('PATCH', { type: 'number' }), 'type cannot change'],
      [`${P}/contacts/batch/create`, post({ inputs: [base, { ...base, name: 'brew2', fieldType: 'select' }] }), 'cannot be used with type'],
      [`${P}/contacts/batch/create`, post({ inputs: Array.from({ length: 101 }, () => ({})) }), 'at most 100'],
      [`${P}/contacts/batch/read`, post({ inputs: [{ name: 3 }] }), 'inputs[0].name must be a string'],
      [`${P}/contacts/batch/archive`, post({ inputs: [{ name: 'roast' }, { name: 'email' }] }), 'HubSpot-defined'],
      [`${P}/contacts/email`, { method: 'DELETE', headers: auth }, 'HubSpot-defined'],
      [`${P}/contacts/groups`, post({ name: 'Bad Name', label: 'x' }), 'Bad Name'],
      [`${P}/contacts/groups/coffee`, send('PATCH', { name: 'tea' }), 'name is not a field'],
      [`${P}/contacts/groups/coffee`, { method: 'DELETE', headers: auth }, 'holds roast'],
      [`${P}/contacts/groups/contactinformation`, { method: 'DELETE', headers: auth }, 'default group'],
      [`${P}/widgets`, { headers: auth }, 'Unable to infer object type from: widgets'],
      [`${P}/contacts?archived=maybe`, { headers: auth }, 'archived must be true or false'],
    ];
    for (const [path, init, message] of cases) {
      const body = await refused(way(), path, init, 400);
      expect(body.message, `${init.method ?? 'GET'} ${path}`).toContain(message);
      expect(body.category).toBe('VALIDATION_ERROR');
    }
  });

  it('taken names 409, unknown names in a path 404', async () => {
    expect(await refused(way(), `${P}/contacts`, post({ name: 'roast', label: 'R', type: 'string', fieldType: 'text' }), 409)).toMatchObject({ category: 'CONFLICT' });
    await refused(way(), `${P}/contacts/groups`, post({ name: 'coffee', label: 'Again' }), 409);
    await refused(way(), S, post({ name: 'cars', labels: { singular: 'Car', plural: 'Cars' }, requiredProperties: [], properties: [{ name: 'plate', label: 'Plate', type: 'string', fieldType: 'text' }], associatedObjects: [] }), 409);
    for (const [path, init] of [
      [`${P}/contacts/nope`, { headers: auth }],
      [`${P}/contacts/nope`, send('PATCH', { label: 'x' })],
      [`${P}/contacts/nope`, { method: 'DELETE', headers: auth }],
      [`${P}/contacts/groups/nowhere`, { headers: auth }],
      [`${P}/contacts/groups/nowhere`, send('PATCH', { label: 'x' })],
      [`${P}/contacts/groups/nowhere`, { method: 'DELETE', headers: auth }],
      [`${S}/boats`, { headers: auth }],
      [`${S}/contacts`, send('PATCH', { labels: { plural: 'People' } })],
      [`${L}/deals/nope`, { headers: auth }],
      [`${L}/deals/nope`, send('PUT', { label: 'x', stages: [] })],
      [`${L}/deals/nope`, { method: 'DELETE', headers: auth }],
      [`${L}/deals/default/stages/nope`, send('PATCH', { label: 'x' })],
      [`${L}/deals/nope/stages`, post({ label: 'x', metadata: { probability: '0.5' } })],
      ['/crm/v3/object-library/enablement/9-9', { headers: auth }],
    ] as Array<[string, RequestInit]>) {
      expect(await refused(way(), path, init, 404), `${init.method ?? 'GET'} ${path}`).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
    }
  });

  it('schema bodies: 400 naming the field; DELETE of a type holding records 409 with the type kept', async () => {
    const cars = { name: 'boats', labels: { singular: 'Boat', plural: 'Boats' }, requiredProperties: [], properties: [], associatedObjects: [] };
    expect((await refused(way(), S, post({ ...cars, labels: { singular: 'Boat' } }), 400)).message).toContain('labels.plural must be a string');
    expect((await refused(way(), S, post({ ...cars, properties: undefined }), 400)).message).toContain('properties must be an array');
    expect((await refused(way(), S, post({ ...cars, associatedObjects: ['widgets'] }), 400)).message).toContain('Unable to infer object type from: widgets');
    expect((await refused(way(), S, post({ ...cars, properties: [{ name: 'x', label: 'X', type: 'string', fieldType: 'text', hidden: true }] }), 400)).message).toContain('properties[0].hidden');
    expect((await refused(way(), `${S}/cars`, send('PATCH', { requiredProperties: 'vin' }), 400)).message).toContain('requiredProperties must be an array');
    expect(await refused(way(), `${S}/cars`, { method: 'DELETE', headers: auth }, 409)).toMatchObject({ category: 'CONFLICT', subCategory: 'OBJECT_IN_USE', message: expect.stringContaining('still holds records') });
    expect((await refused(way(), `${S}/cars?archived=maybe`, { method: 'DELETE', headers: auth }, 400)).message).toContain('archived');
    expect((await refused(way(), `${S}/cars/associations`, post({ fromObjectTypeId: '2-1', toObjectTypeId: '0-5', cardinality: 'ONE' }), 400)).message).toContain('cardinality');
    expect((await refused(way(), `${S}/cars/associations`, post({ fromObjectTypeId: '2-1', toObjectTypeId: 5 }), 400)).message).toContain('toObjectTypeId');
    expect((await refused(way(), `${S}/cars/associations`, post({ fromObjectTypeId: '2-1', toObjectTypeId: 'widgets' }), 400)).message).toContain('Unable to infer object type from: widgets');
  });

  it('pipeline bodies: 400 naming the field or the rule; a replace that fails changes nothing', async () => {
    const stage = (label: string, probability: string) => ({ label, displayOrder: 0, metadata: { probability } });
    expect((await refused(way(), `${L}/deals`, post({ label: 'X' }), 400)).message).toContain('stages must be an array');
    await refused(way(), `${L}/deals`, post({ label: 'X', stages: [stage('A', '0.25')] }), 400);
    expect((await refused(way(), `${L}/deals/default/stages`, post({ label: 'Odd', metadata: { isClosed: 'maybe' } }), 400)).message).toContain("metadata.isClosed must be 'true' or 'false'");
    expect((await refused(way(), `${L}/deals/default/stages/closedwon`, send('PATCH', { metadata: { colour: 'red' } }), 400)).message).toContain('metadata.colour');
    await refused(way(), `${L}/contacts`, { headers: auth }, 400);
    // The replace renames a stage, then would archive qualifiedtobuy, which a deal holds: all of it is undone.
    const replaced = await refused(way(), `${L}/deals/default`, send('PUT', { label: 'Renamed', displayOrder: 0, stages: [stage('Appointment scheduled!', '0.2'), stage('Closed won', '1.0')] }), 400);
    expect(replaced.subCategory).toBe('STAGE_IN_USE');
    await refused(way(), `${L}/deals/default/stages/qualifiedtobuy`, { method: 'DELETE', headers: auth }, 400);
    await refused(way(), `${L}/deals/default`, { method: 'DELETE', headers: auth }, 400);
  });

  it('__proto__ keys are fields like any other: refused by name', async () => {
    const body = await refused(way(), `${P}/contacts`, post('{"__proto__":{"name":"x"},"name":"brew","label":"B","type":"string","fieldType":"text"}'), 400);
    expect(body.message).toContain('__proto__ is not a field');
    await refused(way(), `${L}/deals/default/stages`, post('{"label":"x","metadata":{"__proto__":{"probability":"0.5"}}}'), 400);
  });
});
