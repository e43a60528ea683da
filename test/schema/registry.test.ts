// The schema registry through the public API: standard and custom object types, properties,
// groups, metadata versioning across Crm instances, atomicity and change events.
import { describe, expect, it } from 'vitest';
import { createCrm, CrmError, memoryStorage, type ChangeEvent, type ObjectTypeInput } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

const roastBatches = (overrides: Partial<ObjectTypeInput> = {}): ObjectTypeInput => ({
  name: 'roast_batches',
  labels: { singular: 'Roast batch', plural: 'Roast batches' },
  primaryDisplayProperty: 'batch_name',
  requiredProperties: ['batch_name'],
  properties: [
    { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
    { name: 'weight_kg', label: 'Weight (kg)', type: 'number', fieldType: 'number' },
  ],
  associations: ['contacts', 'deals'],
  ...overrides,
});

const favouriteRoast = { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' } as const;

// ---------------------------------------------------------------- reading the catalogue

describe('objects() and object()', () => {
  it('lists every standard type ordered by numeric id, custom ones after', async () => {
    const { crm } = await testCrm();
    const ids = crm.schema.objects().map((object) => object.id);
    expect(ids.slice(0, 6)).toEqual(['0-1', '0-2', '0-3', '0-5', '0-7', '0-8']);
    expect(ids).toHaveLength(32);
    expect(ids.at(-1)).toBe('0-970');
    const numbers = ids.map((id) => Number(id.split('-')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(crm.schema.objects().every((object) => !object.custom)).toBe(true);

    await crm.schema.defineObject(roastBatches());
    await crm.schema.defineObject(roastBatches({ name: 'green_lots', associations: [] }));
    const after = crm.schema.objects();
    expect(after.slice(-2).map((object) => [object.id, object.name, object.custom])).toEqual([
      ['2-1', 'roast_batches', true],
      ['2-2', 'green_lots', true],
    ]);
    expect(after.slice(0, ids.length).map((object) => object.id)).toEqual(ids);
  });

  it('finds a type by name or id: the same definition', async () => {
    const { crm } = await testCrm();
    expect(crm.schema.object('0-1')).toBe(crm.schema.object('contacts'));
    expect(crm.schema.object('contacts')).toMatchObject({ id: '0-1', name: 'contacts', labels: { singular: 'Contact', plural: 'Contacts' } });
    expect(crm.schema.object('0-162').name).toBe('services');
  });

  it.each(['roasters', 'Contacts', 'constructor', '__proto__', 'toString', '', '0-4', '2-1'])(
    'answers UNKNOWN_OBJECT_TYPE for %j',
    async (name) => {
      const { crm } = await testCrm();
      let caught: unknown;
      try {
        crm.schema.object(name);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CrmError);
      expect((caught as CrmError).code).toBe('UNKNOWN_OBJECT_TYPE');
      expect((caught as CrmError).message).toContain(JSON.stringify(name));
      await expectCrmError(crm.records.create(name, { email: 'a@b.com' }), 'UNKNOWN_OBJECT_TYPE');
    },
  );

  it('answers UNKNOWN_OBJECT_TYPE for a non-string', async () => {
    const { crm } = await testCrm();
    expect(() => crm.schema.object(undefined as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OBJECT_TYPE' }));
    expect(() => crm.schema.object({} as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OBJECT_TYPE' }));
    expect(() => crm.schema.properties('constructor')).toThrow(expect.objectContaining({ code: 'UNKNOWN_OBJECT_TYPE' }));
    expect(() => crm.schema.groups('__proto__')).toThrow(expect.objectContaining({ code: 'UNKNOWN_OBJECT_TYPE' }));
  });

  it('hands out frozen definitions, all the way down', async () => {
    const { crm } = await testCrm();
    const contacts = crm.schema.object('contacts');
    expect(Object.isFrozen(contacts)).toBe(true);
    expect(Object.isFrozen(contacts.labels)).toBe(true);
    expect(Object.isFrozen(contacts.properties)).toBe(true);
    expect(Object.isFrozen(contacts.dedupKeys)).toBe(true);
    expect(Object.isFrozen(contacts.groups)).toBe(true);
    expect(contacts.properties.every((property) => Object.isFrozen(property))).toBe(true);
    expect(() => {
      (contacts.labels as { plural: string }).plural = 'People';
    }).toThrow(TypeError);
    expect(crm.schema.object('contacts').labels.plural).toBe('Contacts');
  });

  it('hands out frozen enumeration options', async () => {
    const { crm } = await testCrm();
    const lifecycle = crm.schema.property('contacts', 'lifecyclestage');
    expect(Object.isFrozen(lifecycle.options)).toBe(true);
    expect(Object.isFrozen(lifecycle.options?.[0])).toBe(true);
  });

  it('a caller mutating the options it was handed changes neither this Crm’s schema nor another’s', async () => {
    const { crm } = await testCrm();
    const lifecycle = crm.schema.property('contacts', 'lifecyclestage');
    try {
      (lifecycle.options as { label: string; value: string }[]).push({ label: 'Hacked', value: 'hacked' });
    } catch {
      // frozen: fine
    }
    try {
      const other = await createCrm();
      expect(other.schema.property('contacts', 'lifecyclestage').options?.map((option) => option.value)).not.toContain('hacked');
      expect(crm.schema.property('contacts', 'lifecyclestage').options?.map((option) => option.value)).not.toContain('hacked');
    } finally {
      // Undo the damage for the other tests of this file, should the mutation have got through.
      const options = (lifecycle.options ?? []) as unknown as { value: string }[];
      const at = options.findIndex((option) => option.value === 'hacked');
      if (at >= 0 && !Object.isFrozen(options)) options.splice(at, 1);
    }
  });

  it('describes contacts: dedup keys, requireOneOf, read-only system properties', async () => {
    const { crm } = await testCrm();
    const contacts = crm.schema.object('contacts');
    expect(contacts.dedupKeys).toEqual(['hs_object_id', 'email', 'hs_additional_emails']);
    expect(contacts.requireOneOf).toEqual(['email', 'firstname', 'lastname']);
    expect(contacts.categories).toEqual(['foundational']);
    expect(contacts).toMatchObject({ custom: false, requiresActivation: false, active: true });
    for (const name of ['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_merged_object_ids']) {
      expect(crm.schema.property('contacts', name), name).toMatchObject({ readOnly: true, hubspotDefined: true, archived: false });
    }
    expect(crm.schema.property('contacts', 'createdate')).toMatchObject({ type: 'datetime' });
    expect(crm.schema.property('contacts', 'email')).toMatchObject({ type: 'string', readOnly: false, required: false });
    expect(crm.schema.object('companies').dedupKeys).toEqual(['hs_object_id', 'domain', 'hs_additional_domains']);
    expect(crm.schema.object('deals').dedupKeys).toEqual(['hs_object_id']);
    expect(crm.schema.property('deals', 'dealname').required).toBe(true);
    // Callers cannot write a system property.
    const error = await expectCrmError(crm.records.create('contacts', { email: 'a@b.com', createdate: '2020-01-01T00:00:00Z' }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['READ_ONLY_VALUE']);
  });

  it('answers UNKNOWN_PROPERTY for a property that does not exist', async () => {
    const { crm } = await testCrm();
    for (const name of ['nope', '__proto__', 'constructor', '']) {
      expect(() => crm.schema.property('contacts', name)).toThrow(expect.objectContaining({ code: 'UNKNOWN_PROPERTY' }));
    }
  });

  it('properties() lists the live ones, groups() the groups', async () => {
    const { crm } = await testCrm();
    const names = crm.schema.properties('contacts').map((property) => property.name);
    expect(names).toEqual(crm.schema.object('contacts').properties.map((property) => property.name));
    expect(names).toEqual(expect.arrayContaining(['email', 'firstname', 'lifecyclestage', 'hs_object_id']));
    expect(crm.schema.groups('contacts').map((group) => group.name)).toEqual(['contactinformation', 'emailinformation']);
  });
});

// ---------------------------------------------------------------- activation

describe('activate', () => {
  it('makes a type that needs activation accept records; twice is harmless', async () => {
    const { crm } = await testCrm();
    expect(crm.schema.object('services')).toMatchObject({ requiresActivation: true, active: false });
    const error = await expectCrmError(crm.records.create('services', { hs_name: 'Onboarding' }), 'OBJECT_NOT_ACTIVE');
    expect(error.message).toContain('services');

    await crm.schema.activate('services');
    expect(crm.schema.object('services').active).toBe(true);
    const record = await crm.records.create('services', { hs_name: 'Onboarding' });
    expect(record.properties.hs_name).toBe('Onboarding');

    await crm.schema.activate('0-162');
    await crm.schema.activate('services');
    expect(crm.schema.object('services').active).toBe(true);
    expect(await crm.records.get('services', record.id)).toEqual(record);
    // Only the type activated.
    await expectCrmError(crm.records.create('courses', { hs_course_name: 'Latte art' }), 'OBJECT_NOT_ACTIVE');
  });

  it('is harmless on a type that needs no activation, and refuses an unknown type', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    await crm.schema.activate('contacts');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    await expectCrmError(crm.schema.activate('roasters'), 'UNKNOWN_OBJECT_TYPE');
  });
});

// ---------------------------------------------------------------- renameObject and updateObject

describe('renameObject', () => {
  it('changes labels only; records still work by the old name', async () => {
    const { crm } = await testCrm();
    const before = crm.schema.object('companies');
    const renamed = await crm.schema.renameObject('companies', { singular: 'Account', plural: 'Accounts' });
    expect(renamed).toEqual({ ...before, labels: { singular: 'Account', plural: 'Accounts' } });
    expect(crm.schema.object('companies').labels).toEqual({ singular: 'Account', plural: 'Accounts' });
    expect(crm.schema.object('0-2').name).toBe('companies');
    await expectCrmError(Promise.resolve().then(() => crm.schema.object('accounts')), 'UNKNOWN_OBJECT_TYPE');
    const company = await crm.records.create('companies', { name: 'Orange', domain: 'orange.com' });
    expect(company.objectType).toBe('companies');
    expect((await crm.records.getBy('companies', 'domain', 'orange.com'))?.id).toBe(company.id);
  });

  it('refuses a new name or id with IMMUTABLE and changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(
      crm.schema.renameObject('companies', { name: 'accounts', singular: 'Account', plural: 'Accounts' } as never),
      'IMMUTABLE',
    );
    expect(error.message).toContain('"accounts"');
    await expectCrmError(crm.schema.renameObject('companies', { id: '0-9', singular: 'A', plural: 'B' } as never), 'IMMUTABLE');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    expect(crm.schema.object('companies').labels.singular).toBe('Company');
  });
});

describe('updateObject', () => {
  it('changes display, required and searchable properties, and enforces the new required ones', async () => {
    const { crm } = await testCrm();
    const updated = await crm.schema.updateObject('contacts', {
      primaryDisplayProperty: 'lastname',
      requiredProperties: ['email', 'lastname'],
      searchableProperties: ['email', 'lastname', 'company'],
    });
    expect(updated).toMatchObject({
      primaryDisplayProperty: 'lastname',
      requiredProperties: ['email', 'lastname'],
      searchableProperties: ['email', 'lastname', 'company'],
    });
    expect(crm.schema.property('contacts', 'lastname').required).toBe(true);
    const error = await expectCrmError(crm.records.create('contacts', { firstname: 'Jo' }), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'REQUIRED', property: 'email' }),
        expect.objectContaining({ code: 'REQUIRED', property: 'lastname' }),
      ]),
    );
    await crm.records.create('contacts', { email: 'jo@x.com', lastname: 'Doe' });
  });

  it.each([
    ['primaryDisplayProperty', { primaryDisplayProperty: 'nickname' }],
    ['requiredProperties', { requiredProperties: ['email', 'nickname'] }],
    ['searchableProperties', { searchableProperties: ['nickname'] }],
  ])('refuses a %s that is not a property with VALIDATION_ERROR, changing nothing', async (field, patch) => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(crm.schema.updateObject('contacts', patch), 'VALIDATION_ERROR');
    expect(error.details.issues?.[0]).toMatchObject({ property: 'nickname' });
    expect(error.details.issues?.[0]?.path?.[0]).toBe(field);
    expect(error.message).toContain('nickname');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });

  it('turns companies’ domain dedup off and back on', async () => {
    const { crm } = await testCrm();
    await crm.schema.updateObject('companies', { dedup: false });
    expect(crm.schema.object('companies').dedupKeys).toEqual(['hs_object_id']);
    await crm.records.create('companies', { domain: 'orange.com' });
    await crm.records.create('companies', { domain: 'orange.com' });
    // Turning it back on while two companies share the domain is refused.
    await expectCrmError(crm.schema.updateObject('companies', { dedup: true }), 'DUPLICATE_RECORD');
    expect(crm.schema.object('companies').dedupKeys).toEqual(['hs_object_id']);
  });

  it('refuses dedup on deals with VALIDATION_ERROR and an id change with IMMUTABLE', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(crm.schema.updateObject('deals', { dedup: false }), 'VALIDATION_ERROR');
    expect(error.details.issues?.[0]?.path).toEqual(['dedup']);
    await expectCrmError(crm.schema.updateObject('deals', { id: '0-9' } as never), 'IMMUTABLE');
    await expectCrmError(crm.schema.updateObject('deals', { name: 'opportunities' } as never), 'IMMUTABLE');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });
});

