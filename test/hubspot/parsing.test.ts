// The request readers of crmkit/hubspot: object types in paths (object-types.ts), search bodies
// (search.ts), query parameters and body shapes (body.ts, shapes.ts).
import { describe, expect, it } from 'vitest';
import { CrmError, createCrm } from 'crmkit';
import { cursorOf, isJsonType, pageLimit, queryBoolean, queryList } from '../../src/hubspot/body.js';
import { resolveObjectType, singularOf } from '../../src/hubspot/object-types.js';
import { parseSort, toSearchRequest } from '../../src/hubspot/search.js';
import { batchInputs, idAt, propertiesAt } from '../../src/hubspot/shapes.js';

/** The CrmError a function throws. */
function thrown(run: () => unknown): CrmError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CrmError);
    return error as CrmError;
  }
  throw new Error('expected a CrmError');
}

describe('resolveObjectType', () => {
  it('takes names, singulars, ids and fully qualified custom names', async () => {
    const crm = await createCrm();
    await crm.schema.defineObject({
      name: 'roast_batches',
      labels: { singular: 'Roast batch', plural: 'Roast batches' },
      primaryDisplayProperty: 'batch',
      properties: [{ name: 'batch', label: 'Batch', type: 'string', fieldType: 'text' }],
    });
    const objects = crm.schema.objects();
    const name = (raw: string, portalId = 1): string => resolveObjectType(objects, raw, portalId).name;
    expect(name('contacts')).toBe('contacts');
    expect(name('contact')).toBe('contacts');
    expect(name('CONTACTS')).toBe('contacts');
    expect(name('company')).toBe('companies');
    expect(name('line_item')).toBe('line_items');
    expect(name('0-3')).toBe('deals');
    expect(name('roast_batches')).toBe('roast_batches');
    expect(name(crm.schema.object('roast_batches').id)).toBe('roast_batches');
    expect(name('p1_roast_batches')).toBe('roast_batches');
    expect(name('p42_roast_batches', 42)).toBe('roast_batches');
    const error = thrown(() => name('p2_roast_batches'));
    expect(error.code).toBe('UNKNOWN_OBJECT_TYPE');
    expect(error.message).toBe('Unable to infer object type from: p2_roast_batches');
    expect(thrown(() => name('widgets')).code).toBe('UNKNOWN_OBJECT_TYPE');
    expect(thrown(() => name('roast_batche')).code).toBe('UNKNOWN_OBJECT_TYPE');
  });

  it('singularOf', () => {
    expect(['contacts', 'companies', 'line_items', 'postal_mail'].map(singularOf)).toEqual(['contact', 'company', 'line_item', 'postal_mail']);
  });
});

describe('search bodies', () => {
  it('reads sorts as objects, JSON strings, "prop" and "-prop"', () => {
    expect(parseSort({ propertyName: 'email', direction: 'DESCENDING' }, 0)).toEqual({ propertyName: 'email', direction: 'DESCENDING' });
    expect(parseSort('{"propertyName":"email","direction":"DESCENDING"}', 0)).toEqual({ propertyName: 'email', direction: 'DESCENDING' });
    expect(parseSort('createdate', 0)).toEqual({ propertyName: 'createdate', direction: 'ASCENDING' });
    expect(parseSort('-createdate', 0)).toEqual({ propertyName: 'createdate', direction: 'DESCENDING' });
    expect(parseSort({ propertyName: 'email' }, 0)).toEqual({ propertyName: 'email', direction: 'ASCENDING' });
    expect(thrown(() => parseSort('{nope', 2)).message).toContain('sorts[2]');
    expect(thrown(() => parseSort({ propertyName: 'email', direction: 'UP' }, 1)).message).toContain('sorts[1].direction');
    expect(thrown(() => parseSort(5, 0)).message).toContain('sorts[0] must be an object');
  });

  it('defaults to 10 a page; after 0 is the first page; properties kept for the answer', () => {
    expect(toSearchRequest({})).toEqual({ request: { limit: 10 }, properties: undefined });
    expect(toSearchRequest({ after: '0', limit: 5, query: 'ann', properties: ['email'], sorts: ['-email'], filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }] })).toEqual({
      request: { limit: 5, query: 'ann', sorts: [{ propertyName: 'email', direction: 'DESCENDING' }], filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }] },
      properties: ['email'],
    });
    expect(thrown(() => toSearchRequest({ filterGroups: {} })).message).toContain('filterGroups must be an array');
    expect(thrown(() => toSearchRequest({ filterGroups: [{ filters: 'x' }] })).message).toContain('filterGroups[0].filters');
    expect(thrown(() => toSearchRequest([])).message).toContain('body must be an object');
    expect(thrown(() => toSearchRequest({ properties: ['a', 1] })).message).toContain('properties[1]');
  });
});

