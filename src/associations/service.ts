// The association service behind `crm.associations`: each call reads its arguments, loads the
// records, and hands them to the graph writes (./graph.ts) inside the caller's transaction.
import type { TxContext } from '../schema/transaction.js';
import { PAIR_KEYS, checkItems, checkOptions, isPlainObject } from '../arguments/options.js';
import { CrmError, culprit, describeValue, validationError } from '../errors.js';
import { decodeCursor, encodeCursor, readLimit, toPage } from '../kernel/paging.js';
import { readSource } from '../arguments/source.js';
import type { StoredEdge } from '../storage/types.js';
import { visible } from '../schema/lookup.js';
import type { AssociationHistoryEntry, AssociationItem, AssociationListOptions, CrmRecord, Page, Source } from '../types.js';
import { ACTIVITY_TIMESTAMP, liveActivities } from '../derived/properties.js';
import { inBatch } from './batch.js';
import { link, makePrimary, pairOf, preloadLinks, unlabel, unlink } from './graph.js';
import { associationModel, COMPANIES, PRIMARY, type PairView } from './model.js';
import { anyEnd, atIndex, liveEnd, liveEnds, readRef, type End } from './refs.js';
import { resolveLabels } from './rules.js';

function readOptions(options: unknown): { source: Source; newPrimary?: unknown } {
  const source = readSource(options);
  const newPrimary = isPlainObject(options) ? options.newPrimary : undefined;
  return newPrimary === undefined ? { source } : { source, newPrimary };
}

/** Associates `a` with `b` under `labels` (names seen from `a`). */
export async function associate(ctx: TxContext, a: unknown, b: unknown, labels: unknown, options: unknown): Promise<void> {
  checkOptions('associations.associate', options);
  const { source } = readOptions(options);
  const from = await liveEnd(ctx, a, 'a');
  const to = await liveEnd(ctx, b, 'b');
  const resolved = resolveLabels(pairOf(ctx, from, to), labels, true);
  await inBatch(ctx, (batch) => link(batch, from, to, resolved, source));
}

/** Takes labels off an association. */
export async function removeLabels(ctx: TxContext, a: unknown, b: unknown, labels: unknown, options: unknown): Promise<void> {
  checkOptions('associations.unlabel', options);
  const { source, newPrimary } = readOptions(options);
  const from = await liveEnd(ctx, a, 'a');
  const to = await liveEnd(ctx, b, 'b');
  if (!Array.isArray(labels)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', property: 'labels', message: `unlabel expects an array of label names, got ${describeValue(labels)}` }]);
  }
  const resolved = resolveLabels(pairOf(ctx, from, to), labels, true);
  const successor = newPrimary === undefined ? undefined : await liveEnd(ctx, newPrimary, 'newPrimary');
  await inBatch(ctx, (batch) => unlabel(batch, from, to, resolved, source, successor));
}

/** Removes the association between `a` and `b` (nothing when there is none). */
export async function remove(ctx: TxContext, a: unknown, b: unknown, options: unknown): Promise<void> {
  checkOptions('associations.remove', options);
  const { source, newPrimary } = readOptions(options);
  const from = await liveEnd(ctx, a, 'a');
  const to = await liveEnd(ctx, b, 'b');
  const successor = newPrimary === undefined ? undefined : await liveEnd(ctx, newPrimary, 'newPrimary');
  await inBatch(ctx, (batch) => unlink(batch, from, to, source, successor));
}

/** Makes `company` the record's primary company (associating them if needed) and demotes the old one. */
export async function setPrimary(ctx: TxContext, record: unknown, company: unknown, options: unknown): Promise<void> {
  checkOptions('associations.setPrimary', options);
  const { source } = readOptions(options);
  const owner = await liveEnd(ctx, record, 'record');
  const target = await liveEnd(ctx, company, 'company');
  if (owner.model.name === COMPANIES || target.model.name !== COMPANIES) {
    throw new CrmError('PRIMARY_NOT_ALLOWED', owner.model.name === COMPANIES ? 'A company has no primary company or contact' : `A primary must be a company, not a ${target.model.name} record`, {
      objectType: owner.model.name,
      toType: target.model.name,
    });
  }
  await inBatch(ctx, (batch) => makePrimary(batch, owner, target, source));
}