// ---------------------------------------------------------------- custom objects

describe('defineObject', () => {
  it('defines 2-1 then 2-2, in category other, with system properties', async () => {
    const { crm } = await testCrm();
    const first = await crm.schema.defineObject(roastBatches());
    const second = await crm.schema.defineObject(roastBatches({ name: 'green_lots', associations: [] }));
    expect(first).toMatchObject({
      id: '2-1',
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      categories: ['other'],
      custom: true,
      active: true,
      requiresActivation: false,
      primaryDisplayProperty: 'batch_name',
      requiredProperties: ['batch_name'],
      dedupKeys: ['hs_object_id'],
      associations: ['contacts', 'deals'],
    });
    expect(second.id).toBe('2-2');
    expect(crm.schema.object('2-1')).toBe(crm.schema.object('roast_batches'));
    expect(Object.isFrozen(first)).toBe(true);
    for (const name of ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate']) {
      expect(crm.schema.property('roast_batches', name), name).toMatchObject({ readOnly: true });
    }
    expect(crm.schema.property('roast_batches', 'weight_kg')).toMatchObject({ type: 'number', hubspotDefined: false, required: false });
  });

  it('holds records with system properties and enforces its required properties', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject(roastBatches());
    const record = await crm.records.create('roast_batches', { batch_name: 'B-7', weight_kg: '12.5' });
    expect(record.properties).toMatchObject({ batch_name: 'B-7', weight_kg: 12.5, hs_object_id: record.id });
    expect(record.properties.hs_createdate).toBe(record.createdAt);
    expect(record.properties.hs_lastmodifieddate).toBe(record.updatedAt);
    const error = await expectCrmError(crm.records.create('roast_batches', { weight_kg: 3 }), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'REQUIRED', property: 'batch_name' })]);
    expect((await crm.records.get('2-1', record.id))?.id).toBe(record.id);
  });

  it('does not use up an id on a failed definition', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineObject(roastBatches({ primaryDisplayProperty: 'nope' })), 'VALIDATION_ERROR');
    expect((await crm.schema.defineObject(roastBatches())).id).toBe('2-1');
  });

  it('requires the primary display property to be one of its properties', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.schema.defineObject(roastBatches({ primaryDisplayProperty: 'email' })), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ path: ['primaryDisplayProperty'], property: 'email' })]);
  });

  it('stores associations as names, accepting ids', async () => {
    const { crm } = await testCrm();
    const defined = await crm.schema.defineObject(roastBatches({ associations: ['0-1', '0-3', 'companies'] }));
    expect(defined.associations).toEqual(['contacts', 'deals', 'companies']);
  });

  it('refuses products (ASSOCIATION_NOT_ALLOWED) and unknown types (UNKNOWN_OBJECT_TYPE)', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(crm.schema.defineObject(roastBatches({ associations: ['contacts', 'products'] })), 'ASSOCIATION_NOT_ALLOWED');
    expect(error.message).toContain('products');
    await expectCrmError(crm.schema.defineObject(roastBatches({ associations: ['0-7'] })), 'ASSOCIATION_NOT_ALLOWED');
    const unknown = await expectCrmError(crm.schema.defineObject(roastBatches({ associations: ['roasters'] })), 'UNKNOWN_OBJECT_TYPE');
    expect(unknown.message).toContain('roasters');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    expect(() => crm.schema.object('roast_batches')).toThrow(CrmError);
  });

  it('refuses a name taken by a standard or custom type with CONFLICT', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineObject(roastBatches({ name: 'contacts' })), 'CONFLICT');
    await expectCrmError(crm.schema.defineObject(roastBatches({ name: 'services' })), 'CONFLICT');
    await crm.schema.defineObject(roastBatches());
    const error = await expectCrmError(crm.schema.defineObject(roastBatches()), 'CONFLICT');
    expect(error.message).toContain('"roast_batches"');
    expect(crm.schema.objects().filter((object) => object.custom)).toHaveLength(1);
  });

  it.each(['RoastBatches', 'roast-batches', '2-1', '9lives', '__proto__', 'constructor', 'r'.repeat(100), ''])(
    'refuses the invalid name %j with VALIDATION_ERROR',
    async (name) => {
      const { crm } = await testCrm();
      const error = await expectCrmError(crm.schema.defineObject(roastBatches({ name })), 'VALIDATION_ERROR');
      expect(['INVALID_NAME', 'RESERVED_NAME']).toContain(issueCodes(error)[0]);
      expect(error.details.issues?.[0]?.path).toEqual(['name']);
    },
  );

  it('gives INVALID_NAME for a badly formed name', async () => {
    const { crm } = await testCrm();
    const error = await expectCrmError(crm.schema.defineObject(roastBatches({ name: 'Roast Batches' })), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['INVALID_NAME']);
    expect(error.message).toContain('"Roast Batches"');
  });

  it('makes unique properties dedup keys', async () => {
    const { crm } = await testCrm();
    const defined = await crm.schema.defineObject(
      roastBatches({ properties: [...roastBatches().properties, { name: 'lot_code', label: 'Lot', type: 'string', fieldType: 'text', unique: true }] }),
    );
    expect(defined.dedupKeys).toEqual(['hs_object_id', 'lot_code']);
    const record = await crm.records.create('roast_batches', { batch_name: 'B-1', lot_code: 'L-42' });
    expect((await crm.records.getBy('roast_batches', 'lot_code', 'L-42'))?.id).toBe(record.id);
    const duplicate = await expectCrmError(crm.records.create('roast_batches', { batch_name: 'B-2', lot_code: 'L-42' }), 'DUPLICATE_RECORD');
    expect(duplicate.details.existingId).toBe(record.id);
  });

  it('reports every problem of a bad definition at once, with paths', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(
      crm.schema.defineObject(
        roastBatches({
          searchableProperties: ['aroma'],
          properties: [
            { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
            { name: 'weight_kg', label: 'Weight', type: 'number', fieldType: 'textarea' },
            { name: 'Origin', label: 'Origin', type: 'string', fieldType: 'text' },
            {
              name: 'level',
              label: 'Level',
              type: 'enumeration',
              fieldType: 'select',
              options: [{ label: 'Light', value: 'light' }, { label: 'Light!', value: 'light' }],
            },
          ],
        }),
      ),
      'VALIDATION_ERROR',
    );
    expect(error.details.issues?.map((issue) => [issue.code, issue.path])).toEqual(
      expect.arrayContaining([
        ['INVALID_FIELD_TYPE', ['properties', 1, 'fieldType']],
        ['INVALID_NAME', ['properties', 2, 'name']],
        ['DUPLICATE_OPTION', ['properties', 3, 'options', 1, 'value']],
        ['INVALID_ARGUMENT', ['searchableProperties', 0]],
      ]),
    );
    expect(error.details.issues).toHaveLength(4);
    expect(error.message).toContain('3 more');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
  });
});

