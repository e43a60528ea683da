// Bad schema input: every bad argument is a CrmError with a specific code, a message that
// names the culprit, and no change to storage or to the cached schema.
import { describe, expect, it } from 'vitest';
import type { CrmError, CrmErrorCode, PropertyDefinitionInput, ValidationIssue } from 'crmkit';
import { expectCrmError, issueCodes, testCrm } from '../helpers.js';

type TestCrm = Awaited<ReturnType<typeof testCrm>>;

const roast: PropertyDefinitionInput = { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text' };
const BIG = 'x'.repeat(10 * 1024 * 1024);

/** Runs the call on a CRM holding a custom property, a custom object and a record; expects `code` and no change. */
async function refused<C extends CrmErrorCode>(call: (crm: TestCrm['crm']) => Promise<unknown>, code: C): Promise<CrmError<C>> {
  const { crm, storage } = await testCrm();
  await crm.schema.defineProperty('contacts', { ...roast, name: 'roast_origin' });
  await crm.schema.defineObject({
    name: 'roast_batches',
    labels: { singular: 'Roast batch', plural: 'Roast batches' },
    properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
  });
  await crm.records.create('contacts', { email: 'a@b.com' });
  const snapshot = JSON.stringify(storage.snapshot());
  const objects = JSON.stringify(crm.schema.objects());
  const error = await expectCrmError(call(crm), code);
  expect(error.message.length, 'the message is short').toBeLessThan(2_000);
  expect(JSON.stringify(storage.snapshot())).toBe(snapshot);
  expect(JSON.stringify(crm.schema.objects())).toBe(objects);
  return error;
}

function issue(error: CrmError<'VALIDATION_ERROR'>, index = 0): ValidationIssue {
  const found = error.details.issues[index];
  expect(found, 'a validation issue').toBeDefined();
  return found!;
}

describe('duplicate option values', () => {
  const options = [
    { label: 'Light', value: 'light' },
    { label: 'Dark', value: 'dark' },
    { label: 'Also light', value: 'light' },
  ];

  it('defineProperty', async () => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, type: 'enumeration', fieldType: 'select', options }), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'DUPLICATE_OPTION', path: ['options', 2, 'value'], property: 'favorite_roast' });
    expect(error.message).toContain('"light"');
  });

  it('updateProperty of a standard enumeration', async () => {
    const error = await refused((crm) => crm.schema.updateProperty('contacts', 'lifecyclestage', { options }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['DUPLICATE_OPTION']);
  });

  it('defineObject', async () => {
    const error = await refused(
      (crm) =>
        crm.schema.defineObject({
          name: 'green_lots',
          labels: { singular: 'Lot', plural: 'Lots' },
          properties: [{ ...roast, type: 'enumeration', fieldType: 'radio', options }],
        }),
      'VALIDATION_ERROR',
    );
    expect(issue(error)).toMatchObject({ code: 'DUPLICATE_OPTION', path: ['properties', 0, 'options', 2, 'value'] });
  });
});

describe('invalid type and fieldType strings', () => {
  it.each([
    ['type', { type: 'text' }],
    ['type', { type: 'integer' }],
    ['type', { type: 'STRING' }],
    ['type', { type: 42 }],
    ['fieldType', { fieldType: 'dropdown' }],
    ['fieldType', { fieldType: 'Text' }],
    ['fieldType', { fieldType: null }],
  ])('%s %j', async (field, patch) => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, ...patch } as never), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'INVALID_ARGUMENT', path: [field] });
    expect(error.message).toContain(field);
  });

  it('a valid fieldType for the wrong type is INVALID_FIELD_TYPE', async () => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, type: 'bool', fieldType: 'text' }), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'INVALID_FIELD_TYPE', path: ['fieldType'] });
  });

  it('in updateProperty too', async () => {
    const error = await refused((crm) => crm.schema.updateProperty('contacts', 'roast_origin', { fieldType: 'dropdown' } as never), 'VALIDATION_ERROR');
    expect(issue(error).path).toEqual(['fieldType']);
  });
});

