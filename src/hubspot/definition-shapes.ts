// Field readers for the definition endpoints' bodies (properties, groups, schemas, pipelines):
// each checks one field's JSON shape and names it when it is wrong (400, nothing written). What
// a value means is the crm's to judge; these only make sure it has the type the crm takes.
import { requestError } from './body.js';

/** What a JSON value is, for messages. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * A string field that must be there.
 *
 * @example
 * requiredString(body.label, 'label'); // 'Favourite roast'
 */
export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw requestError(field, `${field} must be a string, got ${kind(value)}`);
  return value;
}

/**
 * An optional boolean field (absent or null: `undefined`).
 *
 * @example
 * optionalBoolean(body.hasUniqueValue, 'hasUniqueValue'); // true
 */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw requestError(field, `${field} must be true or false, got ${kind(value)}`);
  return value;
}

/**
 * An optional whole-number field (a display order); HubSpot writes -1 for "no order".
 *
 * @example
 * optionalInteger(body.displayOrder, 'displayOrder'); // 2
 */
export function optionalInteger(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw requestError(field, `${field} must be a whole number, got ${kind(value)}`);
  return value;
}

/**
 * An optional array field, each item checked by `item`.
 *
 * @example
 * optionalArray(body.options, 'options', optionOf); // [{ label: 'Dark', value: 'dark' }]
 */
export function optionalArray<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw requestError(field, `${field} must be an array, got ${kind(value)}`);
  return value.map((entry, index) => item(entry, `${field}[${index}]`));
}

/**
 * Refuses a field crmkit does not model when it asks for something (`hidden: true`, a
 * `calculationFormula`): taking it silently would pretend the definition holds it. A value
 * equal to `harmless` (HubSpot's default, which changes nothing) is accepted.
 *
 * @example
 * unsupported(body.calculationFormula, 'calculationFormula', undefined);
 */
export function unsupported(value: unknown, field: string, harmless: unknown): void {
  if (value === undefined || value === null || value === harmless) return;
  throw requestError(field, `${field}: crmkit does not support ${JSON.stringify(value)} here (leave it out)`);
}
