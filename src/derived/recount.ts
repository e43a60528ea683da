// Keeps the calculated properties (./properties.ts) current: at the end of each call it reads the
// changes the call logged, works out which records' values moved, and writes those that changed
// with source CALCULATED (history and events included). One association made or removed moves a
// value by a step, which spares reading every association of a busy company; anything else
// (an archive, a restore, a merge, an activity's time edited) recomputes it from storage.
import type { ChangeObserver, LoggedChange, LoggedRecord } from '../kernel/change-log.js';
import type { ObjectModel } from '../schema/model.js';
import type { TxContext } from '../schema/transaction.js';
import type { HistoryEntry, StoredRecord } from '../storage/types.js';
import type { Properties } from '../types.js';
import { CALCULATED_SOURCE, type CalculatedProperty, type CalculatedSet, calculatedSet, RECOMPUTE, STANDARD_CALCULATED } from './properties.js';


/** One association made or removed: the record at the other end, and the properties it feeds. */
interface Step {
  readonly made: boolean;
  readonly other: StoredRecord;
  readonly fed: readonly CalculatedProperty[];
}

/**
 * What the call did to one record's calculated properties: associations made or removed, or a
 * change that needs a recount; `fed` when any of it came through the record's associations or
 * associated records rather than only its own archive, restore or merge.
 */
interface Pending {
  full: boolean;
  fed: boolean;
  steps: Step[] | undefined;
}

/** Whether a logged change can move a calculated property of `set`. */
function wants(set: CalculatedSet, change: LoggedChange): boolean {
  if (change.kind === 'association') {
    if (change.action === 'relabelled') return false; // labels feed no calculation
    const a = change.a.model.name;
    const b = change.b.model.name;
    return set.feeds(a, b) || set.feeds(b, a);
  }
  switch (change.action) {
    case 'archived':
    case 'restored':
    case 'purged':
    case 'merged':
      return true;
    case 'updated':
      return set.fedByUpdate(change.model.name, change.changed!);
    default:
      return false;
  }
}

/** The records whose calculated properties the changes move, and how. */
async function pendingRecounts(ctx: TxContext, set: CalculatedSet, changes: readonly LoggedChange[]): Promise<Map<string, Map<string, Pending>>> {
  const queue = new Map<string, Map<string, Pending>>();
  for (const change of changes) {
    if (change.kind === 'association') {
      // Associations are most of what is logged: both ends are taken without building pairs.
      const made = change.action === 'created';
      queueStep(set, queue, change.a, change.b, made);
      queueStep(set, queue, change.b, change.a, made);
      continue;
    }
    const type = change.model.name;
    let neighbours = change.neighbours;
    // An activity's time or a line item's amount moved (by an update, or by a merge that filled
    // the survivor's empty values): every record it is associated with recounts.
    if (change.action === 'updated' || (change.action === 'merged' && set.fedByPropertiesOf(type))) [neighbours] = await ctx.tx.getEdges(type, [change.record.id]);
    for (const edge of neighbours ?? []) {
      if (!set.feeds(edge.toType, type)) continue;
      const pending = pendingOf(queue, edge.toType, edge.toId);
      pending.full = true;
      pending.fed = true;
    }
    const model = ctx.schema.find(type);
    if (change.action !== 'updated' && model && set.carriedBy(model).length > 0) pendingOf(queue, type, change.record.id).full = true;
  }
  return queue;
}

/** The queued work of one record (queued now if it was not). */
function pendingOf(queue: Map<string, Map<string, Pending>>, type: string, id: string): Pending {
  let ofType = queue.get(type);
  if (!ofType) queue.set(type, (ofType = new Map()));
  let pending = ofType.get(id);
  if (!pending) ofType.set(id, (pending = { full: false, fed: false, steps: undefined }));
  return pending;
}

/** Queues, on `owner`, one association with `other` made or removed, when it feeds a property of `owner`'s type. */
function queueStep(set: CalculatedSet, queue: Map<string, Map<string, Pending>>, owner: LoggedRecord, other: LoggedRecord, made: boolean): void {
  const fed = set.fedBy(owner.model.name, other.model.name);
  if (fed.length === 0) return;
  const pending = pendingOf(queue, owner.model.name, owner.record.id);
  pending.fed = true;
  if (!pending.full) (pending.steps ??= []).push({ made, other: other.record, fed });
}

