// Associations v4 through HubSpot's own SDK (13.5.0) over loopback: each endpoint's status,
// its body, and the crm's state after. Bad inputs through raw fetch are in
// test/hubspot/associations-bad-input.test.ts.
import { AssociationTypes, Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import type { HubSpotServer } from 'crmkit/hubspot';
import { batchCreateScenario, labelLifecycleScenario, people as peopleIn } from './fixtures.js';
import { failure, startSdk, TOKEN } from './harness.js';

let crm: Crm;
let server: HubSpotServer;
let hubspot: Client;

beforeEach(async () => {
  ({ crm, server, hubspot } = await startSdk());
});

afterEach(async () => {
  await server.close();
});


const v4 = () => hubspot.crm.associations.v4;
const hubspotDefined = (associationTypeId: number) => ({ associationCategory: Category.HubspotDefined, associationTypeId });
const userDefined = (associationTypeId: number) => ({ associationCategory: Category.UserDefined, associationTypeId });

const people = () => peopleIn(crm);

describe('one record’s associations', () => {
  it('PUT default: 200 with both directions’ default types; a first company becomes primary', async () => {
    const { ann, acme } = await people();
    const { httpStatusCode, data } = await v4().basicApi.createDefaultWithHttpInfo('contacts', ann.id, 'companies', acme.id);
    expect(httpStatusCode).toBe(200);
    expect(data.status).toBe('COMPLETE');
    expect(data.results.map((result) => [result._from.id, result.to.id, result.associationSpec.associationCategory, result.associationSpec.associationTypeId])).toEqual([
      [ann.id, acme.id, 'HUBSPOT_DEFINED', AssociationTypes.contactToCompany],
      [acme.id, ann.id, 'HUBSPOT_DEFINED', AssociationTypes.companyToContact],
    ]);
    const { results } = await crm.associations.list(ann, 'companies');
    expect(results.map((item) => [item.id, item.primary])).toEqual([[acme.id, true]]);
  });

  it('PUT with types: 201 with the pair’s ids and the labels it named; the crm holds the label', async () => {
    const { deal, ann } = await people();
    const buyer = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
    const { httpStatusCode, data } = await v4().basicApi.createWithHttpInfo('deals', deal.id, 'contacts', ann.id, [
      hubspotDefined(AssociationTypes.dealToContact),
      userDefined(buyer.typeId),
    ]);
    expect(httpStatusCode).toBe(201);
    expect(data).toEqual({ fromObjectTypeId: '0-3', fromObjectId: deal.id, toObjectTypeId: '0-1', toObjectId: ann.id, labels: ['Decision maker'] });
    const { results } = await crm.associations.list(deal, 'contacts');
    expect(results.map((item) => [item.id, item.labels])).toEqual([[ann.id, ['decision_maker']]]);
  });

  it('PUT with the primary type makes the company primary, demoting the old one', async () => {
    const { ann, acme, globex } = await people();
    await crm.associations.associate(ann, acme);
    await v4().basicApi.create('contacts', ann.id, 'companies', globex.id, [hubspotDefined(AssociationTypes.primaryContactToCompany)]);
    const { results } = await crm.associations.list(ann, 'companies');
    expect(results.map((item) => [item.id, item.primary])).toEqual([
      [acme.id, false],
      [globex.id, true],
    ]);
  });

  it('GET: 200, each record with its types (a primary company: 1 and 279; from the company: 2 and 280); ids are strings', async () => {
    const { ann, bob, acme } = await people();
    await crm.associations.associate(ann, acme);
    await crm.associations.associate(bob, acme);
    const { httpStatusCode, data } = await v4().basicApi.getPageWithHttpInfo('contacts', ann.id, 'companies');
    expect(httpStatusCode).toBe(200);
    expect(data.results).toEqual([
      {
        toObjectId: acme.id,
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
        ],
      },
    ]);
    expect(typeof data.results[0]!.toObjectId).toBe('string');
    const fromCompany = await v4().basicApi.getPage('companies', acme.id, 'contacts');
    expect(fromCompany.results.map((item) => [item.toObjectId, item.associationTypes.map((type) => type.typeId)])).toEqual([
      [ann.id, [2, 280]],
      [bob.id, [2, 280]],
    ]);
  });

  it('GET pages with limit and after', async () => {
    const { acme } = await people();
    const contacts = await crm.records.createMany('contacts', [1, 2, 3, 4, 5].map((n) => ({ email: `p${n}@example.com` })));
    await crm.associations.associateMany(contacts.map((contact) => ({ from: acme, to: contact })));
    const first = await v4().basicApi.getPage('companies', acme.id, 'contacts', undefined, 2);
    expect(first.results.map((item) => item.toObjectId)).toEqual([contacts[0]!.id, contacts[1]!.id]);
    const second = await v4().basicApi.getPage('companies', acme.id, 'contacts', first.paging!.next!.after, 2);
    expect(second.results.map((item) => item.toObjectId)).toEqual([contacts[2]!.id, contacts[3]!.id]);
  });

  it('DELETE: 204, the association gone from both sides', async () => {
    const { deal, ann } = await people();
    await crm.associations.associate(deal, ann);
    const { httpStatusCode } = await v4().basicApi.archiveWithHttpInfo('deals', deal.id, 'contacts', ann.id);
    expect(httpStatusCode).toBe(204);
    expect((await crm.associations.list(ann, 'deals')).total).toBe(0);
  });

  it('an unknown record is 404, an unknown type id 400; nothing changes', async () => {
    const { ann, acme } = await people();
    const missing = await failure(v4().basicApi.createDefault('contacts', ann.id, 'companies', '999999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'NOT_FOUND' });
    const unknown = await failure(v4().basicApi.create('contacts', ann.id, 'companies', acme.id, [hubspotDefined(280)]));
    expect(unknown.code).toBe(400);
    expect(unknown.body).toMatchObject({ category: 'VALIDATION_ERROR', errors: [{ context: { propertyName: ['body[0].associationTypeId'] } }] });
    expect((await crm.associations.list(ann, 'companies')).total).toBe(0);
  });
});

describe('batches', () => {
  it('create: 201 per pair with labels; a refused pair is a 207 error beside the others', async () => {
    await batchCreateScenario(v4(), crm, AssociationTypes.dealToContact);
  });

  it('associate/default: 200 with both directions of every pair', async () => {
    const { ann, bob, acme } = await people();
    const { httpStatusCode, data } = await v4().batchApi.createDefaultWithHttpInfo('companies', 'contacts', {
      inputs: [
        { _from: { id: acme.id }, to: { id: ann.id } },
        { _from: { id: acme.id }, to: { id: bob.id } },
      ],
    });
    expect(httpStatusCode).toBe(200);
    expect(data.results.map((result) => result.associationSpec.associationTypeId)).toEqual([280, 279, 280, 279]);
    // Each contact's first company became its primary.
    expect((await crm.associations.list(acme, 'contacts', { label: 'primary' })).total).toBe(2);
  });

  it('read: 200 with each record’s associations; an unknown id makes it a 207', async () => {
    const { ann, bob, acme } = await people();
    await crm.associations.associate(ann, acme);
    const read = await v4().batchApi.getPageWithHttpInfo('contacts', 'companies', { inputs: [{ id: ann.id }, { id: bob.id }] });
    expect(read.httpStatusCode).toBe(200);
    expect(read.data.results.map((result) => [result._from.id, result.to.map((to) => to.toObjectId)])).toEqual([
      [ann.id, [acme.id]],
      [bob.id, []],
    ]);
    const partial = await v4().batchApi.getPageWithHttpInfo('contacts', 'companies', { inputs: [{ id: ann.id }, { id: '999999' }] });
    expect(partial.httpStatusCode).toBe(207);
    expect(partial.data.results).toHaveLength(1);
  });

  it('archive: 204, the pairs gone', async () => {
    const { deal, ann, bob } = await people();
    await crm.associations.associateMany([
      { from: deal, to: ann },
      { from: deal, to: bob },
    ]);
    const { httpStatusCode } = await v4().batchApi.archiveWithHttpInfo('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: [{ id: ann.id }, { id: bob.id }] }] });
    expect(httpStatusCode).toBe(204);
    expect((await crm.associations.list(deal, 'contacts')).total).toBe(0);
  });

  it('labels/archive: 204; a label comes off, the association stays; the unlabelled type removes it', async () => {
    const { deal, ann, bob } = await people();
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await crm.associations.associate(deal, ann, ['champion']);
    await crm.associations.associate(deal, bob, ['champion']);
    const { httpStatusCode } = await v4().batchApi.archiveLabelsWithHttpInfo('deals', 'contacts', {
      inputs: [
        { _from: { id: deal.id }, to: { id: ann.id }, types: [userDefined(label.typeId)] },
        { _from: { id: deal.id }, to: { id: bob.id }, types: [hubspotDefined(AssociationTypes.dealToContact)] },
      ],
    });
    expect(httpStatusCode).toBe(204);
    const { results } = await crm.associations.list(deal, 'contacts');
    expect(results.map((item) => [item.id, item.labels])).toEqual([[ann.id, []]]);
  });
});

describe('labels', () => {
  it('GET: 200 with the pair’s HubSpot-defined types and its labels', async () => {
    const label = await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
    const { httpStatusCode, data } = await v4().schema.definitionsApi.getAllWithHttpInfo('contacts', 'companies');
    expect(httpStatusCode).toBe(200);
    expect(data.results).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
      { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      { category: 'USER_DEFINED', typeId: label.typeId, label: 'Billing contact' },
    ]);
  });

  it('POST: 200 with both directions’ new types; PUT 204 renames; DELETE 204 removes', async () => {
    await labelLifecycleScenario(v4(), crm);
  });

  it('a label in use is 409; a name taken 409; a HubSpot-defined type cannot change (400)', async () => {
    const { deal, ann } = await people();
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await crm.associations.associate(deal, ann, ['champion']);
    const inUse = await failure(v4().schema.definitionsApi.remove('deals', 'contacts', label.typeId));
    expect(inUse.code).toBe(409);
    expect(inUse.body).toMatchObject({ category: 'CONFLICT', subCategory: 'LABEL_IN_USE' });
    const taken = await failure(v4().schema.definitionsApi.create('deals', 'contacts', { label: 'Champion', name: 'champion' }));
    expect(taken.code).toBe(409);
    const builtIn = await failure(v4().schema.definitionsApi.update('contacts', 'companies', { associationTypeId: 1, label: 'Main' }));
    expect(builtIn.code).toBe(400);
    expect(builtIn.body.subCategory).toBe('IMMUTABLE');
    expect(crm.associations.labels('deals', 'contacts').map((definition) => definition.name)).toEqual(['champion']);
  });
});

describe('associations on create', () => {
  it('POST with associations: 201; the association is made with the record, a first company primary', async () => {
    const { acme } = await people();
    const { httpStatusCode, data } = await hubspot.crm.contacts.basicApi.createWithHttpInfo({
      properties: { email: 'cy@acme.com' },
      associations: [{ to: { id: acme.id }, types: [hubspotDefined(AssociationTypes.contactToCompany)] }],
    });
    expect(httpStatusCode).toBe(201);
    const { results } = await crm.associations.list({ objectType: 'contacts', id: data.id }, 'companies');
    expect(results.map((item) => [item.id, item.primary])).toEqual([[acme.id, true]]);
  });

  it('a quote with its deal, and a label by its type id; batch create gives each input its own', async () => {
    const { deal, ann, bob } = await people();
    const quote = await hubspot.crm.quotes.basicApi.create({
      properties: { hs_title: 'Q1', hs_expiration_date: '2026-03-31' },
      associations: [{ to: { id: deal.id }, types: [hubspotDefined(AssociationTypes.quoteToDeal)] }],
    });
    expect((await crm.associations.list({ objectType: 'quotes', id: quote.id }, 'deals')).results.map((item) => item.id)).toEqual([deal.id]);
    const signers = await hubspot.crm.quotes.batchApi.createWithHttpInfo({
      inputs: [
        { properties: { hs_title: 'Q2', hs_expiration_date: '2026-03-31' }, associations: [{ to: { id: deal.id }, types: [hubspotDefined(64)] }, { to: { id: ann.id }, types: [hubspotDefined(69), hubspotDefined(AssociationTypes.contactSigner)] }] },
        { properties: { hs_title: 'Q3', hs_expiration_date: '2026-03-31' }, associations: [{ to: { id: deal.id }, types: [hubspotDefined(64)] }, { to: { id: bob.id }, types: [hubspotDefined(69)] }] },
      ],
    });
    expect(signers.httpStatusCode).toBe(201);
    const [q2, q3] = signers.data.results;
    expect((await crm.associations.list({ objectType: 'quotes', id: q2!.id }, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([[ann.id, ['contact_signer']]]);
    expect((await crm.associations.list({ objectType: 'quotes', id: q3!.id }, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([[bob.id, []]]);
  });

  it('a quote without its deal is refused, and nothing is written', async () => {
    const { ann } = await people();
    const { code, body } = await failure(
      hubspot.crm.quotes.basicApi.create({ properties: { hs_title: 'Q', hs_expiration_date: '2026-03-31' }, associations: [{ to: { id: ann.id }, types: [hubspotDefined(69)] }] }),
    );
    expect(code).toBe(400);
    expect(body.subCategory).toBe('ASSOCIATION_REQUIRED');
    expect((await crm.records.list('quotes')).results).toEqual([]);
  });
});

describe('the date-versioned paths', () => {
  it('answer as v4 does: /crm/objects/2026-09/… and /crm/associations/2026-03/…', async () => {
    const { ann, acme } = await people();
    const headers = { authorization: `Bearer ${TOKEN}` };
    const made = await fetch(`${server.url}/crm/objects/2026-09/contacts/${ann.id}/associations/default/companies/${acme.id}`, { method: 'PUT', headers });
    expect(made.status).toBe(200);
    const listed = await fetch(`${server.url}/crm/objects/2026-03/contacts/${ann.id}/associations/companies`, { headers });
    expect(((await listed.json()) as { results: unknown[] }).results).toHaveLength(1);
    for (const base of ['/crm/associations/2026-03', '/crm/associations/2026-09', '/crm/associations/v4']) {
      const labels = await fetch(`${server.url}${base}/contacts/companies/labels`, { headers });
      expect(labels.status).toBe(200);
      expect(((await labels.json()) as { results: Array<{ typeId: number }> }).results.map((type) => type.typeId)).toEqual([279, 1]);
    }
  });
});

describe('associations on reads', () => {
  it('GET one and the list with ?associations: each type carried, as v3 names them; none left out', async () => {
    const { ann, bob, acme, deal } = await people();
    await crm.associations.associate(ann, acme);
    await crm.associations.associate(deal, ann);
    const one = await hubspot.crm.contacts.basicApi.getById(ann.id, undefined, undefined, ['companies', 'deals']);
    expect(one.associations).toEqual({
      companies: {
        results: [
          { id: acme.id, type: 'contact_to_company' },
          { id: acme.id, type: 'contact_to_company_unlabeled' },
        ],
      },
      deals: { results: [{ id: deal.id, type: 'contact_to_deal' }] },
    });
    const page = await hubspot.crm.contacts.basicApi.getPage(10, undefined, undefined, undefined, ['companies']);
    expect(page.results.map((record) => [record.id, record.associations?.companies?.results.map((entry) => entry.type)])).toEqual([
      [ann.id, ['contact_to_company', 'contact_to_company_unlabeled']],
      [bob.id, undefined],
    ]);
  });
});

describe('limits (definitions/configurations)', () => {
  // The SDK wraps these routes in no discovery API (13.5.0 and 14.0.1 alike): a client reaches
  // them through its generic apiRequest, as here.
  const send = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    try {
      const response = await hubspot.apiRequest({ method, path, ...(body !== undefined ? { body } : {}) });
      return { status: response.status, json: response.status === 204 ? undefined : await response.json() };
    } catch (error) {
      const { code, body: refused } = await failure(Promise.reject(error));
      return { status: code, json: refused };
    }
  };
  const BASE = '/crm/v4/associations/definitions/configurations';

  it('GET lists the types with a limit; create 201 and update 200 set one; purge 204 lifts it', async () => {
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion', inverseLabel: 'Champion of' });
    // Only the built-in primary is limited at first: one primary company per deal.
    expect(await send('GET', `${BASE}/deals/companies`)).toEqual({ status: 200, json: { results: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary', userEnforcedMaxToObjectIds: 1 }] } });
    expect((await send('GET', `${BASE}/deals/contacts`)).json.results).toEqual([]);

    const created = await send('POST', `${BASE}/deals/contacts/batch/create`, { inputs: [{ category: 'USER_DEFINED', typeId: label.typeId, maxToObjectIds: 1 }] });
    expect(created.status).toBe(201);
    expect(created.json.results).toEqual([{ category: 'USER_DEFINED', typeId: label.typeId, userEnforcedMaxToObjectIds: 1 }]);
    expect(crm.associations.labels('deals', 'contacts')[0]!.limit).toBe('one');
    // The inverse side's type sets the label's inverse limit; the unlabelled type the pair's.
    const updated = await send('POST', `${BASE}/contacts/deals/batch/update`, {
      inputs: [
        { category: 'USER_DEFINED', typeId: label.inverseTypeId, maxToObjectIds: 3 },
        { category: 'HUBSPOT_DEFINED', typeId: 4, maxToObjectIds: 50 },
      ],
    });
    expect(updated.status).toBe(200);
    expect(crm.associations.labels('deals', 'contacts')[0]).toMatchObject({ limit: 'one', inverseLimit: 3 });
    expect(crm.associations.types('contacts', 'deals').map((type) => type.limit)).toEqual([50, 3]);
    expect((await send('GET', `${BASE}/contacts/deals`)).json.results).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 4, userEnforcedMaxToObjectIds: 50 },
      { category: 'USER_DEFINED', typeId: label.inverseTypeId, label: 'Champion of', userEnforcedMaxToObjectIds: 3 },
    ]);
    const all = (await send('GET', `${BASE}/all`)).json.results as Array<{ typeId: number }>;
    expect(all.map((item) => item.typeId)).toEqual(expect.arrayContaining([label.typeId, label.inverseTypeId, 4, 1, 5]));

    // The crm enforces what was set: a second champion is refused.
    const { deal, ann, bob } = await people();
    await crm.associations.associate(deal, ann, ['champion']);
    await expect(crm.associations.associate(deal, bob, ['champion'])).rejects.toMatchObject({ code: 'ASSOCIATION_LIMIT' });

    const purged = await send('POST', `${BASE}/deals/contacts/batch/purge`, { inputs: [{ category: 'USER_DEFINED', typeId: label.typeId }] });
    expect(purged.status).toBe(204);
    await crm.associations.associate(deal, bob, ['champion']);
    expect(crm.associations.labels('deals', 'contacts')[0]!.limit).toBe('many');
  });

  it('refusals write nothing: a limit past the pair\'s (400), a built-in label (400), an unknown type id (400)', async () => {
    const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
    await crm.schema.defineAssociation('deals', 'contacts', { limit: 5 });
    const past = await send('POST', `${BASE}/deals/contacts/batch/create`, { inputs: [{ category: 'USER_DEFINED', typeId: label.typeId, maxToObjectIds: 6 }] });
    expect(past.status).toBe(400);
    expect(past.json.errors.map((issue: { code: string }) => issue.code)).toContain('LIMIT_EXCEEDS_PAIR');
    // One transaction: the first input's change is undone with the second's refusal.
    const builtIn = await send('POST', `${BASE}/deals/companies/batch/update`, {
      inputs: [
        { category: 'HUBSPOT_DEFINED', typeId: 341, maxToObjectIds: 2 },
        { category: 'HUBSPOT_DEFINED', typeId: 5, maxToObjectIds: 2 },
      ],
    });
    expect(builtIn.status).toBe(400);
    expect(builtIn.json.subCategory).toBe('IMMUTABLE');
    expect(crm.associations.types('deals', 'companies').map((type) => type.limit)).toEqual(['many', 'one']);
    const unknown = await send('POST', `${BASE}/deals/contacts/batch/purge`, { inputs: [{ category: 'USER_DEFINED', typeId: 999_999 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/inputs\[0\]\.typeId/);
    expect(crm.associations.labels('deals', 'contacts')[0]!.limit).toBe('many');
  });
});
