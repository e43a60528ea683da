// A line item's net amount: the one value a line item derives from its own properties. Like the
// stage-derived values (./stage.ts) it needs nothing but the record, so it is computed in the
// write that changes the pricing and stored with it (history keeps it under source CALCULATED).
// A deal's amount from its line items is association-fed instead: ./properties.ts.
import type { ObjectModel } from '../schema/model.js';
import type { Properties, PropertyValue } from '../types.js';

/** The object type whose records carry a net amount. */
export const LINE_ITEMS = 'line_items';

/** The property holding a line item's net amount (and a deal's amount). */
export const AMOUNT = 'amount';

/** The properties a line item's net amount is computed from. */
export const PRICING_PROPERTIES: readonly string[] = Object.freeze(['price', 'quantity', 'discount', 'hs_discount_percentage']);

/**
 * `value` rounded to cents, half away from zero on the decimal value as written: `value * 100`
 * carries binary rounding errors (1.005 * 100 is 100.49999999999999), so the decimal text is
 * shifted instead. Values whose text has an exponent (below 1e-6, from 1e21) are already either
 * far below a cent or whole.
 *
 * @example
 * roundToCents(1.005);               // 1.01
 * roundToCents(0.1 + 0.2);           // 0.3
 */
export function roundToCents(value: number): number {
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e2`));
  const rounded = Number(`${shifted}e-2`);
  // `-0` is stored as 0, like every number crmkit stores.
  return Number.isFinite(rounded) ? sign * rounded || 0 : sign * (Math.round(Math.abs(value) * 100) / 100) || 0;
}

/**
 * A line item's net amount from its pricing: quantity × (price − unit discount), or quantity ×
 * price × (1 − percentage / 100), rounded to cents; `null` without both a price and a quantity.
 * May be Infinity for absurd inputs: the line-item rules refuse those writes.
 *
 * @example
 * netAmount({ price: 100, quantity: 3, discount: 10 });               // 270
 * netAmount({ price: 100, quantity: 3, hs_discount_percentage: 15 }); // 255
 * netAmount({ quantity: 3 });                                         // null
 */
export function netAmount(properties: Readonly<Properties>): number | null {
  const { price, quantity, discount, hs_discount_percentage: percentage } = properties;
  if (typeof price !== 'number' || typeof quantity !== 'number') return null;
  if (typeof discount === 'number') return roundToCents(quantity * (price - discount));
  if (typeof percentage === 'number') return roundToCents(quantity * price * (1 - percentage / 100));
  return roundToCents(quantity * price);
}

/**
 * A line item's derived values where they differ from what `after` holds: `{ amount }`, or
 * nothing (also for every other object type).
 *
 * @example
 * lineItemValues(lineItems, { price: 10, quantity: 2 }); // { amount: 20 }
 * lineItemValues(lineItems, { price: 10, quantity: 2, amount: 20 }); // {}
 */
export function lineItemValues(model: ObjectModel, after: Readonly<Properties>): Record<string, PropertyValue> {
  if (model.name !== LINE_ITEMS || !model.properties.has(AMOUNT)) return {};
  const amount = netAmount(after);
  return (after[AMOUNT] ?? null) === amount ? {} : { [AMOUNT]: amount };
}

/**
 * Whether a write to these properties can move a record's net amount.
 *
 * @example
 * movesLineItem(lineItems, { quantity: 2 }); // true
 * movesLineItem(lineItems, { name: 'x' });   // false
 */
export function movesLineItem(model: ObjectModel, changed: Readonly<Record<string, unknown>>): boolean {
  return model.name === LINE_ITEMS && PRICING_PROPERTIES.some((name) => Object.hasOwn(changed, name));
}