describe('query parameters', () => {
  it('lists come repeated or comma-separated', () => {
    const params = new URL('http://x/?properties=a,b&properties=c&properties=&other=1').searchParams;
    expect(queryList(params, 'properties')).toEqual(['a', 'b', 'c']);
    expect(queryList(params, 'missing')).toBeUndefined();
  });

  it('booleans are true or false; limits whole numbers in range; cursors strings, 0 the first page', () => {
    const params = new URL('http://x/?a=TRUE&b=false&c=yes').searchParams;
    expect(queryBoolean(params, 'a', false)).toBe(true);
    expect(queryBoolean(params, 'b', true)).toBe(false);
    expect(queryBoolean(params, 'z', true)).toBe(true);
    expect(thrown(() => queryBoolean(params, 'c', false)).message).toContain('c must be true or false');
    expect(pageLimit(null, 'limit', 10, 100)).toBe(10);
    expect(pageLimit('100', 'limit', 10, 100)).toBe(100);
    expect(thrown(() => pageLimit('101', 'limit', 10, 100)).message).toContain('limit must be a whole number from 1 to 100');
    expect(thrown(() => pageLimit('2.5', 'limit', 10, 100)).code).toBe('VALIDATION_ERROR');
    expect(cursorOf('0', 'after')).toBeUndefined();
    expect(cursorOf(0, 'after')).toBeUndefined();
    expect(cursorOf('abc', 'after')).toBe('abc');
    expect(thrown(() => cursorOf({}, 'after')).code).toBe('VALIDATION_ERROR');
  });

  it('JSON content types', () => {
    expect(isJsonType('application/json')).toBe(true);
    expect(isJsonType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonType('application/merge-patch+json')).toBe(true);
    expect(isJsonType('text/plain')).toBe(false);
    expect(isJsonType(null)).toBe(false);
  });
});

describe('body shapes', () => {
  it('names the field that is wrong', () => {
    expect(thrown(() => batchInputs({ inputs: {} })).message).toBe('inputs must be an array, got an object');
    expect(thrown(() => batchInputs({ inputs: Array.from({ length: 101 }, () => ({})) })).message).toBe('inputs may hold at most 100 items, got 101');
    expect(thrown(() => batchInputs({ inputs: [{}, 3] })).message).toBe('inputs[1] must be an object, got a number');
    expect(thrown(() => propertiesAt({ email: { a: 1 } }, 'inputs[0].properties')).message).toBe('inputs[0].properties.email must be a string, number, boolean or null, got an object');
    expect(thrown(() => propertiesAt(['x'], 'properties')).message).toBe('properties must be an object, got an array');
    expect(thrown(() => idAt('', 'inputs[0].id')).message).toBe('inputs[0].id must be a non-empty string, got a string');
    expect(idAt(12, 'id')).toBe('12');
    expect(batchInputs({ inputs: [] })).toEqual([]);
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = JSON.parse('{"__proto__": "x", "email": "a@b.com"}') as unknown;
    const properties = propertiesAt(parsed, 'properties');
    expect(Object.keys(properties)).toEqual(['__proto__', 'email']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
  });
});
