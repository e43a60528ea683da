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
const anyType = fc.oneof(fc.constantFrom('contacts', 'companies', 'deals', '0-1', 'services', 'nope'), anyValue);

type Call = { name: string; run: (crm: Crm, ids: string[]) => Promise<unknown> };

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
);

describe('any call with any arguments', () => {
  it('works or rejects with a CrmError, and a rejected call changes nothing', async () => {
    const { crm, storage } = await testCrm();
    const seed = await crm.records.create('contacts', { email: 'seed@example.com', firstname: 'Seed' });
    const ids = [seed.id];
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
