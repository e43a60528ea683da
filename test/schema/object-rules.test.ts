// The object-type rules (src/schema/object-rules.ts) over all inputs: a definition's references
// are refused exactly when they name no live property (or require a read-only one), a custom
// type dates its last activity exactly when it may hold activities, updateObject changes only
// what the patch names, and custom ids count up and are never reused. The example tests of the
// same rules (define, update, rename, activate, dedup) are in ./property-rules.test.ts, beside
// the property rules they share documents with.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../src/errors.js';
import type { ObjectInput } from '../../src/arguments/schema.js';
import { SchemaState, type ObjectDoc, type PropertyDoc } from '../../src/schema/model.js';
import { checkReferences, dedupChange, defineCustomObject, referenceIssues, updateObject } from '../../src/schema/object-rules.js';

const empty = SchemaState.load(0, undefined);

const input = (overrides: Partial<ObjectInput> = {}): ObjectInput => ({
  name: 'roast_batches',
  labels: { singular: 'Roast batch', plural: 'Roast batches' },
  primaryDisplayProperty: 'batch_name',
  properties: [{ name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' }],
  ...overrides,
});

/** A custom object type's document with these properties, as defineObject stores it. */
const roastBatches = defineCustomObject(
  empty,
  input({
    properties: [
      { name: 'batch_name', label: 'Batch', type: 'string', fieldType: 'text' },
      { name: 'origin', label: 'Origin', type: 'string', fieldType: 'text' },
      { name: 'weight', label: 'Weight', type: 'number', fieldType: 'number' },
      { name: 'batch_code', label: 'Code', type: 'string', fieldType: 'text', readOnly: true },
    ],
  }),
  10,
).doc;

// ---------------------------------------------------------------- references

/** A property of the document with any archived and read-only flags (and a calculation among them). */
const propertyArb = (name: string): fc.Arbitrary<PropertyDoc> =>
  fc.record({ archived: fc.boolean(), readOnly: fc.boolean(), calculation: fc.boolean() }).map(({ archived, readOnly, calculation }) => ({
    name,
    label: name,
    type: calculation ? 'number' : 'string',
    fieldType: calculation ? 'calculation_equation' : 'text',
    unique: false,
    readOnly,
    groupName: 'information',
    hubspotDefined: false,
    archived,
  }));

const POOL = ['alpha', 'beta', 'gamma', 'delta'];
/** A document holding some of the pool's properties and naming any of the pool (or one not in it) in its references. */
const docArb: fc.Arbitrary<ObjectDoc> = fc
  .record({
    present: fc.subarray(POOL),
    flags: fc.tuple(...POOL.map(propertyArb)),
    display: fc.option(fc.constantFrom(...POOL, 'missing'), { nil: undefined }),
    required: fc.array(fc.constantFrom(...POOL, 'missing'), { maxLength: 4 }),
    searchable: fc.array(fc.constantFrom(...POOL, 'missing'), { maxLength: 4 }),
  })
  .map(({ present, flags, display, required, searchable }) => {
    const { primaryDisplayProperty: _display, ...rest } = roastBatches;
    return {
      ...rest,
      properties: flags.filter((property) => present.includes(property.name)),
      requiredProperties: required,
      searchableProperties: searchable,
      ...(display === undefined ? {} : { primaryDisplayProperty: display }),
    };
  });

describe('referenceIssues and checkReferences', () => {
  it('reports exactly the references to no live property, and each required property no record could be written with', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const live = (name: string): PropertyDoc | undefined => doc.properties.find((property) => property.name === name && !property.archived);
        const expected: string[] = [];
        if (doc.primaryDisplayProperty !== undefined && !live(doc.primaryDisplayProperty)) expected.push(`primaryDisplayProperty ${doc.primaryDisplayProperty}`);
        doc.requiredProperties.forEach((name, at) => {
          const property = live(name);
          if (!property || property.readOnly || property.fieldType === 'calculation_equation') expected.push(`requiredProperties,${at} ${name}`);
        });
        doc.searchableProperties.forEach((name, at) => {
          if (!live(name)) expected.push(`searchableProperties,${at} ${name}`);
        });
        const issues = referenceIssues(doc);
        expect(issues.map((issue) => `${'path' in issue ? issue.path!.join(',') : ''} ${'property' in issue ? issue.property : ''}`)).toEqual(expected);
        expect(issues.every((issue) => issue.code === 'INVALID_ARGUMENT')).toBe(true);
        // checkReferences answers the same document when there is nothing to report, else refuses it whole.
        let refused: unknown;
        try {
          expect(checkReferences(doc)).toBe(doc);
        } catch (error) {
          refused = error;
        }
        expect(refused === undefined).toBe(expected.length === 0);
        if (refused !== undefined) expect((refused as CrmError).code).toBe('VALIDATION_ERROR');
      }),
    );
  });
});

