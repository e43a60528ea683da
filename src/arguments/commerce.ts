// The arguments of crm.commerce's calls, parsed once at the facade (src/crm.ts). Shapes only:
// whether the records exist, are of the right types and whether the override values are valid
// needs the schema and storage, and stays with the commerce service and the record rules.
import { describeValue, validationError } from '../errors.js';
import type { PropertiesInput } from '../types.js';
import { checkId } from './ids.js';
import { isPlainObject } from './options.js';
import type { RecordRef } from './refs.js';

/** The object type a bare product id names. */
const PRODUCTS = 'products';

/**
 * The product addLineItem copies: a record, `{ objectType, id }`, or a product's id. Which object
 * type a reference names is the service's to check.
 *
 * @example
 * parseProductRef('p1');                              // { objectType: 'products', id: 'p1' }
 * parseProductRef(product);                           // { objectType: 'products', id: product.id }
 * parseProductRef(42);                                // VALIDATION_ERROR: product must be a product record, { objectType, id } or a product id, got 42
 */
export function parseProductRef(value: unknown): RecordRef {
  if (typeof value === 'string') {
    checkId(value);
    return { objectType: PRODUCTS, id: value };
  }
  const ref = value as { objectType?: unknown; id?: unknown } | null;
  if (typeof ref !== 'object' || ref === null || typeof ref.objectType !== 'string' || typeof ref.id !== 'string') {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: 'product', message: `product must be a product record, { objectType, id } or a product id, got ${describeValue(value)}` },
    ]);
  }
  checkId(ref.id);
  return { objectType: ref.objectType, id: ref.id };
}

/**
 * addLineItem's overrides: a properties object (judged by the record rules with the product's
 * values), or none.
 *
 * @example
 * parseOverrides(undefined);        // {}
 * parseOverrides({ quantity: 3 });  // { quantity: 3 }
 * parseOverrides([1]);              // VALIDATION_ERROR: overrides must be an object of line item properties, got an array
 */
export function parseOverrides(value: unknown): PropertiesInput {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw validationError([
      { code: 'INVALID_PROPERTIES', property: 'overrides', message: `overrides must be an object of line item properties, got ${describeValue(value)}` },
    ]);
  }
  return value as PropertiesInput;
}
