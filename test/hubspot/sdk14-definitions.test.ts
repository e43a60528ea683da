// crmkit/hubspot's definition endpoints through @hubspot/api-client 14.0.1 (installed as
// @hubspot/api-client-14), which sends through Node's global fetch and needs Node 22 or newer: on
// older Node these tests are skipped (CI runs them in its Node 24 pass, .ci/node24.sh). The same
// behaviours as the 13.5.0 tests in test/hubspot/sdk-definitions.test.ts, one or two tests per
// API: properties and property groups, schemas, pipelines and their stages, each call's status,
// body and the crm after. SDK 14 has no object-library API either; its generic apiRequest reaches
// the enablement endpoint.
import type { Client } from '@hubspot/api-client-14';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import type { HubSpotServer } from 'crmkit/hubspot';
import { failure, NODE_MAJOR, startSdk14 } from './harness.js';
import { CARS, ROAST } from './fixtures.js';

const roast = ROAST;

const cars = CARS;

describe.skipIf(NODE_MAJOR < 22)(`@hubspot/api-client 14.0.1, definitions (needs Node >= 22; skipped on Node ${process.versions.node} when older)`, () => {
  let crm: Crm;
  let server: HubSpotServer;
  let hubspot: Client;

  beforeEach(async () => {
    ({ crm, server, hubspot } = await startSdk14({ portalId: 42 }));
  });

  afterEach(async () => {
    await server.close();
  });

  describe('properties', () => {
    it('coreApi: create 201 in HubSpot’s shape, getByName 200, update 200, archive 204; the archived name stays taken (409)', async () => {
      const api = hubspot.crm.properties.coreApi;
      const created = await api.createWithHttpInfo('contacts', roast);
      expect(created.httpStatusCode).toBe(201);
      expect(created.data).toMatchObject({
        name: 'favorite_roast',
        label: 'Favourite roast',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'contactinformation',
        options: [
          { label: 'Light', value: 'light', displayOrder: 0, hidden: false },
          { label: 'Dark', value: 'dark', displayOrder: 1, hidden: false },
        ],
        hasUniqueValue: false,
        hubspotDefined: false,
        archived: false,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      });
      expect(crm.schema.property('contacts', 'favorite_roast')).toMatchObject({ type: 'enumeration', groupName: 'contactinformation' });

      const read = await api.getByNameWithHttpInfo('0-1', 'hs_object_id');
      expect(read.httpStatusCode).toBe(200);
      expect(read.data).toMatchObject({ name: 'hs_object_id', hubspotDefined: true, modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: true } });

      const updated = await api.updateWithHttpInfo('contacts', 'favorite_roast', { label: 'Roast', options: [...roast.options, { label: 'Medium', value: 'medium', displayOrder: 2, hidden: false }] });
      expect(updated.httpStatusCode).toBe(200);
      expect(updated.data.options.map((option) => option.value)).toEqual(['light', 'dark', 'medium']);
      expect(crm.schema.property('contacts', 'favorite_roast').label).toBe('Roast');

      const archived = await api.archiveWithHttpInfo('contacts', 'favorite_roast');
      expect(archived.httpStatusCode).toBe(204);
      expect(crm.schema.property('contacts', 'favorite_roast').archived).toBe(true);
      expect((await api.getAll('contacts', true)).results.map((property) => property.name)).toEqual(['favorite_roast']);
      expect(await failure(api.create('contacts', roast))).toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
      expect((await failure(api.getByName('contacts', 'favorite_roast'))).code).toBe(404);
    });

    it('groupsApi: getAll 200 with the shipped groups, create 201, update 200, archive 204; a group holding properties 400 (GROUP_IN_USE)', async () => {
      const api = hubspot.crm.properties.groupsApi;
      const all = await api.getAllWithHttpInfo('contacts');
      expect(all.httpStatusCode).toBe(200);
      expect(all.data.results).toEqual([{ name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }, expect.objectContaining({ name: 'emailinformation' })]);

      const created = await api.createWithHttpInfo('contacts', { name: 'coffee', label: 'Coffee', displayOrder: 5 });
      expect(created.httpStatusCode).toBe(201);
      expect(created.data).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 5, archived: false });
      const updated = await api.updateWithHttpInfo('contacts', 'coffee', { label: 'Coffee preferences' });
      expect(updated.httpStatusCode).toBe(200);
      expect(crm.schema.groups('contacts').find((group) => group.name === 'coffee')?.label).toBe('Coffee preferences');

      await crm.schema.defineProperty('contacts', { name: 'roast', label: 'Roast', type: 'string', fieldType: 'text', groupName: 'coffee' });
      expect(await failure(api.archive('contacts', 'coffee'))).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', errors: [expect.objectContaining({ code: 'GROUP_IN_USE' })] } });
      await crm.schema.archiveProperty('contacts', 'roast');
      const archived = await api.archiveWithHttpInfo('contacts', 'coffee');
      expect(archived.httpStatusCode).toBe(204);
      expect(crm.schema.groups('contacts').map((group) => group.name)).not.toContain('coffee');
      expect((await failure(api.getByName('contacts', 'coffee'))).code).toBe(404);
    });
  });

  describe('schemas', () => {
    it('coreApi: create 201 with 2-<n> and p<portalId>_<name>, getAll and getById 200, update 200; archive 409 while a record is left, then 204', async () => {
      const api = hubspot.crm.schemas.coreApi;
      const created = await api.createWithHttpInfo(cars);
      expect(created.httpStatusCode).toBe(201);
      expect(created.data).toMatchObject({
        id: '1',
        objectTypeId: '2-1',
        fullyQualifiedName: 'p42_cars',
        name: 'cars',
        labels: { singular: 'Car', plural: 'Cars' },
        associations: [
          { fromObjectTypeId: '2-1', toObjectTypeId: '0-1' },
          { fromObjectTypeId: '2-1', toObjectTypeId: '0-3' },
        ],
      });
      expect(crm.schema.object('cars')).toMatchObject({ id: '2-1', custom: true, associations: ['contacts', 'deals'] });

      const all = await api.getAllWithHttpInfo();
      expect(all.httpStatusCode).toBe(200);
      expect(all.data.results.map((schema) => schema.name)).toEqual(['cars']);
      for (const name of ['cars', '2-1', 'p42_cars']) {
        const read = await api.getByIdWithHttpInfo(name);
        expect(read.httpStatusCode).toBe(200);
        expect(read.data.objectTypeId).toBe('2-1');
      }
      const updated = await api.updateWithHttpInfo('cars', { labels: { plural: 'Automobiles' }, searchableProperties: ['vin', 'year'] });
      expect(updated.httpStatusCode).toBe(200);
      expect(crm.schema.object('cars')).toMatchObject({ labels: { singular: 'Car', plural: 'Automobiles' }, searchableProperties: ['vin', 'year'] });

      expect((await failure(api.create(cars))).code).toBe(409);
      expect((await failure(api.getById('contacts'))).code).toBe(404);
      // Records of it work at once through the objects API.
      const record = await hubspot.crm.objects.basicApi.create('p42_cars', { properties: { vin: 'WVW123' }, associations: [] });
      expect(record.properties.vin).toBe('WVW123');
      // Delete: 409 while a record is left, 204 once it is purged.
      expect(await failure(api.archive('cars'))).toMatchObject({ code: 409, body: { category: 'CONFLICT', subCategory: 'OBJECT_IN_USE' } });
      expect(crm.schema.object('cars').id).toBe('2-1');
      await crm.records.purge('cars', record.id);
      expect((await api.archiveWithHttpInfo('cars')).httpStatusCode).toBe(204);
      expect(crm.schema.objects().map((type) => type.name)).not.toContain('cars');
    });
  });

  describe('pipelines', () => {
    it('pipelinesApi: getAll 200 with stage metadata as strings, create 201, getById and update 200, archive 204', async () => {
      const api = hubspot.crm.pipelines.pipelinesApi;
      const deals = await api.getAllWithHttpInfo('deals');
      expect(deals.httpStatusCode).toBe(200);
      const sales = deals.data.results[0]!;
      expect(sales.id).toBe('default');
      expect(sales.stages.find((stage) => stage.id === 'closedwon')!.metadata).toEqual({ probability: '1.0', isClosed: 'true' });

      const created = await api.createWithHttpInfo('deals', {
        label: 'Renewals',
        displayOrder: 1,
        stages: [
          { label: 'Up for renewal', displayOrder: 0, metadata: { probability: '0.5' } },
          { label: 'Renewed', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
        ],
      });
      expect(created.httpStatusCode).toBe(201);
      expect(created.data).toMatchObject({ id: 'renewals', label: 'Renewals', stages: [{ id: 'up_for_renewal', metadata: { probability: '0.5', isClosed: 'false' } }, { id: 'renewed' }] });
      expect((await crm.pipelines.get('deals', 'renewals'))?.stages).toHaveLength(2);
      expect((await api.getByIdWithHttpInfo('deals', 'renewals')).httpStatusCode).toBe(200);

      const updated = await api.updateWithHttpInfo('deals', 'renewals', { label: 'Renewals 2027' });
      expect(updated.httpStatusCode).toBe(200);
      expect((await crm.pipelines.get('deals', 'renewals'))?.label).toBe('Renewals 2027');

      const archived = await api.archiveWithHttpInfo('deals', 'renewals');
      expect(archived.httpStatusCode).toBe(204);
      expect(await crm.pipelines.get('deals', 'renewals')).toBeUndefined();
      expect((await failure(api.getById('deals', 'renewals'))).code).toBe(404);
    });

    it('pipelineStagesApi: getAll 200, create 201, update 200, archive 204; a stage in use 400 (STAGE_IN_USE)', async () => {
      const api = hubspot.crm.pipelines.pipelineStagesApi;
      const list = await api.getAllWithHttpInfo('tickets', '0');
      expect(list.httpStatusCode).toBe(200);
      expect(list.data.results.map((stage) => stage.id)).toEqual(['1', '2', '3', '4']);

      const created = await api.createWithHttpInfo('tickets', '0', { label: 'Escalated', displayOrder: 3, metadata: { ticketState: 'OPEN' } });
      expect(created.httpStatusCode).toBe(201);
      expect(created.data).toMatchObject({ id: 'escalated', metadata: { ticketState: 'OPEN', isClosed: 'false' } });
      const updated = await api.updateWithHttpInfo('tickets', '0', 'escalated', { metadata: { ticketState: 'CLOSED' } });
      expect(updated.httpStatusCode).toBe(200);
      expect(updated.data.metadata).toEqual({ ticketState: 'CLOSED', isClosed: 'true' });
      expect(await crm.pipelines.getStage('tickets', '0', 'escalated')).toMatchObject({ label: 'Escalated', metadata: { ticketState: 'CLOSED', isClosed: true } });
      expect((await api.archiveWithHttpInfo('tickets', '0', 'escalated')).httpStatusCode).toBe(204);
      expect(await crm.pipelines.getStage('tickets', '0', 'escalated')).toBeUndefined();

      await crm.records.create('deals', { dealname: 'Acme', dealstage: 'qualifiedtobuy' });
      expect(await failure(hubspot.crm.pipelines.pipelineStagesApi.archive('deals', 'default', 'qualifiedtobuy'))).toMatchObject({ code: 400, body: { subCategory: 'STAGE_IN_USE', context: { count: ['1'] } } });
      expect((await crm.pipelines.get('deals', 'default'))?.stages.map((stage) => stage.id)).toContain('qualifiedtobuy');
    });
  });

  describe('the object library (no typed API in SDK 14: its apiRequest)', () => {
    it('enablement 200 follows crm.schema.activate; an unknown type 404', async () => {
      const get = async (path: string): Promise<{ status: number; body: any }> => {
        const response = await hubspot.apiRequest({ method: 'GET', path });
        return { status: response.status, body: await response.json() };
      };
      const before = await get('/crm/v3/object-library/enablement');
      expect(before.status).toBe(200);
      expect(before.body.enablementByObjectTypeId).toEqual({ '0-162': false, '0-410': false, '0-420': false, '0-421': false, '0-970': false });
      await crm.schema.activate('services');
      expect((await get('/crm/v3/object-library/enablement')).body.enablementByObjectTypeId['0-162']).toBe(true);
      expect(await get('/crm/v3/object-library/enablement/0-162')).toEqual({ status: 200, body: { enablement: true } });
      expect((await get('/crm/v3/object-library/enablement/9-9')).status).toBe(404);
    });
  });
});
