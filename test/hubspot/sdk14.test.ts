// crmkit/hubspot under @hubspot/api-client 14.0.1 (installed as @hubspot/api-client-14), which
// calls Node's global fetch and needs Node 22 or newer: on older Node these tests are skipped
// (CI runs them in its Node 24 pass, .ci/node24.sh).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client-14';
import { createCrm, type Crm } from 'crmkit';
import { createHubSpotServer, type HubSpotServer } from 'crmkit/hubspot';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const TOKEN = 'test-token';

describe.skipIf(NODE_MAJOR < 22)(`@hubspot/api-client 14.0.1 (needs Node >= 22; skipped on Node ${process.versions.node} when older)`, () => {
  let crm: Crm;
  let server: HubSpotServer;
  let hubspot: Client;

  beforeEach(async () => {
    // Imported here, so older Node never loads it.
    const sdk = await import('@hubspot/api-client-14');
    crm = await createCrm();
    server = await createHubSpotServer(crm, { accessToken: TOKEN });
    hubspot = new sdk.Client({ accessToken: TOKEN, basePath: server.url });
  });

  afterEach(async () => {
    await server.close();
  });

  it('create 201, read 200, update 200, archive 204', async () => {
    const created = await hubspot.crm.contacts.basicApi.createWithHttpInfo({ properties: { email: 'ann@x.com', firstname: 'Ann' }, associations: [] });
    expect(created.httpStatusCode).toBe(201);
    const { id } = created.data;
    const read = await hubspot.crm.contacts.basicApi.getByIdWithHttpInfo(id, ['email', 'phone']);
    expect(read.httpStatusCode).toBe(200);
    expect(read.data.properties).toMatchObject({ email: 'ann@x.com', phone: null });
    const updated = await hubspot.crm.contacts.basicApi.updateWithHttpInfo(id, { properties: { lastname: 'Lee' } });
    expect(updated.httpStatusCode).toBe(200);
    expect((await crm.records.get('contacts', id))!.properties.lastname).toBe('Lee');
    expect((await hubspot.crm.contacts.basicApi.archiveWithHttpInfo(id)).httpStatusCode).toBe(204);
    expect(await crm.records.get('contacts', id)).toBeUndefined();
  });

  it('batch create 201, batch read 207 with the unknown ids, a duplicate 409', async () => {
    const batch = await hubspot.crm.contacts.batchApi.createWithHttpInfo({ inputs: [{ properties: { email: 'a@x.com' }, associations: [] }] });
    expect(batch.httpStatusCode).toBe(201);
    const [ann] = batch.data.results;
    const read = await hubspot.crm.contacts.batchApi.readWithHttpInfo({ inputs: [{ id: ann!.id }, { id: 'nope' }], properties: ['email'], propertiesWithHistory: [] });
    expect(read.httpStatusCode).toBe(207);
    expect((read.data as unknown as { numErrors: number }).numErrors).toBe(1);
    try {
      await hubspot.crm.contacts.basicApi.create({ properties: { email: 'A@x.com' }, associations: [] });
      expect.unreachable();
    } catch (error) {
      const { code, body } = error as { code: number; body: unknown };
      expect(code).toBe(409);
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message: string };
      expect(parsed.message).toBe(`Contact already exists. Existing ID: ${ann!.id}`);
    }
  });

  it('search 200 with total and sorts as strings', async () => {
    await crm.records.createMany('contacts', [{ email: 'a@x.com', firstname: 'Ann' }, { email: 'b@x.com', firstname: 'Bo' }]);
    const { httpStatusCode, data } = await hubspot.crm.contacts.searchApi.doSearchWithHttpInfo({ filterGroups: [], sorts: ['-firstname'], properties: ['firstname'], limit: 10, after: '0' });
    expect(httpStatusCode).toBe(200);
    expect(data.total).toBe(2);
    expect(data.results.map((record) => record.properties.firstname)).toEqual(['Bo', 'Ann']);
  });
});
