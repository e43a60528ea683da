// The schema's pure rules: property names, property definitions and changes, groups, and the
// object-type rules (define, update, rename, activate), on stored documents, without storage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, type CrmErrorCode, type ValidationIssue } from '../../src/errors.js';
import { STANDARD_OBJECTS } from '../../src/schema/catalogue/index.js';
import { FIELD_TYPES_BY_TYPE, isValidFieldType } from '../../src/schema/field-types.js';
import { fieldTypeSchema, propertyTypeSchema, type ObjectInput, type PropertyInput } from '../../src/arguments/schema.js';
import { docFromSpec, SchemaState, type ObjectDoc } from '../../src/schema/model.js';
import {
  activateObject,
  dedupChange,
  defineCustomObject,
  renameObject,
  updateObject,
} from '../../src/schema/object-rules.js';
import {
  addGroup,
  addProperty,
  archiveGroup,
  archiveProperty,
  changeGroup,
  changeProperty,
  nameIssue,
} from '../../src/schema/property-rules.js';
import type { FieldType, PropertyType } from '../../src/types.js';

// ---------------------------------------------------------------- helpers

function standard(name: string): ObjectDoc {
  const spec = STANDARD_OBJECTS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no standard object ${name}`);
  return docFromSpec(spec);
}

function prop(overrides: Partial<PropertyInput> = {}): PropertyInput {
  return { name: 'favorite_roast', label: 'Favourite roast', type: 'string', fieldType: 'text', ...overrides };
}

function objectInput(overrides: Partial<ObjectInput> = {}): ObjectInput {
  return {
    name: 'roast_batches',
    labels: { singular: 'Roast batch', plural: 'Roast batches' },
    primaryDisplayProperty: 'batch_name',
    properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
    ...overrides,
  };
}

const emptySchema = (): SchemaState => SchemaState.load(0, undefined);

/** A custom object type's document (roast_batches with batch_name, origin and a picklist). */
function customDoc(): ObjectDoc {
  return defineCustomObject(
    emptySchema(),
    objectInput({
      searchableProperties: ['batch_name'],
      properties: [
        { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
        { name: 'origin', label: 'Origin', type: 'string', fieldType: 'text' },
        {
          name: 'roast_level',
          label: 'Roast level',
          type: 'enumeration',
          fieldType: 'select',
          options: [
            { label: 'Light', value: 'light' },
            { label: 'Dark', value: 'dark' },
          ],
        },
        { name: 'tasting_notes', label: 'Notes', type: 'enumeration', fieldType: 'checkbox', options: [{ label: 'Fruity', value: 'fruity' }] },
        { name: 'batch_code', label: 'Code', type: 'string', fieldType: 'text', readOnly: true },
      ],
    }),
    10,
  ).doc;
}

/**
 * Runs `fn`, expects a CrmError with `code`, answers it. Not test/helpers.ts's: the rules throw
 * the sources' CrmError, while the helpers check against 'crmkit', which is the built bundle
 * when CRMKIT_TEST_DIST is set.
 */
function thrown<C extends CrmErrorCode>(fn: () => unknown, code: C): CrmError<C> {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a CrmError ${code}`).toBeInstanceOf(CrmError);
  const error = caught as CrmError<C>;
  expect(error.code, error.message).toBe(code);
  return error;
}

function issues(fn: () => unknown): ValidationIssue[] {
  return thrown(fn, 'VALIDATION_ERROR').details.issues ?? [];
}

const property = (doc: ObjectDoc, name: string) => doc.properties.find((candidate) => candidate.name === name);

// ---------------------------------------------------------------- names

