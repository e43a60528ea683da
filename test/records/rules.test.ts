// The rules of record writes (src/records/rules.ts) as pure functions: what changes (a write that
// sets what is already there changes nothing, and applying only the effective changes gives the
// same record as applying them all), and how a write's properties are read against a real object
// model — every problem reported with its code, defaults filled, required properties checked.
// test/records/bad-input.test.ts shows the same rules through the public calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IssueList, MAX_LISTED_ISSUES, type ValidationIssue } from '../../src/errors.js';
import {
  applyChanges,
  checkNewRecord,
  checkUpdatedRecord,
  effectiveChanges,
  normaliseInput,
  recipeChanges,
  requestBodyIssue,
  sameValue,
  type Changes,
} from '../../src/records/rules.js';
import { SchemaState } from '../../src/schema/model.js';
import { fitNewRecord } from '../../src/records/pipeline-fit.js';
import type { Properties, PropertyValue } from '../../src/types.js';

const schema = SchemaState.load(0, undefined);
const contacts = schema.object('contacts');
const deals = schema.object('deals');

// ---------------------------------------------------------------- values and changes

/** Any stored value: strings, numbers, booleans, multi-selects, or cleared. */
const valueArb: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'A'),
  fc.integer({ min: -2, max: 2 }),
  fc.boolean(),
  fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }),
  fc.constant(null),
);
const NAMES = ['email', 'firstname', 'lastname', 'phone', 'hs_tags'];
/** Properties as stored: some of a few names, with any values but null (a cleared property is absent). */
const propertiesArb: fc.Arbitrary<Properties> = fc.dictionary(fc.constantFrom(...NAMES), valueArb.filter((value) => value !== null));
/** A write's changes: some of the same names, any values, null to clear. */
const changesArb: fc.Arbitrary<Changes> = fc.dictionary(fc.constantFrom(...NAMES), valueArb);

/** Two values are the same when they print the same, a missing value being a cleared one. */
const printsSame = (a: PropertyValue | undefined, b: PropertyValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

describe('sameValue', () => {
  it('is true exactly when two values print the same, no value and a cleared one alike', () => {
    fc.assert(
      fc.property(fc.option(valueArb, { nil: undefined }), fc.option(valueArb, { nil: undefined }), (a, b) => {
        expect(sameValue(a, b)).toBe(printsSame(a, b));
        expect(sameValue(a, b)).toBe(sameValue(b, a));
        expect(sameValue(a, a)).toBe(true);
      }),
    );
  });

  it('compares multi-selects element by element, in order, and never a value with one of another type', () => {
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue(['a'], 'a')).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue(false, null)).toBe(false);
    expect(sameValue('', null)).toBe(false);
    expect(sameValue(null, undefined)).toBe(true);
  });
});

describe('effectiveChanges and applyChanges', () => {
  it('keeps exactly the changes that set a different value', () => {
    fc.assert(
      fc.property(propertiesArb, changesArb, (current, changes) => {
        const effective = effectiveChanges(current, changes);
        const expected = Object.fromEntries(Object.entries(changes).filter(([name, value]) => !printsSame(current[name], value)));
        expect(effective).toEqual(expected);
        // Nothing left to change once they are applied.
        expect(effectiveChanges(applyChanges(current, effective, {}), changes)).toEqual({});
      }),
    );
  });

  it('applying only the effective changes gives the same properties as applying them all', () => {
    fc.assert(
      fc.property(propertiesArb, changesArb, (current, changes) => {
        expect(applyChanges(current, effectiveChanges(current, changes), {})).toEqual(applyChanges(current, changes, {}));
      }),
    );
  });

  it('sets each change, removes each cleared property, keeps the rest, and lets system values win; frozen, the input untouched', () => {
    fc.assert(
      fc.property(propertiesArb, changesArb, propertiesArb, (current, changes, system) => {
        const before = structuredClone(current);
        const next = applyChanges(current, changes, system);
        expect(Object.isFrozen(next)).toBe(true);
        expect(current).toEqual(before);
        for (const name of NAMES) {
          const expected = Object.hasOwn(system, name) ? system[name] : Object.hasOwn(changes, name) ? (changes[name] ?? undefined) : current[name];
          expect(Object.hasOwn(next, name), name).toBe(expected !== undefined);
          if (expected !== undefined) expect(next[name]).toEqual(expected);
        }
      }),
    );
  });

  it('an example: a new first name, a cleared phone, the same email', () => {
    const current = { email: 'ana@acme.com', firstname: 'Ana', phone: '+44 20 7946 0000' };
    const changes = { email: 'ana@acme.com', firstname: 'Ana María', phone: null };
    expect(effectiveChanges(current, changes)).toEqual({ firstname: 'Ana María', phone: null });
    expect(applyChanges(current, changes, { lastmodifieddate: '2026-01-02T00:00:00.000Z' })).toEqual({
      email: 'ana@acme.com',
      firstname: 'Ana María',
      lastmodifieddate: '2026-01-02T00:00:00.000Z',
    });
  });
});

