// crmkit/hubspot's definition endpoints driven by HubSpot's own Node SDK (@hubspot/api-client
// 13.5.0) over loopback: properties, property groups, schemas and pipelines, each call's status
// (the …WithHttpInfo calls), its body, and the crm after. The object library, which this SDK
// does not call, through fetch.
import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import type { HubSpotServer } from 'crmkit/hubspot';
import { failure, startSdk, TOKEN } from './harness.js';
import { CARS, ROAST } from './fixtures.js';

let crm: Crm;
let server: HubSpotServer;
let hubspot: Client;

beforeEach(async () => {
  ({ crm, server, hubspot } = await startSdk({ portalId: 42 }));
});

afterEach(async () => {
  await server.close();
});


const roast = ROAST;

describe('properties', () => {
  it('create: 201 with HubSpot’s property shape; the crm holds it', async () => {
    const { httpStatusCode, data } = await hubspot.crm.properties.coreApi.createWithHttpInfo('contacts', roast);
    expect(httpStatusCode).toBe(201);
    expect(data).toMatchObject({
      name: 'favorite_roast',
      label: 'Favourite roast',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'contactinformation',
      description: '',
      options: [
        { label: 'Light', value: 'light', displayOrder: 0, hidden: false },
        { label: 'Dark', value: 'dark', displayOrder: 1, hidden: false },
      ],
      hasUniqueValue: false,
      hidden: false,
      formField: false,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      archived: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    });
    expect(crm.schema.property('contacts', 'favorite_roast')).toMatchObject({ type: 'enumeration', groupName: 'contactinformation' });
  });

  it('list and read: 200; system properties are read-only definitions; archived=true lists archived ones only', async () => {
    await crm.schema.defineProperty('contacts', { name: 'old_field', label: 'Old', type: 'string', fieldType: 'text' });
    await crm.schema.archiveProperty('contacts', 'old_field');
    const all = await hubspot.crm.properties.coreApi.getAllWithHttpInfo('contacts');
    expect(all.httpStatusCode).toBe(200);
    const names = all.data.results.map((property) => property.name);
    expect(names).toContain('email');
    expect(names).not.toContain('old_field');
    const archived = await hubspot.crm.properties.coreApi.getAll('contacts', true);
    expect(archived.results.map((property) => property.name)).toEqual(['old_field']);

    const id = await hubspot.crm.properties.coreApi.getByNameWithHttpInfo('0-1', 'hs_object_id');
    expect(id.httpStatusCode).toBe(200);
    expect(id.data).toMatchObject({ name: 'hs_object_id', hubspotDefined: true, modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: true } });
    expect((await hubspot.crm.properties.coreApi.getByName('contacts', 'old_field', true)).archived).toBe(true);
    expect((await failure(hubspot.crm.properties.coreApi.getByName('contacts', 'old_field'))).code).toBe(404);
  });

  it('update: 200 with the new label and options; archive: 204, the name stays taken (409)', async () => {
    await hubspot.crm.properties.coreApi.create('contacts', roast);
    const { httpStatusCode, data } = await hubspot.crm.properties.coreApi.updateWithHttpInfo('contacts', 'favorite_roast', {
      label: 'Roast',
      options: [...roast.options, { label: 'Medium', value: 'medium', displayOrder: 2, hidden: false }],
    });
    expect(httpStatusCode).toBe(200);
    expect(data.label).toBe('Roast');
    expect(data.options.map((option) => option.value)).toEqual(['light', 'dark', 'medium']);
    expect(crm.schema.property('contacts', 'favorite_roast').label).toBe('Roast');

    const archived = await hubspot.crm.properties.coreApi.archiveWithHttpInfo('contacts', 'favorite_roast');
    expect(archived.httpStatusCode).toBe(204);
    expect(crm.schema.property('contacts', 'favorite_roast').archived).toBe(true);
    const again = await failure(hubspot.crm.properties.coreApi.create('contacts', roast));
    expect(again.code).toBe(409);
    expect(again.body).toMatchObject({ category: 'CONFLICT', subCategory: 'CONFLICT' });
  });

  it('refusals: a taken name 409, an unknown name 404, a HubSpot-defined property’s archive 400, a bad definition 400', async () => {
    const taken = await failure(hubspot.crm.properties.coreApi.create('contacts', { ...roast, name: 'email', type: 'string', fieldType: 'text', options: [] }));
    expect(taken.code).toBe(409);
    const unknown = await failure(hubspot.crm.properties.coreApi.update('contacts', 'nope', { label: 'x' }));
    expect(unknown).toMatchObject({ code: 404, body: { category: 'OBJECT_NOT_FOUND' } });
    expect((await failure(hubspot.crm.properties.coreApi.archive('contacts', 'nope'))).code).toBe(404);
    expect((await failure(hubspot.crm.properties.coreApi.archive('contacts', 'email'))).code).toBe(400);
    const bad = await failure(hubspot.crm.properties.coreApi.create('contacts', { ...roast, fieldType: 'number' }));
    expect(bad).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', errors: [expect.objectContaining({ code: 'INVALID_FIELD_TYPE' })] } });
    expect(crm.schema.properties('contacts', { archived: true }).map((property) => property.name)).not.toContain('favorite_roast');
  });

  it('batch create 201 (one transaction), read 200 (207 with unknown names), archive 204', async () => {
    const created = await hubspot.crm.properties.batchApi.createWithHttpInfo('deals', {
      inputs: [
        { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date', groupName: 'dealinformation' },
        { name: 'seats', label: 'Seats', type: 'number', fieldType: 'number', groupName: 'dealinformation', hasUniqueValue: false },
      ] as any,
    });
    expect(created.httpStatusCode).toBe(201);
    expect(created.data).toMatchObject({ status: 'COMPLETE', results: [{ name: 'renewal_date' }, { name: 'seats' }] });

    const read = await hubspot.crm.properties.batchApi.readWithHttpInfo('deals', { archived: false, inputs: [{ name: 'seats' }, { name: 'dealname' }] });
    expect(read.httpStatusCode).toBe(200);
    expect(read.data.results.map((property) => property.name)).toEqual(['seats', 'dealname']);
    const partial = await hubspot.crm.properties.batchApi.readWithHttpInfo('deals', { archived: false, inputs: [{ name: 'seats' }, { name: 'nope' }] });
    expect(partial.httpStatusCode).toBe(207);
    expect(partial.data).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { names: ['nope'] } }] });

    const archived = await hubspot.crm.properties.batchApi.archiveWithHttpInfo('deals', { inputs: [{ name: 'seats' }, { name: 'renewal_date' }, { name: 'unknown_one' }] });
    expect(archived.httpStatusCode).toBe(204);
    expect(crm.schema.properties('deals').map((property) => property.name)).not.toContain('seats');

    // One bad input: nothing created.
    const refused = await failure(
      hubspot.crm.properties.batchApi.create('deals', { inputs: [{ name: 'fine_one', label: 'Fine', type: 'string', fieldType: 'text', groupName: 'dealinformation' }, { name: 'Bad Name', label: 'Bad', type: 'string', fieldType: 'text', groupName: 'dealinformation' }] as any }),
    );
    expect(refused.code).toBe(400);
    expect(crm.schema.properties('deals', { archived: true }).map((property) => property.name)).not.toContain('fine_one');
  });
});

