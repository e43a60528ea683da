// The association service behind `crm.associations`: each call reads its arguments, loads the
// records, and hands them to the graph writes (./graph.ts) inside the caller's transaction.
import type { TxContext } from '../schema/transaction.js';
import type { AssociationListInput, HistoryInput, PageInput, PairInput, RemoveInput } from '../arguments/associations.js';
import type { RecordRef } from '../arguments/refs.js';
import type { WriteInput } from '../arguments/source.js';
import { CrmError, culprit } from '../errors.js';
import { decodeCursor, encodeCursor, toPage } from '../kernel/paging.js';
import type { StoredEdge, StoredRecord } from '../storage/types.js';
import { readProjection, shown, visible } from '../schema/lookup.js';
import type { AssociationHistoryEntry, AssociationItem, CrmRecord, Page } from '../types.js';
import { ACTIVITY_TIMESTAMP, liveActivities } from '../derived/properties.js';
import { inBatch } from './batch.js';
import { link, makePrimary, pairOf, preloadLinks, unlabel, unlink } from './graph.js';
import { associationModel, COMPANIES, PRIMARY, type PairView } from './model.js';
import { anyEnd, atIndex, liveEnd, liveEnds, readRef, type End } from './refs.js';
import { resolveLabels } from './rules.js';

/** Associates `a` with `b` under `labels` (names seen from `a`). */
export async function associate(ctx: TxContext, a: RecordRef, b: RecordRef, labels: readonly string[] | undefined, { source }: WriteInput): Promise<void> {
  const from = await liveEnd(ctx, a);
  const to = await liveEnd(ctx, b);
  const resolved = resolveLabels(pairOf(ctx, from, to), labels, true);
  await inBatch(ctx, (batch) => link(batch, from, to, resolved, source));
}

/** Takes labels off an association. */
export async function removeLabels(ctx: TxContext, a: RecordRef, b: RecordRef, labels: readonly string[], { source, newPrimary }: RemoveInput): Promise<void> {
  const from = await liveEnd(ctx, a);
  const to = await liveEnd(ctx, b);
  const resolved = resolveLabels(pairOf(ctx, from, to), labels, true);
  const successor = newPrimary === undefined ? undefined : await liveEnd(ctx, newPrimary);
  await inBatch(ctx, (batch) => unlabel(batch, from, to, resolved, source, successor));
}

/** Removes the association between `a` and `b` (nothing when there is none). */
export async function remove(ctx: TxContext, a: RecordRef, b: RecordRef, { source, newPrimary }: RemoveInput): Promise<void> {
  const from = await liveEnd(ctx, a);
  const to = await liveEnd(ctx, b);
  const successor = newPrimary === undefined ? undefined : await liveEnd(ctx, newPrimary);
  await inBatch(ctx, (batch) => unlink(batch, from, to, source, successor));
}

/** Makes `company` the record's primary company (associating them if needed) and demotes the old one. */
export async function setPrimary(ctx: TxContext, record: RecordRef, company: RecordRef, { source }: WriteInput): Promise<void> {
  const owner = await liveEnd(ctx, record);
  const target = await liveEnd(ctx, company);
  if (owner.model.name === COMPANIES || target.model.name !== COMPANIES) {
    throw new CrmError('PRIMARY_NOT_ALLOWED', owner.model.name === COMPANIES ? 'A company has no primary company or contact' : `A primary must be a company, not a ${target.model.name} record`, {
      objectType: owner.model.name,
      toType: target.model.name,
    });
  }
  await inBatch(ctx, (batch) => makePrimary(batch, owner, target, source));
}

/** The pairs' records, loaded in one storage call per object type. */
async function pairEnds(ctx: TxContext, list: readonly PairInput[]): Promise<Array<readonly [End, End]>> {
  const ends = await liveEnds(ctx, list.flatMap((pair) => [pair.from, pair.to]), (at) => `pairs[${Math.floor(at / 2)}].${at % 2 === 0 ? 'from' : 'to'}`);
  return list.map((_, index) => {
    const a = ends[2 * index]!;
    const b = ends[2 * index + 1]!;
    return [a, b] as const;
  });
}

