// The arguments of crm.segments and crm.views, parsed once at the facade (src/crm.ts). Shapes
// only: whether the filter's properties, labels and segments exist, and whether a segment would
// contain itself, are the segment rules' to say (src/segments/rules.ts) with the schema at hand.
import { z } from 'zod';
import { describeValue, validationError } from '../errors.js';
import type { FilterGroup, Sort } from '../types.js';
import { parseRef, type RecordRef } from './refs.js';
import { readCursor, readLimit } from './paging.js';
import { filterSpecSchema, parseGroups, sortSchema } from './search.js';
import { parseArgument } from './zod.js';

const name = z.string().trim().min(1, 'must not be empty').max(200);

const segmentInputSchema = z.strictObject({
  name,
  objectType: z.string(),
  kind: z.enum(['active', 'static']),
  filter: filterSpecSchema.optional(),
});

// objectType and kind are taken only to be compared: they never change (IMMUTABLE when they differ).
const segmentPatchSchema = z.strictObject({
  name: name.optional(),
  objectType: z.string().optional(),
  kind: z.enum(['active', 'static']).optional(),
  filter: filterSpecSchema.optional(),
});

const viewInputSchema = z.strictObject({
  name,
  objectType: z.string(),
  filter: filterSpecSchema.optional(),
  sorts: z.array(sortSchema).max(10).optional(),
  properties: z.array(z.string()).max(1_000).optional(),
});

const viewPatchSchema = z.strictObject({
  name: name.optional(),
  objectType: z.string().optional(),
  filter: filterSpecSchema.optional(),
  sorts: z.array(sortSchema).max(10).optional(),
  properties: z.array(z.string()).max(1_000).optional(),
});

const pageSchema = z.strictObject({ limit: z.unknown().optional(), after: z.unknown().optional() }).optional();

/** A saved filter after its shape is checked. */
export interface FilterSpecParsed {
  readonly filterGroups: readonly FilterGroup[];
}

/**
 * segments.create's input, parsed.
 *
 * @example
 * const input: SegmentInputParsed = parseSegmentInput({ name: 'Leads', objectType: 'contacts', kind: 'active', filter: { filterGroups: [] } });
 */
export interface SegmentInputParsed {
  readonly name: string;
  readonly objectType: string;
  readonly kind: 'active' | 'static';
  readonly filter: FilterSpecParsed | undefined;
}

/**
 * segments.update's patch, parsed.
 *
 * @example
 * const patch: SegmentPatchParsed = parseSegmentPatch({ name: 'Hot leads' });
 */
export type SegmentPatchParsed = Partial<Omit<SegmentInputParsed, 'filter'>> & { readonly filter?: FilterSpecParsed };

/**
 * views.create's input, parsed.
 *
 * @example
 * const input: ViewInputParsed = parseViewInput({ name: 'Mine', objectType: 'deals' });
 */
export interface ViewInputParsed {
  readonly name: string;
  readonly objectType: string;
  readonly filter?: FilterSpecParsed;
  readonly sorts?: readonly Sort[];
  readonly properties?: readonly string[];
}

/**
 * views.update's patch, parsed.
 *
 * @example
 * const patch: ViewPatchParsed = parseViewPatch({ sorts: [] });
 */
export type ViewPatchParsed = Partial<ViewInputParsed>;

function filterOf(filter: { filterGroups: Array<{ filters: unknown[] }> } | undefined): FilterSpecParsed | undefined {
  return filter === undefined ? undefined : { filterGroups: parseGroups(filter.filterGroups, ['filter', 'filterGroups']) };
}

/**
 * segments.create's input: VALIDATION_ERROR naming the first problem of its shape.
 *
 * @example
 * parseSegmentInput({ name: 'VIPs', objectType: 'contacts', kind: 'static' });
 */
export function parseSegmentInput(input: unknown): SegmentInputParsed {
  const parsed = parseArgument(segmentInputSchema, input, 'segment');
  return { name: parsed.name, objectType: parsed.objectType, kind: parsed.kind, filter: filterOf(parsed.filter) };
}

/**
 * segments.update's patch.
 *
 * @example
 * parseSegmentPatch({ filter: { filterGroups: [] } });
 */
export function parseSegmentPatch(patch: unknown): SegmentPatchParsed {
  const { filter, ...rest } = parseArgument(segmentPatchSchema, patch, 'segment patch');
  const parsedFilter = filterOf(filter);
  return { ...rest, ...(parsedFilter !== undefined ? { filter: parsedFilter } : {}) };
}

/**
 * views.create's input.
 *
 * @example
 * parseViewInput({ name: 'Big deals', objectType: 'deals', sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }] });
 */
export function parseViewInput(input: unknown): ViewInputParsed {
  const { filter, ...rest } = parseArgument(viewInputSchema, input, 'view');
  const parsedFilter = filterOf(filter);
  return { ...rest, ...(parsedFilter !== undefined ? { filter: parsedFilter } : {}) };
}

/**
 * views.update's patch.
 *
 * @example
 * parseViewPatch({ name: 'Biggest deals' });
 */
export function parseViewPatch(patch: unknown): ViewPatchParsed {
  const { filter, ...rest } = parseArgument(viewPatchSchema, patch, 'view patch');
  const parsedFilter = filterOf(filter);
  return { ...rest, ...(parsedFilter !== undefined ? { filter: parsedFilter } : {}) };
}

/**
 * A segment or view id: a non-empty string.
 *
 * @example
 * parseSavedId('3', 'segmentId'); // '3'
 */
export function parseSavedId(id: unknown, what: 'segmentId' | 'viewId'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw validationError([{ code: 'INVALID_ID', property: what, message: `${what} must be a non-empty string, got ${describeValue(id)}` }]);
  }
  return id;
}

/**
 * `{ limit, after }` of members and run.
 *
 * @example
 * parsePage({ limit: 50 }); // { limit: 50, after: undefined }
 */
export function parsePage(options: unknown): { limit: number; after: string | undefined } {
  const parsed = parseArgument(pageSchema, options, 'options') ?? {};
  return { limit: readLimit(parsed.limit), after: readCursor(parsed.after) };
}

/**
 * The records of segments.add / remove: an array of records or `{ objectType, id }`.
 *
 * @example
 * parseMemberRefs([contact, { objectType: 'contacts', id: 'c2' }]);
 */
export function parseMemberRefs(records: unknown): RecordRef[] {
  if (!Array.isArray(records)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'records', message: `expects an array of records or { objectType, id }, got ${describeValue(records)}` }]);
  }
  if (records.length > 10_000) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'records', max: 10_000, message: `at most 10,000 records a call, got ${records.length}` }]);
  }
  return records.map((record, at) => parseRef(record, `records.${at}`));
}
