// Records as association calls take them: a record object or `{ objectType, id }`, the type by
// name or id. The facade parses a reference's shape and id (arguments/refs.ts); here its object
// type is looked up and the record loaded.
import type { TxContext } from '../schema/transaction.js';
import { CrmError } from '../errors.js';
import type { RecordRef } from '../arguments/refs.js';
import { findLiveRecord, findRecord } from '../schema/lookup.js';
import type { ObjectModel } from '../schema/model.js';
import type { StoredEdge, StoredRecord } from '../storage/types.js';

/** A loaded record with its object type: one end of an association. */
export interface End {
  readonly model: ObjectModel;
  readonly record: StoredRecord;
}

/** The object type (UNKNOWN_OBJECT_TYPE when there is none) and id a parsed reference names. */
export function readRef(ctx: TxContext, ref: RecordRef): { model: ObjectModel; id: string } {
  return { model: ctx.schema.object(ref.objectType), id: ref.id };
}

/** The live record a reference names: NOT_FOUND, ARCHIVED otherwise. */
export async function liveEnd(ctx: TxContext, ref: RecordRef): Promise<End> {
  const model = ctx.schema.object(ref.objectType);
  return { model, record: await findLiveRecord(ctx, model, ref.id) };
}

/**
 * The live records many references name, loaded with one storage call per object type; an
 * error names the reference's place (`details.index`, and `argument(index)` in its message).
 */
export async function liveEnds(ctx: TxContext, values: readonly RecordRef[], argument: (index: number) => string): Promise<End[]> {
  const refs = values.map((value, index) => {
    try {
      return readRef(ctx, value);
    } catch (error) {
      if (error instanceof CrmError) error.details.index ??= index;
      throw error;
    }
  });
  // Each record read once, however many pairs name it.
  const byType = new Map<ObjectModel, Set<string>>();
  for (const { model, id } of refs) {
    const ids = byType.get(model);
    if (ids) ids.add(id);
    else byType.set(model, new Set([id]));
  }
  const found = new Map<ObjectModel, Map<string, StoredRecord>>();
  for (const [model, ids] of byType) {
    const records = await ctx.tx.getRecords(model.name, [...ids]);
    const map = new Map<string, StoredRecord>();
    records.forEach((record) => record && map.set(record.id, record));
    found.set(model, map);
  }
  return refs.map(({ model, id }, index) => {
    const record = found.get(model)!.get(id);
    const where = argument(index);
    if (!record) throw new CrmError('NOT_FOUND', `${where}: no ${model.name} record with id ${JSON.stringify(id)}`, { objectType: model.name, id, index });
    if (record.archived) {
      throw new CrmError('ARCHIVED', `${where}: ${model.name} record ${JSON.stringify(id)} is archived; restore it first`, { objectType: model.name, id, index });
    }
    return { model, record };
  });
}

// The place of a batch item in its error: one helper for the facade and the services.
export { atIndex } from '../arguments/refs.js';

/** The record a reference names, archived or not: NOT_FOUND otherwise. */
export async function anyEnd(ctx: TxContext, ref: RecordRef): Promise<End> {
  const model = ctx.schema.object(ref.objectType);
  return { model, record: await findRecord(ctx, model, ref.id) };
}

/** The records at the other ends of `edges`, loaded (one storage call per type). */
export async function endsAt(ctx: TxContext, edges: readonly StoredEdge[]): Promise<End[]> {
  const byType = new Map<string, StoredEdge[]>();
  for (const edge of edges) {
    const list = byType.get(edge.toType);
    if (list) list.push(edge);
    else byType.set(edge.toType, [edge]);
  }
  const ends = new Map<StoredEdge, End>();
  for (const [type, list] of byType) {
    const model = ctx.schema.object(type);
    const records = await ctx.tx.getRecords(type, list.map((edge) => edge.toId));
    list.forEach((edge, at) => ends.set(edge, { model, record: records[at]! }));
  }
  return edges.map((edge) => ends.get(edge)!);
}

/** A record's display name, as association history keeps it: contacts by name (else email), others by their display property. */
export function displayName(end: End): string | undefined {
  const { properties } = end.record;
  if (end.model.name === 'contacts') {
    const name = [properties.firstname, properties.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
    if (name !== '') return name;
    return typeof properties.email === 'string' ? properties.email : undefined;
  }
  const property = end.model.doc.primaryDisplayProperty ?? end.model.doc.dedupKey?.property;
  const value = property === undefined ? undefined : properties[property];
  return value === undefined || value === null ? undefined : String(value);
}