/** Associates every pair, atomically (the caller's transaction): one refused pair refuses all. */
export async function associateMany(ctx: TxContext, list: readonly PairInput[], { source }: WriteInput): Promise<void> {
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
export async function removeMany(ctx: TxContext, list: readonly PairInput[], { source }: WriteInput): Promise<void> {
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
function listingPair(ctx: TxContext, from: string, toType: string): { toType: string; view: PairView | undefined } {
  const model = ctx.schema.object(toType);
  return { toType: model.name, view: associationModel(ctx.schema).pair(from, model.name) };
}

/** The names a label filter accepts (UNKNOWN_LABEL for a name the pair lacks). */
function labelFilter(view: PairView | undefined, label: string | readonly string[] | undefined, from: string, toType: string): ReadonlySet<string> | undefined {
  if (label === undefined) return undefined;
  // One name (the common case): the label's own set, built once per schema version.
  const known = typeof label === 'string' ? view?.labels.get(label) : undefined;
  if (known) return known.only;
  const names = typeof label === 'string' ? [label] : label;
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
  record: RecordRef,
  toType: string,
  { label, limit, after: cursor, records, properties }: AssociationListInput,
): Promise<Page<AssociationItem> & { total: number }> {
  const end = await anyEnd(ctx, record);
  const pair = listingPair(ctx, end.model.name, toType);
  const labels = labelFilter(pair.view, label, end.model.name, pair.toType);
  const names = labels === undefined ? undefined : [...labels].sort();
  const after = cursor === undefined ? undefined : decodeCursor(ctx.engine.cursors, listScope(end, pair.toType, names), cursor);
  if (!pair.view) return { results: [], total: 0 };
  const page = await ctx.tx.pageEdges(end.model.name, end.record.id, {
    toType: pair.toType,
    limit,
    ...(after !== undefined ? { after } : {}),
    ...(names !== undefined ? { labels: names } : {}),
  });
  const results = records ? await withRecords(ctx, pair.toType, page.edges, properties) : page.edges.map(itemOf);
  if (page.after === undefined) return { results, total: page.total };
  return { results, paging: { next: { after: encodeCursor(ctx.engine.cursors, listScope(end, pair.toType, names), page.after) } }, total: page.total };
}

/** The items of a page with their records (one storage read), showing `properties` only when given. */
async function withRecords(ctx: TxContext, toType: string, edges: readonly StoredEdge[], properties: readonly string[] | undefined): Promise<AssociationItem[]> {
  const model = ctx.schema.object(toType);
  const projection = readProjection(model, properties);
  const found = edges.length === 0 ? [] : await ctx.tx.getRecords(toType, edges.map((edge) => edge.toId));
  return edges.map((edge, at) => {
    const record = found[at];
    // A live edge joins live records; a storage that answered otherwise is reported, not hidden.
    if (record === undefined) throw new CrmError('STORAGE_ERROR', `storage lists an association with ${toType} ${edge.toId}, which it does not hold`);
    return { ...itemOf(edge), record: shown(model, record, projection) };
  });
}

/**
 * What a list cursor is sealed to: one record's list under one label filter, and no other. A
 * plain function, not a closure in the call: the list is the hottest read.
 */
function listScope(end: { model: { name: string }; record: { id: string } }, toType: string, names: readonly string[] | undefined): string {
  return JSON.stringify(['associations', end.model.name, end.record.id, toType, names ?? null]);
}

/**
 * The live record `ref` and the live `toType` records associated with it (under one of `labels`,
 * seen from it, when given; UNKNOWN_LABEL for a name the pair lacks), in association order.
 * NOT_FOUND / ARCHIVED when `ref` is not live.
 *
 * @example
 * const { record, others } = await associatedRecords(ctx, deal, 'contacts', ['decision_maker']);
 */
export async function associatedRecords(
  ctx: TxContext,
  ref: RecordRef,
  toType: string,
  label: readonly string[] | undefined,
): Promise<{ record: StoredRecord; toType: string; others: StoredRecord[] }> {
  const end = await liveEnd(ctx, ref);
  const pair = listingPair(ctx, end.model.name, toType);
  const labels = labelFilter(pair.view, label, end.model.name, pair.toType);
  if (!pair.view) return { record: end.record, toType: pair.toType, others: [] };
  const [edges = []] = await ctx.tx.getEdges(end.model.name, [end.record.id], pair.toType);
  const live = inTimeOrder(edges.filter((edge) => matches(edge, labels)));
  const found = live.length === 0 ? [] : await ctx.tx.getRecords(pair.toType, live.map((edge) => edge.toId));
  return { record: end.record, toType: pair.toType, others: found.filter((other): other is StoredRecord => other !== undefined && !other.archived) };
}

/** Every live association to `toType` of each record, by record id. */
export async function listManyAssociations(
  ctx: TxContext,
  records: readonly RecordRef[],
  toType: string,
  label: string | readonly string[] | undefined,
): Promise<Map<string, AssociationItem[]>> {
  const result = new Map<string, AssociationItem[]>();
  const refs = records.map((record) => readRef(ctx, record));
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
    const labels = labelFilter(pair.view, label, type, pair.toType);
    const lists = pair.view ? await ctx.tx.getEdges(type, ids, pair.toType) : ids.map(() => []);
    ids.forEach((id, at) => result.set(id, inTimeOrder(lists[at]!.filter((edge) => matches(edge, labels))).map(itemOf)));
  }
  return result;
}

/** A record's association history, newest first; `toType` / `with` narrow it. */
export async function associationHistory(ctx: TxContext, record: RecordRef, options: HistoryInput): Promise<AssociationHistoryEntry[]> {
  const end = await anyEnd(ctx, record);
  const toType = options.toType === undefined ? undefined : ctx.schema.object(options.toType).name;
  const other = options.with === undefined ? undefined : readRef(ctx, options.with);
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
export async function timeline(ctx: TxContext, record: RecordRef, { limit, after: cursor }: PageInput): Promise<Page<CrmRecord>> {
  const end = await anyEnd(ctx, record);
  const scope = `timeline/${end.model.name}/${end.record.id}`;
  const after = cursor === undefined ? undefined : decodeCursor(ctx.engine.cursors, scope, cursor);
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
