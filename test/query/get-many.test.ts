// Batch reads and projections: crm.records.getMany (the ids' order, what is missing, merged ids),
// and `properties` on get, getMany, list and search; crm.records.count with and without a filter.
import { describe, expect, it } from 'vitest';
import { expectCrmError } from '../helpers.js';
import { issues, searchCrm } from './fixtures.js';

const SHOWN_ALWAYS = ['createdate', 'hs_object_id', 'lastmodifieddate'];

describe('getMany', () => {
  it('answers live records in the ids’ order (repeats included) and lists the ids with none: unknown and archived', async () => {
    const crm = await searchCrm();
    const [a, b, c] = await crm.records.createMany('contacts', [{ email: 'a@x.com' }, { email: 'b@x.com' }, { email: 'c@x.com' }]);
    await crm.records.archive('contacts', b!.id);
    const { results, missing } = await crm.records.getMany('contacts', [c!.id, 'unknown', b!.id, a!.id, c!.id]);
    expect(results.map((record) => record.properties.email)).toEqual(['c@x.com', 'a@x.com', 'c@x.com']);
    expect(missing).toEqual(['unknown', b!.id]);
    expect(results[1]).toEqual(await crm.records.get('contacts', a!.id));
  });

  it('a merged-away id answers the record it was merged into', async () => {
    const crm = await searchCrm();
    const [keep, gone] = await crm.records.createMany('contacts', [{ email: 'keep@x.com' }, { email: 'gone@x.com' }]);
    await crm.records.merge('contacts', keep!.id, gone!.id);
    const { results, missing } = await crm.records.getMany('contacts', [gone!.id]);
    expect(missing).toEqual([]);
    expect(results.map((record) => record.id)).toEqual([keep!.id]);
  });

  it('an empty list answers nothing; records of another type are missing', async () => {
    const crm = await searchCrm();
    const company = await crm.records.create('companies', { name: 'Acme' });
    expect(await crm.records.getMany('contacts', [])).toEqual({ results: [], missing: [] });
    expect(await crm.records.getMany('contacts', [company.id])).toEqual({ results: [], missing: [company.id] });
  });

  it('refuses what is not a list of ids, and unknown options', async () => {
    const crm = await searchCrm();
    await expectCrmError(crm.records.getMany('contacts', 'c1' as unknown as string[]), 'VALIDATION_ERROR');
    await expectCrmError(crm.records.getMany('contacts', [42 as unknown as string]), 'VALIDATION_ERROR');
    // An id no record could have is refused as records.get refuses it.
    const bad = await expectCrmError(crm.records.getMany('contacts', ['ok', '']), 'VALIDATION_ERROR');
    expect(issues(bad)[0]!.code).toBe('INVALID_ID');
    const error = await expectCrmError(crm.records.getMany('contacts', [], { propertes: ['email'] } as never), 'VALIDATION_ERROR');
    expect(issues(error).map((issue) => issue.code)).toEqual(['UNKNOWN_OPTION']);
  });
});

describe('projection (properties)', () => {
  it('shows only the properties asked for, plus the id and the two dates, on get, getMany, list and search', async () => {
    const crm = await searchCrm();
    const contact = await crm.records.create('contacts', { email: 'ann@acme.com', firstname: 'Ann', lastname: 'Lee', phone: '+1 555' });
    const properties = ['firstname', 'lastname'];
    const expected = [...SHOWN_ALWAYS, 'firstname', 'lastname'].sort();
    const got = await crm.records.get('contacts', contact.id, { properties });
    expect(Object.keys(got!.properties).sort()).toEqual(expected);
    expect(got!.properties.firstname).toBe('Ann');
    const many = await crm.records.getMany('contacts', [contact.id], { properties });
    expect(Object.keys(many.results[0]!.properties).sort()).toEqual(expected);
    const listed = await crm.records.list('contacts', { properties });
    expect(Object.keys(listed.results[0]!.properties).sort()).toEqual(expected);
    const found = await crm.records.search('contacts', { properties });
    expect(Object.keys(found.results[0]!.properties).sort()).toEqual(expected);
  });

  it('a property without a value is left out; an unknown one is VALIDATION_ERROR with a suggestion', async () => {
    const crm = await searchCrm();
    const contact = await crm.records.create('contacts', { email: 'ann@acme.com' });
    const got = await crm.records.get('contacts', contact.id, { properties: ['firstname', 'email'] });
    expect(Object.keys(got!.properties).sort()).toEqual([...SHOWN_ALWAYS, 'email'].sort());
    const error = await expectCrmError(crm.records.get('contacts', contact.id, { properties: ['emial'] }), 'VALIDATION_ERROR');
    expect(error.message).toMatch(/email/);
  });

  it('properties must be a list of names, on every read that takes it', async () => {
    const crm = await searchCrm();
    const contact = await crm.records.create('contacts', { email: 'ann@acme.com' });
    const refusals = [
      crm.records.get('contacts', contact.id, { properties: 'email' as unknown as string[] }),
      crm.records.getMany('contacts', [contact.id], { properties: [3] as unknown as string[] }),
      crm.records.list('contacts', { properties: { email: true } as unknown as string[] }),
      crm.associations.list(contact, 'companies', { records: true, properties: 'name' as unknown as string[] }),
    ];
    for (const refused of refusals) {
      const error = await expectCrmError(refused, 'VALIDATION_ERROR');
      expect(issues(error)[0]).toMatchObject({ code: 'INVALID_ARGUMENT', property: 'properties' });
    }
  });
});

describe('count', () => {
  it('counts every live record without a filter, and those matching a filter with one', async () => {
    const crm = await searchCrm();
    const made = await crm.records.createMany('contacts', [
      { email: 'a@x.com', lifecyclestage: 'lead' },
      { email: 'b@x.com', lifecyclestage: 'lead' },
      { email: 'c@x.com', lifecyclestage: 'customer' },
    ]);
    const leads = { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as const, value: 'lead' }] }] };
    expect(await crm.records.count('contacts')).toBe(3);
    expect(await crm.records.count('contacts', leads)).toBe(2);
    expect(await crm.records.count('companies')).toBe(0);
    await crm.records.archive('contacts', made[0]!.id);
    expect(await crm.records.count('contacts')).toBe(2);
    expect(await crm.records.count('contacts', leads)).toBe(1);
    expect(await crm.records.count('contacts', { filterGroups: [] })).toBe(2);
  });

  it('names a bad filter by its place under filter.filterGroups', async () => {
    const crm = await searchCrm();
    const error = await expectCrmError(crm.records.count('contacts', { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'HAS_PROPERTY' }] }] }), 'VALIDATION_ERROR');
    expect(issues(error)).toEqual([expect.objectContaining({ path: ['filter', 'filterGroups', 0, 'filters', 0, 'propertyName'] })]);
  });
});
