// crm.commerce's refusals: a missing or archived product or target (NOT_FOUND / ARCHIVED), a
// target that holds no line items, a negative price, `__proto__` as a key, malformed arguments.
// Each answers its code, names the culprit (in `details`, or an issue's `property`), and writes
// nothing; and any arguments at all either work or reject with a CrmError that changed nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, type Crm, type CrmRecord } from 'crmkit';
import { expectCrmError, testCrm } from '../helpers.js';

const DEAL = { dealname: 'Acme renewal', dealstage: 'appointmentscheduled' };

interface World {
  crm: Crm;
  snapshot: () => string;
  deal: CrmRecord;
  product: CrmRecord;
  archivedDeal: CrmRecord;
  archivedProduct: CrmRecord;
  contact: CrmRecord;
}

async function world(): Promise<World> {
  const { crm, storage } = await testCrm({ dealAmountFromLineItems: true });
  const deal = await crm.records.create('deals', DEAL);
  const product = await crm.records.create('products', { name: 'Seat', price: 100 });
  const archivedDeal = await crm.records.create('deals', { ...DEAL, dealname: 'Lost' });
  const archivedProduct = await crm.records.create('products', { name: 'Retired', price: 5 });
  await crm.records.archive('deals', archivedDeal.id);
  await crm.records.archive('products', archivedProduct.id);
  const contact = await crm.records.create('contacts', { email: 'ana@acme.com' });
  await crm.commerce.addLineItem(deal, product);
  return { crm, snapshot: () => JSON.stringify(storage.snapshot()), deal, product, archivedDeal, archivedProduct, contact };
}

/** Runs `call`, expects `code`, and that storage is as it was. */
async function refused<C extends 'VALIDATION_ERROR' | 'NOT_FOUND' | 'ARCHIVED' | 'UNKNOWN_OBJECT_TYPE'>(w: World, call: Promise<unknown>, code: C): Promise<CrmError<C>> {
  const before = w.snapshot();
  const error = await expectCrmError(call, code);
  expect(w.snapshot(), `${code} left a trace`).toBe(before);
  return error;
}