describe('missing or empty labels', () => {
  it('defineProperty without a label', async () => {
    const { label: _label, ...rest } = roast;
    const error = await refused((crm) => crm.schema.defineProperty('contacts', rest as never), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'INVALID_ARGUMENT', path: ['label'] });
    expect(error.message).toContain('label');
  });

  it.each(['', '   '])('defineProperty with the label %j', async (label) => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, label }), 'VALIDATION_ERROR');
    expect(issue(error).path).toEqual(['label']);
  });

  it('defineProperty without a name', async () => {
    const { name: _name, ...rest } = roast;
    const error = await refused((crm) => crm.schema.defineProperty('contacts', rest as never), 'VALIDATION_ERROR');
    expect(issue(error).path).toEqual(['name']);
  });

  it('defineObject without labels, and with an empty plural', async () => {
    const base = { name: 'green_lots', properties: [roast] };
    const missing = await refused((crm) => crm.schema.defineObject(base as never), 'VALIDATION_ERROR');
    expect(issue(missing).path).toEqual(['labels']);
    const empty = await refused((crm) => crm.schema.defineObject({ ...base, labels: { singular: 'Lot', plural: '' } }), 'VALIDATION_ERROR');
    expect(issue(empty).path).toEqual(['labels', 'plural']);
  });

  it('defineObject with no properties', async () => {
    const error = await refused(
      (crm) => crm.schema.defineObject({ name: 'green_lots', labels: { singular: 'Lot', plural: 'Lots' }, properties: [] }),
      'VALIDATION_ERROR',
    );
    expect(issue(error).path).toEqual(['properties']);
  });

  it('defineGroup without a label; an option without a label', async () => {
    const group = await refused((crm) => crm.schema.defineGroup('contacts', { name: 'coffee' } as never), 'VALIDATION_ERROR');
    expect(issue(group).path).toEqual(['label']);
    const option = await refused(
      (crm) => crm.schema.defineProperty('contacts', { ...roast, type: 'enumeration', fieldType: 'select', options: [{ value: 'a' }] } as never),
      'VALIDATION_ERROR',
    );
    expect(issue(option).path).toEqual(['options', 0, 'label']);
  });
});

describe('extra unknown fields', () => {
  it('defineProperty', async () => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, colour: 'red' } as never), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'UNKNOWN_OPTION', option: 'colour', path: [] });
    expect(error.message).toContain('colour');
  });

  it('a property inside defineObject, with its path', async () => {
    const error = await refused(
      (crm) =>
        crm.schema.defineObject({
          name: 'green_lots',
          labels: { singular: 'Lot', plural: 'Lots' },
          properties: [roast, { ...roast, name: 'weight', colour: 'red' }],
        } as never),
      'VALIDATION_ERROR',
    );
    expect(issue(error)).toMatchObject({ code: 'UNKNOWN_OPTION', option: 'colour', path: ['properties', 1] });
    expect(error.message).toContain('colour');
  });

  it('an option, a group, labels and an object patch', async () => {
    const option = await refused(
      (crm) =>
        crm.schema.defineProperty('contacts', {
          ...roast,
          type: 'enumeration',
          fieldType: 'select',
          options: [{ label: 'A', value: 'a', colour: 'red' }],
        } as never),
      'VALIDATION_ERROR',
    );
    expect(issue(option).path).toEqual(['options', 0]);
    const group = await refused((crm) => crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee', icon: 'cup' } as never), 'VALIDATION_ERROR');
    expect(group.message).toContain('icon');
    const labels = await refused((crm) => crm.schema.renameObject('companies', { singular: 'A', plural: 'B', short: 'C' } as never), 'VALIDATION_ERROR');
    expect(labels.message).toContain('short');
    const patch = await refused((crm) => crm.schema.updateObject('companies', { colour: 'red' } as never), 'VALIDATION_ERROR');
    expect(patch.message).toContain('colour');
    const propertyPatch = await refused((crm) => crm.schema.updateProperty('contacts', 'roast_origin', { colour: 'red' } as never), 'VALIDATION_ERROR');
    expect(propertyPatch.message).toContain('colour');
  });

  it('a __proto__ key from JSON is refused and pollutes nothing', async () => {
    const input = JSON.parse('{"name":"favorite_roast","label":"X","type":"string","fieldType":"text","__proto__":{"polluted":true}}');
    const error = await refused((crm) => crm.schema.defineProperty('contacts', input), 'VALIDATION_ERROR');
    expect(error.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('huge strings', () => {
  it.each([
    ['label', { label: BIG }],
    ['description', { description: BIG }],
  ])('a 10 MB %s', async (field, patch) => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, ...patch }), 'VALIDATION_ERROR');
    expect(issue(error)).toMatchObject({ code: 'INVALID_ARGUMENT', path: [field] });
    expect(JSON.stringify(error.details).length).toBeLessThan(2_000);
  });

  it('a 10 MB label in updateProperty, renameObject, defineGroup and an option', async () => {
    await refused((crm) => crm.schema.updateProperty('contacts', 'firstname', { label: BIG }), 'VALIDATION_ERROR');
    await refused((crm) => crm.schema.updateProperty('contacts', 'firstname', { description: BIG }), 'VALIDATION_ERROR');
    await refused((crm) => crm.schema.renameObject('companies', { singular: BIG, plural: 'Accounts' }), 'VALIDATION_ERROR');
    await refused((crm) => crm.schema.defineGroup('contacts', { name: 'coffee', label: BIG }), 'VALIDATION_ERROR');
    await refused((crm) => crm.schema.updateGroup('contacts', 'contactinformation', { label: BIG }), 'VALIDATION_ERROR');
    const option = await refused(
      (crm) => crm.schema.defineProperty('contacts', { ...roast, type: 'enumeration', fieldType: 'select', options: [{ label: 'A', value: BIG }] }),
      'VALIDATION_ERROR',
    );
    expect(issue(option).path).toEqual(['options', 0, 'value']);
  });

  const hugeNames: Array<[string, (crm: TestCrm['crm']) => Promise<unknown>, CrmErrorCode]> = [
    ['schema.object', async (crm) => crm.schema.object(BIG), 'UNKNOWN_OBJECT_TYPE'],
    ['defineProperty’s object type', (crm) => crm.schema.defineProperty(BIG, roast), 'UNKNOWN_OBJECT_TYPE'],
    ['schema.property', async (crm) => crm.schema.property('contacts', BIG), 'UNKNOWN_PROPERTY'],
    ['updateProperty', (crm) => crm.schema.updateProperty('contacts', BIG, { label: 'x' }), 'UNKNOWN_PROPERTY'],
    ['updateProperty with a bad patch', (crm) => crm.schema.updateProperty('contacts', BIG, { label: '' }), 'VALIDATION_ERROR'],
    ['archiveProperty', (crm) => crm.schema.archiveProperty('contacts', BIG), 'UNKNOWN_PROPERTY'],
    ['updateGroup', (crm) => crm.schema.updateGroup('contacts', BIG, { label: 'x' }), 'VALIDATION_ERROR'],
    ['defineObject', (crm) => crm.schema.defineObject({ name: BIG, labels: { singular: 'L', plural: 'Ls' }, properties: [roast] }), 'VALIDATION_ERROR'],
  ];

  it.each(hugeNames)('a 10 MB name given to %s is refused with a short message', async (_, call, code) => {
    // `refused` checks that the message stays short.
    await refused(call, code);
  });

  it('a 10 MB property name', async () => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, name: BIG }), 'VALIDATION_ERROR');
    expect(issueCodes(error)).toEqual(['INVALID_NAME']);
    expect(JSON.stringify(error.details).length).toBeLessThan(2_000);
  });
});