function readPairs(pairs: unknown, call: string): Array<{ from: unknown; to: unknown; labels: unknown }> {
  if (!Array.isArray(pairs)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', message: `${call} expects an array of { from, to, labels? }, got ${describeValue(pairs)}` }]);
  }
  // A loop, not map: map skips the holes of a sparse array.
  const result: Array<{ from: unknown; to: unknown; labels: unknown }> = [];
  for (let index = 0; index < pairs.length; index++) {
    const pair: unknown = pairs[index];
    if (!isPlainObject(pair)) {
      throw validationError([{ code: 'INVALID_ARGUMENT', index, message: `${call}: pair ${index} must be { from, to, labels? }, got ${describeValue(pair)}` }]);
    }
    result.push({ from: pair.from, to: pair.to, labels: pair.labels });
  }
  return result;
}

/** The pairs' records, loaded in one storage call per object type. */
async function pairEnds(ctx: TxContext, list: ReadonlyArray<{ from: unknown; to: unknown }>): Promise<Array<readonly [End, End]>> {
  const ends = await liveEnds(ctx, list.flatMap((pair) => [pair.from, pair.to]), (at) => `pairs[${Math.floor(at / 2)}].${at % 2 === 0 ? 'from' : 'to'}`);
  return list.map((_, index) => {
    const a = ends[2 * index]!;
    const b = ends[2 * index + 1]!;
    return [a, b] as const;
  });
}

/** Associates every pair, atomically (the caller's transaction): one refused pair refuses all. */
export async function associateMany(ctx: TxContext, pairs: unknown, options: unknown): Promise<void> {
  checkOptions('associations.associateMany', options);
  checkItems('associations.associateMany', pairs, PAIR_KEYS);
  const { source } = readOptions(options);
  const list = readPairs(pairs, 'associateMany');
  const ends = await pairEnds(ctx, list).catch((error: unknown) => {
    throw renumber(error);
  });
  const labels = ends.map(([a, b], index) => {
    try {
      return resolveLabels(pairOf(ctx, a, b), list[index]!.labels, true);
    } catch (error) {
      throw atIndex(error, index);
    }
  });
  await inBatch(ctx, async (batch) => {
    await preloadLinks(batch, ends);
    for (let index = 0; index < ends.length; index++) {
      const [a, b] = ends[index]!;
      try {
        await link(batch, a, b, labels[index]!, source);
      } catch (error) {
        throw atIndex(error, index);
      }
    }
  });
}

/** liveEnds numbers the records (two per pair): the error should name the pair. */
function renumber(error: unknown): unknown {
  if (error instanceof CrmError && typeof error.details.index === 'number') error.details.index = Math.floor(error.details.index / 2);
  return error;
}

/** Removes every pair's association, atomically. */
export async function removeMany(ctx: TxContext, pairs: unknown, options: unknown): Promise<void> {
  checkOptions('associations.removeMany', options);
  checkItems('associations.removeMany', pairs, PAIR_KEYS);
  const { source } = readOptions(options);
  const list = readPairs(pairs, 'removeMany');
  const ends = await pairEnds(ctx, list).catch((error: unknown) => {
    throw renumber(error);
  });
  await inBatch(ctx, async (batch) => {
    for (let index = 0; index < ends.length; index++) {
      const [a, b] = ends[index]!;
      try {
        await unlink(batch, a, b, source);
      } catch (error) {
        throw atIndex(error, index);
      }
    }
  });
}

// ---------------------------------------------------------------- reads

