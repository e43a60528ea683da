// Associations v4 through @hubspot/api-client 14.0.1 (installed as @hubspot/api-client-14), which
// sends through Node's global fetch and needs Node 22 or newer: on older Node these tests are
// skipped (CI runs them in its Node 24 pass, .ci/node24.sh). The same behaviours as the 13.5.0
// tests in test/hubspot/sdk-associations.test.ts, one or two tests per API: each call's status,
// its body, and the crm's state after.
import type { AssociationTypes as Types, Client } from '@hubspot/api-client-14';
import type { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client-14/lib/codegen/crm/associations/v4/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Crm } from 'crmkit';
import type { HubSpotServer } from 'crmkit/hubspot';
import { batchCreateScenario, labelLifecycleScenario, people as peopleIn } from './fixtures.js';
import { failure, NODE_MAJOR, startSdk14 } from './harness.js';

const hubspotDefined = (associationTypeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED' as Category, associationTypeId });
const userDefined = (associationTypeId: number) => ({ associationCategory: 'USER_DEFINED' as Category, associationTypeId });

describe.skipIf(NODE_MAJOR < 22)(`@hubspot/api-client 14.0.1, associations v4 (needs Node >= 22; skipped on Node ${process.versions.node} when older)`, () => {
  let crm: Crm;
  let server: HubSpotServer;
  let hubspot: Client;
  let AssociationTypes: typeof Types;

  beforeEach(async () => {
    let sdk;
    ({ crm, server, hubspot, sdk } = await startSdk14());
    AssociationTypes = sdk.AssociationTypes;
  });

  afterEach(async () => {
    await server.close();
  });

  const v4 = () => hubspot.crm.associations.v4;

  const people = () => peopleIn(crm);

  describe('basicApi', () => {
    it('createDefault 200 with both directions (a first company primary); create with types 201 with the labels; an unknown record 404', async () => {
      const { ann, acme, deal } = await people();
      const made = await v4().basicApi.createDefaultWithHttpInfo('contacts', ann.id, 'companies', acme.id);
      expect(made.httpStatusCode).toBe(200);
      expect(made.data.status).toBe('COMPLETE');
      expect(made.data.results.map((result) => [result._from.id, result.to.id, result.associationSpec.associationCategory, result.associationSpec.associationTypeId])).toEqual([
        [ann.id, acme.id, 'HUBSPOT_DEFINED', AssociationTypes.contactToCompany],
        [acme.id, ann.id, 'HUBSPOT_DEFINED', AssociationTypes.companyToContact],
      ]);
      expect((await crm.associations.list(ann, 'companies')).results.map((item) => [item.id, item.primary])).toEqual([[acme.id, true]]);

      const buyer = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker' });
      const labelled = await v4().basicApi.createWithHttpInfo('deals', deal.id, 'contacts', ann.id, [hubspotDefined(AssociationTypes.dealToContact), userDefined(buyer.typeId)]);
      expect(labelled.httpStatusCode).toBe(201);
      expect(labelled.data).toEqual({ fromObjectTypeId: '0-3', fromObjectId: deal.id, toObjectTypeId: '0-1', toObjectId: ann.id, labels: ['Decision maker'] });
      expect((await crm.associations.list(deal, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([[ann.id, ['decision_maker']]]);

      const missing = await failure(v4().basicApi.createDefault('contacts', ann.id, 'companies', '999999'));
      expect(missing).toMatchObject({ code: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND' } });
      expect((await crm.associations.list(ann, 'companies')).total).toBe(1);
    });

    it('getPage 200 with each record’s types and string ids; archive 204, gone from both sides', async () => {
      const { ann, bob, acme } = await people();
      await crm.associations.associate(ann, acme);
      await crm.associations.associate(bob, acme);
      const page = await v4().basicApi.getPageWithHttpInfo('contacts', ann.id, 'companies');
      expect(page.httpStatusCode).toBe(200);
      expect(page.data.results).toEqual([
        {
          toObjectId: acme.id,
          associationTypes: [
            { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
            { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
          ],
        },
      ]);
      expect(typeof page.data.results[0]!.toObjectId).toBe('string');
      const first = await v4().basicApi.getPage('companies', acme.id, 'contacts', undefined, 1);
      expect(first.results.map((item) => item.toObjectId)).toEqual([ann.id]);
      const second = await v4().basicApi.getPage('companies', acme.id, 'contacts', first.paging!.next!.after, 1);
      expect(second.results.map((item) => item.toObjectId)).toEqual([bob.id]);

      const archived = await v4().basicApi.archiveWithHttpInfo('contacts', ann.id, 'companies', acme.id);
      expect(archived.httpStatusCode).toBe(204);
      expect((await crm.associations.list(ann, 'companies')).total).toBe(0);
      expect((await crm.associations.list(acme, 'contacts')).results.map((item) => item.id)).toEqual([bob.id]);
    });
  });

  describe('batchApi', () => {
    it('create 201 per pair with labels, 207 with a refused pair beside the others; read 200, 207 with an unknown id', async () => {
      // SDK 14's batch API takes the same calls as 13.5's: the one scenario runs on both.
      const { deal, ann, bob } = await batchCreateScenario(v4() as unknown as Parameters<typeof batchCreateScenario>[0], crm, AssociationTypes.dealToContact);

      const read = await v4().batchApi.getPageWithHttpInfo('contacts', 'deals', { inputs: [{ id: ann.id }, { id: bob.id }] });
      expect(read.httpStatusCode).toBe(200);
      expect(read.data.results.map((result) => [result._from.id, result.to.map((to) => to.toObjectId)])).toEqual([
        [ann.id, [deal.id]],
        [bob.id, [deal.id]],
      ]);
      const unknown = await v4().batchApi.getPageWithHttpInfo('contacts', 'deals', { inputs: [{ id: ann.id }, { id: '999999' }] });
      expect(unknown.httpStatusCode).toBe(207);
      expect(unknown.data.results.map((result) => result._from.id)).toEqual([ann.id]);
    });

    it('labels archive 204 takes a label off and the unlabelled type the association; archive 204 removes the pairs', async () => {
      const { deal, ann, bob, acme } = await people();
      const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
      await crm.associations.associate(deal, ann, ['champion']);
      await crm.associations.associate(deal, bob, ['champion']);
      const unlabelled = await v4().batchApi.archiveLabelsWithHttpInfo('deals', 'contacts', {
        inputs: [
          { _from: { id: deal.id }, to: { id: ann.id }, types: [userDefined(label.typeId)] },
          { _from: { id: deal.id }, to: { id: bob.id }, types: [hubspotDefined(AssociationTypes.dealToContact)] },
        ],
      });
      expect(unlabelled.httpStatusCode).toBe(204);
      expect((await crm.associations.list(deal, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([[ann.id, []]]);

      await crm.associations.associateMany([
        { from: acme, to: ann },
        { from: acme, to: bob },
      ]);
      const archived = await v4().batchApi.archiveWithHttpInfo('companies', 'contacts', { inputs: [{ _from: { id: acme.id }, to: [{ id: ann.id }, { id: bob.id }] }] });
      expect(archived.httpStatusCode).toBe(204);
      expect((await crm.associations.list(acme, 'contacts')).total).toBe(0);
      expect((await crm.associations.list(deal, 'contacts')).total).toBe(1);
    });
  });

  describe('schema.definitionsApi (labels)', () => {
    it('getAll 200 with the HubSpot-defined types and the labels; create 200 with both directions; update 204 renames; remove 204', async () => {
      const billing = await crm.associations.createLabel({ from: 'contacts', to: 'companies', label: 'Billing contact' });
      const all = await v4().schema.definitionsApi.getAllWithHttpInfo('contacts', 'companies');
      expect(all.httpStatusCode).toBe(200);
      expect(all.data.results).toEqual([
        { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
        { category: 'USER_DEFINED', typeId: billing.typeId, label: 'Billing contact' },
      ]);

      await labelLifecycleScenario(v4() as unknown as Parameters<typeof labelLifecycleScenario>[0], crm);
    });

    it('refusals: a label in use 409 (LABEL_IN_USE), a name taken 409, a HubSpot-defined type 400 (IMMUTABLE); the labels unchanged', async () => {
      const { deal, ann } = await people();
      const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
      await crm.associations.associate(deal, ann, ['champion']);
      expect(await failure(v4().schema.definitionsApi.remove('deals', 'contacts', label.typeId))).toMatchObject({ code: 409, body: { category: 'CONFLICT', subCategory: 'LABEL_IN_USE' } });
      expect((await failure(v4().schema.definitionsApi.create('deals', 'contacts', { label: 'Champion', name: 'champion' }))).code).toBe(409);
      expect(await failure(v4().schema.definitionsApi.update('contacts', 'companies', { associationTypeId: 1, label: 'Main' }))).toMatchObject({ code: 400, body: { subCategory: 'IMMUTABLE' } });
      expect(crm.associations.labels('deals', 'contacts').map((definition) => definition.name)).toEqual(['champion']);
      expect((await crm.associations.list(deal, 'contacts')).results.map((item) => item.labels)).toEqual([['champion']]);
    });
  });
});
