// Bad input is part of the interface: any call with any arguments either works or rejects with
// a CrmError, and a call that rejects changes nothing. fast-check throws arbitrary values
// (objects with __proto__ keys, huge strings, NaN, symbols, nested arrays) at every call.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, type Crm } from 'crmkit';
import { testCrm } from './helpers.js';

/** Values a caller might pass by mistake, plus plausible ones so some calls get further. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }) },
  { weight: 1, arbitrary: fc.constantFrom('contacts', 'companies', '0-1', 'email', 'firstname', 'lifecyclestage', 'hs_object_id', '__proto__', 'constructor', '') },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -0, 1e308, 'x'.repeat(70_000)) },
);
const anyProperties = fc.oneof(
  fc.dictionary(fc.constantFrom('email', 'firstname', 'lifecyclestage', 'hs_object_id', '__proto__', 'constructor', 'domain', 'x'), anyValue),
  anyValue,
);
/** The types of the records the test seeds, by index. */
const SEED_TYPES = ['contacts', 'contacts', 'companies', 'deals'];
const anyType = fc.oneof(fc.constantFrom('contacts', 'companies', 'deals', '0-1', 'services', 'nope'), anyValue);

/** A record argument: one of the seeded records (by index), a reference to one, or anything at all. */
const anyRecord = fc.oneof(
  { weight: 3, arbitrary: fc.nat(3) },
  { weight: 1, arbitrary: fc.record({ objectType: anyType, id: fc.oneof(fc.constantFrom('id-1', 'id-2', 'nope'), anyValue) }) },
  { weight: 1, arbitrary: anyValue },
);
const anyLabels = fc.oneof(fc.array(fc.constantFrom('primary', 'decision_maker', 'nope', ''), { maxLength: 3 }), anyValue);

type Call = { name: string; run: (crm: Crm, ids: string[]) => Promise<unknown> };

/** The seeded record at `value` when it is an index, else `value` itself. */
const ref = (value: unknown, ids: string[]): never => (typeof value === 'number' ? { objectType: SEED_TYPES[value]!, id: ids[value]! } : value) as never;

const isPair = (value: unknown): value is { from: unknown; to: unknown } => typeof value === 'object' && value !== null && 'from' in value && 'to' in value;

