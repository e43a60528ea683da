// crm.segments and crm.views: each call reads the saved filters from the transaction's schema,
// calls the rules (./rules.ts), checks filters by planning them (src/query/) and saves the new
// document in the schema. Members are a search: an active segment's are the records its filter
// matches at the time of the read (it is planned in place, so SQL storage runs it as one
// statement), a static one's are a storage list (src/storage/lists.ts).
import { validationError } from '../errors.js';
import type { TxContext } from '../schema/transaction.js';
import type { SegmentDoc, ViewDoc } from '../schema/saved.js';
import { activeModel, findLiveRecord } from '../schema/lookup.js';
import type { ObjectModel } from '../schema/model.js';
import { allMatches } from '../storage/evaluate.js';
import { listsIn } from '../storage/lists.js';
import type { SearchInput } from '../arguments/search.js';
import type { RecordRef } from '../arguments/refs.js';
import type { SegmentInputParsed, SegmentPatchParsed, ViewInputParsed, ViewPatchParsed } from '../arguments/segments.js';
import type { PairLookup } from '../query/filters.js';
import { planFilter, planSearch } from '../query/plan.js';
import { countRecords, planning, searchRecords } from '../query/service.js';
import type { FilterGroup, SearchResult, Segment, View } from '../types.js';
import { newSegment, newView, patchedSegment, patchedView, segmentNamed, viewNamed, withoutSegment } from './rules.js';

// The stored documents are frozen (SchemaState.withSaved), so they are shown as they are.
function segmentOf(doc: SegmentDoc): Segment {
  return doc as Segment;
}

function viewOf(doc: ViewDoc): View {
  return doc as View;
}

/** The filter of "members of this segment". */
function inSegment(id: string): FilterGroup[] {
  return [{ filters: [{ segment: { id } }] }];
}

/** Checks a filter of `model` records by planning it; `within`: the segment being saved, if any. */
function checkFilter(ctx: TxContext, pairs: PairLookup, model: ObjectModel, groups: readonly FilterGroup[], within: readonly string[]): void {
  planFilter(planning(ctx, pairs, within), model, groups);
}

/**
 * segments.create: a new active segment (its filter checked) or static one (its members the
 * live records its filter matches now, none without one).
 *
 * @example
 * await createSegment(ctx, parseSegmentInput(input), pairs);
 */
export async function createSegment(ctx: TxContext, input: SegmentInputParsed, pairs: PairLookup): Promise<Segment> {
  const model = ctx.schema.object(input.objectType);
  const where = input.filter === undefined ? undefined : planFilter(planning(ctx, pairs), model, input.filter.filterGroups);
  const { doc, saved } = newSegment(ctx.schema.savedDoc, input, model.name, ctx.now());
  if (doc.kind === 'static' && input.filter !== undefined) {
    const lists = listsIn(ctx.tx);
    for await (const records of allMatches(ctx.tx, { objectType: model.name, ...(where !== undefined ? { where } : {}), sorts: [], limit: 1_000, total: false })) {
      await lists.add(doc.id, model.name, records.map((record) => record.id));
    }
  }
  await ctx.saveSchema(ctx.schema.withSaved(saved));
  ctx.emit({ type: 'schema.changed', objectType: model.name, change: 'segment.created' });
  return segmentOf(doc);
}

/**
 * segments.get: the segment, or `undefined`.
 *
 * @example
 * getSegment(ctx, '3');
 */
export function getSegment(ctx: TxContext, id: string): Segment | undefined {
  const doc = ctx.schema.segment(id);
  return doc === undefined ? undefined : segmentOf(doc);
}

/**
 * segments.list: every segment (of one object type when given), oldest first.
 *
 * @example
 * listSegments(ctx, 'contacts');
 */
export function listSegments(ctx: TxContext, objectType: string | undefined): Segment[] {
  const type = objectType === undefined ? undefined : ctx.schema.object(objectType).name;
  return ctx.schema.savedDoc.segments.filter((doc) => type === undefined || doc.objectType === type).map(segmentOf);
}

/**
 * segments.update: the name, and an active segment's filter (checked, and refused when the
 * segment would contain itself).
 *
 * @example
 * await updateSegment(ctx, '3', { name: 'Hot leads' }, pairs);
 */
