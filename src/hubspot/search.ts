// A HubSpot search body as a crm search request. The filters go to the crm as they are (it
// checks them against the schema); the façade reads the paging fields HubSpot's way and the
// sorts in every form HubSpot's clients send.
import type { SearchRequest, Sort } from 'crmkit';
import { cursorOf, requestError } from './body.js';
import { objectAt, optionalString, stringList } from './shapes.js';

/**
 * One sort as clients send it: an object `{ propertyName, direction }`, its JSON text (the
 * SDK's `sorts` is a string array), `'prop'` (ascending) or `'-prop'` (descending).
 *
 * @example
 * parseSort('-createdate', 0); // { propertyName: 'createdate', direction: 'DESCENDING' }
 */
export function parseSort(value: unknown, index: number): Sort {
  const field = `sorts[${index}]`;
  let sort = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{')) {
      try {
        sort = JSON.parse(text) as unknown;
      } catch {
        throw requestError(field, `${field} is not valid JSON: ${JSON.stringify(value.slice(0, 100))}`);
      }
    } else if (text.startsWith('-')) {
      return { propertyName: text.slice(1), direction: 'DESCENDING' };
    } else if (text !== '') {
      return { propertyName: text, direction: 'ASCENDING' };
    }
  }
  const object = objectAt(sort, field);
  if (typeof object.propertyName !== 'string' || object.propertyName === '') throw requestError(`${field}.propertyName`, `${field}.propertyName must be a property name`);
  const direction = object.direction ?? 'ASCENDING';
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING') throw requestError(`${field}.direction`, `${field}.direction must be ASCENDING or DESCENDING`);
  return { propertyName: object.propertyName, direction };
}

/**
 * A search body as the crm's request, and the property names the answer should show
 * (`undefined`: the type's defaults). HubSpot's default page is 10; a bigger `limit` than the
 * crm allows is the crm's 400.
 *
 * @example
 * const { request, properties } = toSearchRequest(body);
 * const page = await crm.records.search('contacts', request);
 */
export function toSearchRequest(json: unknown): { request: SearchRequest; properties: string[] | undefined } {
  const body = objectAt(json, 'body');
  const request: SearchRequest = {};
  if (body.filterGroups !== undefined && body.filterGroups !== null) {
    if (!Array.isArray(body.filterGroups)) throw requestError('filterGroups', 'filterGroups must be an array');
    request.filterGroups = body.filterGroups.map((group, index) => {
      const filters = objectAt(group, `filterGroups[${index}]`).filters;
      if (!Array.isArray(filters)) throw requestError(`filterGroups[${index}].filters`, `filterGroups[${index}].filters must be an array`);
      return { filters: filters.map((filter, at) => objectAt(filter, `filterGroups[${index}].filters[${at}]`)) } as unknown as NonNullable<SearchRequest['filterGroups']>[number];
    });
  }
  if (body.sorts !== undefined && body.sorts !== null) {
    if (!Array.isArray(body.sorts)) throw requestError('sorts', 'sorts must be an array');
    request.sorts = body.sorts.map(parseSort);
  }
  const query = optionalString(body.query, 'query');
  if (query !== undefined && query !== '') request.query = query;
  if (body.limit !== undefined && body.limit !== null) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 0) throw requestError('limit', 'limit must be a whole number');
    request.limit = body.limit;
  } else {
    request.limit = 10;
  }
  const after = cursorOf(typeof body.after === 'number' ? String(body.after) : body.after, 'after');
  if (after !== undefined) request.after = after;
  return { request, properties: stringList(body.properties, 'properties') };
}
