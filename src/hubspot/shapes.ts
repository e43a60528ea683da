// The shapes of request bodies, checked before any crm call: a wrong shape is a 400 that names
// the field (`inputs[2].properties.email`), and nothing is written. Values are only
// shape-checked here; the crm judges them against the schema.
import type { PropertiesInput } from 'crmkit';
import { requestError } from './body.js';

/**
 * HubSpot's cap on a batch's inputs.
 *
 * @example
 * if (inputs.length > MAX_BATCH_INPUTS) throw requestError('inputs', 'too many');
 */
export const MAX_BATCH_INPUTS = 100;

/** What a JSON value is, for messages. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * A plain JSON object at `field`, else 400.
 *
 * @example
 * const body = objectAt(json, 'body');
 */
export function objectAt(value: unknown, field: string): { [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw requestError(field, `${field} must be an object, got ${kind(value)}`);
  return value as { [key: string]: unknown };
}

/**
 * A batch's `inputs`: an array of at most {@link MAX_BATCH_INPUTS} objects, else 400.
 *
 * @example
 * const inputs = batchInputs(body);
 */
export function batchInputs(body: { [key: string]: unknown }): Array<{ [key: string]: unknown }> {
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) throw requestError('inputs', `inputs must be an array, got ${kind(inputs)}`);
  if (inputs.length > MAX_BATCH_INPUTS) throw requestError('inputs', `inputs may hold at most ${MAX_BATCH_INPUTS} items, got ${inputs.length}`);
  return inputs.map((input, index) => objectAt(input, `inputs[${index}]`));
}

/**
 * A record id (or an `idProperty` value): a non-empty string, or a whole number written as one.
 *
 * @example
 * idAt(input.id, 'inputs[0].id'); // '7'
 */
export function idAt(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value === '') throw requestError(field, `${field} must be a non-empty string, got ${kind(value)}`);
  return value;
}

/**
 * An optional string field (an `idProperty`, a search `query`).
 *
 * @example
 * optionalString(body.idProperty, 'idProperty');
 */
export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw requestError(field, `${field} must be a string, got ${kind(value)}`);
  return value;
}

/**
 * An optional list of property names.
 *
 * @example
 * stringList(body.properties, 'properties'); // ['email', 'firstname']
 */
export function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw requestError(field, `${field} must be an array of strings, got ${kind(value)}`);
  value.forEach((item, index) => {
    if (typeof item !== 'string') throw requestError(`${field}[${index}]`, `${field}[${index}] must be a string, got ${kind(item)}`);
  });
  return value as string[];
}

/**
 * A `properties` object: each value a string, number, boolean or null (HubSpot's wire forms;
 * the crm normalises them). An object or array as a value is 400 naming it. The object is
 * handed on as parsed: JSON.parse makes a `__proto__` key an own data property, never a
 * prototype, and the crm refuses it as an unknown property.
 *
 * @example
 * const properties = propertiesAt(input.properties, 'inputs[0].properties');
 */
export function propertiesAt(value: unknown, field: string): PropertiesInput {
  const properties = objectAt(value, field);
  for (const name of Object.keys(properties)) {
    const item = properties[name];
    if (item !== null && typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw requestError(`${field}.${name}`, `${field}.${name} must be a string, number, boolean or null, got ${kind(item)}`);
    }
  }
  return properties as PropertiesInput;
}