describe('recipeChanges (what an immer recipe did)', () => {
  it('lists changed keys, clears deleted writable ones, and keeps read-only ones the recipe left out', () => {
    const before = { hs_object_id: '1', email: 'ana@acme.com', firstname: 'Ana', lastname: 'Díaz' };
    expect(recipeChanges(contacts, before, { email: 'ana@acme.com', firstname: 'Anna' })).toEqual({ firstname: 'Anna', lastname: null });
    expect(recipeChanges(contacts, before, { ...before })).toEqual({});
    // Changing a read-only value is passed on, to be refused like any write to it.
    expect(recipeChanges(contacts, before, { ...before, hs_object_id: '2' })).toEqual({ hs_object_id: '2' });
  });
});

// ---------------------------------------------------------------- reading a write's properties

/** Runs normaliseInput and answers its values and the issues it reported. */
function read(model = contacts, input: unknown, options: { index?: number; keepClears?: boolean; reserve?: string[] } = {}): { values: Changes | undefined; issues: ValidationIssue[]; count: number } {
  const issues = new IssueList();
  const values = normaliseInput(model, input, options.index, issues, options.keepClears ?? false, options.reserve);
  return { values, issues: issues.listed, count: issues.length };
}

describe('normaliseInput', () => {
  it('normalises every known, writable property and reports nothing', () => {
    const { values, issues } = read(contacts, { email: ' John@Orange.COM ', firstname: 'John', lastname: undefined });
    expect(issues).toEqual([]);
    expect({ ...values }).toEqual({ email: 'john@orange.com', firstname: 'John' });
  });

  it('reports every bad property at once: unknown (with a suggestion), read-only, invalid', () => {
    const { values, issues } = read(contacts, { fristname: 'John', hs_object_id: '7', num_associated_deals: 3, email: 'not an email', lastname: 'Doe' });
    expect(issues.map((issue) => [issue.code, issue.property])).toEqual([
      ['PROPERTY_DOESNT_EXIST', 'fristname'],
      ['READ_ONLY_VALUE', 'hs_object_id'],
      ['READ_ONLY_VALUE', 'num_associated_deals'],
      ['INVALID_EMAIL', 'email'],
    ]);
    expect(issues[0]).toMatchObject({ suggestion: 'firstname', message: 'Property "fristname" does not exist on contacts (did you mean "firstname"?)' });
    expect(issues[1]!.message).toBe('contacts.hs_object_id is read-only');
    // The good ones are still read, so a caller sees one answer for the whole write.
    expect({ ...values }).toEqual({ lastname: 'Doe' });
  });

  it('names a batch input by its index, in the issue and at the start of its message', () => {
    const { issues } = read(contacts, { fristname: 'John' }, { index: 3 });
    expect(issues[0]).toMatchObject({ code: 'PROPERTY_DOESNT_EXIST', index: 3 });
    expect(issues[0]!.message.startsWith('input 3: ')).toBe(true);
  });

  it('refuses what is not an object of properties, and says so when it is HubSpot’s request body', () => {
    for (const input of [null, 'ana@acme.com', ['email'], 42]) {
      const { values, issues } = read(contacts, input);
      expect(values).toBeUndefined();
      expect(issues.map((issue) => issue.code)).toEqual(['INVALID_PROPERTIES']);
    }
    const wrapped = read(contacts, { properties: { email: 'ana@acme.com' }, associations: [] });
    expect(wrapped.values).toBeUndefined();
    expect(wrapped.issues[0]).toMatchObject({ code: 'INVALID_PROPERTIES', property: 'properties' });
    expect(wrapped.issues[0]!.message).toContain("pass { email }, not { properties: { email } }");
    expect(wrapped.issues[0]!.message).toContain('associations go in the options');
    expect(requestBodyIssue(contacts, { properties: 'x' }, undefined)).toBeUndefined();
  });

  it('drops clears on a create and keeps them (as null) on an update', () => {
    expect({ ...read(contacts, { firstname: '', lastname: 'Doe' }).values }).toEqual({ lastname: 'Doe' });
    expect({ ...read(contacts, { firstname: '', lastname: null }, { keepClears: true }).values }).toEqual({ firstname: null, lastname: null });
  });

  it('holds a slot for each reserved name, for the caller to fill', () => {
    const { values } = read(contacts, { firstname: 'Ana' }, { reserve: ['hs_object_id', 'createdate'] });
    expect(Object.keys(values!)).toEqual(['hs_object_id', 'createdate', 'firstname']);
    expect(values!.hs_object_id).toBeNull();
  });

  it('over any mix of good and bad properties, in any order: one issue per bad one, in input order, and every good one read', () => {
    // Each entry: a property name, a value, and what the rule must make of it (undefined: a good value, kept).
    const ENTRIES: ReadonlyArray<readonly [string, unknown, string | undefined]> = [
      ['firstname', 'Ana', undefined],
      ['lastname', 'Díaz', undefined],
      ['city', 'Lisbon', undefined],
      ['hs_email_optout', true, undefined],
      ['jobtitle', undefined, 'skipped'],
      ['fristname', 'Ana', 'PROPERTY_DOESNT_EXIST'],
      ['shoe_size', 42, 'PROPERTY_DOESNT_EXIST'],
      ['hs_object_id', '7', 'READ_ONLY_VALUE'],
      ['createdate', '2026-01-01', 'READ_ONLY_VALUE'],
      ['num_associated_deals', 2, 'READ_ONLY_VALUE'],
      ['email', 'not an email', 'INVALID_EMAIL'],
      ['date_of_birth', 'yesterday', 'INVALID_DATE'],
      ['hs_email_optout', 'maybe', 'INVALID_BOOLEAN'],
    ];
    const entriesArb = fc.uniqueArray(fc.constantFrom(...ENTRIES), { selector: ([name]) => name, maxLength: ENTRIES.length }).chain((picked) => fc.shuffledSubarray(picked, { minLength: picked.length }));
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const { values, issues } = read(contacts, Object.fromEntries(entries.map(([name, value]) => [name, value])));
        const bad = entries.filter(([, , outcome]) => outcome !== undefined && outcome !== 'skipped');
        expect(issues.map((issue) => [issue.code, 'property' in issue ? issue.property : undefined])).toEqual(bad.map(([name, , code]) => [code, name]));
        expect({ ...values }).toEqual(Object.fromEntries(entries.filter(([, , outcome]) => outcome === undefined).map(([name, value]) => [name, value])));
      }),
    );
  });

  it('counts every problem, but lists no more than the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_LISTED_ISSUES + 30 }), (bad) => {
        const input = Object.fromEntries(Array.from({ length: bad }, (_, n) => [`unknown_${n}`, 'x']));
        const { issues, count } = read(contacts, { ...input, firstname: 'Ana' });
        expect(count).toBe(bad);
        expect(issues).toHaveLength(Math.min(bad, MAX_LISTED_ISSUES));
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------- new and updated records

/** Reads a new record's input and checks it as a create does: its values and every issue's code and property. */
function create(model: typeof contacts, input: Record<string, unknown>): { values: Changes; issues: Array<[string, string | undefined]> } {
  const issues = new IssueList();
  const values = normaliseInput(model, input, undefined, issues, false)!;
  checkNewRecord(model, values, input, undefined, issues);
  fitNewRecord(model, values, input, undefined, issues);
  return { values, issues: issues.listed.map((issue) => [issue.code, 'property' in issue ? (issue.property as string | undefined) : undefined]) };
}

describe('checkNewRecord', () => {
  it('fills the default pipeline when the input names none', () => {
    expect(create(deals, { dealname: 'Roastery', dealstage: 'appointmentscheduled' }).values.pipeline).toBe('default');
    expect(create(deals, { dealname: 'Roastery', dealstage: 'appointmentscheduled', pipeline: 'default' }).issues).toEqual([]);
  });

  it('reports each missing required property, and a contact with none of email, first or last name', () => {
    expect(create(deals, { amount: 10 }).issues).toEqual([
      ['REQUIRED', 'dealname'],
      ['REQUIRED', 'dealstage'],
    ]);
    const contact = new IssueList();
    checkNewRecord(contacts, {}, { phone: '+1 555 0100' }, 2, contact);
    expect(contact.listed).toEqual([{ code: 'REQUIRED', index: 2, oneOf: ['email', 'firstname', 'lastname'], message: 'input 2: a contact needs at least one of email, firstname, lastname' }]);
    expect(create(contacts, { lastname: 'Doe' }).issues).toEqual([]);
  });

  it('counts a required property given but refused as given: its own issue says what is wrong', () => {
    expect(create(deals, { dealname: 'Roastery', dealstage: 'no_such_stage' }).issues).toEqual([['INVALID_OPTION', 'dealstage']]);
    expect(create(contacts, { email: 'not an email' }).issues).toEqual([['INVALID_EMAIL', 'email']]);
  });

  it('an empty value is no value: it does not satisfy a required property', () => {
    expect(create(deals, { dealname: '', dealstage: 'appointmentscheduled' }).issues).toEqual([['REQUIRED', 'dealname']]);
    expect(create(contacts, { email: '', firstname: [] }).issues.map(([code]) => code)).toContain('REQUIRED');
  });
});

describe('checkUpdatedRecord', () => {
  const check = (model: typeof contacts, current: Properties, changes: Changes): string[] => {
    const issues = new IssueList();
    checkUpdatedRecord(model, current, changes, issues);
    return issues.listed.map((issue) => issue.message);
  };

  it('refuses clearing a required property', () => {
    expect(check(deals, { dealname: 'Roastery', dealstage: 'appointmentscheduled' }, { dealname: null })).toEqual(['deals.dealname is required and cannot be cleared']);
    expect(check(deals, { dealname: 'Roastery' }, { dealname: 'Roasters', amount: null })).toEqual([]);
  });

  it('refuses clearing the last of a "one of" group, whether the others are cleared now or were never set', () => {
    const ana = { email: 'ana@acme.com', firstname: 'Ana' };
    expect(check(contacts, ana, { email: null })).toEqual([]);
    expect(check(contacts, ana, { email: null, firstname: null })).toEqual(['a contact needs at least one of email, firstname, lastname']);
    expect(check(contacts, { email: 'ana@acme.com' }, { email: null })).toHaveLength(1);
    // Clearing one while setting another keeps the group satisfied.
    expect(check(contacts, { email: 'ana@acme.com' }, { email: null, lastname: 'Díaz' })).toEqual([]);
  });

  it('over any current values and changes, refuses exactly when none of email, first and last name would remain', () => {
    const group = ['email', 'firstname', 'lastname'];
    const someArb = fc.dictionary(fc.constantFrom(...group), fc.constant('x'));
    const changeArb = fc.dictionary(fc.constantFrom(...group), fc.constantFrom<PropertyValue>('y', null));
    fc.assert(
      fc.property(someArb, changeArb, (current, changes) => {
        const after = { ...current, ...changes };
        const remains = group.some((name) => after[name] !== null && after[name] !== undefined);
        const clears = group.some((name) => changes[name] === null);
        expect(check(contacts, current, changes).length > 0).toBe(clears && !remains);
      }),
    );
  });
});
