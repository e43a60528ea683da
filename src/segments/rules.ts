// The rules of segments and saved views, as pure functions over the schema's saved-filter
// document (schema/saved.ts): what a new or changed one is, what may not change, and what a
// deletion would break. Checking a filter against the schema is planning it (src/query/), which
// the service does with these documents in hand.
import { CrmError, validationError } from '../errors.js';
import type { SavedDoc, SegmentDoc, ViewDoc } from '../schema/saved.js';
import { usersOf } from '../schema/saved.js';
import type { SchemaState } from '../schema/model.js';
import type { SegmentInputParsed, SegmentPatchParsed, ViewInputParsed, ViewPatchParsed } from '../arguments/segments.js';

/**
 * The segment, or UNKNOWN_SEGMENT.
 *
 * @example
 * const doc = segmentNamed(ctx.schema, '3');
 */
export function segmentNamed(schema: SchemaState, id: string): SegmentDoc {
  const doc = schema.segment(id);
  if (doc === undefined) throw new CrmError('UNKNOWN_SEGMENT', `There is no segment ${JSON.stringify(id)}`, { segmentId: id });
  return doc;
}

/**
 * The view, or UNKNOWN_VIEW.
 *
 * @example
 * const doc = viewNamed(ctx.schema, '1');
 */
export function viewNamed(schema: SchemaState, id: string): ViewDoc {
  const doc = schema.savedDoc.views.find((view) => view.id === id);
  if (doc === undefined) throw new CrmError('UNKNOWN_VIEW', `There is no view ${JSON.stringify(id)}`, { viewId: id });
  return doc;
}

/**
 * A new segment's document (its id the next number) and the saved-filter document holding it.
 * An active segment needs a filter (VALIDATION_ERROR); a static one keeps none: its filter, if
 * any, only chose its first members.
 *
 * @example
 * const { doc, saved } = newSegment(schema.savedDoc, input, 'contacts', now);
 */
export function newSegment(saved: SavedDoc, input: SegmentInputParsed, objectType: string, now: string): { doc: SegmentDoc; saved: SavedDoc } {
  if (input.kind === 'active' && input.filter === undefined) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'filter', message: 'an active segment needs a filter: its members are the records matching it ({ filterGroups: [] } holds every record)' }]);
  }
  const doc: SegmentDoc = {
    id: String(saved.nextSegmentNumber),
    name: input.name,
    objectType,
    kind: input.kind,
    ...(input.kind === 'active' ? { filter: input.filter! } : {}),
    createdAt: now,
    updatedAt: now,
  };
  return { doc, saved: { ...saved, segments: [...saved.segments, doc], nextSegmentNumber: saved.nextSegmentNumber + 1 } };
}

/**
 * The segment after a patch: its name, and an active segment's filter. Its object type and kind
 * never change (IMMUTABLE); a static segment takes no filter (its members change by add and
 * remove: VALIDATION_ERROR).
 *
 * @example
 * const { doc, saved } = patchedSegment(schema, current, { name: 'Hot leads' }, now);
 */
export function patchedSegment(schema: SchemaState, current: SegmentDoc, patch: SegmentPatchParsed, now: string): { doc: SegmentDoc; saved: SavedDoc } {
  if (patch.objectType !== undefined && schema.find(patch.objectType)?.name !== current.objectType) {
    throw new CrmError('IMMUTABLE', `Segment ${current.id} holds ${current.objectType} records; its object type cannot change`, { objectType: current.objectType, field: 'objectType' });
  }
  if (patch.kind !== undefined && patch.kind !== current.kind) {
    throw new CrmError('IMMUTABLE', `Segment ${current.id} is ${current.kind}; a segment's kind cannot change`, { objectType: current.objectType, field: 'kind' });
  }
  if (patch.filter !== undefined && current.kind === 'static') {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'filter', message: `segment ${current.id} is static: its members change by segments.add and segments.remove, not by a filter` }]);
  }
  const doc: SegmentDoc = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.filter !== undefined ? { filter: patch.filter } : {}),
    updatedAt: now,
  };
  const saved = schema.savedDoc;
  return { doc, saved: { ...saved, segments: saved.segments.map((other) => (other.id === current.id ? doc : other)) } };
}

/**
 * The saved-filter document without the segment; SEGMENT_IN_USE while another segment's filter
 * or a view's names it.
 *
 * @example
 * const saved = withoutSegment(schema, doc);
 */
export function withoutSegment(schema: SchemaState, doc: SegmentDoc): SavedDoc {
  const users = usersOf(schema, (uses) => uses.segments.includes(doc.id));
  users.segments = users.segments.filter((id) => id !== doc.id);
  if (users.segments.length > 0 || users.views.length > 0) {
    const names = [...users.segments.map((id) => `segment ${id}`), ...users.views.map((id) => `view ${id}`)];
    throw new CrmError('SEGMENT_IN_USE', `Segment ${doc.id} is named by ${names.join(', ')}; change or delete ${names.length === 1 ? 'it' : 'them'} first`, {
      segmentId: doc.id,
      segments: users.segments,
      views: users.views,
    });
  }
  const saved = schema.savedDoc;
  return { ...saved, segments: saved.segments.filter((other) => other.id !== doc.id) };
}

/**
 * A new view's document and the saved-filter document holding it.
 *
 * @example
 * const { doc, saved } = newView(schema.savedDoc, input, 'deals', now);
 */
export function newView(saved: SavedDoc, input: ViewInputParsed, objectType: string, now: string): { doc: ViewDoc; saved: SavedDoc } {
  const doc: ViewDoc = { ...viewFields(input), id: String(saved.nextViewNumber), name: input.name, objectType, createdAt: now, updatedAt: now };
  return { doc, saved: { ...saved, views: [...saved.views, doc], nextViewNumber: saved.nextViewNumber + 1 } };
}

/**
 * The view after a patch; its object type never changes (IMMUTABLE).
 *
 * @example
 * const { doc, saved } = patchedView(schema, current, { sorts: [] }, now);
 */
export function patchedView(schema: SchemaState, current: ViewDoc, patch: ViewPatchParsed, now: string): { doc: ViewDoc; saved: SavedDoc } {
  if (patch.objectType !== undefined && schema.find(patch.objectType)?.name !== current.objectType) {
    throw new CrmError('IMMUTABLE', `View ${current.id} shows ${current.objectType} records; its object type cannot change`, { objectType: current.objectType, field: 'objectType' });
  }
  const doc: ViewDoc = { ...current, ...viewFields(patch), ...(patch.name !== undefined ? { name: patch.name } : {}), updatedAt: now };
  const saved = schema.savedDoc;
  return { doc, saved: { ...saved, views: saved.views.map((other) => (other.id === current.id ? doc : other)) } };
}

/** The optional fields a view input or patch sets. */
function viewFields(input: ViewPatchParsed): Partial<Pick<ViewDoc, 'filter' | 'sorts' | 'properties'>> {
  return {
    ...(input.filter !== undefined ? { filter: input.filter } : {}),
    ...(input.sorts !== undefined ? { sorts: input.sorts } : {}),
    ...(input.properties !== undefined ? { properties: input.properties } : {}),
  };
}