describe('nameIssue', () => {
  it.each(['a', 'favorite_roast', 'a1', 'x_2_y', 'z'.repeat(99), 'prototypes', 'constructor_id'])('accepts %j', (name) => {
    expect(nameIssue(name, 'property')).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['Email', 'uppercase'],
    ['favoriteRoast', 'camel case'],
    ['1abc', 'leading digit'],
    ['_abc', 'leading underscore'],
    ['a-b', 'dash'],
    ['a b', 'space'],
    ['a.b', 'dot'],
    ['café', 'non-ASCII'],
    ['abc\n', 'trailing newline'],
    ['z'.repeat(100), '100 characters'],
  ])('refuses %j (%s) with INVALID_NAME at the given path', (name) => {
    const issue = nameIssue(name, 'property', ['properties', 3, 'name']);
    expect(issue).toMatchObject({ code: 'INVALID_NAME', path: ['properties', 3, 'name'] });
  });

  it.each(['constructor', 'prototype', '__proto__'])('refuses the reserved %j', (name) => {
    const issue = nameIssue(name, 'property');
    expect(issue).toBeDefined();
    expect(['RESERVED_NAME', 'INVALID_NAME']).toContain(issue!.code);
    expect(issue!.message).toContain(name);
  });

  it('gives constructor and prototype the RESERVED_NAME code', () => {
    expect(nameIssue('constructor', 'property')?.code).toBe('RESERVED_NAME');
    expect(nameIssue('prototype', 'property')?.code).toBe('RESERVED_NAME');
  });

  it('defaults the path to ["name"] and names the culprit and the kind of name in the message', () => {
    const issue = nameIssue('Bad', 'object type');
    expect(issue?.path).toEqual(['name']);
    expect(issue?.message).toContain('"Bad"');
    expect(issue?.message).toContain('object type');
  });

  it('never copies a huge name into the message', () => {
    const issue = nameIssue('a'.repeat(10_000_000), 'property');
    expect(issue?.code).toBe('INVALID_NAME');
    expect(issue!.message.length).toBeLessThan(500);
    expect(issue!.message).toContain('10000000');
  });

  it('property test: accepts exactly the names matching the pattern, 1–99 characters, not reserved', () => {
    const reserved = new Set(['constructor', 'prototype', '__proto__']);
    const oracle = (s: string): boolean => /^[a-z][a-z0-9_]*$/.test(s) && s.length >= 1 && s.length <= 99 && !reserved.has(s);
    const nameLike = fc.string({ unit: fc.constantFrom('a', 'z', 'q', '0', '9', '_', 'A', '-', ' ', '\n', 'é'), maxLength: 120 });
    const nearTheLimit = fc
      .tuple(fc.integer({ min: 95, max: 105 }), fc.constantFrom('a', 'b_', 'c9'))
      .map(([length, unit]) => unit.repeat(length).slice(0, length));
    const arbitrary = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      nameLike,
      fc.stringMatching(/^[a-z][a-z0-9_]{0,110}$/),
      nearTheLimit,
      fc.constantFrom('constructor', 'prototype', '__proto__', 'hasOwnProperty', 'toString', ''),
    );
    fc.assert(
      fc.property(arbitrary, (name) => {
        const issue = nameIssue(name, 'property');
        expect(issue === undefined, JSON.stringify(name)).toBe(oracle(name));
      }),
      { numRuns: 2_000 },
    );
  });
});

// ---------------------------------------------------------------- the field-type table

const ALL_TYPES: PropertyType[] = ['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number'];
const ALL_FIELD_TYPES: FieldType[] = [
  'text',
  'textarea',
  'html',
  'file',
  'phonenumber',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
];

describe('the type/fieldType table', () => {
  it('covers every type and field type the inputs accept', () => {
    expect([...propertyTypeSchema.options].sort()).toEqual([...ALL_TYPES].sort());
    expect([...fieldTypeSchema.options].sort()).toEqual([...ALL_FIELD_TYPES].sort());
    expect(Object.keys(FIELD_TYPES_BY_TYPE).sort()).toEqual([...ALL_TYPES].sort());
  });

  it('is HUBSPOT.md’s list of valid pairs', () => {
    expect(FIELD_TYPES_BY_TYPE).toEqual({
      bool: ['booleancheckbox'],
      enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
      date: ['date'],
      datetime: ['date'],
      number: ['number'],
      string: ['text', 'textarea', 'html', 'file', 'phonenumber'],
      phone_number: ['phonenumber'],
    });
  });

  it('by hand: a few pairs either way', () => {
    expect(isValidFieldType('bool', 'booleancheckbox')).toBe(true);
    expect(isValidFieldType('bool', 'select')).toBe(false);
    expect(isValidFieldType('enumeration', 'checkbox')).toBe(true);
    expect(isValidFieldType('enumeration', 'text')).toBe(false);
    expect(isValidFieldType('string', 'phonenumber')).toBe(true);
    expect(isValidFieldType('phone_number', 'text')).toBe(false);
    expect(isValidFieldType('number', 'text')).toBe(false);
    expect(isValidFieldType('datetime', 'date')).toBe(true);
    expect(isValidFieldType('date', 'number')).toBe(false);
    for (const type of ALL_TYPES) expect(isValidFieldType(type, 'calculation_equation')).toBe(true);
  });

  const pairs = ALL_TYPES.flatMap((type) => ALL_FIELD_TYPES.map((fieldType) => [type, fieldType] as const));
  const valid = pairs.filter(([type, fieldType]) => fieldType === 'calculation_equation' || FIELD_TYPES_BY_TYPE[type].includes(fieldType));
  const invalid = pairs.filter((pair) => !valid.includes(pair));

  it('has 21 valid pairs out of 84', () => {
    expect(valid).toHaveLength(21);
    expect(invalid).toHaveLength(63);
  });

  it.each(valid)('addProperty accepts %s/%s', (type, fieldType) => {
    const next = addProperty(standard('contacts'), prop({ type, fieldType }), 10);
    expect(property(next, 'favorite_roast')).toMatchObject({ type, fieldType });
  });

  it.each(invalid)('addProperty refuses %s/%s with INVALID_FIELD_TYPE', (type, fieldType) => {
    const found = issues(() => addProperty(standard('contacts'), prop({ type, fieldType }), 10));
    expect(found).toEqual([expect.objectContaining({ code: 'INVALID_FIELD_TYPE', path: ['fieldType'], property: 'favorite_roast' })]);
    expect(found[0]!.message).toContain(fieldType);
    expect(found[0]!.message).toContain(type);
  });
});

// ---------------------------------------------------------------- addProperty

