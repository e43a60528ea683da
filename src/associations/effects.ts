// What an association change sets off besides itself: calculated properties to recount at the
// end of the call (num_associated_contacts, num_associated_deals, hs_last_activity_date), and
// required associations to check before the transaction commits (a quote's deal, a lead's
// contact or company).
import type { TxContext } from '../context.js';
import { CrmError } from '../errors.js';
import type { ObjectModel } from '../schema/model.js';
import type { StoredRecord } from '../storage/types.js';
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

interface Pending {
  calculated: Map<string, { type: string; id: string }>;
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

/** Queues a recount of `type`/`id`'s calculated properties at the end of the call. */
export function recalculate(ctx: TxContext, type: string, id: string): void {
  const work = pending(ctx);
  work.calculated.set(`${type}\u0000${id}`, { type, id });
  ctx.atEndOfCall('associations.calculated', () => recount(ctx));
}

/** Queues the required-association check of `type`/`id` for the commit. */
export function checkRequiredLater(ctx: TxContext, type: string, id: string): void {
  if (!associationModel(ctx.schema).required.has(type)) return;
  const work = pending(ctx);
  work.required.set(`${type}\u0000${id}`, { type, id });
  ctx.beforeCommit('associations.required', () => checkRequired(ctx));
}

/** Queues what an association change between `a` and `b` causes. */
export function edgeChanged(ctx: TxContext, a: { model: ObjectModel; record: { id: string } }, b: { model: ObjectModel; record: { id: string } }, action: string): void {
  const aType = a.model.name;
  const bType = b.model.name;
  if (action === 'relabelled') return; // labels feed no calculation and no requirement
  if (feedsCalculation(aType, bType)) recalculate(ctx, aType, a.record.id);
  if (feedsCalculation(bType, aType)) recalculate(ctx, bType, b.record.id);
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
    const [edges] = await ctx.tx.getEdges(model.name, [record.id]);
    const byType = new Map<string, string[]>();
    for (const edge of edges!) {
      if (edge.archived || !ACTIVITY_TYPES.has(edge.toType)) continue;
      const ids = byType.get(edge.toType);
      if (ids) ids.push(edge.toId);
      else byType.set(edge.toType, [edge.toId]);
    }
    for (const [type, ids] of byType) {
      for (const activity of await ctx.tx.getRecords(type, ids)) {
        const at = activity?.properties[ACTIVITY_TIMESTAMP];
        if (typeof at === 'string' && (latest === undefined || at > latest)) latest = at;
      }
    }
    values[LAST_ACTIVITY_PROPERTY] = latest ?? null;
  }
  return values;
}

/** Recounts every queued record's calculated properties and writes the ones that changed. */
async function recount(ctx: TxContext): Promise<void> {
  const work = pending(ctx);
  const queued = [...work.calculated.values()];
  work.calculated.clear();
  for (const { type, id } of queued) {
    const model = ctx.schema.find(type);
    if (!model) continue;
    const [record] = await ctx.tx.getRecords(type, [id]);
    if (!record || record.archived) continue;
    const values = await calculatedValues(ctx, model, record);
    const changes: Properties = {};
    let changed = false;
    for (const [name, value] of Object.entries(values)) {
      const current = record.properties[name] ?? null;
      if (current === value) continue;
      changes[name] = value;
      changed = true;
    }
    if (!changed) continue;
    const properties: Properties = { ...record.properties };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete properties[name];
      else properties[name] = value;
    }
    const next: StoredRecord = Object.freeze({ ...record, properties: Object.freeze(properties) });
    await ctx.tx.updateRecords([next]);
    const timestamp = ctx.now();
    if (ctx.options.history) await ctx.tx.appendHistory([{ objectType: type, id, timestamp, source: CALCULATED_SOURCE, values: Object.freeze(changes) }]);
    ctx.emit({ type: 'record.updated', objectType: type, id, record: next, changes, source: CALCULATED_SOURCE });
  }
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