/** The pair for a listing: UNKNOWN_OBJECT_TYPE for an unknown type; `undefined` when the two never associate. */
function listingPair(ctx: TxContext, from: string, toType: unknown): { toType: string; view: PairView | undefined } {
  const model = ctx.schema.object(toType as string);
  return { toType: model.name, view: associationModel(ctx.schema).pair(from, model.name) };
}

/** The names a label filter accepts (UNKNOWN_LABEL for a name the pair lacks). */
function labelFilter(view: PairView | undefined, label: unknown, from: string, toType: string): ReadonlySet<string> | undefined {
  if (label === undefined) return undefined;
  // One name (the common case): the label's own set, built once per schema version.
  const known = typeof label === 'string' ? view?.labels.get(label) : undefined;
  if (known) return known.only;
  const names = Array.isArray(label) ? label : [label];
  if (!view) {
    throw new CrmError('UNKNOWN_LABEL', `${from} → ${toType} has no labels: the two never associate`, { objectType: from, toType, label: culprit(names[0]) });
  }
  return new Set(resolveLabels(view, names, false).map((side) => side.name));
}

/**
 * Edges in the order their associations were made. Storage order is that already, except for
 * associations a merge moved (they keep their time but are stored after the survivor's own):
 * checking costs one pass, sorting (stable) happens only then.
 */
function inTimeOrder(edges: StoredEdge[]): StoredEdge[] {
  for (let at = 1; at < edges.length; at++) {
    if (edges[at]!.createdAt < edges[at - 1]!.createdAt) return edges.sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0));
  }
  return edges;
}

/** An edge as a list item; its labels are the stored frozen list (no copy per item). */
function itemOf(edge: StoredEdge): AssociationItem {
  return { objectType: edge.toType, id: edge.toId, labels: edge.labels as string[], primary: edge.labels.includes(PRIMARY) };
}

function matches(edge: StoredEdge, labels: ReadonlySet<string> | undefined): boolean {
  if (edge.archived) return false;
  if (!labels) return true;
  for (const name of edge.labels) if (labels.has(name)) return true;
  return false;
}

/**
 * A page of a record's live associations to `toType`, in the order they were made, with the
 * total. The storage pages by keyset (pageEdges), so a page costs the same wherever it starts.
 */
export async function listAssociations(
  ctx: TxContext,
  record: unknown,
  toType: unknown,
  options: AssociationListOptions | undefined,
): Promise<Page<AssociationItem> & { total: number }> {
  checkOptions('associations.list', options);
  const end = await anyEnd(ctx, record, 'record');
  const pair = listingPair(ctx, end.model.name, toType);
  const labels = labelFilter(pair.view, options?.label, end.model.name, pair.toType);
  const limit = readLimit(options?.limit);
  const names = labels === undefined ? undefined : [...labels].sort();
  // A cursor pages one record's list under one label filter, and no other.
  const scope = (): string => JSON.stringify(['associations', end.model.name, end.record.id, pair.toType, names ?? null]);
  const after = options?.after === undefined ? undefined : decodeCursor(ctx.engine.cursors, scope(), options.after);
  if (!pair.view) return { results: [], total: 0 };
  const page = await ctx.tx.pageEdges(end.model.name, end.record.id, {
    toType: pair.toType,
    limit,
    ...(after !== undefined ? { after } : {}),
    ...(names !== undefined ? { labels: names } : {}),
  });
  const results = page.edges.map(itemOf);
  if (page.after === undefined) return { results, total: page.total };
  return { results, paging: { next: { after: encodeCursor(ctx.engine.cursors, scope(), page.after) } }, total: page.total };
}

