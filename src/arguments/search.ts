// The arguments of search, count and getMany, and the `properties` projection of the reads:
// shapes only. Whether a property exists, whether an operator fits its type and what a value
// means need the schema, and are the query layer's (src/query/).
import { z } from 'zod';
import { describeValue, validationError, type IssuePath } from '../errors.js';
import type { Filter, FilterGroup, Operator, Sort } from '../types.js';
import { checkId } from './ids.js';
import { checkOptions, isPlainObject } from './options.js';
import { readCursor, readLimit } from './paging.js';
import { argumentError } from './zod.js';

/**
 * Every search operator.
 *
 * @example
 * OPERATORS.includes('EQ'); // true
 */
export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const satisfies readonly Operator[];

const filterValue = z.union([z.string(), z.number(), z.boolean(), z.strictObject({ relative: z.string() })]);

const propertyFilterSchema = z.strictObject({
  propertyName: z.string(),
  operator: z.enum(OPERATORS),
  value: filterValue.optional(),
  values: z.array(filterValue).optional(),
  highValue: filterValue.optional(),
});

const associationFilterSchema = z.strictObject({
  association: z.strictObject({
    toType: z.string(),
    id: z.string().optional(),
    primary: z.boolean().optional(),
    label: z.union([z.string(), z.array(z.string())]).optional(),
    match: z.enum(['any', 'all']).optional(),
    // Parsed one by one below, so that a nested filter's problem names its own place.
    filters: z.array(z.unknown()).optional(),
  }),
});

const segmentFilterSchema = z.strictObject({ segment: z.strictObject({ id: z.string() }) });

/** A sort's shape. */
export const sortSchema = z.strictObject({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']) });

const requestSchema = z.strictObject({
  filterGroups: z.array(z.strictObject({ filters: z.array(z.unknown()) })).optional(),
  sorts: z.array(sortSchema).optional(),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.unknown().optional(),
  after: z.unknown().optional(),
});

/**
 * The shape of a saved filter (`{ filterGroups: [{ filters: [...] }] }`), for segments and views.
 *
 * @example
 * z.object({ filter: filterSpecSchema });
 */
export const filterSpecSchema = z.strictObject({ filterGroups: z.array(z.strictObject({ filters: z.array(z.unknown()) })) });

/**
 * A search request after its shape is checked: every field present, the limit and cursor read.
 *
 * @example
 * const input: SearchInput = parseSearchRequest({ query: 'ann' });
 */
export interface SearchInput {
  readonly filterGroups: readonly FilterGroup[] | undefined;
  readonly sorts: readonly Sort[];
  readonly query: string | undefined;
  readonly properties: readonly string[] | undefined;
  readonly limit: number;
  readonly after: string | undefined;
}

/** One filter's shape, by the key that says which kind it is; nested association filters too. */
function parseFilter(value: unknown, path: IssuePath): Filter {
  if (!isPlainObject(value)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', path, message: `${path.join('.')} must be a filter object, got ${describeValue(value)}` }]);
  }
  const schema = 'association' in value ? associationFilterSchema : 'segment' in value ? segmentFilterSchema : propertyFilterSchema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw argumentError(parsed.error, 'search', [...path], schema);
  if (!('association' in parsed.data)) return parsed.data as Filter;
  const { filters, ...association } = parsed.data.association;
  if (association.id !== undefined) checkId(association.id);
  const nested = filters?.map((filter, at) => parseFilter(filter, [...path, 'association', 'filters', at]));
  return { association: { ...association, ...(nested !== undefined ? { filters: nested } : {}) } };
}

/**
 * Filter groups whose outer shape (`[{ filters: [...] }]`) is checked: each filter's shape,
 * problems named by their place under `path`.
 *
 * @example
 * parseGroups([{ filters: [{ segment: { id: '3' } }] }], ['filter', 'filterGroups']);
 */
export function parseGroups(groups: ReadonlyArray<{ filters: unknown[] }>, path: IssuePath): FilterGroup[] {
  return groups.map((group, at) => ({ filters: group.filters.map((filter, index) => parseFilter(filter, [...path, at, 'filters', index])) }));
}

/**
 * A search request's shape: VALIDATION_ERROR naming the place of the first problem (an unknown
 * key, a filter of no known kind, an operator that does not exist, a bad limit or cursor).
 *
 * @example
 * parseSearchRequest({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@b.com' }] }] });
 */
export function parseSearchRequest(request: unknown): SearchInput {
  if (request === undefined) return { filterGroups: undefined, sorts: [], query: undefined, properties: undefined, limit: readLimit(undefined), after: undefined };
  if (!isPlainObject(request)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'request', message: `search expects a request object, got ${describeValue(request)}` }]);
  }
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) throw argumentError(parsed.error, 'search', ['request'], requestSchema);
  const { filterGroups, sorts, query, properties, limit, after } = parsed.data;
  return {
    filterGroups: filterGroups === undefined ? undefined : parseGroups(filterGroups, ['request', 'filterGroups']),
    sorts: sorts ?? [],
    query,
    properties,
    limit: readLimit(limit),
    after: readCursor(after),
  };
}

/**
 * `records.count`'s filter (and an aggregate's, at `path`): `undefined` (every live record) or
 * `{ filterGroups }`.
 *
 * @example
 * parseFilterSpec(undefined); // undefined
 */
export function parseFilterSpec(spec: unknown, path: IssuePath = ['filter'], subject = 'count'): readonly FilterGroup[] | undefined {
  if (spec === undefined) return undefined;
  if (!isPlainObject(spec)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'filter', path: [...path], message: `${path.join('.')} must be { filterGroups }, got ${describeValue(spec)}` }]);
  }
  const parsed = filterSpecSchema.safeParse(spec);
  if (!parsed.success) throw argumentError(parsed.error, subject, [...path], filterSpecSchema);
  return parseGroups(parsed.data.filterGroups, [...path, 'filterGroups']);
}

/**
 * A read's `properties` option: `undefined` (every property) or an array of names.
 *
 * @example
 * parseProjection(['email', 'firstname']); // ['email', 'firstname']
 */
export function parseProjection(properties: unknown): readonly string[] | undefined {
  if (properties === undefined) return undefined;
  if (!Array.isArray(properties) || properties.some((name) => typeof name !== 'string')) {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: 'properties', message: `properties must be an array of property names, got ${describeValue(properties)}` },
    ]);
  }
  return properties as string[];
}

/**
 * getMany's ids and options: an array of record ids (each one checked) and `{ properties? }`.
 *
 * @example
 * parseGetMany(['c1', 'c2'], { properties: ['email'] }); // { ids: ['c1', 'c2'], properties: ['email'] }
 */
export function parseGetMany(ids: unknown, options: unknown): { ids: readonly string[]; properties: readonly string[] | undefined } {
  if (!Array.isArray(ids)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'ids', message: `getMany expects an array of record ids, got ${describeValue(ids)}` }]);
  }
  for (let at = 0; at < ids.length; at++) {
    const id: unknown = ids[at];
    if (typeof id !== 'string') {
      throw validationError([{ code: 'INVALID_ARGUMENT', property: 'ids', index: at, message: `ids[${at}] must be a record id, got ${describeValue(id)}` }]);
    }
    checkId(id);
  }
  if (options === undefined) return { ids: ids as string[], properties: undefined };
  checkOptions('records.getMany', options);
  return { ids: ids as string[], properties: parseProjection((options as { properties?: unknown }).properties) };
}
