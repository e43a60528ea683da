// What the SDK tests of both SDK versions (13.5.0 and 14.0.1) share: the definitions they send,
// the records they start from, and the scenarios both must pass alike, so a behaviour is written
// once and each SDK runs it.
import type { Client } from '@hubspot/api-client';
import { expect } from 'vitest';
import type { Crm, CrmRecord } from 'crmkit';

/** A select property as HubSpot's properties API takes it (types loosened: each SDK has its own enums). */
export const ROAST = {
  name: 'favorite_roast',
  label: 'Favourite roast',
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'contactinformation',
  options: [
    { label: 'Light', value: 'light', displayOrder: 0, hidden: false },
    { label: 'Dark', value: 'dark', displayOrder: 1, hidden: false },
  ],
} as any;

/** A custom object schema as HubSpot's schemas API takes it, associated with contacts and deals. */
export const CARS = {
  name: 'cars',
  labels: { singular: 'Car', plural: 'Cars' },
  primaryDisplayProperty: 'vin',
  requiredProperties: ['vin'],
  searchableProperties: ['vin'],
  properties: [
    { name: 'vin', label: 'VIN', type: 'string', fieldType: 'text', hasUniqueValue: true },
    { name: 'year', label: 'Year', type: 'number', fieldType: 'number' },
  ],
  associatedObjects: ['CONTACT', '0-3'],
} as any;

/** Two contacts, two companies and a deal, unassociated. */
export async function people(crm: Crm): Promise<{ ann: CrmRecord; bob: CrmRecord; acme: CrmRecord; globex: CrmRecord; deal: CrmRecord }> {
  const [ann, bob] = await crm.records.createMany('contacts', [{ email: 'ann@acme.com' }, { email: 'bob@acme.com' }]);
  const [acme, globex] = await crm.records.createMany('companies', [{ name: 'Acme', domain: 'acme.com' }, { name: 'Globex', domain: 'globex.com' }]);
  const deal = await crm.records.create('deals', { dealname: 'Big one', dealstage: 'appointmentscheduled' });
  return { ann: ann!, bob: bob!, acme: acme!, globex: globex!, deal };
}

/** An association type as a request names it (both SDKs send these strings). */
export const typeSpec = (associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED', associationTypeId: number) => ({ associationCategory: associationCategory as never, associationTypeId });

/**
 * Associations v4 batch create: 201 per pair with labels, then a refused pair is a 207 error
 * beside the pairs that worked; the crm holds what the answers said. `v4` is either SDK's
 * `crm.associations.v4` (their batch APIs take the same calls).
 */
export async function batchCreateScenario(v4: Client['crm']['associations']['v4'], crm: Crm, dealToContact: number): Promise<{ deal: CrmRecord; ann: CrmRecord; bob: CrmRecord }> {
  const { deal, ann, bob } = await people(crm);
  const label = await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Champion' });
  const ok = await v4.batchApi.createWithHttpInfo('deals', 'contacts', {
    inputs: [
      { _from: { id: deal.id }, to: { id: ann.id }, types: [typeSpec('USER_DEFINED', label.typeId)] },
      { _from: { id: deal.id }, to: { id: bob.id }, types: [typeSpec('HUBSPOT_DEFINED', dealToContact)] },
    ],
  });
  expect(ok.httpStatusCode).toBe(201);
  expect(ok.data.results.map((result) => [result.toObjectId, result.labels])).toEqual([
    [ann.id, ['Champion']],
    [bob.id, []],
  ]);
  const partial = await v4.batchApi.createWithHttpInfo('deals', 'contacts', {
    inputs: [
      { _from: { id: deal.id }, to: { id: '999999' }, types: [typeSpec('HUBSPOT_DEFINED', dealToContact)] },
      { _from: { id: deal.id }, to: { id: bob.id }, types: [typeSpec('USER_DEFINED', label.typeId)] },
    ],
  });
  expect(partial.httpStatusCode).toBe(207);
  expect((partial.data as { errors?: unknown[] }).errors).toMatchObject([{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { toId: ['999999'] } }]);
  expect((await crm.associations.list(deal, 'contacts')).results.map((item) => [item.id, item.labels])).toEqual([
    [ann.id, ['champion']],
    [bob.id, ['champion']],
  ]);
  return { deal, ann, bob };
}

/**
 * Association labels: POST 200 answers both directions' new types (a paired label), PUT 204
 * renames the inverse side, DELETE 204 removes the label; the crm holds each step.
 */
export async function labelLifecycleScenario(v4: Client['crm']['associations']['v4'], crm: Crm): Promise<void> {
  const created = await v4.schema.definitionsApi.createWithHttpInfo('contacts', 'contacts', { label: 'Manager', name: 'manager', inverseLabel: 'Employee' });
  expect(created.httpStatusCode).toBe(200);
  const [forward, backward] = created.data.results;
  expect(created.data.results).toEqual([
    { category: 'USER_DEFINED', typeId: forward!.typeId, label: 'Manager' },
    { category: 'USER_DEFINED', typeId: backward!.typeId, label: 'Employee' },
  ]);
  expect(crm.associations.labels('contacts', 'contacts').find((label) => label.name === 'manager')).toMatchObject({ typeId: forward!.typeId, inverseTypeId: backward!.typeId });

  const renamed = await v4.schema.definitionsApi.updateWithHttpInfo('contacts', 'contacts', { associationTypeId: backward!.typeId, label: 'Report' });
  expect(renamed.httpStatusCode).toBe(204);
  expect(crm.associations.labels('contacts', 'contacts').find((label) => label.name === 'manager')!.inverseLabel).toBe('Report');

  const deleted = await v4.schema.definitionsApi.removeWithHttpInfo('contacts', 'contacts', forward!.typeId);
  expect(deleted.httpStatusCode).toBe(204);
  expect(crm.associations.labels('contacts', 'contacts')).toEqual([]);
}
