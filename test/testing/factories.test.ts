// define(): builders that are deterministic per factory, take overrides per call, create through
// the public API, and derive factories that continue the same sequence.
import { describe, expect, it } from 'vitest';
import { createCrm } from 'crmkit';
import { define } from 'crmkit/testing';
import { expectCrmError, testCrm } from '../helpers.js';

const contacts = () =>
  define('contacts', (i, rng) => ({
    email: `person${i}@example.com`,
    firstname: rng.pick(['Ana', 'Bo', 'Carla', 'Dmitri']),
    lifecyclestage: 'lead',
  }));

describe('define', () => {
  it('builds items 1, 2, 3, … without writing anything', () => {
    const factory = contacts();
    expect(factory.objectType).toBe('contacts');
    expect(factory.build().email).toBe('person1@example.com');
    expect(factory.buildMany(2).map((item) => item.email)).toEqual(['person2@example.com', 'person3@example.com']);
  });

  it('is deterministic per factory: the same definition builds the same items, a seed changes them', () => {
    const a = contacts().buildMany(20);
    const b = contacts().buildMany(20);
    expect(b).toEqual(a);
    const seeded = define('contacts', (i, rng) => ({ email: `p${i}@x.com`, firstname: rng.pick(['Ana', 'Bo', 'Carla', 'Dmitri']) }), { seed: 7 });
    const other = define('contacts', (i, rng) => ({ email: `p${i}@x.com`, firstname: rng.pick(['Ana', 'Bo', 'Carla', 'Dmitri']) }), { seed: 8 });
    expect(other.buildMany(20).map((item) => item.firstname)).not.toEqual(seeded.buildMany(20).map((item) => item.firstname));
  });

  it('builds item i the same whatever overrides the calls before it took', () => {
    const plain = contacts();
    plain.build();
    const second = plain.build();
    const overridden = contacts();
    overridden.build((i) => ({ email: `other${i}@example.com` }));
    expect(overridden.build()).toEqual(second);
  });

  it('lays overrides over the built properties; undefined removes one; a function gets the sequence number', () => {
    const factory = contacts();
    expect(factory.build({ lifecyclestage: 'customer', firstname: undefined })).toEqual({ email: 'person1@example.com', lifecyclestage: 'customer' });
    expect(factory.build((i) => ({ email: `vip${i}@acme.com` })).email).toBe('vip2@acme.com');
  });

  it('creates records in a CRM, one or many (atomically), with create options', async () => {
    const { crm, storage } = await testCrm();
    const factory = contacts();
    const company = await crm.records.create('companies', { domain: 'acme.com' });
    const one = await factory.create(crm, { firstname: 'Ana' }, { associations: [{ to: company }] });
    expect(one.properties).toMatchObject({ email: 'person1@example.com', firstname: 'Ana' });
    expect((await crm.associations.list(one, 'companies')).results).toHaveLength(1);
    const many = await factory.createMany(crm, 3, (i) => ({ jobtitle: `Role ${i}` }));
    expect(many.map((record) => record.properties.jobtitle)).toEqual(['Role 2', 'Role 3', 'Role 4']);
    // A clash refuses the whole batch.
    const before = storage.snapshot();
    factory.reset();
    await expectCrmError(factory.createMany(crm, 2), 'DUPLICATE_RECORD');
    expect(storage.snapshot()).toEqual(before);
  });

  it('works inside crm.transaction', async () => {
    const crm = await createCrm();
    const factory = contacts();
    await crm.transaction(async (tx) => {
      await factory.createMany(tx, 2);
    });
    expect(await crm.records.count('contacts')).toBe(2);
  });

  it('extends: derived factories lay their properties over the parent’s and share its sequence', async () => {
    const { crm } = await testCrm();
    const base = contacts();
    const customers = base.extend({ lifecyclestage: 'customer' });
    const named = base.extend((i, _rng, built) => ({ lastname: `${String(built.firstname)}son ${i}` }));
    const made = [await base.create(crm), await customers.create(crm), await named.create(crm)];
    expect(made.map((record) => record.properties.email)).toEqual(['person1@example.com', 'person2@example.com', 'person3@example.com']);
    expect(made[1]!.properties.lifecyclestage).toBe('customer');
    expect(made[2]!.properties.lastname).toBe(`${String(made[2]!.properties.firstname)}son 3`);
    expect(customers.objectType).toBe('contacts');
  });

  it('reset starts the family’s sequence again', () => {
    const base = contacts();
    const derived = base.extend({ lifecyclestage: 'customer' });
    base.build();
    derived.build();
    derived.reset();
    expect(base.build().email).toBe('person1@example.com');
  });

  it('refuses bad arguments with a VALIDATION_ERROR naming them', () => {
    expect(() => define('', () => ({}))).toThrow(/objectType/);
    expect(() => define('contacts', 'nope' as never)).toThrow(/recipe/);
    expect(() => define('contacts', () => ({}), { seed: Number.NaN })).toThrow(/seed/);
    expect(() => contacts().buildMany(-1)).toThrow(/count/);
    const error = (() => {
      try {
        contacts().buildMany(1.5);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ code: 'INVALID_ARGUMENT', property: 'count' }] } });
  });
});
