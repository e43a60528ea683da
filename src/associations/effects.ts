// What an association change sets off besides itself: calculated properties to recount at the
// end of the call (num_associated_contacts, num_associated_deals, hs_last_activity_date), and
// required associations to check before the transaction commits (a quote's deal, a lead's
// contact or company).
import type { TxContext } from '../schema/transaction.js';
import { CrmError } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import type { HistoryEntry, StoredRecord } from '../storage/types.js';
import type { Properties, Source } from '../types.js';
import { ACTIVITY_TYPES, associationModel, COMPANIES, CONTACTS } from './model.js';

const CALCULATED_SOURCE: Source = Object.freeze({ type: 'CALCULATED' });

/** Counts the engine keeps: on records of `on`, the live associations with `counts` records. */
export const ASSOCIATION_COUNTS: ReadonlyArray<{ property: string; on: readonly string[]; counts: string }> = [
  { property: 'num_associated_contacts', on: [COMPANIES], counts: CONTACTS },
  { property: 'num_associated_deals', on: [CONTACTS, COMPANIES], counts: 'deals' },
];

/** The latest hs_timestamp of a record's live activities. */
export const LAST_ACTIVITY_PROPERTY = 'hs_last_activity_date';
export const ACTIVITY_TIMESTAMP = 'hs_timestamp';

/**
 * A record's calculated properties to bring up to date at the end of the call: recounted from
 * its associations (`full`), or moved by what this call changed (`deltas` to the counts, the
 * latest activity time seen), which spares reading every association of a busy company.
 */
interface Recount {
  full: boolean;
  deltas: Map<string, number> | undefined;
  latestActivity: string | undefined;
}

interface Pending {
  /** By type, then id. */
  calculated: Map<string, Map<string, Recount>>;
  required: Map<string, { type: string; id: string }>;
}

const pendingWork = new WeakMap<TxContext, Pending>();

function pending(ctx: TxContext): Pending {
  let work = pendingWork.get(ctx);
  if (!work) pendingWork.set(ctx, (work = { calculated: new Map(), required: new Map() }));
  return work;
}

/** Whether associations with `otherType` records feed a calculated property of `type` records. */
function feedsCalculation(type: string, otherType: string): boolean {
  if (ACTIVITY_TYPES.has(otherType) && !ACTIVITY_TYPES.has(type)) return true;
  return ASSOCIATION_COUNTS.some((count) => count.counts === otherType && count.on.includes(type));
}

/** The queued recount of one record (queued now if it was not). */
function recountOf(ctx: TxContext, type: string, id: string): Recount {
  const work = pending(ctx);
  let ofType = work.calculated.get(type);
  if (!ofType) work.calculated.set(type, (ofType = new Map()));
  let entry = ofType.get(id);
  if (!entry) {
    ofType.set(id, (entry = { full: false, deltas: undefined, latestActivity: undefined }));
    ctx.atEndOfCall('associations.calculated', () => recount(ctx));
  }
  return entry;
}

/** Queues a full recount of `type`/`id`'s calculated properties at the end of the call. */
export function recalculate(ctx: TxContext, type: string, id: string): void {
  recountOf(ctx, type, id).full = true;
}

/** What one association made or removed does to `owner`'s calculated properties. */
function associationCounted(ctx: TxContext, owner: { model: ObjectModel; record: { id: string } }, other: { model: ObjectModel; record: { id: string; properties?: Properties } }, made: boolean): void {
  const type = owner.model.name;
  const otherType = other.model.name;
  if (!feedsCalculation(type, otherType)) return;
  const entry = recountOf(ctx, type, owner.record.id);
  if (entry.full) return;
  for (const count of ASSOCIATION_COUNTS) {
    if (count.counts !== otherType || !count.on.includes(type)) continue;
    entry.deltas ??= new Map();
    entry.deltas.set(count.property, (entry.deltas.get(count.property) ?? 0) + (made ? 1 : -1));
  }
  if (ACTIVITY_TYPES.has(otherType)) {
    // A new activity can only move the latest time forward; a removed one may move it back.
    const at = other.record.properties?.[ACTIVITY_TIMESTAMP];
    if (!made || typeof at !== 'string') entry.full = true;
    else if (entry.latestActivity === undefined || at > entry.latestActivity) entry.latestActivity = at;
  }
}