describe('addProperty', () => {
  it('answers a new document with the custom property appended, leaving the input untouched', () => {
    const doc = standard('contacts');
    const before = structuredClone(doc);
    const next = addProperty(doc, prop({ description: 'What they drink' }), 10);
    expect(doc).toEqual(before);
    expect(next.properties).toHaveLength(doc.properties.length + 1);
    expect(next.properties.at(-1)).toEqual({
      name: 'favorite_roast',
      label: 'Favourite roast',
      type: 'string',
      fieldType: 'text',
      unique: false,
      readOnly: false,
      groupName: 'contactinformation',
      description: 'What they drink',
      hubspotDefined: false,
      archived: false,
    });
    expect(next.requiredProperties).toEqual(doc.requiredProperties);
  });

  it('puts the property in the group asked for', () => {
    const next = addProperty(standard('contacts'), prop({ groupName: 'emailinformation' }), 10);
    expect(property(next, 'favorite_roast')?.groupName).toBe('emailinformation');
  });

  it('refuses the hs_ prefix for custom properties', () => {
    const found = issues(() => addProperty(standard('contacts'), prop({ name: 'hs_custom' }), 10));
    expect(found).toEqual([expect.objectContaining({ code: 'RESERVED_NAME', path: ['name'], property: 'hs_custom' })]);
  });

  it.each(['Email', '1abc', '__proto__', 'constructor', 'a'.repeat(100), ''])('refuses the name %j', (name) => {
    const found = issues(() => addProperty(standard('contacts'), prop({ name }), 10));
    expect(['INVALID_NAME', 'RESERVED_NAME']).toContain(found[0]!.code);
    expect(found[0]!.path).toEqual(['name']);
  });

  it('numbers options’ displayOrder by position when not given', () => {
    const next = addProperty(
      standard('contacts'),
      prop({
        type: 'enumeration',
        fieldType: 'select',
        options: [
          { label: 'Light', value: 'light' },
          { label: 'Dark', value: 'dark', displayOrder: 7 },
        ],
      }),
      10,
    );
    expect(property(next, 'favorite_roast')?.options).toEqual([
      { label: 'Light', value: 'light', displayOrder: 0 },
      { label: 'Dark', value: 'dark', displayOrder: 7 },
    ]);
  });

  it('refuses options on a non-enumeration, but not an empty list', () => {
    const found = issues(() => addProperty(standard('contacts'), prop({ options: [{ label: 'A', value: 'a' }] }), 10));
    expect(found).toEqual([expect.objectContaining({ code: 'OPTIONS_NOT_ALLOWED', path: ['options'] })]);
    expect(() => addProperty(standard('contacts'), prop({ options: [] }), 10)).not.toThrow();
  });

  it('refuses duplicate option values, each duplicate with its index', () => {
    const found = issues(() =>
      addProperty(
        standard('contacts'),
        prop({
          type: 'enumeration',
          fieldType: 'radio',
          options: [
            { label: 'Light', value: 'light' },
            { label: 'Dark', value: 'dark' },
            { label: 'Light again', value: 'light' },
            { label: 'Dark again', value: 'dark' },
          ],
        }),
        10,
      ),
    );
    expect(found.map((issue) => [issue.code, issue.path])).toEqual([
      ['DUPLICATE_OPTION', ['options', 2, 'value']],
      ['DUPLICATE_OPTION', ['options', 3, 'value']],
    ]);
    expect(found[0]!.message).toContain('"light"');
  });

  it('treats option values case-sensitively (Light and light are two options)', () => {
    const next = addProperty(
      standard('contacts'),
      prop({ type: 'enumeration', fieldType: 'select', options: [{ label: 'A', value: 'Light' }, { label: 'B', value: 'light' }] }),
      10,
    );
    expect(property(next, 'favorite_roast')?.options).toHaveLength(2);
  });

  it.each([
    ['string', 'text'],
    ['number', 'number'],
    ['phone_number', 'phonenumber'],
  ] as const)('allows a unique %s property', (type, fieldType) => {
    const next = addProperty(standard('contacts'), prop({ type, fieldType, unique: true }), 10);
    expect(property(next, 'favorite_roast')?.unique).toBe(true);
  });

  it.each([
    ['bool', 'booleancheckbox'],
    ['date', 'date'],
    ['datetime', 'date'],
    ['enumeration', 'select'],
  ] as const)('refuses a unique %s property with UNIQUE_NOT_ALLOWED', (type, fieldType) => {
    const found = issues(() => addProperty(standard('contacts'), prop({ type, fieldType, unique: true }), 10));
    expect(found).toEqual([expect.objectContaining({ code: 'UNIQUE_NOT_ALLOWED', path: ['unique'] })]);
  });

  it('enforces the unique-property cap, counting archived unique properties', () => {
    let doc = addProperty(standard('contacts'), prop({ name: 'code_a', unique: true }), 2);
    doc = addProperty(doc, prop({ name: 'code_b', unique: true }), 2);
    const error = thrown(() => addProperty(doc, prop({ name: 'code_c', unique: true }), 2), 'VALIDATION_ERROR');
    expect(error.details.issues).toEqual([expect.objectContaining({ code: 'UNIQUE_PROPERTY_LIMIT', limit: 2 })]);
    // A non-unique property is fine at the cap.
    expect(() => addProperty(doc, prop({ name: 'plain' }), 2)).not.toThrow();
    // Archiving does not free a slot.
    const archived = archiveProperty(doc, 'code_b');
    expect(issues(() => addProperty(archived, prop({ name: 'code_c', unique: true }), 2))[0]?.code).toBe('UNIQUE_PROPERTY_LIMIT');
    // A cap of 0 forbids them all.
    expect(issues(() => addProperty(standard('contacts'), prop({ unique: true }), 0))[0]?.code).toBe('UNIQUE_PROPERTY_LIMIT');
  });

  it('refuses an unknown group', () => {
    const found = issues(() => addProperty(standard('contacts'), prop({ groupName: 'nowhere' }), 10));
    expect(found).toEqual([expect.objectContaining({ code: 'UNKNOWN_GROUP', path: ['groupName'] })]);
    expect(found[0]!.message).toContain('"nowhere"');
  });

  it('refuses an existing name with CONFLICT, a standard, a system and an archived one alike', () => {
    const doc = addProperty(standard('contacts'), prop(), 10);
    for (const name of ['email', 'hs_object_id', 'favorite_roast']) {
      const error = thrown(() => addProperty(doc, prop({ name }), 10), 'CONFLICT');
      expect(error.message).toContain(`"${name}"`);
      expect(error.details).toMatchObject({ objectType: 'contacts', property: name });
    }
    const archived = archiveProperty(doc, 'favorite_roast');
    const error = thrown(() => addProperty(archived, prop(), 10), 'CONFLICT');
    expect(error.message).toContain('archived');
  });

  it('forces a calculation_equation property read-only', () => {
    const next = addProperty(standard('contacts'), prop({ type: 'number', fieldType: 'calculation_equation', readOnly: false }), 10);
    expect(property(next, 'favorite_roast')?.readOnly).toBe(true);
  });

  it('keeps readOnly as given otherwise', () => {
    expect(property(addProperty(standard('contacts'), prop({ readOnly: true }), 10), 'favorite_roast')?.readOnly).toBe(true);
  });

  it('puts `required: true` in the object type’s requiredProperties', () => {
    const next = addProperty(standard('deals'), prop({ required: true }), 10);
    expect(next.requiredProperties).toEqual(['dealname', 'dealstage', 'favorite_roast']);
    expect(addProperty(standard('deals'), prop({ required: false }), 10).requiredProperties).toEqual(['dealname', 'dealstage']);
  });

  it('refuses `required: true` on a read-only or calculated property (no record could be written)', () => {
    // defineObject and updateProperty refuse a required read-only property; defineProperty must too.
    expect(() => addProperty(standard('contacts'), prop({ required: true, readOnly: true }), 10)).toThrow(CrmError);
    expect(() =>
      addProperty(standard('contacts'), prop({ type: 'number', fieldType: 'calculation_equation', required: true }), 10),
    ).toThrow(CrmError);
  });

  it('reports every issue of one definition at once', () => {
    const found = issues(() =>
      addProperty(
        standard('contacts'),
        prop({
          name: 'Bad Name',
          type: 'bool',
          fieldType: 'text',
          unique: true,
          options: [{ label: 'A', value: 'a' }],
          groupName: 'nowhere',
        }),
        10,
      ),
    );
    expect(found.map((issue) => issue.code).sort()).toEqual(
      ['INVALID_FIELD_TYPE', 'INVALID_NAME', 'OPTIONS_NOT_ALLOWED', 'UNIQUE_NOT_ALLOWED', 'UNKNOWN_GROUP'].sort(),
    );
  });
});