export async function updateSegment(ctx: TxContext, id: string, patch: SegmentPatchParsed, pairs: PairLookup): Promise<Segment> {
  const current = segmentNamed(ctx.schema, id);
  const { doc, saved } = patchedSegment(ctx.schema, current, patch, ctx.now());
  if (patch.filter !== undefined) checkFilter(ctx, pairs, ctx.schema.object(doc.objectType), patch.filter.filterGroups, [doc.id]);
  await ctx.saveSchema(ctx.schema.withSaved(saved));
  ctx.emit({ type: 'schema.changed', objectType: doc.objectType, change: 'segment.updated' });
  return segmentOf(doc);
}

/**
 * segments.delete: SEGMENT_IN_USE while another segment or a view names it; a static segment's
 * list goes with it.
 *
 * @example
 * await deleteSegment(ctx, '3');
 */
export async function deleteSegment(ctx: TxContext, id: string): Promise<void> {
  const doc = segmentNamed(ctx.schema, id);
  const saved = withoutSegment(ctx.schema, doc);
  if (doc.kind === 'static') await listsIn(ctx.tx).remove(doc.id, doc.objectType, undefined);
  await ctx.saveSchema(ctx.schema.withSaved(saved));
  ctx.emit({ type: 'schema.changed', objectType: doc.objectType, change: 'segment.deleted' });
}

/**
 * segments.members: a page of the live members, oldest first, with the total; the cursor
 * resumes after the last record shown however the members change.
 *
 * @example
 * await segmentMembers(ctx, '3', { limit: 100, after: undefined }, pairs);
 */
export async function segmentMembers(ctx: TxContext, id: string, page: { limit: number; after: string | undefined }, pairs: PairLookup): Promise<SearchResult> {
  const doc = segmentNamed(ctx.schema, id);
  const input: SearchInput = { filterGroups: inSegment(doc.id), sorts: [], query: undefined, properties: undefined, limit: page.limit, after: page.after };
  return searchRecords(ctx, doc.objectType, input, pairs);
}

/**
 * segments.contains: whether the record is a live member (false for a record of another type, an
 * unknown or an archived one).
 *
 * @example
 * await segmentContains(ctx, '3', { objectType: 'contacts', id: 'c1' }, pairs); // true
 */
export async function segmentContains(ctx: TxContext, id: string, ref: RecordRef, pairs: PairLookup): Promise<boolean> {
  const doc = segmentNamed(ctx.schema, id);
  if (ctx.schema.find(ref.objectType)?.name !== doc.objectType) return false;
  const groups: FilterGroup[] = [{ filters: [{ segment: { id: doc.id } }, { propertyName: 'hs_object_id', operator: 'EQ', value: ref.id }] }];
  return (await countRecords(ctx, doc.objectType, groups, pairs)) > 0;
}

/** The static segment, or VALIDATION_ERROR for an active one. */
function staticSegment(ctx: TxContext, id: string, call: 'add' | 'remove'): SegmentDoc {
  const doc = segmentNamed(ctx.schema, id);
  if (doc.kind !== 'static') {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'segmentId', message: `segment ${id} is active: its members are the records its filter matches, and segments.${call} is for static segments` }]);
  }
  return doc;
}

/** The records' ids, each checked to be of the segment's type. */
function idsOf(ctx: TxContext, doc: SegmentDoc, refs: readonly RecordRef[]): string[] {
  const wrong = refs.findIndex((ref) => ctx.schema.find(ref.objectType)?.name !== doc.objectType);
  if (wrong >= 0) {
    throw validationError([{ code: 'INVALID_ARGUMENT', index: wrong, property: `records.${wrong}`, message: `records.${wrong} is a ${refs[wrong]!.objectType} record; segment ${doc.id} holds ${doc.objectType}` }]);
  }
  return refs.map((ref) => ref.id);
}

/**
 * segments.add: puts live records in a static segment (NOT_FOUND / ARCHIVED for the first record
 * that is not live; nothing is added then). Adding a member again changes nothing.
 *
 * @example
 * await addMembers(ctx, '4', [{ objectType: 'contacts', id: 'c1' }]);
 */
export async function addMembers(ctx: TxContext, id: string, refs: readonly RecordRef[]): Promise<void> {
  const doc = staticSegment(ctx, id, 'add');
  const ids = idsOf(ctx, doc, refs);
  const model = activeModel(ctx, doc.objectType);
  for (const one of new Set(ids)) await findLiveRecord(ctx, model, one);
  await listsIn(ctx.tx).add(doc.id, doc.objectType, [...new Set(ids)]);
}