// ---------------------------------------------------------------- properties

describe('deleteObject', () => {
  it('takes the type out of other custom types\' associations, with its labels, pairs and pipelines; emits object.deleted', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineObject(roastBatches({ associations: ['contacts'] }));
    const tastings = await crm.schema.defineObject({
      name: 'tastings',
      labels: { singular: 'Tasting', plural: 'Tastings' },
      primaryDisplayProperty: 'note',
      properties: [{ name: 'note', label: 'Note', type: 'string', fieldType: 'text' }],
      associations: ['roast_batches', 'contacts'],
    });
    await crm.associations.createLabel({ from: 'tastings', to: 'roast_batches', label: 'Sample of' });
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.schema.deleteObject('roast_batches');
    expect(events).toEqual([{ type: 'schema.changed', objectType: 'roast_batches', change: 'object.deleted' }]);
    expect(crm.schema.object('tastings')).toEqual({ ...tastings, associations: ['contacts'] });
    // Defined again, the old pair and its label do not come back.
    await crm.schema.defineObject(roastBatches({ associations: [] }));
    expect(() => crm.associations.labels('tastings', 'roast_batches')).toThrow(expect.objectContaining({ code: 'ASSOCIATION_NOT_ALLOWED' }));
  });

  it('an unknown type is UNKNOWN_OBJECT_TYPE and a refusal writes nothing', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.deleteObject('nope'), 'UNKNOWN_OBJECT_TYPE');
    await crm.schema.defineObject(roastBatches());
    const before = crm.schema.objects();
    await crm.records.create('roast_batches', { batch_name: 'B1' });
    await expectCrmError(crm.schema.deleteObject('roast_batches'), 'OBJECT_IN_USE');
    expect(crm.schema.objects()).toEqual(before);
  });
});

