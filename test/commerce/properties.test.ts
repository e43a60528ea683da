// crm.commerce over random sequences of calls (fast-check): products, line items added with any
// overrides, edits of either, archives, restores and purges of products and line items, and
// detaching. Whatever the sequence: a line item and a product never alias each other (a call on
// one never changes the other; a product's archive or purge leaves its line items as they were,
// hs_product_id included), every line item keeps the value rules and its amount is its net
// price, a refused call changes nothing in storage, and with dealAmountFromLineItems a deal with
// line items holds their sum.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrmError, type Crm, type CrmRecord, type PropertiesInput } from 'crmkit';
import { netAmount, roundToCents } from '../../src/derived/line-items.js';
import { testCrm } from '../helpers.js';

const DEAL = { dealname: 'Deal', dealstage: 'appointmentscheduled' };

/** Numbers around every bound, and some that are not numbers at all. */
const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 500 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 50_000 }).map((cents) => cents / 100) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, -0.01, 0, 100, 100.5, '12.5', 'ten', Number.NaN, null, '') },
);
const text = fc.oneof(fc.constantFrom('Seat', 'Support', 'Setup fee', '', null), fc.string({ maxLength: 8 }));

/** A key no line item or product takes, or one it takes read-only: each must be refused by name. */
const strayKey = fc.constantFrom('__proto__', 'amount', 'hs_object_id', 'createdate', 'nope', 'constructor');

/** Properties for a line item (overrides, edits) or a product: some of these, sometimes a stray key. */
function propertiesArb(names: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<PropertiesInput> {
  const stray = fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(strayKey, number) });
  return fc.tuple(fc.record(names, { requiredKeys: [] }), stray).map(([values, stray]) => {
    const input = { ...values } as PropertiesInput;
    // defineProperty, so that `__proto__` is a key of the input rather than its prototype.
    if (stray) Object.defineProperty(input, stray[0], { value: stray[1], enumerable: true, writable: true, configurable: true });
    return input;
  });
}
const lineItemInput = propertiesArb({ name: text, price: number, quantity: number, discount: number, hs_discount_percentage: number, description: text });
const productInput = propertiesArb({ name: text, price: number, description: text, hs_sku: text });

/** One call, by the index of the record it names (taken modulo how many there are). */
type Op =
  | { kind: 'addProduct'; input: PropertiesInput }
  | { kind: 'addLineItem'; deal: number; product: number; overrides: PropertiesInput | undefined }
  | { kind: 'updateLineItem'; item: number; patch: PropertiesInput }
  | { kind: 'updateProduct'; product: number; patch: PropertiesInput }
  | { kind: 'archiveProduct' | 'restoreProduct' | 'purgeProduct'; product: number }
  | { kind: 'archiveLineItem' | 'restoreLineItem' | 'purgeLineItem' | 'detachLineItem' | 'attachLineItem'; item: number; deal: number }
  | { kind: 'copyLineItems'; from: number; to: number };

const index = fc.nat(9);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: productInput.map((input): Op => ({ kind: 'addProduct', input })) },
  { weight: 5, arbitrary: fc.record({ deal: index, product: index, overrides: fc.option(lineItemInput, { nil: undefined }) }).map((op): Op => ({ kind: 'addLineItem', ...op })) },
  { weight: 4, arbitrary: fc.record({ item: index, patch: lineItemInput }).map((op): Op => ({ kind: 'updateLineItem', ...op })) },
  { weight: 3, arbitrary: fc.record({ product: index, patch: productInput }).map((op): Op => ({ kind: 'updateProduct', ...op })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ kind: fc.constantFrom('archiveProduct', 'restoreProduct', 'purgeProduct'), product: index })
      .map((op) => op as Op),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ kind: fc.constantFrom('archiveLineItem', 'restoreLineItem', 'purgeLineItem', 'detachLineItem', 'attachLineItem'), item: index, deal: index })
      .map((op) => op as Op),
  },
  { weight: 1, arbitrary: fc.record({ from: index, to: index }).map((op): Op => ({ kind: 'copyLineItems', ...op })) },
);

interface World {
  crm: Crm;
  snapshot: () => string;
  deals: CrmRecord[];
  products: string[];
  items: string[];
}

async function world(dealAmountFromLineItems: boolean): Promise<World> {
  const { crm, storage } = await testCrm({ dealAmountFromLineItems });
  const deals = [
    await crm.records.create('deals', { ...DEAL, amount: 1_000 }),
    await crm.records.create('deals', { ...DEAL, dealname: 'Other' }),
  ];
  const products = [(await crm.records.create('products', { name: 'Seat', price: 100 })).id];
  return { crm, snapshot: () => JSON.stringify(storage.snapshot()), deals, products, items: [] };
}

const pick = <T>(list: readonly T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length]);