// ---------------------------------------------------------------- defining and updating

const TARGETS = ['contacts', 'deals', 'tickets', 'calls', 'notes', 'meetings', '0-1', 'roast_batches'];
const ACTIVITIES = new Set(['calls', 'notes', 'meetings']);

describe('defineCustomObject', () => {
  it('stores each association target once, by name, and dates the last activity exactly when a target is an activity', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TARGETS), { maxLength: 6 }), (targets) => {
        const { doc } = defineCustomObject(empty, input({ associations: targets }), 10);
        const names = targets.map((target) => (target === '0-1' ? 'contacts' : target));
        expect(doc.associations).toEqual([...new Set(names)]);
        const dated = doc.properties.some((property) => property.name === 'hs_last_activity_date');
        expect(dated).toBe(names.some((name) => ACTIVITIES.has(name)));
      }),
    );
  });

  it('numbers custom types 2-1, 2-2, … in the order they are defined, whatever their names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z_]{2,12}$/), { minLength: 1, maxLength: 5 }), (suffixes) => {
        let schema = empty;
        for (const name of suffixes.map((suffix) => `my_${suffix}`)) {
          const { doc, nextCustomObjectNumber } = defineCustomObject(schema, input({ name }), 10);
          expect(doc.id).toBe(`2-${schema.doc.nextCustomObjectNumber}`);
          expect(nextCustomObjectNumber).toBe(schema.doc.nextCustomObjectNumber + 1);
          schema = schema.withObject(doc, nextCustomObjectNumber);
        }
        const ids = schema.models().filter((model) => model.doc.custom).map((model) => model.doc.id);
        expect(ids).toEqual(ids.map((_, at) => `2-${at + 1}`));
      }),
      { numRuns: 30 },
    );
  });
});

describe('updateObject and dedupChange', () => {
  const patchArb = fc.record(
    {
      labels: fc.constant({ singular: 'Batch', plural: 'Batches' }),
      primaryDisplayProperty: fc.constantFrom('batch_name', 'origin'),
      requiredProperties: fc.array(fc.constantFrom('batch_name', 'origin', 'weight'), { maxLength: 4 }),
      searchableProperties: fc.array(fc.constantFrom('batch_name', 'origin', 'weight', 'batch_code'), { maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

  it('changes only what the patch names, and stores its lists without repeats', () => {
    fc.assert(
      fc.property(patchArb, (patch) => {
        const next = updateObject(roastBatches, patch);
        expect(next.labels).toEqual(patch.labels ?? roastBatches.labels);
        expect(next.primaryDisplayProperty).toBe(patch.primaryDisplayProperty ?? roastBatches.primaryDisplayProperty);
        expect(next.requiredProperties).toEqual(patch.requiredProperties ? [...new Set(patch.requiredProperties)] : roastBatches.requiredProperties);
        expect(next.searchableProperties).toEqual(patch.searchableProperties ? [...new Set(patch.searchableProperties)] : roastBatches.searchableProperties);
        const { labels: _l, primaryDisplayProperty: _p, requiredProperties: _r, searchableProperties: _s, ...untouched } = next;
        const { labels: _l2, primaryDisplayProperty: _p2, requiredProperties: _r2, searchableProperties: _s2, ...before } = roastBatches;
        expect(untouched).toEqual(before);
      }),
    );
  });

  it('dedupChange: "on" or "off" only when the patch flips the switch', () => {
    for (const current of [true, false]) {
      for (const wanted of [true, false, undefined]) {
        const expected = wanted === undefined || wanted === current ? undefined : wanted ? 'on' : 'off';
        expect(dedupChange({ ...roastBatches, dedup: current }, wanted === undefined ? {} : { dedup: wanted }), `${current} → ${wanted}`).toBe(expected);
      }
    }
  });
});