describe('defineProperty, updateProperty, archiveProperty', () => {
  it('defineProperty: records accept the new property', async () => {
    const { crm } = await testCrm();
    const defined = await crm.schema.defineProperty('contacts', { ...favouriteRoast, description: 'What they drink' });
    expect(defined).toMatchObject({ ...favouriteRoast, unique: false, required: false, readOnly: false, hubspotDefined: false, archived: false, groupName: 'contactinformation' });
    expect(crm.schema.property('contacts', 'favorite_roast')).toEqual(defined);
    expect(crm.schema.object('contacts').properties.map((property) => property.name)).toContain('favorite_roast');
    const contact = await crm.records.create('contacts', { email: 'a@b.com', favorite_roast: 'Ethiopia' });
    expect(contact.properties.favorite_roast).toBe('Ethiopia');
  });

  it('defineProperty with required: true makes records need it', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('deals', { ...favouriteRoast, required: true });
    expect(crm.schema.object('deals').requiredProperties).toContain('favorite_roast');
    const error = await expectCrmError(crm.records.create('deals', { dealname: 'Big', dealstage: 'qualifiedtobuy' }), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'REQUIRED', property: 'favorite_roast' })]);
  });

  it('defineProperty refuses a required read-only property, which would make every create fail', async () => {
    const { crm, storage } = await testCrm();
    const before = JSON.stringify(storage.snapshot());
    await expectCrmError(crm.schema.defineProperty('contacts', { ...favouriteRoast, required: true, readOnly: true }), 'VALIDATION_ERROR');
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    await crm.records.create('contacts', { email: 'a@b.com' });
  });

  it('defineProperty unique on contacts adds a dedup key', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', { name: 'member_no', label: 'Member', type: 'number', fieldType: 'number', unique: true });
    expect(crm.schema.object('contacts').dedupKeys).toContain('member_no');
    const first = await crm.records.create('contacts', { email: 'a@b.com', member_no: 7 });
    const error = await expectCrmError(crm.records.create('contacts', { email: 'c@d.com', member_no: '7' }), 'DUPLICATE_RECORD');
    expect(error.details.existingId).toBe(first.id);
  });

  it('refuses an existing name (CONFLICT), including a standard one', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineProperty('contacts', { ...favouriteRoast, name: 'email' }), 'CONFLICT');
    await crm.schema.defineProperty('contacts', favouriteRoast);
    await expectCrmError(crm.schema.defineProperty('contacts', favouriteRoast), 'CONFLICT');
  });

  it('updateProperty: a label change shows in schema.property()', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', favouriteRoast);
    const updated = await crm.schema.updateProperty('contacts', 'favorite_roast', { label: 'Favourite bean' });
    expect(updated.label).toBe('Favourite bean');
    expect(crm.schema.property('contacts', 'favorite_roast').label).toBe('Favourite bean');
    expect(crm.schema.object('contacts').properties.find((property) => property.name === 'favorite_roast')?.label).toBe('Favourite bean');
    const standard = await crm.schema.updateProperty('contacts', 'firstname', { label: 'Given name' });
    expect(standard).toMatchObject({ name: 'firstname', label: 'Given name', hubspotDefined: true });
  });

  it('updateProperty: an option added to lifecyclestage is then accepted on contacts', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.records.create('contacts', { email: 'a@b.com', lifecyclestage: 'partner' }), 'VALIDATION_ERROR');
    const current = crm.schema.property('contacts', 'lifecyclestage').options ?? [];
    await crm.schema.updateProperty('contacts', 'lifecyclestage', {
      options: [...current.map((option) => ({ label: option.label, value: option.value })), { label: 'Partner', value: 'partner' }],
    });
    expect(crm.schema.property('contacts', 'lifecyclestage').options?.map((option) => option.value)).toContain('partner');
    const contact = await crm.records.create('contacts', { email: 'a@b.com', lifecyclestage: 'partner' });
    expect(contact.properties.lifecyclestage).toBe('partner');
    // Companies have their own lifecycle stage property, unchanged.
    await expectCrmError(crm.records.create('companies', { name: 'X', lifecyclestage: 'partner' }), 'VALIDATION_ERROR');
  });

  it('updateProperty: required and immutable fields', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', favouriteRoast);
    await crm.schema.updateProperty('contacts', 'favorite_roast', { required: true });
    expect(crm.schema.property('contacts', 'favorite_roast').required).toBe(true);
    expect(crm.schema.object('contacts').requiredProperties).toContain('favorite_roast');
    await expectCrmError(crm.schema.updateProperty('contacts', 'favorite_roast', { type: 'number' }), 'IMMUTABLE');
    await expectCrmError(crm.schema.updateProperty('contacts', 'favorite_roast', { unique: true }), 'IMMUTABLE');
    await expectCrmError(crm.schema.updateProperty('contacts', 'hs_object_id', { label: 'Id' }), 'READ_ONLY_PROPERTY');
    await expectCrmError(crm.schema.updateProperty('contacts', 'nope', { label: 'x' }), 'UNKNOWN_PROPERTY');
    await expectCrmError(crm.schema.updateProperty('roasters', 'nope', { label: 'x' }), 'UNKNOWN_OBJECT_TYPE');
  });

  it('archiveProperty hides values from get, refuses writes, and stays listed as archived', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', favouriteRoast);
    const contact = await crm.records.create('contacts', { email: 'a@b.com', favorite_roast: 'Kenya' });
    await crm.schema.archiveProperty('contacts', 'favorite_roast');

    expect((await crm.records.get('contacts', contact.id))?.properties).not.toHaveProperty('favorite_roast');
    const page = await crm.records.list('contacts');
    expect(page.results[0]?.properties).not.toHaveProperty('favorite_roast');
    const error = await expectCrmError(crm.records.update('contacts', contact.id, { favorite_roast: 'Peru' }), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST', property: 'favorite_roast' })]);
    await expectCrmError(crm.records.create('contacts', { email: 'b@b.com', favorite_roast: 'Peru' }), 'VALIDATION_ERROR');

    expect(crm.schema.properties('contacts').map((property) => property.name)).not.toContain('favorite_roast');
    expect(crm.schema.object('contacts').properties.map((property) => property.name)).not.toContain('favorite_roast');
    const archived = crm.schema.properties('contacts', { archived: true }).find((property) => property.name === 'favorite_roast');
    expect(archived).toMatchObject({ name: 'favorite_roast', archived: true });
    expect(crm.schema.property('contacts', 'favorite_roast').archived).toBe(true);
    // The name stays taken; archived properties cannot be updated.
    await expectCrmError(crm.schema.defineProperty('contacts', favouriteRoast), 'CONFLICT');
    await expectCrmError(crm.schema.updateProperty('contacts', 'favorite_roast', { label: 'x' }), 'ARCHIVED');
    // Archiving again is harmless.
    await crm.schema.archiveProperty('contacts', 'favorite_roast');
  });

  it('archiveProperty refuses HubSpot-defined and system properties', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.archiveProperty('contacts', 'firstname'), 'IMMUTABLE');
    await expectCrmError(crm.schema.archiveProperty('contacts', 'hs_object_id'), 'READ_ONLY_PROPERTY');
    expect(crm.schema.property('contacts', 'firstname').archived).toBe(false);
  });
});

