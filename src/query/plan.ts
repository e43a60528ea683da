// A search request (parsed at the facade, arguments/search.ts) checked against the schema and
// turned into a storage plan (storage/plan.ts): the filters and the query as one predicate, the
// sorts, the page's position from the cursor, and the properties to show. In strict mode the
// request must also fit HubSpot's caps.
import { IssueList, validationError, type IssuePath } from '../errors.js';
import type { SearchInput } from '../arguments/search.js';
import { projectionOf } from '../schema/lookup.js';
import { planProperty } from '../schema/indexes.js';
import type { ObjectModel } from '../schema/model.js';
import { tokensOf } from '../storage/evaluate.js';
import type { PlanPosition, PlanProperty, PlanSort, PlanValue, Predicate, SearchPlan } from '../storage/plan.js';
import type { Filter, FilterGroup } from '../types.js';
import { groupsPredicate, propertyNamed, type Planning } from './filters.js';

/**
 * HubSpot's search caps, applied with `createCrm({ strict: true })`.
 *
 * @example
 * STRICT_CAPS.filterGroups; // 5
 */
export const STRICT_CAPS = Object.freeze({ filterGroups: 5, filtersPerGroup: 10, filters: 25, limit: 200, results: 10_000 });

/**
 * A search ready to run: the storage plan, the properties to show (`undefined`: all), where the
 * page starts in the whole result (for the strict result cap), and the cursor scope that ties a
 * cursor to this request.
 *
 * @example
 * const { plan, projection } = planSearch(planning, model, input, { strict: false, position: undefined });
 */
export interface PlannedSearch {
  readonly plan: SearchPlan;
  readonly projection: ReadonlySet<string> | undefined;
  readonly offset: number;
}

/**
 * Where a page resumes, as a search cursor carries it: the last record's position and how many
 * results came before the next page.
 *
 * @example
 * const resume: SearchResume = { position: { values: [1500], id: 'd7' }, offset: 100 };
 */
export interface SearchResume {
  readonly position: PlanPosition;
  readonly offset: number;
}

/**
 * Checks a search against `model` and plans it: VALIDATION_ERROR listing every problem (unknown
 * properties, operators that do not fit their type, values that are not of it, and in strict mode
 * the caps), each naming its place in the request.
 *
 * @example
 * const { plan } = planSearch(planning, deals, parseSearchRequest({ sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }] }), { strict: false });
 */
export function planSearch(planning: Planning, model: ObjectModel, input: SearchInput, options: { strict: boolean; resume?: SearchResume }): PlannedSearch {
  const { issues } = planning;
  if (options.strict) checkCaps(issues, input);
  const filters = groupsPredicate(planning, model, input.filterGroups, ['request', 'filterGroups']);
  const query = input.query === undefined ? undefined : queryPredicate(model, input.query);
  const sorts = planSorts(planning, model, input);
  const projection = input.properties === undefined ? undefined : projectionOf(model, input.properties, ['request', 'properties'], issues);
  if (issues.length > 0) throw issues.error('search');
  const where = filters && query ? { kind: 'and' as const, of: [filters, query] } : (filters ?? query);
  const resume = options.resume;
  if (resume !== undefined && resume.position.values.length !== sorts.length) throw validationError([{ code: 'INVALID_CURSOR', property: 'after', message: 'the cursor pages another search' }]);
  const offset = resume?.offset ?? 0;
  if (options.strict && offset >= STRICT_CAPS.results) {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: 'after', max: STRICT_CAPS.results, message: `strict: a search shows at most ${STRICT_CAPS.results} results; narrow the filters to see the rest` },
    ]);
  }
  const limit = options.strict ? Math.min(input.limit, STRICT_CAPS.results - offset) : input.limit;
  return {
    plan: {
      objectType: model.name,
      ...(where !== undefined ? { where } : {}),
      sorts,
      ...(resume !== undefined ? { after: resume.position } : {}),
      limit,
      total: true,
    },
    projection,
    offset,
  };
}

/**
 * The predicate of `records.count`'s filter groups (none: every live record).
 *
 * @example
 * const where = planFilter(planning, contacts, [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }]);
 */
export function planFilter(planning: Planning, model: ObjectModel, groups: readonly FilterGroup[] | undefined, path: IssuePath = ['filter', 'filterGroups']): Predicate | undefined {
  const where = groupsPredicate(planning, model, groups, path);
  if (planning.issues.length > 0) throw planning.issues.error('count');
  return where;
}

