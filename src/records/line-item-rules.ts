// The commerce value rules, as one pure function over a write: a line item's price is at least 0,
// its quantity above 0, its unit discount between 0 and its price or its discount percentage
// between 0 and 100 (never both), and its net amount a finite number; a product's price is at
// least 0 (a product whose price no line item could take would be a trap). They hold on every
// write of such a record — create, createMany, update, upsert, merge — because the record
// service calls them where it checks every other value.
import type { IssueList, ValidationIssue } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import type { Properties, PropertyValue } from '../types.js';
import { LINE_ITEMS, netAmount } from '../derived/line-items.js';
import type { Changes } from './rules.js';

const PRODUCTS = 'products';

function prefix(index: number | undefined): string {
  return index === undefined ? '' : `input ${index}: `;
}

/** The value `name` has after the write: the write's own (null when it clears), else the stored one. */
function valueAfter(before: Readonly<Properties> | undefined, changes: Changes, name: string): PropertyValue {
  if (Object.hasOwn(changes, name)) return changes[name] ?? null;
  return before?.[name] ?? null;
}

function add(issues: IssueList, issue: () => ValidationIssue): void {
  if (issues.listing) issues.add(issue());
  else issues.countOnly();
}

/**
 * Checks a write of a line item or a product against the commerce value rules, adding an issue
 * per broken rule. `before` is the stored record's properties (undefined for a new record) and
 * `changes` the normalised values the write sets (null clears). Only rules that involve a
 * property the write sets are checked, so a record stored before a rule existed can still be
 * edited elsewhere; a value the normaliser refused is absent from `changes` and is not judged
 * again. Each issue names the property the write set: a price lowered under the stored discount
 * is the price's issue.
 *
 * @example
 * checkCommerceValues(lineItems, undefined, { name: 'Seat', price: -1, quantity: 1 }, undefined, issues);
 * // issues: [{ code: 'OUT_OF_RANGE', property: 'price', min: 0, … }]
 */
export function checkCommerceValues(
  model: ObjectModel,
  before: Readonly<Properties> | undefined,
  changes: Changes,
  index: number | undefined,
  issues: IssueList,
): void {
  if (model.name === PRODUCTS) {
    checkPrice(changes, index, issues);
    return;
  }
  if (model.name !== LINE_ITEMS) return;
  const at = index === undefined ? {} : { index };
  const sets = (name: string): boolean => Object.hasOwn(changes, name) && changes[name] !== null;
  checkPrice(changes, index, issues);

  const quantity = changes.quantity;
  if (sets('quantity') && typeof quantity === 'number' && !(quantity > 0)) {
    add(issues, () => ({ code: 'OUT_OF_RANGE', property: 'quantity', ...at, min: 0, minExclusive: true, message: `${prefix(index)}quantity must be above 0, got ${quantity}` }));
  }

  const price = valueAfter(before, changes, 'price');
  const discount = valueAfter(before, changes, 'discount');
  if (typeof discount === 'number' && (sets('discount') || sets('price'))) {
    if (discount < 0) {
      if (sets('discount')) add(issues, () => ({ code: 'OUT_OF_RANGE', property: 'discount', ...at, min: 0, message: `${prefix(index)}discount (a unit discount) must be at least 0, got ${discount}` }));
    } else if (typeof price === 'number' && price >= 0 && discount > price) {
      add(issues, () =>
        sets('discount')
          ? { code: 'OUT_OF_RANGE', property: 'discount', ...at, min: 0, max: price, message: `${prefix(index)}discount ${discount} is more than the unit price ${price} (a unit discount goes from 0 to the price)` }
          : { code: 'OUT_OF_RANGE', property: 'price', ...at, min: discount, message: `${prefix(index)}price ${price} is below the line item's unit discount ${discount}: lower or clear the discount in the same write` },
      );
    }
  }

  const percentage = changes.hs_discount_percentage;
  if (sets('hs_discount_percentage') && typeof percentage === 'number' && (percentage < 0 || percentage > 100)) {
    add(issues, () => ({
      code: 'OUT_OF_RANGE',
      property: 'hs_discount_percentage',
      ...at,
      min: 0,
      max: 100,
      message: `${prefix(index)}hs_discount_percentage must be from 0 to 100, got ${percentage}`,
    }));
  }

  if ((sets('discount') || sets('hs_discount_percentage')) && discount !== null && valueAfter(before, changes, 'hs_discount_percentage') !== null) {
    // The one the write set is at fault; when it set both, the percentage (listed second).
    const culprit = sets('hs_discount_percentage') ? 'hs_discount_percentage' : 'discount';
    const other = culprit === 'discount' ? 'hs_discount_percentage' : 'discount';
    add(issues, () => ({
      code: 'CONFLICTING_VALUE',
      property: culprit,
      ...at,
      conflictsWith: other,
      message: `${prefix(index)}a line item takes a unit discount or a discount percentage, not both: clear ${other} in the same write to set ${culprit}`,
    }));
  }

  // Absurd magnitudes (1e200 × 1e200) have no net amount a number can hold.
  if (['price', 'quantity', 'discount', 'hs_discount_percentage'].some(sets)) {
    const after: Properties = {};
    for (const name of ['price', 'quantity', 'discount', 'hs_discount_percentage']) {
      const value = valueAfter(before, changes, name);
      if (value !== null) after[name] = value;
    }
    const amount = netAmount(after);
    if (amount !== null && !Number.isFinite(amount)) {
      const culprit = ['quantity', 'price', 'discount', 'hs_discount_percentage'].find(sets)!;
      add(issues, () => ({ code: 'OUT_OF_RANGE', property: culprit, ...at, message: `${prefix(index)}${culprit}: the net amount (quantity × price, less discounts) would be too large to hold` }));
    }
  }
}

function checkPrice(changes: Changes, index: number | undefined, issues: IssueList): void {
  const price = changes.price;
  if (typeof price === 'number' && price < 0) {
    add(issues, () => ({ code: 'OUT_OF_RANGE', property: 'price', ...(index === undefined ? {} : { index }), min: 0, message: `${prefix(index)}price must be at least 0, got ${price}` }));
  }
}