describe('property groups', () => {
  it('list 200 with the shipped groups; create 201; read and update 200; archive 204', async () => {
    const list = await hubspot.crm.properties.groupsApi.getAllWithHttpInfo('contacts');
    expect(list.httpStatusCode).toBe(200);
    expect(list.data.results).toEqual([
      { name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false },
      expect.objectContaining({ name: 'emailinformation' }),
    ]);
    expect((await hubspot.crm.properties.groupsApi.getAll('companies')).results[0]!.name).toBe('companyinformation');

    const created = await hubspot.crm.properties.groupsApi.createWithHttpInfo('contacts', { name: 'coffee', label: 'Coffee', displayOrder: 5 });
    expect(created.httpStatusCode).toBe(201);
    expect(created.data).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 5, archived: false });
    const read = await hubspot.crm.properties.groupsApi.getByNameWithHttpInfo('contacts', 'coffee');
    expect(read.httpStatusCode).toBe(200);
    const updated = await hubspot.crm.properties.groupsApi.updateWithHttpInfo('contacts', 'coffee', { label: 'Coffee preferences' });
    expect(updated.httpStatusCode).toBe(200);
    expect(updated.data.label).toBe('Coffee preferences');
    expect(crm.schema.groups('contacts').find((group) => group.name === 'coffee')?.label).toBe('Coffee preferences');

    const archived = await hubspot.crm.properties.groupsApi.archiveWithHttpInfo('contacts', 'coffee');
    expect(archived.httpStatusCode).toBe(204);
    expect(crm.schema.groups('contacts').map((group) => group.name)).not.toContain('coffee');
    expect((await failure(hubspot.crm.properties.groupsApi.getByName('contacts', 'coffee'))).code).toBe(404);
  });

  it('refusals: a taken name 409, an unknown name 404, a group holding properties 400 (GROUP_IN_USE)', async () => {
    expect((await failure(hubspot.crm.properties.groupsApi.create('contacts', { name: 'contactinformation', label: 'Again' }))).code).toBe(409);
    expect((await failure(hubspot.crm.properties.groupsApi.update('contacts', 'nowhere', { label: 'x' }))).code).toBe(404);
    await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
    await crm.schema.defineProperty('contacts', { name: 'roast', label: 'Roast', type: 'string', fieldType: 'text', groupName: 'coffee' });
    const inUse = await failure(hubspot.crm.properties.groupsApi.archive('contacts', 'coffee'));
    expect(inUse).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', errors: [expect.objectContaining({ code: 'GROUP_IN_USE' })] } });
    expect(crm.schema.groups('contacts').map((group) => group.name)).toContain('coffee');
  });
});