/** Queues the required-association check of `type`/`id` for the commit. */
export function checkRequiredLater(ctx: TxContext, type: string, id: string): void {
  if (!associationModel(ctx.schema).required.has(type)) return;
  const work = pending(ctx);
  work.required.set(`${type}\u0000${id}`, { type, id });
  ctx.beforeCommit('associations.required', () => checkRequired(ctx));
}

/** Queues what an association change between `a` and `b` causes. */
export function edgeChanged(ctx: TxContext, a: { model: ObjectModel; record: StoredRecord }, b: { model: ObjectModel; record: StoredRecord }, action: string): void {
  const aType = a.model.name;
  const bType = b.model.name;
  if (action === 'relabelled') return; // labels feed no calculation and no requirement
  associationCounted(ctx, a, b, action === 'created');
  associationCounted(ctx, b, a, action === 'created');
  if (action === 'removed') {
    checkRequiredLater(ctx, aType, a.record.id);
    checkRequiredLater(ctx, bType, b.record.id);
  }
}

/** Queues what archiving, restoring or purging `record` causes for the records around it. */
export function neighboursChanged(ctx: TxContext, model: ObjectModel, record: { id: string }, neighbours: ReadonlyArray<{ toType: string; toId: string }>): void {
  for (const edge of neighbours) {
    if (feedsCalculation(edge.toType, model.name)) recalculate(ctx, edge.toType, edge.toId);
    checkRequiredLater(ctx, edge.toType, edge.toId);
  }
  if (model.properties.has(LAST_ACTIVITY_PROPERTY) || ASSOCIATION_COUNTS.some((count) => count.on.includes(model.name))) {
    recalculate(ctx, model.name, record.id);
  }
}

/** The live activities associated with a record (one storage call per activity type). */
export async function liveActivities(ctx: TxContext, type: string, id: string): Promise<StoredRecord[]> {
  const [edges] = await ctx.tx.getEdges(type, [id]);
  const byType = new Map<string, string[]>();
  for (const edge of edges!) {
    if (edge.archived || !ACTIVITY_TYPES.has(edge.toType)) continue;
    const ids = byType.get(edge.toType);
    if (ids) ids.push(edge.toId);
    else byType.set(edge.toType, [edge.toId]);
  }
  const activities: StoredRecord[] = [];
  for (const [activityType, ids] of byType) {
    for (const activity of await ctx.tx.getRecords(activityType, ids)) if (activity && !activity.archived) activities.push(activity);
  }
  return activities;
}

/** The calculated values a record should hold now. */
async function calculatedValues(ctx: TxContext, model: ObjectModel, record: StoredRecord): Promise<Properties> {
  const values: Properties = {};
  for (const count of ASSOCIATION_COUNTS) {
    if (!count.on.includes(model.name) || !model.properties.has(count.property)) continue;
    const [edges] = await ctx.tx.getEdges(model.name, [record.id], count.counts);
    // Zero is stored as no value, so a record that never had one and one that lost them all look alike.
    values[count.property] = edges!.reduce((total, edge) => total + (edge.archived ? 0 : 1), 0) || null;
  }
  if (model.properties.has(LAST_ACTIVITY_PROPERTY)) {
    let latest: string | undefined;
    for (const activity of await liveActivities(ctx, model.name, record.id)) {
      const at = activity.properties[ACTIVITY_TIMESTAMP];
      if (typeof at === 'string' && (latest === undefined || at > latest)) latest = at;
    }
    values[LAST_ACTIVITY_PROPERTY] = latest ?? null;
  }
  return values;
}