describe('numbers that are not numbers', () => {
  it.each([NaN, Infinity, -Infinity, 1.5, '3'])('displayOrder %s', async (displayOrder) => {
    const define = await refused((crm) => crm.schema.defineGroup('contacts', { name: 'coffee', label: 'Coffee', displayOrder } as never), 'VALIDATION_ERROR');
    expect(issue(define)).toMatchObject({ code: 'INVALID_ARGUMENT', path: ['displayOrder'] });
    expect(define.message).toContain('displayOrder');
    const update = await refused((crm) => crm.schema.updateGroup('contacts', 'contactinformation', { displayOrder } as never), 'VALIDATION_ERROR');
    expect(issue(update).path).toEqual(['displayOrder']);
    const option = await refused(
      (crm) =>
        crm.schema.defineProperty('contacts', {
          ...roast,
          type: 'enumeration',
          fieldType: 'select',
          options: [{ label: 'A', value: 'a', displayOrder }],
        } as never),
      'VALIDATION_ERROR',
    );
    expect(issue(option).path).toEqual(['options', 0, 'displayOrder']);
  });

  it('non-boolean flags', async () => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, unique: 'yes' } as never), 'VALIDATION_ERROR');
    expect(issue(error).path).toEqual(['unique']);
    const dedup = await refused((crm) => crm.schema.updateObject('companies', { dedup: 0 } as never), 'VALIDATION_ERROR');
    expect(issue(dedup).path).toEqual(['dedup']);
  });
});

describe('renaming internal names', () => {
  it('updateProperty with another name is IMMUTABLE', async () => {
    const custom = await refused((crm) => crm.schema.updateProperty('contacts', 'roast_origin', { name: 'origin' }), 'IMMUTABLE');
    expect(custom.message).toContain('roast_origin');
    expect(custom.details).toMatchObject({ property: 'roast_origin', field: 'name' });
    await refused((crm) => crm.schema.updateProperty('contacts', 'email', { name: 'email_address' }), 'IMMUTABLE');
  });

  it('renameObject with a name is IMMUTABLE', async () => {
    const error = await refused(
      (crm) => crm.schema.renameObject('companies', { name: 'accounts', singular: 'Account', plural: 'Accounts' } as never),
      'IMMUTABLE',
    );
    expect(error.message).toContain('accounts');
    await refused((crm) => crm.schema.renameObject('roast_batches', { name: 'batches', singular: 'B', plural: 'Bs' } as never), 'IMMUTABLE');
  });

  it('updateObject with a name or id is IMMUTABLE', async () => {
    const error = await refused((crm) => crm.schema.updateObject('companies', { name: 'accounts' } as never), 'IMMUTABLE');
    expect(error.details).toMatchObject({ objectType: 'companies', field: 'name' });
    await refused((crm) => crm.schema.updateObject('roast_batches', { id: '2-7' } as never), 'IMMUTABLE');
    await refused((crm) => crm.schema.updateObject('contacts', { id: '0-2', labels: { singular: 'P', plural: 'Ps' } } as never), 'IMMUTABLE');
  });
});