describe('addLineItem refuses', () => {
  it('a missing or archived target: NOT_FOUND / ARCHIVED naming it', async () => {
    const w = await world();
    const missing = await refused(w, w.crm.commerce.addLineItem({ objectType: 'deals', id: 'nope' }, w.product), 'NOT_FOUND');
    expect(missing.details).toEqual({ objectType: 'deals', id: 'nope' });
    const archived = await refused(w, w.crm.commerce.addLineItem(w.archivedDeal, w.product), 'ARCHIVED');
    expect(archived.details).toEqual({ objectType: 'deals', id: w.archivedDeal.id });
  });

  it('a missing or archived product: NOT_FOUND / ARCHIVED naming it', async () => {
    const w = await world();
    const missing = await refused(w, w.crm.commerce.addLineItem(w.deal, 'nope'), 'NOT_FOUND');
    expect(missing.details).toEqual({ objectType: 'products', id: 'nope' });
    const archived = await refused(w, w.crm.commerce.addLineItem(w.deal, w.archivedProduct), 'ARCHIVED');
    expect(archived.details).toEqual({ objectType: 'products', id: w.archivedProduct.id });
    // A purged product is missing.
    await w.crm.records.purge('products', w.archivedProduct.id);
    await refused(w, w.crm.commerce.addLineItem(w.deal, w.archivedProduct.id), 'NOT_FOUND');
  });

  it('a product reference to another type, and a target of a type that holds no line items', async () => {
    const w = await world();
    const product = await refused(w, w.crm.commerce.addLineItem(w.deal, w.contact), 'VALIDATION_ERROR');
    expect(product.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', property: 'product' }]);
    const target = await refused(w, w.crm.commerce.addLineItem(w.contact, w.product), 'VALIDATION_ERROR');
    expect(target.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', property: 'target' }]);
    const unknown = await refused(w, w.crm.commerce.addLineItem({ objectType: 'widgets', id: 'w1' }, w.product), 'UNKNOWN_OBJECT_TYPE');
    expect(unknown.details.objectType).toBe('widgets');
  });

  it('a negative price, from the overrides or the product: OUT_OF_RANGE naming price', async () => {
    const w = await world();
    const error = await refused(w, w.crm.commerce.addLineItem(w.deal, w.product, { price: -0.01 }), 'VALIDATION_ERROR');
    expect(error.details.issues).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'price', min: 0 }]);
    // A product cannot get a negative price in the first place, so no line item inherits one.
    const product = await refused(w, w.crm.records.create('products', { name: 'Refund', price: -5 }), 'VALIDATION_ERROR');
    expect(product.details.issues).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'price' }]);
    await refused(w, w.crm.records.update('products', w.product.id, { price: -1 }), 'VALIDATION_ERROR');
  });

  it('every bad override at once, each naming its property', async () => {
    const w = await world();
    const error = await refused(
      w,
      w.crm.commerce.addLineItem(w.deal, w.product, { quantity: 0, hs_discount_percentage: 120, amount: 5, nope: 1, name: '' }),
      'VALIDATION_ERROR',
    );
    expect(error.details.issues.map((issue) => [issue.code, issue.property]).sort()).toEqual(
      [
        ['OUT_OF_RANGE', 'quantity'],
        ['OUT_OF_RANGE', 'hs_discount_percentage'],
        ['READ_ONLY_VALUE', 'amount'],
        ['PROPERTY_DOESNT_EXIST', 'nope'],
        ['REQUIRED', 'name'],
      ].sort(),
    );
  });

  it('`__proto__` as a key: PROPERTY_DOESNT_EXIST naming it, and no prototype is touched', async () => {
    const w = await world();
    for (const overrides of [JSON.parse('{"__proto__": {"polluted": true}}'), JSON.parse('{"__proto__": 3, "quantity": 2}')]) {
      const error = await refused(w, w.crm.commerce.addLineItem(w.deal, w.product, overrides), 'VALIDATION_ERROR');
      expect(error.details.issues).toMatchObject([{ code: 'PROPERTY_DOESNT_EXIST', property: '__proto__' }]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A literal's __proto__ sets its prototype: not a plain properties object at all.
    const literal = await refused(w, w.crm.commerce.addLineItem(w.deal, w.product, { __proto__: { quantity: 2 } } as never), 'VALIDATION_ERROR');
    expect(literal.details.issues).toMatchObject([{ code: 'INVALID_PROPERTIES', property: 'overrides' }]);
  });

  it('malformed arguments, before anything is looked up', async () => {
    const w = await world();
    const cases: Array<[Promise<unknown>, string, string]> = [
      [w.crm.commerce.addLineItem('deal-1' as never, w.product), 'INVALID_ARGUMENT', 'target'],
      [w.crm.commerce.addLineItem(w.deal, 42 as never), 'INVALID_ARGUMENT', 'product'],
      [w.crm.commerce.addLineItem(w.deal, { objectType: 'products' } as never), 'INVALID_ARGUMENT', 'product'],
      [w.crm.commerce.addLineItem(w.deal, ''), 'INVALID_ID', 'id'],
      [w.crm.commerce.addLineItem(w.deal, w.product, [] as never), 'INVALID_PROPERTIES', 'overrides'],
      [w.crm.commerce.addLineItem(w.deal, w.product, 'x' as never), 'INVALID_PROPERTIES', 'overrides'],
      [w.crm.commerce.addLineItem(w.deal, w.product, {}, { source: { type: 'NOBODY' } } as never), 'INVALID_ARGUMENT', 'source.type'],
      [w.crm.commerce.copyLineItems(w.deal, null as never), 'INVALID_ARGUMENT', 'to'],
      [w.crm.commerce.lineItems(undefined as never), 'INVALID_ARGUMENT', 'record'],
    ];
    for (const [call, code, property] of cases) {
      const error = await refused(w, call, 'VALIDATION_ERROR');
      const [issue] = error.details.issues;
      expect(issue!.code).toBe(code);
      expect(issue!.property ?? issue!.path?.slice(1).join('.')).toBe(property);
    }
  });
});

