// Records as association calls take them: a record object or `{ objectType, id }`, the type by
// name or id. Reading one checks its shape and type; the services then load it.
import type { TxContext } from '../schema/transaction.js';
import { CrmError, describeValue, validationError } from '../errors.js';
import { checkId, findLiveRecord, findRecord } from '../schema/lookup.js';
import type { ObjectModel } from '../schema/model.js';
import type { StoredEdge, StoredRecord } from '../storage/types.js';

/** A loaded record with its object type: one end of an association. */
export interface End {
  readonly model: ObjectModel;
  readonly record: StoredRecord;
}

/** The object type and id a caller's record reference names. */
export function readRef(ctx: TxContext, value: unknown, argument: string): { model: ObjectModel; id: string } {
  const ref = value as { objectType?: unknown; id?: unknown } | null;
  if (typeof ref !== 'object' || ref === null || typeof ref.objectType !== 'string' || typeof ref.id !== 'string') {
    throw validationError([
      { code: 'INVALID_ARGUMENT', property: argument, message: `${argument} must be a record or { objectType, id }, got ${describeValue(value)}` },
    ]);
  }
  const model = ctx.schema.object(ref.objectType);
  checkId(ref.id);
  return { model, id: ref.id };
}

/** The live record a reference names: NOT_FOUND, ARCHIVED otherwise. */
export async function liveEnd(ctx: TxContext, value: unknown, argument: string): Promise<End> {
  const { model, id } = readRef(ctx, value, argument);
  return { model, record: await findLiveRecord(ctx, model, id) };
}

/**
 * The live records many references name, loaded with one storage call per object type; an
 * error names the reference's place (`details.index`, and `argument(index)` in its message).
 */
export async function liveEnds(ctx: TxContext, values: readonly unknown[], argument: (index: number) => string): Promise<End[]> {
  const refs = values.map((value, index) => {
    try {
      return readRef(ctx, value, argument(index));
    } catch (error) {
      // readRef's own message names the argument already.
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

/**
 * The error with the place of the batch item it is about: `details.index`, and the item named
 * at the start of its message (`pairs[3]: …`), so a batch error says which input failed. An
 * error that already names its place is left as it is.
 *
 * @example
 * throw atIndex(error, 3); // "pairs[3]: deals "d1" already holds 1 contacts record…"
 */
export function atIndex(error: unknown, index: number, argument = 'pairs'): unknown {
  if (error instanceof CrmError && error.details.index === undefined) {
    error.details.index = index;
    error.message = `${argument}[${index}]: ${error.message}`;
  }
  return error;
}

/** The record a reference names, archived or not: NOT_FOUND otherwise. */
export async function anyEnd(ctx: TxContext, value: unknown, argument: string): Promise<End> {
  const { model, id } = readRef(ctx, value, argument);
  return { model, record: await findRecord(ctx, model, id) };
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