// ---------------------------------------------------------------- groups

describe('property groups', () => {
  it('defineGroup, groups(), updateGroup, and a property in the new group', async () => {
    const { crm } = await testCrm();
    const group = await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee preferences' });
    expect(group).toEqual({ name: 'coffee', label: 'Coffee preferences', displayOrder: 2, archived: false });
    expect(crm.schema.groups('contacts').map((g) => g.name)).toEqual(['contactinformation', 'emailinformation', 'coffee']);
    expect(crm.schema.object('contacts').groups).toEqual(crm.schema.groups('contacts'));

    const updated = await crm.schema.updateGroup('contacts', 'coffee', { label: 'Coffee', displayOrder: 0 });
    expect(updated).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 0, archived: false });
    expect(crm.schema.groups('contacts').find((g) => g.name === 'coffee')?.label).toBe('Coffee');

    const property = await crm.schema.defineProperty('contacts', { ...favouriteRoast, groupName: 'coffee' });
    expect(property.groupName).toBe('coffee');
    await crm.schema.updateProperty('contacts', 'firstname', { groupName: 'coffee' });
    expect(crm.schema.property('contacts', 'firstname').groupName).toBe('coffee');
  });

  it('refuses a duplicate group (CONFLICT), an unknown one (UNKNOWN_GROUP) and a property in an unknown group', async () => {
    const { crm } = await testCrm();
    await expectCrmError(crm.schema.defineGroup('contacts', { name: 'contactinformation', label: 'Again' }), 'CONFLICT');
    const error = await expectCrmError(crm.schema.updateGroup('contacts', 'nowhere', { label: 'x' }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['UNKNOWN_GROUP']);
    const property = await expectCrmError(crm.schema.defineProperty('contacts', { ...favouriteRoast, groupName: 'nowhere' }), 'VALIDATION_ERROR');
    expect(issueCodes(property)).toEqual(['UNKNOWN_GROUP']);
  });

  it('archiveGroup hides a group from groups() and new properties; defineGroup makes it live again', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
    await crm.schema.archiveGroup('contacts', 'coffee');
    expect(crm.schema.groups('contacts').map((g) => g.name)).toEqual(['contactinformation', 'emailinformation']);
    expect(crm.schema.object('contacts').groups.map((g) => g.name)).not.toContain('coffee');
    expect(crm.schema.groups('contacts', { archived: true }).at(-1)).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 2, archived: true });
    const property = await expectCrmError(crm.schema.defineProperty('contacts', { ...favouriteRoast, groupName: 'coffee' }), 'VALIDATION_ERROR');
    expect(issueCodes(property)).toEqual(['UNKNOWN_GROUP']);
    await expectCrmError(crm.schema.updateGroup('contacts', 'coffee', { label: 'x' }), 'ARCHIVED');
    await crm.schema.archiveGroup('contacts', 'coffee'); // again: nothing changes

    const back = await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee again' });
    expect(back).toEqual({ name: 'coffee', label: 'Coffee again', displayOrder: 2, archived: false });
    expect(crm.schema.groups('contacts', { archived: true })).toHaveLength(3);
  });

  it('archiveGroup refuses the default group and a group holding live properties (GROUP_IN_USE), and writes nothing', async () => {
    const { crm } = await testCrm();
    const first = await expectCrmError(crm.schema.archiveGroup('contacts', 'contactinformation'), 'VALIDATION_ERROR');
    expect(issueCodes(first)).toEqual(['GROUP_IN_USE']);
    await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
    await crm.schema.defineProperty('contacts', { ...favouriteRoast, groupName: 'coffee' });
    const held = await expectCrmError(crm.schema.archiveGroup('contacts', 'coffee'), 'VALIDATION_ERROR');
    expect(held.details.issues[0]).toMatchObject({ code: 'GROUP_IN_USE', properties: [favouriteRoast.name] });
    expect(crm.schema.groups('contacts').map((g) => g.name)).toContain('coffee');
    // An archived property may stay in it.
    await crm.schema.archiveProperty('contacts', favouriteRoast.name);
    await crm.schema.archiveGroup('contacts', 'coffee');
    const unknown = await expectCrmError(crm.schema.archiveGroup('contacts', 'nowhere'), 'VALIDATION_ERROR');
    expect(issueCodes(unknown)).toEqual(['UNKNOWN_GROUP']);
  });

  it('groups are per object type', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
    expect(crm.schema.groups('companies').map((g) => g.name)).not.toContain('coffee');
    await expectCrmError(crm.schema.defineProperty('companies', { ...favouriteRoast, groupName: 'coffee' }), 'VALIDATION_ERROR');
  });
});