// ---------------------------------------------------------------- changeProperty

describe('changeProperty', () => {
  it('changes a custom property’s label, description, group, indexed and readOnly; nothing else moves', () => {
    const doc = customDoc();
    const withGroup = addGroup(doc, { name: 'tasting', label: 'Tasting' });
    const next = changeProperty(withGroup, 'origin', {
      label: 'Country of origin',
      description: 'Where the beans grew',
      groupName: 'tasting',
      indexed: true,
      readOnly: true,
    });
    expect(property(next, 'origin')).toEqual({
      ...property(doc, 'origin'),
      label: 'Country of origin',
      description: 'Where the beans grew',
      groupName: 'tasting',
      indexed: true,
      readOnly: true,
    });
    expect(next.properties.filter((other) => other.name !== 'origin')).toEqual(withGroup.properties.filter((other) => other.name !== 'origin'));
    expect(property(withGroup, 'origin')?.label).toBe('Origin');
  });

  it('accepts name, type and unique given with their current values', () => {
    const next = changeProperty(customDoc(), 'origin', { name: 'origin', type: 'string', unique: false, label: 'Origin country' });
    expect(property(next, 'origin')?.label).toBe('Origin country');
  });

  it.each([
    ['name', { name: 'country' }],
    ['type', { type: 'number' as const, fieldType: 'number' as const }],
    ['unique', { unique: true }],
  ])('refuses to change %s with IMMUTABLE', (field, patch) => {
    const error = thrown(() => changeProperty(customDoc(), 'origin', patch), 'IMMUTABLE');
    expect(error.details).toMatchObject({ objectType: 'roast_batches', property: 'origin', field });
    expect(error.message).toContain(field);
  });

  it('refuses to make a unique property non-unique', () => {
    const doc = addProperty(customDoc(), prop({ name: 'lot', unique: true }), 10);
    thrown(() => changeProperty(doc, 'lot', { unique: false }), 'IMMUTABLE');
  });

  it.each(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_merged_object_ids'])(
    'refuses any change to the system property %s with READ_ONLY_PROPERTY',
    (name) => {
      thrown(() => changeProperty(standard('contacts'), name, { label: 'Mine' }), 'READ_ONLY_PROPERTY');
    },
  );

  it('refuses changes to a custom object’s system properties too', () => {
    thrown(() => changeProperty(customDoc(), 'hs_createdate', { label: 'Born' }), 'READ_ONLY_PROPERTY');
  });

  it('lets a HubSpot-defined property change label, description, group, options, required and indexed', () => {
    let doc = standard('contacts');
    doc = changeProperty(doc, 'firstname', {
      label: 'Given name',
      description: 'First name',
      groupName: 'emailinformation',
      required: true,
      indexed: true,
    });
    expect(property(doc, 'firstname')).toMatchObject({
      label: 'Given name',
      description: 'First name',
      groupName: 'emailinformation',
      indexed: true,
      hubspotDefined: true,
    });
    expect(doc.requiredProperties).toContain('firstname');
    const options = [...(property(doc, 'lifecyclestage')?.options ?? []), { label: 'Partner', value: 'partner' }];
    doc = changeProperty(doc, 'lifecyclestage', { options });
    expect(property(doc, 'lifecyclestage')?.options?.map((option) => option.value)).toContain('partner');
    expect(property(doc, 'lifecyclestage')?.options?.at(-1)).toEqual({ label: 'Partner', value: 'partner', displayOrder: 8 });
  });

  it.each([
    ['fieldType', { fieldType: 'textarea' as const }],
    ['readOnly', { readOnly: true }],
  ])('refuses %s on a HubSpot-defined property with IMMUTABLE', (field, patch) => {
    const error = thrown(() => changeProperty(standard('contacts'), 'firstname', patch), 'IMMUTABLE');
    expect(error.message).toContain(field);
  });

  it('refuses checkbox ↔ select/radio on an enumeration with IMMUTABLE, allows select ↔ radio', () => {
    const doc = customDoc();
    thrown(() => changeProperty(doc, 'roast_level', { fieldType: 'checkbox' }), 'IMMUTABLE');
    thrown(() => changeProperty(doc, 'tasting_notes', { fieldType: 'select' }), 'IMMUTABLE');
    thrown(() => changeProperty(doc, 'tasting_notes', { fieldType: 'radio' }), 'IMMUTABLE');
    expect(property(changeProperty(doc, 'roast_level', { fieldType: 'radio' }), 'roast_level')?.fieldType).toBe('radio');
  });

  it('lets a custom string property change to another string field type, not to an invalid one', () => {
    const doc = customDoc();
    expect(property(changeProperty(doc, 'origin', { fieldType: 'textarea' }), 'origin')?.fieldType).toBe('textarea');
    const found = issues(() => changeProperty(doc, 'origin', { fieldType: 'number' }));
    expect(found[0]).toMatchObject({ code: 'INVALID_FIELD_TYPE' });
  });

  it('makes a property read-only when it becomes a calculation', () => {
    const next = changeProperty(customDoc(), 'origin', { fieldType: 'calculation_equation' });
    expect(property(next, 'origin')).toMatchObject({ fieldType: 'calculation_equation', readOnly: true });
  });

  it('checks new options: duplicates refused, options on a string refused', () => {
    const doc = customDoc();
    const found = issues(() =>
      changeProperty(doc, 'roast_level', { options: [{ label: 'A', value: 'x' }, { label: 'B', value: 'x' }] }),
    );
    expect(found).toEqual([expect.objectContaining({ code: 'DUPLICATE_OPTION', path: ['options', 1, 'value'] })]);
    expect(issues(() => changeProperty(doc, 'origin', { options: [{ label: 'A', value: 'a' }] }))[0]?.code).toBe('OPTIONS_NOT_ALLOWED');
  });

  it('refuses an unknown group', () => {
    expect(issues(() => changeProperty(customDoc(), 'origin', { groupName: 'nowhere' }))[0]?.code).toBe('UNKNOWN_GROUP');
  });

  it('refuses an archived property with ARCHIVED', () => {
    const doc = archiveProperty(customDoc(), 'origin');
    thrown(() => changeProperty(doc, 'origin', { label: 'Again' }), 'ARCHIVED');
  });

  it('refuses an unknown property with UNKNOWN_PROPERTY', () => {
    const error = thrown(() => changeProperty(customDoc(), 'nope', { label: 'x' }), 'UNKNOWN_PROPERTY');
    expect(error.message).toContain('"nope"');
  });

  it('adds and removes required; refuses required on a read-only property', () => {
    const doc = customDoc();
    const required = changeProperty(doc, 'origin', { required: true });
    expect(required.requiredProperties).toEqual(['origin']);
    expect(changeProperty(required, 'origin', { required: false }).requiredProperties).toEqual([]);
    const found = issues(() => changeProperty(doc, 'batch_code', { required: true }));
    expect(found).toEqual([expect.objectContaining({ property: 'batch_code' })]);
    // Making a required property read-only is the same contradiction.
    expect(() => changeProperty(required, 'origin', { readOnly: true })).toThrow(CrmError);
  });
});