/** Every live association to `toType` of each record, by record id. */
export async function listManyAssociations(ctx: TxContext, records: unknown, toType: unknown, options: unknown): Promise<Map<string, AssociationItem[]>> {
  checkOptions('associations.listMany', options);
  if (!Array.isArray(records)) {
    throw validationError([{ code: 'INVALID_ARGUMENT', message: `listMany expects an array of records, got ${describeValue(records)}` }]);
  }
  const result = new Map<string, AssociationItem[]>();
  const refs = Array.from(records, (record, index) => readRef(ctx, record, `records[${index}]`));
  // One storage call per object type.
  const byType = new Map<string, string[]>();
  for (const { model, id } of refs) {
    const ids = byType.get(model.name);
    if (ids) ids.push(id);
    else byType.set(model.name, [id]);
  }
  for (const [type, ids] of byType) {
    const found = await ctx.tx.getRecords(type, ids);
    const missing = found.findIndex((record) => record === undefined);
    if (missing !== -1) throw new CrmError('NOT_FOUND', `No ${type} record with id ${JSON.stringify(ids[missing])}`, { objectType: type, id: ids[missing]! });
    const pair = listingPair(ctx, type, toType);
    const labels = labelFilter(pair.view, (options as { label?: unknown } | undefined)?.label, type, pair.toType);
    const lists = pair.view ? await ctx.tx.getEdges(type, ids, pair.toType) : ids.map(() => []);
    ids.forEach((id, at) => result.set(id, inTimeOrder(lists[at]!.filter((edge) => matches(edge, labels))).map(itemOf)));
  }
  return result;
}

/** A record's association history, newest first; `toType` / `with` narrow it. */
export async function associationHistory(ctx: TxContext, record: unknown, options: { toType?: unknown; with?: unknown } | undefined): Promise<AssociationHistoryEntry[]> {
  checkOptions('associations.history', options);
  const end = await anyEnd(ctx, record, 'record');
  const toType = options?.toType === undefined ? undefined : ctx.schema.object(options.toType as string).name;
  const other = options?.with === undefined ? undefined : readRef(ctx, options.with, 'with');
  const entries = await ctx.tx.readEdgeHistory(end.model.name, end.record.id);
  const result: AssociationHistoryEntry[] = [];
  for (let at = entries.length - 1; at >= 0; at--) {
    const entry = entries[at]!;
    if (toType !== undefined && entry.toType !== toType) continue;
    if (other && (entry.toType !== other.model.name || entry.toId !== other.id)) continue;
    result.push({
      action: entry.action,
      from: { objectType: entry.objectType, id: entry.id },
      to: { objectType: entry.toType, id: entry.toId },
      ...(entry.otherName !== undefined ? { otherName: entry.otherName } : {}),
      labelsBefore: [...entry.labelsBefore],
      labelsAfter: [...entry.labelsAfter],
      timestamp: entry.timestamp,
      source: entry.source,
    });
  }
  return result;
}

export type { End };

/** A page of the record's live activities, newest first by hs_timestamp (ties by id). */
export async function timeline(ctx: TxContext, record: unknown, options: { limit?: unknown; after?: unknown } | undefined): Promise<Page<CrmRecord>> {
  checkOptions('timeline', options);
  const end = await anyEnd(ctx, record, 'record');
  const limit = readLimit(options?.limit);
  const scope = `timeline/${end.model.name}/${end.record.id}`;
  const after = options?.after === undefined ? undefined : decodeCursor(ctx.engine.cursors, scope, options.after);
  const activities = (await liveActivities(ctx, end.model.name, end.record.id)).map((activity) => visible(ctx.schema.object(activity.objectType), activity));
  const sortKey = (activity: CrmRecord): string => `${String(activity.properties[ACTIVITY_TIMESTAMP] ?? '')}\u0000${activity.id}\u0000${activity.objectType}`;
  activities.sort((x, y) => (sortKey(x) < sortKey(y) ? 1 : sortKey(x) > sortKey(y) ? -1 : 0));
  // Keyset paging: the cursor is the sort key of the last activity shown.
  const start = after === undefined ? 0 : activities.findIndex((activity) => sortKey(activity) < after);
  const from = start === -1 ? activities.length : start;
  const slice = activities.slice(from, from + limit);
  const next = from + limit < activities.length ? sortKey(slice[slice.length - 1]!) : undefined;
  return toPage(slice, ctx.engine.cursors, scope, next);
}