// ---------------------------------------------------------------- unique cap

describe('the unique-property cap', () => {
  it('createCrm({ uniquePropertyLimit: 2 }) allows two unique properties per type', async () => {
    const { crm, storage } = await testCrm({ uniquePropertyLimit: 2 });
    const unique = (name: string) => ({ name, label: name, type: 'string' as const, fieldType: 'text' as const, unique: true });
    await crm.schema.defineProperty('contacts', unique('code_a'));
    await crm.schema.defineProperty('contacts', unique('code_b'));
    const before = JSON.stringify(storage.snapshot());
    const error = await expectCrmError(crm.schema.defineProperty('contacts', unique('code_c')), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['UNIQUE_PROPERTY_LIMIT']);
    expect(JSON.stringify(storage.snapshot())).toBe(before);
    // Another type has its own allowance; a non-unique property is still fine.
    await crm.schema.defineProperty('companies', unique('code_c'));
    await crm.schema.defineProperty('contacts', { ...unique('code_c'), unique: false });
    // Archiving does not free a slot.
    await crm.schema.archiveProperty('contacts', 'code_a');
    await expectCrmError(crm.schema.defineProperty('contacts', unique('code_d')), 'VALIDATION_ERROR');
    // And a custom object is held to it too.
    const custom = await expectCrmError(
      crm.schema.defineObject(roastBatches({ properties: [unique('batch_name'), unique('lot'), unique('code')] })),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(custom)).toEqual(['UNIQUE_PROPERTY_LIMIT']);
  });

  it('defaults to 10', async () => {
    const { crm } = await testCrm();
    for (let n = 0; n < 10; n++) {
      await crm.schema.defineProperty('contacts', { name: `code_${n}`, label: `Code ${n}`, type: 'string', fieldType: 'text', unique: true });
    }
    const error = await expectCrmError(
      crm.schema.defineProperty('contacts', { name: 'code_10', label: 'Code 10', type: 'string', fieldType: 'text', unique: true }),
      'VALIDATION_ERROR',
    );
    expect(issueCodes(error)).toEqual(['UNIQUE_PROPERTY_LIMIT']);
  });
});