describe('copyLineItems refuses', () => {
  it('a missing or archived record at either end, and an end that holds no line items', async () => {
    const w = await world();
    const quote = await w.crm.records.create('quotes', { hs_title: 'Q', hs_expiration_date: '2026-03-31' }, { associations: [{ to: w.deal }] });
    expect((await refused(w, w.crm.commerce.copyLineItems({ objectType: 'deals', id: 'nope' }, quote), 'NOT_FOUND')).details.id).toBe('nope');
    expect((await refused(w, w.crm.commerce.copyLineItems(w.deal, { objectType: 'quotes', id: 'nope' }), 'NOT_FOUND')).details.objectType).toBe('quotes');
    await refused(w, w.crm.commerce.copyLineItems(w.archivedDeal, quote), 'ARCHIVED');
    await refused(w, w.crm.commerce.copyLineItems(w.deal, w.archivedDeal), 'ARCHIVED');
    const from = await refused(w, w.crm.commerce.copyLineItems(w.contact, quote), 'VALIDATION_ERROR');
    expect(from.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', property: 'from' }]);
    const to = await refused(w, w.crm.commerce.copyLineItems(w.deal, w.product), 'VALIDATION_ERROR');
    expect(to.details.issues).toMatchObject([{ code: 'INVALID_ARGUMENT', property: 'to' }]);
  });
});

// ---------------------------------------------------------------- any arguments

const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withSparseArray: true }) },
  { weight: 1, arbitrary: fc.constantFrom('deals', 'products', 'line_items', '0-7', '__proto__', 'constructor', 'price', '', 'nope') },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -1, -0, 1e308, 'x'.repeat(70_000)) },
);
const anyProperties = fc.oneof(
  fc.dictionary(fc.constantFrom('name', 'price', 'quantity', 'discount', 'hs_discount_percentage', 'amount', 'hs_product_id', '__proto__', 'constructor', 'x'), anyValue),
  anyValue,
);
/** A record argument: one of the world's records (by name), a reference, or anything at all. */
const RECORDS = ['deal', 'product', 'archivedDeal', 'archivedProduct', 'contact'] as const;
const anyRecord = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RECORDS) },
  { weight: 1, arbitrary: fc.record({ objectType: fc.oneof(fc.constantFrom('deals', 'products', 'quotes', '0-3'), anyValue), id: fc.oneof(fc.constantFrom('nope'), anyValue) }) },
  { weight: 1, arbitrary: anyValue },
);
const resolve = (w: World, value: unknown): never => (typeof value === 'string' && (RECORDS as readonly string[]).includes(value) ? w[value as (typeof RECORDS)[number]] : value) as never;

describe('any arguments', () => {
  it('every commerce call works or rejects with a CrmError, and a rejected call changes nothing', async () => {
    const w = await world();
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const call = fc.oneof(
      fc.tuple(anyRecord, fc.oneof(anyRecord, anyValue), fc.option(anyProperties, { nil: undefined }), fc.option(anyValue, { nil: undefined })).map(
        ([target, product, overrides, options]) => ({ name: 'addLineItem', run: () => w.crm.commerce.addLineItem(resolve(w, target), resolve(w, product), overrides as never, options as never) }),
      ),
      fc.tuple(anyRecord, anyRecord, fc.option(anyValue, { nil: undefined })).map(([from, to, options]) => ({
        name: 'copyLineItems',
        run: () => w.crm.commerce.copyLineItems(resolve(w, from), resolve(w, to), options as never),
      })),
      anyRecord.map((record) => ({ name: 'lineItems', run: () => w.crm.commerce.lineItems(resolve(w, record)) })),
    );
    await fc.assert(
      fc.asyncProperty(call, async ({ name, run }) => {
        const before = w.snapshot();
        try {
          await run();
        } catch (error) {
          expect(error, `${name} threw ${String(error)}`).toBeInstanceOf(CrmError);
          expect((error as CrmError).message.length).toBeLessThan(5_000);
          expect(w.snapshot(), `${name} failed but left a trace`).toBe(before);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      }),
      { numRuns: 400 },
    );
  });
});