describe('bad property names', () => {
  it.each([
    ['__proto__', ['INVALID_NAME', 'RESERVED_NAME']],
    ['constructor', ['RESERVED_NAME']],
    ['prototype', ['RESERVED_NAME']],
    ['Email', ['INVALID_NAME']],
    ['1abc', ['INVALID_NAME']],
    ['a'.repeat(100), ['INVALID_NAME']],
    ['favorite roast', ['INVALID_NAME']],
    ['', ['INVALID_NAME']],
    ['hs_custom', ['RESERVED_NAME']],
  ])('defineProperty %j', async (name, codes) => {
    const error = await refused((crm) => crm.schema.defineProperty('contacts', { ...roast, name }), 'VALIDATION_ERROR');
    expect(error.details.issues).toHaveLength(1);
    expect(codes).toContain(issue(error).code);
    expect(issue(error).path).toEqual(['name']);
    if (name.length > 0 && name.length < 100) expect(error.message).toContain(JSON.stringify(name));
  });

  it('99 characters is fine', async () => {
    const { crm } = await testCrm();
    const name = 'a'.repeat(99);
    expect((await crm.schema.defineProperty('contacts', { ...roast, name })).name).toBe(name);
  });

  it('the same names inside defineObject, with their paths', async () => {
    const error = await refused(
      (crm) =>
        crm.schema.defineObject({
          name: 'green_lots',
          labels: { singular: 'Lot', plural: 'Lots' },
          properties: [roast, { ...roast, name: '__proto__' }, { ...roast, name: 'constructor' }, { ...roast, name: 'hs_lot' }],
        }),
      'VALIDATION_ERROR',
    );
    expect(error.details.issues?.map((found) => found.path)).toEqual([
      ['properties', 1, 'name'],
      ['properties', 2, 'name'],
      ['properties', 3, 'name'],
    ]);
  });

  it('group names', async () => {
    for (const name of ['__proto__', 'constructor', 'Coffee', '1abc']) {
      const error = await refused((crm) => crm.schema.defineGroup('contacts', { name, label: 'X' }), 'VALIDATION_ERROR');
      expect(issue(error).path).toEqual(['name']);
    }
  });
});

describe('non-object arguments', () => {
  const bad: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'favorite_roast'],
    ['an array', []],
    ['an array of a definition', [roast]],
    ['a number', 42],
  ];

  const calls: Array<[string, (crm: TestCrm['crm'], value: unknown) => Promise<unknown>]> = [
    ['defineObject', (crm, value) => crm.schema.defineObject(value as never)],
    ['defineProperty', (crm, value) => crm.schema.defineProperty('contacts', value as never)],
    ['updateProperty', (crm, value) => crm.schema.updateProperty('contacts', 'roast_origin', value as never)],
    ['defineGroup', (crm, value) => crm.schema.defineGroup('contacts', value as never)],
    ['updateGroup', (crm, value) => crm.schema.updateGroup('contacts', 'contactinformation', value as never)],
    ['renameObject', (crm, value) => crm.schema.renameObject('companies', value as never)],
    ['updateObject', (crm, value) => crm.schema.updateObject('companies', value as never)],
  ];

  for (const [name, call] of calls) {
    it.each(bad)(`${name} refuses %s`, async (_, value) => {
      const error = await refused((crm) => call(crm, value), 'VALIDATION_ERROR');
      expect(issueCodes(error)).toContain('INVALID_ARGUMENT');
    });
  }

  it('object type and property names that are not strings', async () => {
    await refused((crm) => crm.schema.defineProperty(null as never, roast), 'UNKNOWN_OBJECT_TYPE');
    await refused((crm) => crm.schema.defineProperty({ name: 'contacts' } as never, roast), 'UNKNOWN_OBJECT_TYPE');
    await refused((crm) => crm.schema.activate(42 as never), 'UNKNOWN_OBJECT_TYPE');
    await refused((crm) => crm.schema.updateProperty('contacts', 42 as never, { label: 'x' }), 'UNKNOWN_PROPERTY');
    await refused((crm) => crm.schema.archiveProperty('contacts', null as never), 'UNKNOWN_PROPERTY');
    await refused((crm) => crm.schema.updateGroup('contacts', null as never, { label: 'x' }), 'VALIDATION_ERROR');
  });
});
