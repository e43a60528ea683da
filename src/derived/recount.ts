// Keeps the calculated properties (./properties.ts) current: at the end of each call it reads the
// changes the call logged, works out which records' values moved, and writes those that changed
// with source CALCULATED (history and events included). One association made or removed moves a
// value by a step, which spares reading every association of a busy company; anything else
// (an archive, a restore, a merge, an activity's time edited) recomputes it from storage.
import type { ChangeObserver, LoggedChange, LoggedRecord } from '../kernel/change-log.js';
import type { ObjectModel } from '../schema/model.js';
import type { TxContext } from '../schema/transaction.js';
import type { HistoryEntry, StoredRecord } from '../storage/types.js';
import type { Properties, Source } from '../types.js';
import { CALCULATED_PROPERTIES, type CalculatedProperty, carriedBy, fedBy, feeds, RECOMPUTE } from './properties.js';

const CALCULATED_SOURCE: Source = Object.freeze({ type: 'CALCULATED' });

/** One association made or removed: the record at the other end, and the properties it feeds. */
interface Step {
  readonly made: boolean;
  readonly other: StoredRecord;
  readonly fed: readonly CalculatedProperty[];
}

/** What the call did to one record's calculated properties: associations made or removed, or a change that needs a recount. */
interface Pending {
  full: boolean;
  steps: Step[] | undefined;
}

/** Whether a logged change can move a calculated property. */
function wants(change: LoggedChange): boolean {
  if (change.kind === 'association') {
    if (change.action === 'relabelled') return false; // labels feed no calculation
    const a = change.a.model.name;
    const b = change.b.model.name;
    return feeds(a, b) || feeds(b, a);
  }
  switch (change.action) {
    case 'archived':
    case 'restored':
    case 'purged':
    case 'merged':
      return true;
    case 'updated':
      return CALCULATED_PROPERTIES.some(
        ({ fedByProperty: fed }) => fed !== undefined && fed.types.has(change.model.name) && change.changed!.includes(fed.property),
      );
    default:
      return false;
  }
}

/** The records whose calculated properties the changes move, and how. */
async function pendingRecounts(ctx: TxContext, changes: readonly LoggedChange[]): Promise<Map<string, Map<string, Pending>>> {
  const queue = new Map<string, Map<string, Pending>>();
  for (const change of changes) {
    if (change.kind === 'association') {
      // Associations are most of what is logged: both ends are taken without building pairs.
      const made = change.action === 'created';
      queueStep(queue, change.a, change.b, made);
      queueStep(queue, change.b, change.a, made);
      continue;
    }
    const type = change.model.name;
    let neighbours = change.neighbours;
    // An activity's time moved: every record it is associated with recounts.
    if (change.action === 'updated') [neighbours] = await ctx.tx.getEdges(type, [change.record.id]);
    for (const edge of neighbours ?? []) if (feeds(edge.toType, type)) pendingOf(queue, edge.toType, edge.toId).full = true;
    const model = ctx.schema.find(type);
    if (change.action !== 'updated' && model && carriedBy(model).length > 0) pendingOf(queue, type, change.record.id).full = true;
  }
  return queue;
}

/** The queued work of one record (queued now if it was not). */
function pendingOf(queue: Map<string, Map<string, Pending>>, type: string, id: string): Pending {
  let ofType = queue.get(type);
  if (!ofType) queue.set(type, (ofType = new Map()));
  let pending = ofType.get(id);
  if (!pending) ofType.set(id, (pending = { full: false, steps: undefined }));
  return pending;
}

/** Queues, on `owner`, one association with `other` made or removed, when it feeds a property of `owner`'s type. */
function queueStep(queue: Map<string, Map<string, Pending>>, owner: LoggedRecord, other: LoggedRecord, made: boolean): void {
  const fed = fedBy(owner.model.name, other.model.name);
  if (fed.length === 0) return;
  const pending = pendingOf(queue, owner.model.name, owner.record.id);
  if (!pending.full) (pending.steps ??= []).push({ made, other: other.record, fed });
}

/** The values a record's calculated properties should hold now. */
async function valuesOf(ctx: TxContext, model: ObjectModel, record: StoredRecord, pending: Pending): Promise<Properties> {
  const carried = carriedBy(model);
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
  for (const property of recompute ?? []) values[property.name] = await property.compute(ctx, model, record);
  // In the order the properties are declared, as history and events list them.
  const ordered: Properties = {};
  for (const { name } of carried) if (name in values) ordered[name] = values[name] ?? null;
  return ordered;
}

/** Brings the calculated properties of every record the changes touched up to date, writing the ones that changed. */
async function recount(ctx: TxContext, changes: readonly LoggedChange[]): Promise<void> {
  const queue = await pendingRecounts(ctx, changes);
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
      const values = await valuesOf(ctx, model, record, byId.get(ids[at]!)!);
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

/**
 * The engine's observer for calculated properties: registered by createCrm, run at the end of
 * every call that logged a change feeding one.
 */
export const calculatedProperties: ChangeObserver<TxContext> = {
  name: 'derived.calculated',
  when: 'endOfCall',
  wants,
  run: recount,
};