describe('schemas', () => {
  const cars = CARS;

  it('create: 201 with id <n>, objectTypeId 2-<n>, fullyQualifiedName p<portalId>_<name>; the crm holds the type', async () => {
    const { httpStatusCode, data } = await hubspot.crm.schemas.coreApi.createWithHttpInfo(cars);
    expect(httpStatusCode).toBe(201);
    expect(data).toMatchObject({
      id: '1',
      objectTypeId: '2-1',
      fullyQualifiedName: 'p42_cars',
      name: 'cars',
      labels: { singular: 'Car', plural: 'Cars' },
      primaryDisplayProperty: 'vin',
      requiredProperties: ['vin'],
      associations: [
        { fromObjectTypeId: '2-1', toObjectTypeId: '0-1' },
        { fromObjectTypeId: '2-1', toObjectTypeId: '0-3' },
      ],
    });
    expect(data.properties.find((property) => property.name === 'vin')).toMatchObject({ hasUniqueValue: true, modificationMetadata: { archivable: false } });
    expect(crm.schema.object('cars')).toMatchObject({ id: '2-1', custom: true, associations: ['contacts', 'deals'] });
    // Records of it work through the objects API at once, by any of its names.
    const record = await hubspot.crm.objects.basicApi.create('p42_cars', { properties: { vin: 'WVW123' }, associations: [] });
    expect(record.properties.vin).toBe('WVW123');
  });

  it('list and read 200 (custom types only; by name, 2-<n>, <n> or fully qualified name); update 200', async () => {
    await hubspot.crm.schemas.coreApi.create(cars);
    const list = await hubspot.crm.schemas.coreApi.getAllWithHttpInfo();
    expect(list.httpStatusCode).toBe(200);
    expect(list.data.results.map((schema) => schema.name)).toEqual(['cars']);
    for (const name of ['cars', '2-1', '1', 'p42_cars']) {
      const read = await hubspot.crm.schemas.coreApi.getByIdWithHttpInfo(name);
      expect(read.httpStatusCode).toBe(200);
      expect(read.data.objectTypeId).toBe('2-1');
    }
    const updated = await hubspot.crm.schemas.coreApi.updateWithHttpInfo('cars', { labels: { plural: 'Automobiles' }, searchableProperties: ['vin', 'year'] });
    expect(updated.httpStatusCode).toBe(200);
    expect(crm.schema.object('cars')).toMatchObject({ labels: { singular: 'Car', plural: 'Automobiles' }, searchableProperties: ['vin', 'year'] });
  });

  it('refusals: a taken name 409, a standard or unknown type 404, delete while records are left 409 with the crm unchanged', async () => {
    await hubspot.crm.schemas.coreApi.create(cars);
    expect((await failure(hubspot.crm.schemas.coreApi.create(cars))).code).toBe(409);
    expect((await failure(hubspot.crm.schemas.coreApi.getById('contacts'))).code).toBe(404);
    expect((await failure(hubspot.crm.schemas.coreApi.getById('boats'))).code).toBe(404);
    expect((await failure(hubspot.crm.schemas.coreApi.archive('contacts'))).code).toBe(404);
    const car = await crm.records.create('cars', { vin: 'V1', year: 2020 });
    await crm.records.archive('cars', car.id);
    const deleted = await failure(hubspot.crm.schemas.coreApi.archive('cars'));
    expect(deleted).toMatchObject({ code: 409, body: { category: 'CONFLICT', subCategory: 'OBJECT_IN_USE', context: { records: ['true'] } } });
    expect(crm.schema.object('cars').id).toBe('2-1');
  });

  it('associations: POST 201 allows a pair (shown in the schema), DELETE 204 by its id removes it; 409 while associations join it', async () => {
    await hubspot.crm.schemas.coreApi.create(cars);
    const created = await hubspot.crm.schemas.coreApi.createAssociationWithHttpInfo('cars', { fromObjectTypeId: '2-1', toObjectTypeId: '0-5', name: 'car_tickets' });
    expect(created.httpStatusCode).toBe(201);
    const [unlabelled] = crm.associations.types('cars', 'tickets');
    expect(created.data).toMatchObject({ id: String(unlabelled!.typeId), fromObjectTypeId: '2-1', toObjectTypeId: '0-5', name: 'car_to_ticket' });
    const schema = await hubspot.crm.schemas.coreApi.getById('cars');
    expect(schema.associations.map((pair) => pair.toObjectTypeId)).toEqual(['0-1', '0-3', '0-5']);

    const car = await crm.records.create('cars', { vin: 'V1' });
    const ticket = await crm.records.create('tickets', { subject: 'Dent', hs_pipeline_stage: '1' });
    await crm.associations.associate(car, ticket);
    const inUse = await failure(hubspot.crm.schemas.coreApi.archiveAssociation('cars', created.data.id));
    expect(inUse).toMatchObject({ code: 409, body: { subCategory: 'ASSOCIATION_IN_USE', context: { associations: ['1'] } } });
    await crm.associations.remove(car, ticket);
    expect((await hubspot.crm.schemas.coreApi.archiveAssociationWithHttpInfo('cars', created.data.id)).httpStatusCode).toBe(204);
    expect(() => crm.associations.types('cars', 'tickets')).toThrow(expect.objectContaining({ code: 'ASSOCIATION_NOT_ALLOWED' }));
    // The pair named in the definition goes the same way, by either side's id.
    const [fromContacts] = crm.associations.types('contacts', 'cars');
    expect((await hubspot.crm.schemas.coreApi.archiveAssociationWithHttpInfo('cars', String(fromContacts!.typeId))).httpStatusCode).toBe(204);
    expect(crm.schema.object('cars').associations).toEqual(['deals']);

    expect((await failure(hubspot.crm.schemas.coreApi.archiveAssociation('cars', '999999'))).code).toBe(404);
    const foreign = await failure(hubspot.crm.schemas.coreApi.createAssociation('cars', { fromObjectTypeId: '0-1', toObjectTypeId: '0-2' }));
    expect(foreign).toMatchObject({ code: 400, body: { message: expect.stringContaining('fromObjectTypeId or toObjectTypeId must be 2-1') } });
  });

  it('DELETE 204 once the type holds no records (archived=true, HubSpot\'s hard delete, alike); the name is free again', async () => {
    await hubspot.crm.schemas.coreApi.create(cars);
    const car = await crm.records.create('cars', { vin: 'V1', year: 2020 });
    await crm.records.purge('cars', car.id);
    expect((await hubspot.crm.schemas.coreApi.archiveWithHttpInfo('cars', true)).httpStatusCode).toBe(204);
    expect(crm.schema.objects().map((type) => type.name)).not.toContain('cars');
    expect((await failure(hubspot.crm.schemas.coreApi.getById('cars'))).code).toBe(404);
    expect((await hubspot.crm.schemas.coreApi.getAll()).results).toEqual([]);
    const again = await hubspot.crm.schemas.coreApi.createWithHttpInfo(cars);
    expect(again.httpStatusCode).toBe(201);
    expect(again.data.objectTypeId).toBe('2-2'); // ids are never reused
  });
});