/** The values a queued recount gives: recounted in full, or the stored ones moved by this call's changes. */
async function recountedValues(ctx: TxContext, model: ObjectModel, record: StoredRecord, entry: Recount): Promise<Properties> {
  if (entry.full) return calculatedValues(ctx, model, record);
  const values: Properties = {};
  if (entry.deltas) {
    for (const [property, delta] of entry.deltas) {
      if (!model.properties.has(property)) continue;
      const current = record.properties[property];
      values[property] = (typeof current === 'number' ? current : 0) + delta || null;
    }
  }
  const latest = entry.latestActivity;
  if (latest !== undefined && model.properties.has(LAST_ACTIVITY_PROPERTY)) {
    const current = record.properties[LAST_ACTIVITY_PROPERTY];
    if (typeof current !== 'string' || latest > current) values[LAST_ACTIVITY_PROPERTY] = latest;
  }
  return values;
}

/** Brings every queued record's calculated properties up to date, writing the ones that changed. */
async function recount(ctx: TxContext): Promise<void> {
  const work = pending(ctx);
  const queued = work.calculated;
  work.calculated = new Map();
  const timestamp = ctx.now();
  const records: StoredRecord[] = [];
  const entries: HistoryEntry[] = [];
  for (const [type, byId] of queued) {
    const model = ctx.schema.find(type);
    if (!model) continue;
    const ids = [...byId.keys()];
    const current = await ctx.tx.getRecords(type, ids);
    for (let at = 0; at < ids.length; at++) {
      const record = current[at];
      if (!record || record.archived) continue;
      const values = await recountedValues(ctx, model, record, byId.get(ids[at]!)!);
      let changes: Properties | undefined;
      for (const name of Object.keys(values)) {
        const value = values[name]!;
        if ((record.properties[name] ?? null) !== value) (changes ??= {})[name] = value;
      }
      if (!changes) continue;
      const properties: Properties = { ...record.properties };
      for (const name of Object.keys(changes)) {
        const value = changes[name]!;
        if (value === null) delete properties[name];
        else properties[name] = value;
      }
      const next: StoredRecord = Object.freeze({ ...record, properties: Object.freeze(properties) });
      records.push(next);
      if (ctx.options.history) entries.push({ objectType: type, id: record.id, timestamp, source: CALCULATED_SOURCE, values: Object.freeze(changes) });
      ctx.emit({ type: 'record.updated', objectType: type, id: record.id, record: next, changes, source: CALCULATED_SOURCE });
    }
  }
  if (records.length > 0) await ctx.tx.updateRecords(records);
  if (entries.length > 0) await ctx.tx.appendHistory(entries);
}

/** ASSOCIATION_REQUIRED for every queued live record that lacks the association its type requires. */
async function checkRequired(ctx: TxContext): Promise<void> {
  const work = pending(ctx);
  const queued = [...work.required.values()];
  work.required.clear();
  const { required } = associationModel(ctx.schema);
  const missing = new Map<string, string[]>();
  for (const { type, id } of queued) {
    const anyOf = required.get(type);
    if (!anyOf) continue;
    const [record] = await ctx.tx.getRecords(type, [id]);
    if (!record || record.archived) continue;
    const [edges] = await ctx.tx.getEdges(type, [id]);
    // An archived partner still counts: archiving a quote's deal is allowed.
    if (edges!.some((edge) => anyOf.includes(edge.toType))) continue;
    const ids = missing.get(type);
    if (ids) ids.push(id);
    else missing.set(type, [id]);
  }
  const [first] = missing;
  if (!first) return;
  const [type, ids] = first;
  const anyOf = required.get(type)!;
  throw new CrmError(
    'ASSOCIATION_REQUIRED',
    `${ids.length} ${type} record${ids.length === 1 ? '' : 's'} would have no associated ${anyOf.join(' or ')} (first: ${JSON.stringify(ids[0])}); a ${type} record needs one`,
    { objectType: type, ids, anyOf: [...anyOf] },
  );
}