/** Names the call and its arguments in a counterexample. */
const named = (name: string, args: unknown[], run: Call['run']): Call => ({ name: `${name}(${args.map((arg) => fc.stringify(arg).slice(0, 300)).join(', ')})`, run });

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(anyType, anyProperties, anyValue).map(([type, properties, options]) =>
    named('create', [type, properties, options], (crm) => crm.records.create(type as string, properties as never, options as never)),
  ),
  fc.tuple(anyType, fc.oneof(fc.array(anyProperties, { maxLength: 3 }), anyValue)).map(([type, inputs]) =>
    named('createMany', [type, inputs], (crm) => crm.records.createMany(type as string, inputs as never)),
  ),
  fc.tuple(anyType, fc.option(anyValue), anyProperties).map(([type, id, patch]) =>
    named('update', [type, id, patch], (crm, ids) => crm.records.update(type as string, (id ?? ids[0]) as string, patch as never)),
  ),
  fc.tuple(anyType, anyProperties, anyValue).map(([type, properties, options]) =>
    named('upsert', [type, properties, options], (crm) => crm.records.upsert(type as string, properties as never, options as never)),
  ),
  fc.tuple(anyType, anyValue, anyValue).map(([type, property, value]) =>
    named('getBy', [type, property, value], (crm) => crm.records.getBy(type as string, property as string, value as never)),
  ),
  fc.tuple(anyType, anyValue).map(([type, options]) => named('list', [type, options], (crm) => crm.records.list(type as string, options as never))),
  fc.tuple(fc.constantFrom('archive', 'restore', 'purge', 'get') as fc.Arbitrary<'archive' | 'restore' | 'purge' | 'get'>, anyType, fc.option(anyValue)).map(
    ([name, type, id]) => named(name, [type, id], (crm, ids) => crm.records[name](type as string, (id ?? ids[0]) as string)),
  ),
  fc.tuple(anyType, anyValue).map(([type, definition]) =>
    named('defineProperty', [type, definition], (crm) => crm.schema.defineProperty(type as string, definition as never)),
  ),
  fc.tuple(anyType, anyValue, anyValue).map(([type, name, patch]) =>
    named('updateProperty', [type, name, patch], (crm) => crm.schema.updateProperty(type as string, name as string, patch as never)),
  ),
  fc.tuple(anyType, anyValue).map(([type, patch]) => named('updateObject', [type, patch], (crm) => crm.schema.updateObject(type as string, patch as never))),
  fc.tuple(anyType, anyValue).map(([type, labels]) => named('renameObject', [type, labels], (crm) => crm.schema.renameObject(type as string, labels as never))),
  anyValue.map((definition) => named('defineObject', [definition], (crm) => crm.schema.defineObject(definition as never))),
  // Associations: records as values, references or the seeded records.
  fc.tuple(anyRecord, anyRecord, fc.option(anyLabels), anyValue).map(([a, b, labels, options]) =>
    named('associate', [a, b, labels, options], (crm, ids) => crm.associations.associate(ref(a, ids), ref(b, ids), (labels ?? undefined) as never, options as never)),
  ),
  fc.tuple(anyRecord, anyRecord, anyLabels, anyValue).map(([a, b, labels, options]) =>
    named('unlabel', [a, b, labels, options], (crm, ids) => crm.associations.unlabel(ref(a, ids), ref(b, ids), labels as never, options as never)),
  ),
  fc.tuple(anyRecord, anyRecord, anyValue).map(([a, b, options]) =>
    named('remove', [a, b, options], (crm, ids) => crm.associations.remove(ref(a, ids), ref(b, ids), options as never)),
  ),
  fc.tuple(anyRecord, anyRecord).map(([a, b]) => named('setPrimary', [a, b], (crm, ids) => crm.associations.setPrimary(ref(a, ids), ref(b, ids)))),
  fc.tuple(fc.oneof(fc.array(fc.record({ from: anyRecord, to: anyRecord, labels: anyLabels }), { maxLength: 3 }), anyValue), anyValue).map(([pairs, options]) =>
    named('associateMany', [pairs, options], (crm, ids) =>
      crm.associations.associateMany(
        (Array.isArray(pairs) ? pairs.map((pair: unknown) => (isPair(pair) ? { ...pair, from: ref(pair.from, ids), to: ref(pair.to, ids) } : pair)) : pairs) as never,
        options as never,
      ),
    ),
  ),
  fc.tuple(anyRecord, anyType, anyValue).map(([record, type, options]) =>
    named('associations.list', [record, type, options], (crm, ids) => crm.associations.list(ref(record, ids), type as string, options as never)),
  ),
  fc.tuple(anyRecord, anyValue).map(([record, options]) =>
    named('associations.history', [record, options], (crm, ids) => crm.associations.history(ref(record, ids), options as never)),
  ),
  fc.tuple(anyRecord, anyValue).map(([record, options]) => named('timeline', [record, options], (crm, ids) => crm.timeline(ref(record, ids), options as never))),
  anyValue.map((input) => named('createLabel', [input], (crm) => crm.associations.createLabel(input as never))),
  fc.record({ from: anyType, to: anyType, label: fc.oneof(fc.constantFrom('Decision maker', 'Primary', 'x'), anyValue), inverseLabel: fc.option(anyValue), limit: fc.option(anyValue) }).map(
    (input) => named('createLabel', [input], (crm) => crm.associations.createLabel(input as never)),
  ),
  fc.tuple(anyType, anyType, anyValue, anyValue).map(([from, to, name, patch]) =>
    named('updateLabel', [from, to, name, patch], (crm) => crm.associations.updateLabel(from as string, to as string, name as string, patch as never)),
  ),
  fc.tuple(anyType, anyType, anyValue).map(([from, to, name]) =>
    named('deleteLabel', [from, to, name], (crm) => crm.associations.deleteLabel(from as string, to as string, name as string)),
  ),
  fc.tuple(anyType, anyType, anyValue).map(([from, to, options]) =>
    named('defineAssociation', [from, to, options], (crm) => crm.schema.defineAssociation(from as string, to as string, options as never)),
  ),
  fc.tuple(anyType, fc.option(anyValue), fc.option(anyValue)).map(([type, a, b]) =>
    named('merge', [type, a, b], (crm, ids) => crm.records.merge(type as string, (a ?? ids[0]) as string, (b ?? ids[1]) as string)),
  ),
);

describe('any call with any arguments', () => {
  it('works or rejects with a CrmError, and a rejected call changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const seed = await crm.records.create('contacts', { email: 'seed@example.com', firstname: 'Seed' });
    const other = await crm.records.create('contacts', { email: 'other@example.com' });
    const company = await crm.records.create('companies', { domain: 'example.com' });
    const deal = await crm.records.create('deals', { dealname: 'Seed deal', dealstage: 'appointmentscheduled' });
    await crm.associations.createLabel({ from: 'deals', to: 'contacts', label: 'Decision maker', limit: 'one' });
    const ids = [seed.id, other.id, company.id, deal.id];
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    await fc.assert(
      fc.asyncProperty(call, async ({ name, run }) => {
        const before = JSON.stringify(storage.snapshot());
        try {
          await run(crm, ids);
        } catch (error) {
          expect(error, `${name} threw ${String(error)}`).toBeInstanceOf(CrmError);
          expect((error as CrmError).message.length, `${name}: message too long`).toBeLessThan(5_000);
          expect(JSON.stringify(storage.snapshot()), `${name} failed but left a trace`).toBe(before);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      }),
      { numRuns: 1_500 * Number(process.env.CRMKIT_FUZZ_SCALE ?? 1) },
    );
  });
});