// ---------------------------------------------------------------- metadata versioning

describe('metadata shared through storage', () => {
  // A property one Crm defines, used through another on the same storage at its next call, is
  // tested on every storage by the conformance suite's engine/schema.ts.
  it('refresh() brings the cache up to date, custom objects included', async () => {
    const storage = memoryStorage();
    const first = await createCrm({ storage });
    const second = await createCrm({ storage });
    await first.schema.defineObject(roastBatches());
    await first.schema.updateProperty('contacts', 'firstname', { label: 'Given name' });
    expect(() => second.schema.object('roast_batches')).toThrow(CrmError);
    await second.refresh();
    expect(second.schema.object('2-1').name).toBe('roast_batches');
    expect(second.schema.property('contacts', 'firstname').label).toBe('Given name');
    // A Crm created later on the same storage sees it from the start.
    const third = await createCrm({ storage });
    expect(third.schema.object('roast_batches').id).toBe('2-1');
  });

  it('changes made alternately through two Crms build on each other', async () => {
    const storage = memoryStorage();
    const first = await createCrm({ storage });
    const second = await createCrm({ storage });
    await first.schema.defineObject(roastBatches());
    // The second defines another custom object without refreshing: it must get 2-2, not 2-1.
    const lots = await second.schema.defineObject(roastBatches({ name: 'green_lots', associations: [] }));
    expect(lots.id).toBe('2-2');
    await first.schema.defineProperty('contacts', favouriteRoast);
    await second.schema.defineProperty('contacts', { ...favouriteRoast, name: 'favorite_origin' });
    await first.refresh();
    const names = first.schema.properties('contacts').map((property) => property.name);
    expect(names).toEqual(expect.arrayContaining(['favorite_roast', 'favorite_origin']));
    expect(first.schema.objects().filter((object) => object.custom).map((object) => object.id)).toEqual(['2-1', '2-2']);
  });

  it('a new Crm on a fresh storage does not see another storage’s schema', async () => {
    const { crm } = await testCrm();
    await crm.schema.defineProperty('contacts', favouriteRoast);
    const other = await createCrm();
    expect(() => other.schema.property('contacts', 'favorite_roast')).toThrow(CrmError);
  });
});

// ---------------------------------------------------------------- atomicity

describe('a failed schema call changes nothing', () => {
  const failures: Array<[string, (crm: Awaited<ReturnType<typeof testCrm>>['crm']) => Promise<unknown>]> = [
    ['defineProperty with a bad field type', (crm) => crm.schema.defineProperty('contacts', { ...favouriteRoast, fieldType: 'number' })],
    ['defineProperty unique on a bool', (crm) => crm.schema.defineProperty('contacts', { ...favouriteRoast, unique: true, type: 'bool', fieldType: 'booleancheckbox' })],
    ['updateProperty of the type', (crm) => crm.schema.updateProperty('contacts', 'firstname', { type: 'number' })],
    ['updateProperty with duplicate options', (crm) =>
      crm.schema.updateProperty('contacts', 'lifecyclestage', { options: [{ label: 'A', value: 'a' }, { label: 'B', value: 'a' }] })],
    ['archiveProperty of a standard property', (crm) => crm.schema.archiveProperty('contacts', 'email')],
    ['defineObject with a bad property', (crm) =>
      crm.schema.defineObject(roastBatches({ properties: [{ name: 'batch_name', label: 'B', type: 'string', fieldType: 'select' }] }))],
    ['updateObject with an unknown property', (crm) => crm.schema.updateObject('contacts', { requiredProperties: ['nope'] })],
    ['renameObject with an empty label', (crm) => crm.schema.renameObject('contacts', { singular: '', plural: 'People' })],
    ['defineGroup twice', (crm) => crm.schema.defineGroup('contacts', { name: 'contactinformation', label: 'x' })],
    ['activate an unknown type', (crm) => crm.schema.activate('roasters')],
  ];

  it.each(failures)('%s', async (_, call) => {
    const { crm, storage } = await testCrm();
    await crm.schema.defineProperty('contacts', { name: 'member_no', label: 'Member', type: 'number', fieldType: 'number' });
    await crm.records.create('contacts', { email: 'a@b.com' });
    const snapshot = JSON.stringify(storage.snapshot());
    const objects = JSON.stringify(crm.schema.objects());
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    const caught = await call(crm).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(CrmError);
    expect(JSON.stringify(storage.snapshot())).toBe(snapshot);
    expect(JSON.stringify(crm.schema.objects())).toBe(objects);
    expect(events).toEqual([]);
  });
});

