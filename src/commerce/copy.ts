// What a line item takes by copy: from a product (addLineItem) or from another line item
// (copyLineItems). Plain values only, read from the stored record: the new line item shares no
// object with its source, so no later edit of one can reach the other.
import type { ObjectModel } from '../schema/model.js';
import type { StoredRecord } from '../storage/types.js';
import type { PropertiesInput } from '../types.js';

/**
 * The product properties a new line item takes: the name, price and description, and
 * the other properties HubSpot ships on both products and line items (SKU, unit cost, billing
 * frequency, term). A product's own custom properties are not copied: nothing says a line item
 * has a property of that name, nor of that type.
 */
export const PRODUCT_PROPERTIES: readonly string[] = Object.freeze([
  'name',
  'price',
  'description',
  'hs_sku',
  'hs_cost_of_goods_sold',
  'recurringbillingfrequency',
  'hs_recurring_billing_period',
]);

/** The property naming the product a line item was made from. */
export const PRODUCT_ID = 'hs_product_id';

/** Whether `model` has `name` as a live, writable property. */
function takes(model: ObjectModel, name: string): boolean {
  const property = model.property(name);
  return property !== undefined && property.writable;
}

/**
 * A new line item's values from a product: each of {@link PRODUCT_PROPERTIES} the product holds
 * and the line item type takes (a product with no price gives a line item with none), and the
 * product's id.
 *
 * @example
 * productValues(products, lineItems, product); // { name: 'Seat', price: 100, hs_product_id: 'p1' }
 */
export function productValues(products: ObjectModel, lineItems: ObjectModel, product: StoredRecord): PropertiesInput {
  const values: PropertiesInput = {};
  for (const name of PRODUCT_PROPERTIES) {
    const value = product.properties[name];
    // An archived product property is hidden from its records: it is not copied either.
    if (value === undefined || products.property(name)?.doc.archived !== false || !takes(lineItems, name)) continue;
    values[name] = Array.isArray(value) ? [...value] : value;
  }
  if (takes(lineItems, PRODUCT_ID)) values[PRODUCT_ID] = product.id;
  return values;
}

/**
 * A clone's values: every live, writable property the line item holds (the engine's own, such
 * as its id, dates and net amount, are made afresh).
 *
 * @example
 * clonedValues(lineItems, item); // { name: 'Seat', price: 100, quantity: 3, hs_product_id: 'p1' }
 */
export function clonedValues(lineItems: ObjectModel, item: StoredRecord): PropertiesInput {
  const values: PropertiesInput = {};
  for (const name of Object.keys(item.properties)) {
    if (!takes(lineItems, name)) continue;
    const value = item.properties[name]!;
    values[name] = Array.isArray(value) ? [...value] : value;
  }
  return values;
}
