// associations.list with `{ records: true }`: showing a deal's contacts is one call
// (docs/associations.md "Listing").
import { describe, expect, it } from 'vitest';
import { expectCrmError, testCrm } from '../helpers.js';
import { company, contact, deal } from './fixtures.js';

describe('associations.list with records', () => {
  it("answers each associated record with its item, in the list's order and pages", async () => {
    const { crm } = await testCrm();
    const bigOne = await deal(crm);
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await contact(crm, { email: `p${i}@orange.com`, firstname: `P${i}` }));
    for (const person of people) await crm.associations.associate(bigOne, person);

    const first = await crm.associations.list(bigOne, 'contacts', { records: true, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.results.map((item) => [item.id, item.record.id, item.record.properties.firstname])).toEqual(
      people.slice(0, 2).map((person) => [person.id, person.id, person.properties.firstname]),
    );
    const rest = await crm.associations.list(bigOne, 'contacts', { records: true, limit: 2, after: first.paging!.next!.after });
    expect(rest.results.map((item) => item.record.id)).toEqual([people[2]!.id]);
    // The records are what records.get answers.
    expect(rest.results[0]!.record).toEqual(await crm.records.get('contacts', people[2]!.id));
  });

  it('shows only the properties asked for, plus the id and the two dates', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const ana = await contact(crm, { email: 'ana@orange.com', firstname: 'Ana' });
    await crm.associations.associate(ana, acme);
    const { results } = await crm.associations.list(acme, 'contacts', { records: true, properties: ['email'] });
    expect(Object.keys(results[0]!.record.properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    expect(results[0]!.record.properties.email).toBe(ana.properties.email);
  });

  it('without records, items carry no record', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const ana = await contact(crm);
    await crm.associations.associate(ana, acme);
    const { results } = await crm.associations.list(acme, 'contacts');
    expect(results[0]).not.toHaveProperty('record');
  });

  it('refuses properties without records, and an unknown property', async () => {
    const { crm } = await testCrm();
    const acme = await company(crm);
    const error = await expectCrmError(crm.associations.list(acme, 'contacts', { properties: ['email'] }), 'VALIDATION_ERROR');
    expect(error.details.issues[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'properties' });
    const unknown = await expectCrmError(crm.associations.list(acme, 'contacts', { records: true, properties: ['emial'] }), 'VALIDATION_ERROR');
    expect(unknown.details.issues[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', property: 'emial', suggestion: 'email' });
  });
});