describe('schema changes inside crm.transaction', () => {
  it('are kept when the transaction commits, and seen by later calls inside it', async () => {
    const { crm } = await testCrm();
    const id = await crm.transaction(async (tx) => {
      await tx.schema.defineProperty('contacts', favouriteRoast);
      expect(tx.schema.property('contacts', 'favorite_roast').name).toBe('favorite_roast');
      const contact = await tx.records.create('contacts', { email: 'a@b.com', favorite_roast: 'Kenya' });
      return contact.id;
    });
    expect(crm.schema.property('contacts', 'favorite_roast').label).toBe('Favourite roast');
    expect((await crm.records.get('contacts', id))?.properties.favorite_roast).toBe('Kenya');
  });

  it('are not kept when the transaction throws: neither in storage nor in the cache', async () => {
    const { crm, storage } = await testCrm();
    const snapshot = JSON.stringify(storage.snapshot());
    const objects = JSON.stringify(crm.schema.objects());
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await expect(
      crm.transaction(async (tx) => {
        await tx.schema.defineProperty('contacts', favouriteRoast);
        await tx.schema.defineObject(roastBatches());
        await tx.schema.renameObject('companies', { singular: 'Account', plural: 'Accounts' });
        await tx.schema.activate('services');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(JSON.stringify(storage.snapshot())).toBe(snapshot);
    expect(JSON.stringify(crm.schema.objects())).toBe(objects);
    expect(() => crm.schema.property('contacts', 'favorite_roast')).toThrow(CrmError);
    expect(events).toEqual([]);
    // The next calls see the stored schema, not the rolled-back one.
    await expectCrmError(crm.records.create('contacts', { email: 'a@b.com', favorite_roast: 'Kenya' }), 'VALIDATION_ERROR');
    await expectCrmError(crm.records.create('services', { hs_name: 'x' }), 'OBJECT_NOT_ACTIVE');
    expect((await crm.schema.defineObject(roastBatches())).id).toBe('2-1');
  });

  it('a failed schema call caught inside the transaction is undone by itself', async () => {
    const { crm } = await testCrm();
    await crm.transaction(async (tx) => {
      await tx.schema.defineProperty('contacts', favouriteRoast);
      await expectCrmError(tx.schema.defineProperty('contacts', { ...favouriteRoast, name: 'Bad' }), 'VALIDATION_ERROR');
    });
    expect(crm.schema.property('contacts', 'favorite_roast').name).toBe('favorite_roast');
  });
});

// ---------------------------------------------------------------- events

describe('schema change events', () => {
  it('announces each change after commit with its object type', async () => {
    const { crm } = await testCrm();
    const events: ChangeEvent[] = [];
    const unsubscribe = crm.subscribe((event) => events.push(event));
    await crm.schema.defineProperty('contacts', favouriteRoast);
    await crm.schema.updateProperty('contacts', 'favorite_roast', { label: 'Bean' });
    await crm.schema.archiveProperty('contacts', 'favorite_roast');
    await crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee' });
    await crm.schema.updateGroup('contacts', 'coffee', { label: 'Coffee!' });
    await crm.schema.defineObject(roastBatches());
    await crm.schema.renameObject('companies', { singular: 'Account', plural: 'Accounts' });
    await crm.schema.updateObject('companies', { searchableProperties: ['name'] });
    await crm.schema.activate('services');
    await crm.schema.activate('services');
    expect(events.every((event) => event.type === 'schema.changed')).toBe(true);
    expect(events.map((event) => (event.type === 'schema.changed' ? event.objectType : ''))).toEqual([
      'contacts',
      'contacts',
      'contacts',
      'contacts',
      'contacts',
      'roast_batches',
      'companies',
      'companies',
      'services',
    ]);
    // Each change says what it was, and no two kinds of change share a description.
    const changes = events.map((event) => (event.type === 'schema.changed' ? event.change : ''));
    expect(changes.every((change) => change.length > 0)).toBe(true);
    expect(new Set(changes).size).toBe(changes.length);
    unsubscribe();
    await crm.schema.defineProperty('contacts', { ...favouriteRoast, name: 'later' });
    expect(events).toHaveLength(9);
  });

  it('a listener sees the change already applied', async () => {
    const { crm } = await testCrm();
    const seen: string[] = [];
    crm.subscribe(() => seen.push(crm.schema.property('contacts', 'favorite_roast').label));
    await crm.schema.defineProperty('contacts', favouriteRoast);
    expect(seen).toEqual(['Favourite roast']);
  });

  it('a transaction’s schema events arrive after it commits, in order', async () => {
    const { crm } = await testCrm();
    const events: ChangeEvent[] = [];
    crm.subscribe((event) => events.push(event));
    await crm.transaction(async (tx) => {
      await tx.schema.defineProperty('contacts', favouriteRoast);
      await tx.schema.defineObject(roastBatches());
      expect(events).toEqual([]);
    });
    expect(events.map((event) => event.type === 'schema.changed' && event.objectType)).toEqual(['contacts', 'roast_batches']);
  });
});