/** Every filter of a request, nested association filters included (strict mode counts them all). */
function countFilters(filters: readonly Filter[]): number {
  let count = 0;
  for (const filter of filters) count += 1 + ('association' in filter ? countFilters(filter.association.filters ?? []) : 0);
  return count;
}

function checkCaps(issues: IssueList, input: SearchInput): void {
  const groups = input.filterGroups ?? [];
  const cap = (path: IssuePath, max: number, message: string): void => issues.add({ code: 'INVALID_ARGUMENT', path, max, message: `strict: ${message}` });
  if (groups.length > STRICT_CAPS.filterGroups) cap(['request', 'filterGroups'], STRICT_CAPS.filterGroups, `${groups.length} filter groups, at most ${STRICT_CAPS.filterGroups} are allowed`);
  let total = 0;
  groups.forEach((group, at) => {
    const count = countFilters(group.filters);
    total += count;
    if (count > STRICT_CAPS.filtersPerGroup) {
      cap(['request', 'filterGroups', at, 'filters'], STRICT_CAPS.filtersPerGroup, `filter group ${at} has ${count} filters, at most ${STRICT_CAPS.filtersPerGroup} are allowed`);
    }
  });
  if (total > STRICT_CAPS.filters) cap(['request', 'filterGroups'], STRICT_CAPS.filters, `${total} filters in all, at most ${STRICT_CAPS.filters} are allowed`);
  if (input.limit > STRICT_CAPS.limit) cap(['request', 'limit'], STRICT_CAPS.limit, `limit ${input.limit}, at most ${STRICT_CAPS.limit} a page`);
}

/**
 * `query`: every word of it (its letters and digits) must begin a word of one of the object's
 * searchable text properties. No words (an empty or all-punctuation query) matches everything.
 */
function queryPredicate(model: ObjectModel, query: string): Predicate | undefined {
  const words = tokensOf(query);
  if (words.length === 0) return undefined;
  const properties = searchableProperties(model);
  if (properties.length === 0) return { kind: 'or', of: [] };
  const perWord: Predicate[] = words.map((word) => ({ kind: 'or', of: properties.map((property) => ({ kind: 'tokens', property, pattern: `${word}*` })) }));
  return perWord.length === 1 ? perWord[0]! : { kind: 'and', of: perWord };
}

/** The text properties `query` searches: the object's searchable ones, else its display property. */
function searchableProperties(model: ObjectModel): PlanProperty[] {
  const names = model.doc.searchableProperties.length > 0 ? model.doc.searchableProperties : model.doc.primaryDisplayProperty ? [model.doc.primaryDisplayProperty] : [];
  const found: PlanProperty[] = [];
  for (const name of names) {
    const property = model.property(name);
    // Text by the schema's type: emails compare exactly (stored folded) but are words too.
    if (property && !property.doc.archived && (property.doc.type === 'string' || property.doc.type === 'phone_number')) found.push(planProperty(model, property));
  }
  return found;
}

/** The sort keys: as requested, else oldest first (the object's create date); ties by id in every case. */
function planSorts(planning: Planning, model: ObjectModel, input: SearchInput): PlanSort[] {
  if (input.sorts.length === 0) {
    const created = model.property(model.doc.createdDateProperty);
    return created ? [{ property: propertyNamed(planning, model, created.doc.name, ['request', 'sorts'])!, direction: 'asc' }] : [];
  }
  const sorts: PlanSort[] = [];
  input.sorts.forEach((sort, at) => {
    const property = propertyNamed(planning, model, sort.propertyName, ['request', 'sorts', at, 'propertyName']);
    if (!property) return;
    if (property.multiple) {
      planning.issues.add({
        code: 'INVALID_ARGUMENT',
        property: property.name,
        path: ['request', 'sorts', at, 'propertyName'],
        message: `request.sorts.${at}: ${property.name} holds several values and cannot order records`,
      });
      return;
    }
    sorts.push({ property, direction: sort.direction === 'ASCENDING' ? 'asc' : 'desc' });
  });
  return sorts;
}

/**
 * The sort values of a search cursor, checked: the values a plan position holds (strings,
 * numbers, booleans or null), else `undefined`.
 *
 * @example
 * readPositionValues([1500, null]); // [1500, null]
 */
export function readPositionValues(values: unknown): (PlanValue | null)[] | undefined {
  if (!Array.isArray(values)) return undefined;
  for (const value of values) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) return undefined;
  }
  return values as (PlanValue | null)[];
}