// ---------------------------------------------------------------- archiveProperty

describe('archiveProperty', () => {
  it('marks a custom property archived and drops it from required and searchable properties', () => {
    let doc = changeProperty(customDoc(), 'origin', { required: true });
    doc = updateObject(doc, { searchableProperties: ['batch_name', 'origin'] });
    const next = archiveProperty(doc, 'origin');
    expect(property(next, 'origin')).toEqual({ ...property(doc, 'origin'), archived: true });
    expect(next.requiredProperties).toEqual([]);
    expect(next.searchableProperties).toEqual(['batch_name']);
    expect(property(doc, 'origin')?.archived).toBe(false);
  });

  it('answers the same document when already archived', () => {
    const doc = archiveProperty(customDoc(), 'origin');
    expect(archiveProperty(doc, 'origin')).toBe(doc);
  });

  it('refuses system properties (READ_ONLY_PROPERTY) and HubSpot-defined ones (IMMUTABLE)', () => {
    thrown(() => archiveProperty(standard('contacts'), 'hs_object_id'), 'READ_ONLY_PROPERTY');
    thrown(() => archiveProperty(customDoc(), 'hs_lastmodifieddate'), 'READ_ONLY_PROPERTY');
    thrown(() => archiveProperty(standard('contacts'), 'firstname'), 'IMMUTABLE');
  });

  it('refuses the primary display property with PROPERTY_IN_USE', () => {
    const found = issues(() => archiveProperty(customDoc(), 'batch_name'));
    expect(found).toEqual([expect.objectContaining({ code: 'PROPERTY_IN_USE', property: 'batch_name' })]);
  });

  it('refuses an unknown property', () => {
    thrown(() => archiveProperty(customDoc(), 'nope'), 'UNKNOWN_PROPERTY');
  });
});

