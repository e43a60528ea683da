// The commerce value rules (src/records/line-item-rules.ts) and a line item's net amount
// (src/derived/line-items.ts) as pure functions, against an oracle written from the issue's
// words: price ≥ 0, quantity > 0, a unit discount from 0 to the price or a percentage from 0 to
// 100 (not both), amount = quantity × (price − discount) or quantity × price × (1 − percentage /
// 100), rounded to cents. test/commerce/line-items.test.ts shows the same through the calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IssueList } from '../../src/errors.js';
import { checkCommerceValues } from '../../src/records/line-item-rules.js';
import { lineItemValues, movesLineItem, netAmount, roundToCents } from '../../src/derived/line-items.js';
import type { Changes } from '../../src/records/rules.js';
import { docFromSpec, SchemaState, withCatalogueAdditions } from '../../src/schema/model.js';
import { STANDARD_OBJECTS } from '../../src/schema/catalogue/index.js';
import type { Properties } from '../../src/types.js';

const schema = SchemaState.load(0, undefined);
const lineItems = schema.object('line_items');
const products = schema.object('products');
const contacts = schema.object('contacts');

const PRICING = ['price', 'quantity', 'discount', 'hs_discount_percentage'] as const;

/** Numbers around every bound (negative, 0, inside, above 100), with cents and halves of a cent. */
const number = fc.oneof(
  fc.integer({ min: -3, max: 120 }),
  fc.integer({ min: -300, max: 12_000 }).map((cents) => cents / 100),
  fc.integer({ min: 0, max: 100_000 }).map((tenths) => tenths / 1_000),
  fc.constantFrom(0, 100, 0.005, 1.005, 1e300),
);
/** A stored line item's pricing: some of the four properties. */
const stored: fc.Arbitrary<Properties> = fc.record({ price: number, quantity: number, discount: number, hs_discount_percentage: number }, { requiredKeys: [] });
/** A write's pricing: some of the four, null clearing one. */
const write: fc.Arbitrary<Changes> = fc.record(
  { price: fc.option(number), quantity: fc.option(number), discount: fc.option(number), hs_discount_percentage: fc.option(number) },
  { requiredKeys: [] },
);

const issuesOf = (model = lineItems, before: Properties | undefined, changes: Changes): IssueList => {
  const issues = new IssueList();
  checkCommerceValues(model, before, changes, undefined, issues);
  return issues;
};

/** The issue's rules, as a reader would write them, over a whole line item. */
function valid(after: Properties): boolean {
  const { price, quantity, discount, hs_discount_percentage: percentage } = after as Record<string, number | undefined>;
  if (price !== undefined && price < 0) return false;
  if (quantity !== undefined && !(quantity > 0)) return false;
  if (discount !== undefined && (discount < 0 || (price !== undefined && discount > price))) return false;
  if (percentage !== undefined && (percentage < 0 || percentage > 100)) return false;
  if (discount !== undefined && percentage !== undefined) return false;
  const amount = netAmount(after);
  return amount === null || Number.isFinite(amount);
}

const apply = (before: Properties, changes: Changes): Properties => {
  const after: Properties = { ...before };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete after[name];
    else after[name] = value;
  }
  return after;
};

describe('checkCommerceValues on a new line item', () => {
  it('refuses exactly the line items the rules refuse', () => {
    fc.assert(
      fc.property(stored, (values) => {
        expect(issuesOf(lineItems, undefined, values as Changes).length === 0, JSON.stringify(values)).toBe(valid(values));
      }),
      { numRuns: 2_000 },
    );
  });

  it('names each broken rule with its code, property and bounds', () => {
    const issues = (values: Changes) => issuesOf(lineItems, undefined, values).listed;
    expect(issues({ price: -1 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'price', min: 0 }]);
    expect(issues({ quantity: 0 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'quantity', min: 0, minExclusive: true }]);
    expect(issues({ price: 10, discount: 11 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'discount', min: 0, max: 10 }]);
    expect(issues({ discount: -1 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'discount', min: 0 }]);
    expect(issues({ hs_discount_percentage: 100.5 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'hs_discount_percentage', min: 0, max: 100 }]);
    expect(issues({ discount: 1, hs_discount_percentage: 1 })).toMatchObject([{ code: 'CONFLICTING_VALUE', property: 'hs_discount_percentage', conflictsWith: 'discount' }]);
    expect(issues({ price: 1e300, quantity: 1e300 })).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'quantity' }]);
    // Every bound itself is allowed.
    expect(issues({ price: 0, quantity: 0.001, discount: 0 })).toEqual([]);
    expect(issues({ price: 10, discount: 10 })).toEqual([]);
    expect(issues({ hs_discount_percentage: 0 })).toEqual([]);
    expect(issues({ hs_discount_percentage: 100 })).toEqual([]);
  });

  it('numbers a batch input in its issues', () => {
    const issues = new IssueList();
    checkCommerceValues(lineItems, undefined, { price: -1 }, 4, issues);
    expect(issues.listed).toMatchObject([{ index: 4, message: expect.stringMatching(/^input 4: /) }]);
  });
});