/** Runs one call; answers the ids of the records the call is about (whose values may change). */
async function run(w: World, op: Op): Promise<{ touched: Set<string> }> {
  const { crm } = w;
  const touched = new Set<string>();
  const item = 'item' in op ? pick(w.items, op.item) : undefined;
  const product = 'product' in op ? pick(w.products, op.product) : undefined;
  const deal = 'deal' in op ? pick(w.deals, op.deal)! : undefined;
  switch (op.kind) {
    case 'addProduct':
      w.products.push((await crm.records.create('products', op.input)).id);
      return { touched };
    case 'addLineItem': {
      if (product === undefined) return { touched };
      const made = await crm.commerce.addLineItem(deal!, product, op.overrides);
      expect(made.properties.hs_product_id).toBe(product);
      w.items.push(made.id);
      return { touched };
    }
    case 'copyLineItems': {
      const clones = await crm.commerce.copyLineItems(pick(w.deals, op.from)!, pick(w.deals, op.to)!);
      w.items.push(...clones.map((clone) => clone.id));
      return { touched };
    }
    case 'updateLineItem':
    case 'archiveLineItem':
    case 'restoreLineItem':
    case 'purgeLineItem':
    case 'detachLineItem':
    case 'attachLineItem':
      if (item === undefined) return { touched };
      touched.add(item);
      if (op.kind === 'updateLineItem') await crm.records.update('line_items', item, op.patch);
      else if (op.kind === 'archiveLineItem') await crm.records.archive('line_items', item);
      else if (op.kind === 'restoreLineItem') await crm.records.restore('line_items', item);
      else if (op.kind === 'purgeLineItem') await crm.records.purge('line_items', item);
      else if (op.kind === 'detachLineItem') await crm.associations.remove({ objectType: 'line_items', id: item }, deal!);
      else await crm.associations.associate({ objectType: 'line_items', id: item }, deal!);
      return { touched };
    default:
      if (product === undefined) return { touched };
      touched.add(product);
      if (op.kind === 'updateProduct') await crm.records.update('products', product, op.patch);
      else if (op.kind === 'archiveProduct') await crm.records.archive('products', product);
      else if (op.kind === 'restoreProduct') await crm.records.restore('products', product);
      else await crm.records.purge('products', product);
      return { touched };
  }
}

/** Every line item and product, archived ones included, by id (purged ones absent). */
async function records(w: World): Promise<Map<string, CrmRecord>> {
  const all = new Map<string, CrmRecord>();
  for (const type of ['line_items', 'products']) {
    for (const record of (await w.crm.records.list(type, { archived: true, limit: 1_000 })).results) all.set(record.id, record);
  }
  return all;
}

describe('products and line items never alias', () => {
  it('a call on one record never changes another; a refused call changes nothing; line items keep the rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        const w = await world(false);
        for (const op of ops) {
          const before = await records(w);
          const snapshot = w.snapshot();
          let touched: Set<string> | undefined;
          try {
            ({ touched } = await run(w, op));
          } catch (error) {
            expect(error, JSON.stringify(op)).toBeInstanceOf(CrmError);
            expect(w.snapshot(), `refused ${op.kind} left a trace`).toBe(snapshot);
            continue;
          }
          const after = await records(w);
          for (const [id, record] of before) {
            // Only the record the call was about may change (or go, when purged).
            if (touched.has(id)) continue;
            expect(after.get(id), `${op.kind} changed ${record.objectType} ${id}`).toEqual(record);
          }
          for (const record of after.values()) {
            if (record.objectType !== 'line_items') continue;
            const { price, quantity, discount, hs_discount_percentage: percentage } = record.properties as Record<string, number | undefined>;
            if (price !== undefined) expect(price).toBeGreaterThanOrEqual(0);
            if (quantity !== undefined) expect(quantity).toBeGreaterThan(0);
            if (discount !== undefined) {
              expect(percentage).toBeUndefined();
              expect(discount).toBeGreaterThanOrEqual(0);
              if (price !== undefined) expect(discount).toBeLessThanOrEqual(price);
            }
            if (percentage !== undefined) expect(percentage >= 0 && percentage <= 100).toBe(true);
            expect(record.properties.amount ?? null).toBe(netAmount(record.properties));
            expect(typeof record.properties.hs_product_id === 'string' || record.properties.hs_product_id === undefined).toBe(true);
          }
        }
        // The line items made from a product keep its id whatever became of the product.
        const all = await records(w);
        for (const id of w.items) {
          const item = all.get(id);
          if (item) expect(typeof item.properties.hs_product_id).toBe('string');
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('dealAmountFromLineItems', () => {
  it("a deal with live line items always holds their sum; a refused call changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        const w = await world(true);
        for (const op of ops) {
          const snapshot = w.snapshot();
          try {
            await run(w, op);
          } catch (error) {
            expect(error, JSON.stringify(op)).toBeInstanceOf(CrmError);
            expect(w.snapshot(), `refused ${op.kind} left a trace`).toBe(snapshot);
            continue;
          }
          for (const deal of w.deals) {
            const items = await w.crm.commerce.lineItems(deal);
            if (items.length === 0) continue;
            const sum = roundToCents(items.reduce((total, item) => total + ((item.properties.amount as number | undefined) ?? 0), 0));
            expect((await w.crm.records.get('deals', deal.id))!.properties.amount, `after ${op.kind}`).toBe(sum);
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