/** The values a record's calculated properties should hold now. */
async function valuesOf(ctx: TxContext, set: CalculatedSet, model: ObjectModel, record: StoredRecord, pending: Pending): Promise<Properties> {
  const carried = set.carriedBy(model);
  const values: Properties = {};
  let recompute: CalculatedProperty[] | undefined;
  if (pending.full) recompute = [...carried];
  else {
    // Each step moves the properties it feeds from the value the steps before it left.
    for (const { made, other, fed } of pending.steps!) {
      for (const property of fed) {
        if (!carried.includes(property) || recompute?.includes(property)) continue;
        const name = property.name;
        const value = property.step(name in values ? values[name] : record.properties[name], made, other);
        if (value === RECOMPUTE) (recompute ??= []).push(property);
        else values[name] = value;
      }
    }
  }
  for (const property of recompute ?? []) values[property.name] = await property.compute(ctx, model, record, pending.fed);
  // In the order the properties are declared, as history and events list them.
  const ordered: Properties = {};
  for (const { name } of carried) if (name in values) ordered[name] = values[name] ?? null;
  return ordered;
}

/** Brings the calculated properties of every record the changes touched up to date, writing the ones that changed. */
async function recount(ctx: TxContext, set: CalculatedSet, changes: readonly LoggedChange[]): Promise<void> {
  const queue = await pendingRecounts(ctx, set, changes);
  const timestamp = ctx.now();
  const records: StoredRecord[] = [];
  const entries: HistoryEntry[] = [];
  for (const [type, byId] of queue) {
    const model = ctx.schema.find(type);
    if (!model) continue;
    const ids = [...byId.keys()];
    const current = await ctx.tx.getRecords(type, ids);
    for (let at = 0; at < ids.length; at++) {
      const record = current[at];
      if (!record || record.archived) continue;
      const values = await valuesOf(ctx, set, model, record, byId.get(ids[at]!)!);
      let changed: Properties | undefined;
      for (const name of Object.keys(values)) {
        const value = values[name]!;
        if ((record.properties[name] ?? null) !== value) (changed ??= {})[name] = value;
      }
      if (!changed) continue;
      const properties: Properties = { ...record.properties };
      for (const name of Object.keys(changed)) {
        const value = changed[name]!;
        if (value === null) delete properties[name];
        else properties[name] = value;
      }
      const next: StoredRecord = Object.freeze({ ...record, properties: Object.freeze(properties) });
      records.push(next);
      if (ctx.options.history) entries.push({ objectType: type, id: record.id, timestamp, source: CALCULATED_SOURCE, values: Object.freeze(changed) });
      ctx.emit({ type: 'record.updated', objectType: type, id: record.id, record: next, changes: changed, source: CALCULATED_SOURCE });
    }
  }
  if (records.length > 0) await ctx.tx.updateRecords(records);
  if (entries.length > 0) await ctx.tx.appendHistory(entries);
}

/** The observer that keeps `set`'s calculated properties. */
function observerOf(set: CalculatedSet): ChangeObserver<TxContext> {
  return {
    name: 'derived.calculated',
    when: 'endOfCall',
    wants: (change) => wants(set, change),
    run: (ctx, changes) => recount(ctx, set, changes),
  };
}

/**
 * The engine's observer for the calculated properties every engine keeps: run at the end of
 * every call that logged a change feeding one.
 *
 * @example
 * new Engine(storage, options, load, [calculatedProperties, requiredAssociations]);
 */
export const calculatedProperties: ChangeObserver<TxContext> = observerOf(STANDARD_CALCULATED);

const withDealAmount = observerOf(calculatedSet({ dealAmountFromLineItems: true }));

/**
 * The observer for an engine with these options: the standard one, or one that also keeps a
 * deal's amount from its line items. Registered by createCrm, so an engine without the option
 * never even looks at a line item's association.
 *
 * @example
 * new Engine(storage, settings, load, [calculatedPropertiesFor(settings), requiredAssociations]);
 */
export function calculatedPropertiesFor(options: { readonly dealAmountFromLineItems: boolean }): ChangeObserver<TxContext> {
  return options.dealAmountFromLineItems ? withDealAmount : calculatedProperties;
}