describe('checkCommerceValues on a write to a stored line item', () => {
  it('an accepted write to a line item that kept the rules leaves one that keeps them', () => {
    fc.assert(
      fc.property(stored.filter(valid), write, (before, changes) => {
        if (issuesOf(lineItems, before, changes).length === 0) expect(valid(apply(before, changes)), JSON.stringify([before, changes])).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a write that breaks the rules is refused, naming a property it set', () => {
    fc.assert(
      fc.property(stored.filter(valid), write, (before, changes) => {
        const issues = issuesOf(lineItems, before, changes);
        if (valid(apply(before, changes))) expect(issues.length).toBe(0);
        for (const issue of issues.listed) expect(Object.keys(changes)).toContain(issue.property);
      }),
      { numRuns: 2_000 },
    );
  });

  it('judges only rules the write touches: a record stored before a rule existed can be edited elsewhere', () => {
    const old: Properties = { price: -5, quantity: 0, discount: 3, hs_discount_percentage: 200 };
    expect(issuesOf(lineItems, old, { name: 'Renamed' }).length).toBe(0);
    expect(issuesOf(lineItems, old, { price: 10 }).listed.map((issue) => issue.code)).toEqual([]);
    expect(issuesOf(lineItems, old, { quantity: 0 }).listed).toMatchObject([{ property: 'quantity' }]);
  });

  it('a price lowered under the stored discount is the price’s issue; clearing the discount in the same write is fine', () => {
    expect(issuesOf(lineItems, { price: 10, discount: 5 }, { price: 4 }).listed).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'price', min: 5 }]);
    expect(issuesOf(lineItems, { price: 10, discount: 5 }, { price: 4, discount: null }).length).toBe(0);
    expect(issuesOf(lineItems, { discount: 5 }, { hs_discount_percentage: 10 }).listed).toMatchObject([{ code: 'CONFLICTING_VALUE', property: 'hs_discount_percentage' }]);
    expect(issuesOf(lineItems, { discount: 5 }, { hs_discount_percentage: 10, discount: null }).length).toBe(0);
  });
});

describe('checkCommerceValues on other types', () => {
  it("a product's price is at least 0; its other values, and other types, are not commerce's", () => {
    expect(issuesOf(products, undefined, { name: 'Seat', price: -0.01 }).listed).toMatchObject([{ code: 'OUT_OF_RANGE', property: 'price', min: 0 }]);
    expect(issuesOf(products, undefined, { name: 'Seat', price: 0, quantity: -1 }).length).toBe(0);
    expect(issuesOf(contacts, undefined, { price: -1, quantity: -1 }).length).toBe(0);
  });
});

describe('netAmount and roundToCents', () => {
  it('rounds a decimal value half away from zero to cents, whatever its binary error', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (milli) => {
        // milli / 1000 has three decimals: the cents are the decimal rounding of milli / 10.
        const sign = milli < 0 ? -1 : 1;
        const whole = Math.abs(milli);
        const cents = Math.floor(whole / 10) + (whole % 10 >= 5 ? 1 : 0);
        expect(roundToCents(milli / 1000)).toBe(sign * cents === 0 ? 0 : (sign * cents) / 100);
      }),
      { numRuns: 2_000 },
    );
    expect(roundToCents(1.005)).toBe(1.01);
    expect(roundToCents(0.1 + 0.2)).toBe(0.3);
    expect(Object.is(roundToCents(-0.001), 0)).toBe(true);
    expect(roundToCents(1e-9)).toBe(0);
    expect(roundToCents(1e22)).toBe(1e22);
  });

  it('is idempotent, and leaves at most two decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (value) => {
        const rounded = roundToCents(value);
        expect(roundToCents(rounded)).toBe(rounded);
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.005 + Math.abs(value) * 1e-15);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is the issue’s formula, and none without a price and a quantity', () => {
    fc.assert(
      fc.property(stored.filter(valid), (values) => {
        const { price, quantity, discount, hs_discount_percentage: percentage } = values as Record<string, number | undefined>;
        const expected =
          price === undefined || quantity === undefined
            ? null
            : roundToCents(discount !== undefined ? quantity * (price - discount) : percentage !== undefined ? quantity * price * (1 - percentage / 100) : quantity * price);
        expect(netAmount(values)).toBe(expected);
        if (expected !== null) expect(expected).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1_000 },
    );
  });

  it('lineItemValues answers the amount only where it differs; movesLineItem names the pricing', () => {
    expect(lineItemValues(lineItems, { price: 10, quantity: 2 })).toEqual({ amount: 20 });
    expect(lineItemValues(lineItems, { price: 10, quantity: 2, amount: 20 })).toEqual({});
    expect(lineItemValues(lineItems, { quantity: 2, amount: 20 })).toEqual({ amount: null });
    expect(lineItemValues(products, { price: 10, quantity: 2 })).toEqual({});
    for (const name of PRICING) expect(movesLineItem(lineItems, { [name]: 1 })).toBe(true);
    expect(movesLineItem(lineItems, { name: 'x', amount: 1 })).toBe(false);
    expect(movesLineItem(products, { price: 1 })).toBe(false);
  });
});

describe('a stored line items type from before', () => {
  it('gets the read-only amount on load, whatever its document says', () => {
    const spec = STANDARD_OBJECTS.find((object) => object.name === 'line_items')!;
    const shipped = docFromSpec(spec);
    const old = { ...shipped, properties: shipped.properties.map((property) => (property.name === 'amount' ? { ...property, readOnly: false } : property)) };
    const loaded = withCatalogueAdditions(old, spec);
    expect(loaded.properties.find((property) => property.name === 'amount')?.readOnly).toBe(true);
    expect(loaded.properties.filter((property) => property.readOnly).map((property) => property.name)).toEqual(
      shipped.properties.filter((property) => property.readOnly).map((property) => property.name),
    );
    // A document that already agrees is kept as it is.
    expect(withCatalogueAdditions(shipped, spec)).toBe(shipped);
  });
});