/**
 * segments.remove: takes records out of a static segment; records that are not in it are left alone.
 *
 * @example
 * await removeMembers(ctx, '4', [{ objectType: 'contacts', id: 'c1' }]);
 */
export async function removeMembers(ctx: TxContext, id: string, refs: readonly RecordRef[]): Promise<void> {
  const doc = staticSegment(ctx, id, 'remove');
  await listsIn(ctx.tx).remove(doc.id, doc.objectType, [...new Set(idsOf(ctx, doc, refs))]);
}

// ---------------------------------------------------------------- views

/** Checks a view's filter, sorts and properties by planning it as a search. */
function checkView(ctx: TxContext, pairs: PairLookup, model: ObjectModel, view: Pick<ViewDoc, 'filter' | 'sorts' | 'properties'>): void {
  planSearch(planning(ctx, pairs), model, viewSearch(view, { limit: 1, after: undefined }), { strict: false });
}

function viewSearch(view: Pick<ViewDoc, 'filter' | 'sorts' | 'properties'>, page: { limit: number; after: string | undefined }): SearchInput {
  return { filterGroups: view.filter?.filterGroups, sorts: view.sorts ?? [], query: undefined, properties: view.properties, limit: page.limit, after: page.after };
}

/**
 * views.create: a saved view, its filter, sorts and properties checked as a search's.
 *
 * @example
 * await createView(ctx, parseViewInput(input), pairs);
 */
export async function createView(ctx: TxContext, input: ViewInputParsed, pairs: PairLookup): Promise<View> {
  const model = ctx.schema.object(input.objectType);
  const { doc, saved } = newView(ctx.schema.savedDoc, input, model.name, ctx.now());
  checkView(ctx, pairs, model, doc);
  await ctx.saveSchema(ctx.schema.withSaved(saved));
  ctx.emit({ type: 'schema.changed', objectType: model.name, change: 'view.created' });
  return viewOf(doc);
}

/**
 * views.get: the view, or `undefined`.
 *
 * @example
 * getView(ctx, '1');
 */
export function getView(ctx: TxContext, id: string): View | undefined {
  const doc = ctx.schema.savedDoc.views.find((view) => view.id === id);
  return doc === undefined ? undefined : viewOf(doc);
}

/**
 * views.list: every view (of one object type when given), oldest first.
 *
 * @example
 * listViews(ctx, 'deals');
 */
export function listViews(ctx: TxContext, objectType: string | undefined): View[] {
  const type = objectType === undefined ? undefined : ctx.schema.object(objectType).name;
  return ctx.schema.savedDoc.views.filter((doc) => type === undefined || doc.objectType === type).map(viewOf);
}

/**
 * views.update: the name, filter, sorts and properties (checked again).
 *
 * @example
 * await updateView(ctx, '1', { sorts: [] }, pairs);
 */
export async function updateView(ctx: TxContext, id: string, patch: ViewPatchParsed, pairs: PairLookup): Promise<View> {
  const current = viewNamed(ctx.schema, id);
  const { doc, saved } = patchedView(ctx.schema, current, patch, ctx.now());
  checkView(ctx, pairs, ctx.schema.object(doc.objectType), doc);
  await ctx.saveSchema(ctx.schema.withSaved(saved));
  ctx.emit({ type: 'schema.changed', objectType: doc.objectType, change: 'view.updated' });
  return viewOf(doc);
}

/**
 * views.delete.
 *
 * @example
 * await deleteView(ctx, '1');
 */
export async function deleteView(ctx: TxContext, id: string): Promise<void> {
  const doc = viewNamed(ctx.schema, id);
  const saved = ctx.schema.savedDoc;
  await ctx.saveSchema(ctx.schema.withSaved({ ...saved, views: saved.views.filter((other) => other.id !== doc.id) }));
  ctx.emit({ type: 'schema.changed', objectType: doc.objectType, change: 'view.deleted' });
}

/**
 * views.run: the view as a search, a page at a time.
 *
 * @example
 * await runView(ctx, '1', { limit: 50, after: undefined }, pairs);
 */
export async function runView(ctx: TxContext, id: string, page: { limit: number; after: string | undefined }, pairs: PairLookup): Promise<SearchResult> {
  const doc = viewNamed(ctx.schema, id);
  return searchRecords(ctx, doc.objectType, viewSearch(doc, page), pairs);
}