// ---------------------------------------------------------------- groups

describe('addGroup and changeGroup', () => {
  it('appends a group after the last display order unless one is given', () => {
    const doc = standard('contacts');
    const next = addGroup(doc, { name: 'coffee', label: 'Coffee preferences' });
    expect(next.groups.at(-1)).toEqual({ name: 'coffee', label: 'Coffee preferences', displayOrder: 2 });
    expect(doc.groups).toHaveLength(2);
    const ordered = addGroup(doc, { name: 'tea', label: 'Tea', displayOrder: 9 });
    expect(addGroup(ordered, { name: 'cocoa', label: 'Cocoa' }).groups.at(-1)?.displayOrder).toBe(10);
  });

  it('refuses an invalid or reserved group name', () => {
    for (const name of ['Coffee', '1x', 'constructor', '']) {
      expect(issues(() => addGroup(standard('contacts'), { name, label: 'X' }))[0]?.path).toEqual(['name']);
    }
  });

  it('refuses an existing group name with CONFLICT', () => {
    thrown(() => addGroup(standard('contacts'), { name: 'contactinformation', label: 'Again' }), 'CONFLICT');
  });

  it('changes a group’s label and order, and only that group', () => {
    const doc = standard('contacts');
    const next = changeGroup(doc, 'emailinformation', { label: 'Email', displayOrder: 5 });
    expect(next.groups).toEqual([doc.groups[0], { name: 'emailinformation', label: 'Email', displayOrder: 5 }]);
    expect(changeGroup(doc, 'emailinformation', { label: 'Only label' }).groups[1]?.displayOrder).toBe(1);
  });

  it('refuses an unknown group with UNKNOWN_GROUP', () => {
    expect(issues(() => changeGroup(standard('contacts'), 'nowhere', { label: 'X' }))).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_GROUP' }),
    ]);
  });
});

describe('archiveGroup', () => {
  const withCoffee = (): ObjectDoc => addGroup(standard('contacts'), { name: 'coffee', label: 'Coffee' });

  it('marks the group archived and changes nothing else', () => {
    const doc = withCoffee();
    const next = archiveGroup(doc, 'coffee');
    expect(next.groups.at(-1)).toEqual({ name: 'coffee', label: 'Coffee', displayOrder: 2, archived: true });
    expect(next.groups.slice(0, -1)).toEqual(doc.groups.slice(0, -1));
    expect(next.properties).toBe(doc.properties);
    expect(archiveGroup(next, 'coffee')).toBe(next);
  });

  it('refuses the default group, a group with live properties, and an unknown group', () => {
    expect(issues(() => archiveGroup(standard('contacts'), 'contactinformation'))).toEqual([expect.objectContaining({ code: 'GROUP_IN_USE' })]);
    const held = addProperty(withCoffee(), prop({ groupName: 'coffee' }), 10);
    expect(issues(() => archiveGroup(held, 'coffee'))).toEqual([expect.objectContaining({ code: 'GROUP_IN_USE', properties: ['favorite_roast'] })]);
    expect(issues(() => archiveGroup(held, 'nowhere'))).toEqual([expect.objectContaining({ code: 'UNKNOWN_GROUP' })]);
  });

  it('an archived group takes no property, no change, and comes back through addGroup', () => {
    const archived = archiveGroup(withCoffee(), 'coffee');
    expect(issues(() => addProperty(archived, prop({ groupName: 'coffee' }), 10))).toEqual([expect.objectContaining({ code: 'UNKNOWN_GROUP' })]);
    thrown(() => changeGroup(archived, 'coffee', { label: 'X' }), 'ARCHIVED');
    const back = addGroup(archived, { name: 'coffee', label: 'Coffee 2' });
    expect(back.groups.at(-1)).toEqual({ name: 'coffee', label: 'Coffee 2', displayOrder: 2 });
    expect(back.groups).toHaveLength(archived.groups.length);
  });
});