describe('pipelines', () => {
  const renewals: { label: string; displayOrder: number; stages: Array<{ label: string; displayOrder: number; metadata: { [key: string]: string } }> } = {
    label: 'Renewals',
    displayOrder: 1,
    stages: [
      { label: 'Up for renewal', displayOrder: 0, metadata: { probability: '0.5' } },
      { label: 'Renewed', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
      { label: 'Churned', displayOrder: 2, metadata: { probability: '0.0' } },
    ],
  };

  it('list 200: deals default and tickets 0, stage metadata as strings', async () => {
    const deals = await hubspot.crm.pipelines.pipelinesApi.getAllWithHttpInfo('deals');
    expect(deals.httpStatusCode).toBe(200);
    const sales = deals.data.results[0]!;
    expect(sales.id).toBe('default');
    expect(sales.stages[0]).toMatchObject({ id: 'appointmentscheduled', metadata: { probability: '0.2', isClosed: 'false' }, archived: false });
    expect(sales.stages.find((stage) => stage.id === 'closedwon')!.metadata).toEqual({ probability: '1.0', isClosed: 'true' });
    const tickets = await hubspot.crm.pipelines.pipelinesApi.getAll('tickets');
    expect(tickets.results[0]!.id).toBe('0');
    expect(tickets.results[0]!.stages.find((stage) => stage.id === '4')!.metadata).toEqual({ ticketState: 'CLOSED', isClosed: 'true' });
    expect((await hubspot.crm.pipelines.pipelinesApi.getByIdWithHttpInfo('deals', 'default')).httpStatusCode).toBe(200);
  });

  it('create 201, update 200, replace 200 (stages matched, added, archived), archive 204', async () => {
    const created = await hubspot.crm.pipelines.pipelinesApi.createWithHttpInfo('deals', renewals);
    expect(created.httpStatusCode).toBe(201);
    expect(created.data).toMatchObject({ id: 'renewals', label: 'Renewals', stages: [{ id: 'up_for_renewal', metadata: { probability: '0.5', isClosed: 'false' } }, { id: 'renewed' }, { id: 'churned' }] });
    expect((await crm.pipelines.get('deals', 'renewals'))?.stages).toHaveLength(3);

    const patched = await hubspot.crm.pipelines.pipelinesApi.updateWithHttpInfo('deals', 'renewals', { label: 'Renewals 2027' });
    expect(patched.httpStatusCode).toBe(200);
    expect((await crm.pipelines.get('deals', 'renewals'))?.label).toBe('Renewals 2027');

    const replaced = await hubspot.crm.pipelines.pipelinesApi.replaceWithHttpInfo('deals', 'renewals', {
      label: 'Renewals',
      displayOrder: 1,
      stages: [
        { label: 'Up for renewal', displayOrder: 0, metadata: { probability: '0.6' } },
        { label: 'Negotiation', displayOrder: 1, metadata: { probability: '0.8' } },
        { label: 'Renewed', displayOrder: 2, metadata: { probability: '1.0' } },
      ],
    });
    expect(replaced.httpStatusCode).toBe(200);
    expect(replaced.data.stages.map((stage) => [stage.id, stage.metadata!.probability])).toEqual([
      ['up_for_renewal', '0.6'],
      ['negotiation', '0.8'],
      ['renewed', '1.0'],
    ]);
    expect((await crm.pipelines.list('deals', { archived: true })).find((pipeline) => pipeline.id === 'renewals')).toBeDefined();

    const archived = await hubspot.crm.pipelines.pipelinesApi.archiveWithHttpInfo('deals', 'renewals');
    expect(archived.httpStatusCode).toBe(204);
    expect(await crm.pipelines.get('deals', 'renewals')).toBeUndefined();
  });

  it('stages: list 200, create 201, read 200, replace and update 200, archive 204', async () => {
    const api = hubspot.crm.pipelines.pipelineStagesApi;
    const list = await api.getAllWithHttpInfo('tickets', '0');
    expect(list.httpStatusCode).toBe(200);
    expect(list.data.results.map((stage) => stage.id)).toEqual(['1', '2', '3', '4']);

    const created = await api.createWithHttpInfo('tickets', '0', { label: 'Escalated', displayOrder: 3, metadata: { ticketState: 'OPEN' } });
    expect(created.httpStatusCode).toBe(201);
    expect(created.data).toMatchObject({ id: 'escalated', metadata: { ticketState: 'OPEN', isClosed: 'false' } });
    expect((await api.getByIdWithHttpInfo('tickets', '0', 'escalated')).httpStatusCode).toBe(200);

    const replaced = await api.replaceWithHttpInfo('tickets', '0', 'escalated', { label: 'Escalated to engineering', displayOrder: 3, metadata: { ticketState: 'OPEN' } });
    expect(replaced.httpStatusCode).toBe(200);
    const updated = await api.updateWithHttpInfo('tickets', '0', 'escalated', { metadata: { ticketState: 'CLOSED' } });
    expect(updated.httpStatusCode).toBe(200);
    expect(updated.data.metadata).toEqual({ ticketState: 'CLOSED', isClosed: 'true' });
    expect((await crm.pipelines.getStage('tickets', '0', 'escalated'))).toMatchObject({ label: 'Escalated to engineering', metadata: { ticketState: 'CLOSED', isClosed: true } });

    expect((await api.archiveWithHttpInfo('tickets', '0', 'escalated')).httpStatusCode).toBe(204);
    expect(await crm.pipelines.getStage('tickets', '0', 'escalated')).toBeUndefined();
  });

  it('refusals: an unknown pipeline or stage 404, a stage in use 400, a bad probability 400, a type without pipelines 400', async () => {
    expect((await failure(hubspot.crm.pipelines.pipelinesApi.getById('deals', 'nope'))).code).toBe(404);
    expect((await failure(hubspot.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'nope'))).code).toBe(404);
    await crm.records.create('deals', { dealname: 'Acme', dealstage: 'qualifiedtobuy' });
    const inUse = await failure(hubspot.crm.pipelines.pipelineStagesApi.archive('deals', 'default', 'qualifiedtobuy'));
    expect(inUse).toMatchObject({ code: 400, body: { subCategory: 'STAGE_IN_USE', context: { count: ['1'] } } });
    const bad = await failure(hubspot.crm.pipelines.pipelineStagesApi.create('deals', 'default', { label: 'Odd', displayOrder: 9, metadata: { probability: '0.25' } }));
    expect(bad.code).toBe(400);
    expect((await failure(hubspot.crm.pipelines.pipelinesApi.getAll('contacts'))).code).toBe(400);
    expect((await crm.pipelines.get('deals', 'default'))?.stages.map((stage) => stage.id)).not.toContain('odd');
  });
});

describe('the object library', () => {
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: await response.json() };
  };

  it('enablement follows crm.schema.activate', async () => {
    const before = await get('/crm/v3/object-library/enablement');
    expect(before.status).toBe(200);
    expect(before.body.enablementByObjectTypeId).toEqual({ '0-162': false, '0-410': false, '0-420': false, '0-421': false, '0-970': false });
    await crm.schema.activate('services');
    expect((await get('/crm/v3/object-library/enablement')).body.enablementByObjectTypeId['0-162']).toBe(true);
    expect(await get('/crm/v3/object-library/enablement/0-162')).toEqual({ status: 200, body: { enablement: true } });
    expect(await get('/crm/v3/object-library/enablement/0-410')).toEqual({ status: 200, body: { enablement: false } });
    expect((await get('/crm/v3/object-library/enablement/0-1')).body).toEqual({ enablement: true });
    expect((await get('/crm/v3/object-library/enablement/9-9')).status).toBe(404);
  });
});