// ---------------------------------------------------------------- object types

describe('defineCustomObject', () => {
  it('builds a custom object type 2-<n> in category other, with the system properties', () => {
    const { doc, nextCustomObjectNumber } = defineCustomObject(emptySchema(), objectInput(), 10);
    expect(doc).toMatchObject({
      id: '2-1',
      name: 'roast_batches',
      custom: true,
      categories: ['other'],
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      active: true,
      requiresActivation: false,
      primaryDisplayProperty: 'batch_name',
      associations: [],
    });
    expect(nextCustomObjectNumber).toBe(2);
    expect(doc.properties.map((p) => p.name)).toEqual(['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate', 'hs_merged_object_ids', 'batch_name']);
    for (const name of ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate']) {
      expect(property(doc, name)).toMatchObject({ readOnly: true, hubspotDefined: true });
    }
    expect(property(doc, 'batch_name')).toMatchObject({ hubspotDefined: false, readOnly: false, groupName: doc.groups[0]!.name });
  });

  it('takes its number from the schema’s counter', () => {
    const first = defineCustomObject(emptySchema(), objectInput(), 10);
    const schema = emptySchema().withObject(first.doc, first.nextCustomObjectNumber);
    const second = defineCustomObject(schema, objectInput({ name: 'green_lots' }), 10);
    expect(second.doc.id).toBe('2-2');
    expect(second.nextCustomObjectNumber).toBe(3);
  });

  it('merges `required: true` properties into requiredProperties without duplicates', () => {
    const { doc } = defineCustomObject(
      emptySchema(),
      objectInput({
        requiredProperties: ['batch_name', 'batch_name'],
        properties: [
          { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text', required: true },
          { name: 'weight', label: 'Weight', type: 'number', fieldType: 'number', required: true },
        ],
      }),
      10,
    );
    expect(doc.requiredProperties).toEqual(['batch_name', 'weight']);
  });

  it('refuses a name taken by a standard or custom type with CONFLICT', () => {
    thrown(() => defineCustomObject(emptySchema(), objectInput({ name: 'contacts' }), 10), 'CONFLICT');
    const first = defineCustomObject(emptySchema(), objectInput(), 10);
    const schema = emptySchema().withObject(first.doc, first.nextCustomObjectNumber);
    thrown(() => defineCustomObject(schema, objectInput(), 10), 'CONFLICT');
  });

  it.each(['Roast', '2-1', '0-1', 'roast batches', '__proto__', 'constructor', ''])('refuses the name %j', (name) => {
    const found = issues(() => defineCustomObject(emptySchema(), objectInput({ name }), 10));
    expect(['INVALID_NAME', 'RESERVED_NAME']).toContain(found[0]?.code);
    expect(found[0]?.path).toEqual(['name']);
  });

  it('requires the primary display, required and searchable properties to be its own', () => {
    const found = issues(() =>
      defineCustomObject(
        emptySchema(),
        objectInput({ primaryDisplayProperty: 'title', requiredProperties: ['weight'], searchableProperties: ['batch_name', 'notes'] }),
        10,
      ),
    );
    expect(found.map((issue) => [issue.code, issue.path])).toEqual([
      ['INVALID_ARGUMENT', ['primaryDisplayProperty']],
      ['INVALID_ARGUMENT', ['requiredProperties', 0]],
      ['INVALID_ARGUMENT', ['searchableProperties', 1]],
    ]);
  });

  it('refuses a required read-only property', () => {
    const found = issues(() =>
      defineCustomObject(
        emptySchema(),
        objectInput({ properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text', readOnly: true, required: true }] }),
        10,
      ),
    );
    expect(found).toEqual([expect.objectContaining({ path: ['requiredProperties', 0], property: 'batch_name' })]);
  });

  it('stores associations as names, accepting ids and itself', () => {
    const { doc } = defineCustomObject(emptySchema(), objectInput({ associations: ['0-1', 'deals', 'contacts', 'roast_batches'] }), 10);
    expect(doc.associations).toEqual(['contacts', 'deals', 'roast_batches']);
  });

  it('refuses products and line items with ASSOCIATION_NOT_ALLOWED, unknown types with UNKNOWN_OBJECT_TYPE', () => {
    for (const target of ['products', '0-7', 'line_items']) {
      thrown(() => defineCustomObject(emptySchema(), objectInput({ associations: [target] }), 10), 'ASSOCIATION_NOT_ALLOWED');
    }
    const error = thrown(() => defineCustomObject(emptySchema(), objectInput({ associations: ['roasters'] }), 10), 'UNKNOWN_OBJECT_TYPE');
    expect(error.message).toContain('"roasters"');
  });

  it('reports every problem of the definition at once, with paths', () => {
    const found = issues(() =>
      defineCustomObject(
        emptySchema(),
        objectInput({
          primaryDisplayProperty: 'missing',
          properties: [
            { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
            { name: 'weight', label: 'Weight', type: 'number', fieldType: 'text' },
            { name: 'Bad', label: 'Bad', type: 'string', fieldType: 'text' },
            { name: 'batch_name', label: 'Again', type: 'string', fieldType: 'text' },
            { name: 'hs_secret', label: 'Secret', type: 'bool', fieldType: 'booleancheckbox', unique: true },
            {
              name: 'level',
              label: 'Level',
              type: 'enumeration',
              fieldType: 'select',
              options: [{ label: 'A', value: 'a' }, { label: 'B', value: 'a' }],
            },
          ],
        }),
        10,
      ),
    );
    const seen = found.map((issue) => [issue.code, issue.path]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['INVALID_FIELD_TYPE', ['properties', 1, 'fieldType']],
        ['INVALID_NAME', ['properties', 2, 'name']],
        ['INVALID_NAME', ['properties', 3, 'name']],
        ['RESERVED_NAME', ['properties', 4, 'name']],
        ['UNIQUE_NOT_ALLOWED', ['properties', 4, 'unique']],
        ['DUPLICATE_OPTION', ['properties', 5, 'options', 1, 'value']],
        ['INVALID_ARGUMENT', ['primaryDisplayProperty']],
      ]),
    );
    expect(found).toHaveLength(7);
  });

  it('enforces the unique-property cap', () => {
    const properties: PropertyInput[] = ['a', 'b', 'c'].map((name) => prop({ name: `code_${name}`, unique: true }));
    const input = objectInput({ primaryDisplayProperty: 'code_a', properties });
    expect(defineCustomObject(emptySchema(), input, 3).doc.properties.filter((p) => p.unique)).toHaveLength(3);
    expect(issues(() => defineCustomObject(emptySchema(), input, 2))[0]?.code).toBe('UNIQUE_PROPERTY_LIMIT');
  });
});

describe('updateObject', () => {
  it('changes labels, display, required and searchable properties', () => {
    const doc = customDoc();
    const next = updateObject(doc, {
      labels: { singular: 'Batch', plural: 'Batches' },
      primaryDisplayProperty: 'origin',
      requiredProperties: ['origin', 'origin', 'batch_name'],
      searchableProperties: ['origin'],
    });
    expect(next).toEqual({
      ...doc,
      labels: { singular: 'Batch', plural: 'Batches' },
      primaryDisplayProperty: 'origin',
      requiredProperties: ['origin', 'batch_name'],
      searchableProperties: ['origin'],
    });
  });

  it('refuses properties the object type does not have, or archived ones', () => {
    const doc = archiveProperty(customDoc(), 'origin');
    expect(issues(() => updateObject(doc, { requiredProperties: ['nope'] }))).toEqual([
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['requiredProperties', 0], property: 'nope' }),
    ]);
    expect(issues(() => updateObject(doc, { searchableProperties: ['origin'] }))[0]?.path).toEqual(['searchableProperties', 0]);
    expect(issues(() => updateObject(doc, { primaryDisplayProperty: 'origin' }))[0]?.path).toEqual(['primaryDisplayProperty']);
  });

  it('refuses a read-only required property', () => {
    expect(issues(() => updateObject(standard('contacts'), { requiredProperties: ['hs_object_id'] }))[0]?.property).toBe('hs_object_id');
  });

  it('turns contacts’ and companies’ dedup key off and on', () => {
    const contacts = standard('contacts');
    expect(contacts.dedup).toBe(true);
    const off = updateObject(contacts, { dedup: false });
    expect(off.dedup).toBe(false);
    expect(updateObject(off, { dedup: true }).dedup).toBe(true);
    expect(updateObject(standard('companies'), { dedup: false }).dedup).toBe(false);
    expect(dedupChange(contacts, { dedup: false })).toBe('off');
    expect(dedupChange(off, { dedup: true })).toBe('on');
    expect(dedupChange(contacts, { dedup: true })).toBeUndefined();
    expect(dedupChange(contacts, {})).toBeUndefined();
  });

  it.each(['deals', 'tickets'])('refuses dedup on %s, which has no dedup key', (name) => {
    expect(issues(() => updateObject(standard(name), { dedup: false }))).toEqual([
      expect.objectContaining({ code: 'INVALID_ARGUMENT', path: ['dedup'] }),
    ]);
  });

  it('refuses dedup on a custom object', () => {
    expect(issues(() => updateObject(customDoc(), { dedup: true }))[0]?.path).toEqual(['dedup']);
  });
});

describe('renameObject and activateObject', () => {
  it('renameObject changes the labels and nothing else', () => {
    const doc = standard('companies');
    const next = renameObject(doc, { singular: 'Account', plural: 'Accounts' });
    expect(next).toEqual({ ...doc, labels: { singular: 'Account', plural: 'Accounts' } });
    expect(doc.labels).toEqual({ singular: 'Company', plural: 'Companies' });
  });

  it('activateObject activates a type that needs it, and leaves an active one as it is', () => {
    const services = standard('services');
    expect(services).toMatchObject({ requiresActivation: true, active: false });
    const active = activateObject(services);
    expect(active).toEqual({ ...services, active: true });
    expect(activateObject(active)).toBe(active);
    const contacts = standard('contacts');
    expect(activateObject(contacts)).toBe(contacts);
  });
});
